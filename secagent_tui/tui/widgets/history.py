"""A finding's history: audit events, the analyst's intents and the pushes to GitHub."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from secagent_tui.store.history import HistoryEntry

SOURCE_STYLE = {"audit": "dim", "intent": "bold #87afd7", "push": "#d7af5f"}
STATUS_STYLE = {
    "pending": "#d7af00",
    "confirmed": "green",
    "done": "green",
    "failed": "bold red",
    "refused": "bold red",
    "superseded": "dim",
}


class HistoryTable(DataTable[Text]):
    DEFAULT_CSS = """
    HistoryTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._shown: list[HistoryEntry] | None = None

    def on_mount(self) -> None:
        self.add_column("When (UTC)", width=16)
        self.add_column("What", width=7)
        self.add_column("Action", width=18)
        self.add_column("Status", width=10)
        self.add_column("Who", width=16)
        self.add_column("Detail")

    def show(self, entries: list[HistoryEntry]) -> None:
        if entries == self._shown:
            return
        self._shown = entries
        self.clear()
        if not entries:
            self.add_row(
                Text("—"), Text(""), Text("no history yet", style="italic dim"), *[Text("")] * 3
            )
            return
        for entry in entries:
            detail = ", ".join(f"{k}={v}" for k, v in entry.detail.items() if v not in (None, ""))
            self.add_row(
                Text(entry.at.strftime("%Y-%m-%d %H:%M")),
                Text(entry.source.value, style=SOURCE_STYLE.get(entry.source, "")),
                Text(entry.action),
                Text(entry.status or "", style=STATUS_STYLE.get(entry.status or "", "")),
                Text(entry.actor),
                Text(detail, style="dim"),
            )
