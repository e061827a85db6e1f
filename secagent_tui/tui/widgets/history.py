"""A finding's history: audit events, the analyst's intents and the pushes to GitHub."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable, Static

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


def detail_text(entry: HistoryEntry) -> str:
    return ", ".join(f"{k}={v}" for k, v in entry.detail.items() if v not in (None, ""))


class HistoryTable(DataTable[Text]):
    """One line per entry; the highlighted entry's whole detail is shown below the table
    (`HistoryDetail`), since a long error or comment cannot fit a column."""

    DEFAULT_CSS = """
    HistoryTable { height: 1fr; }
    """

    class Highlighted(Message):
        def __init__(self, entry: HistoryEntry | None) -> None:
            super().__init__()
            self.entry = entry

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
            detail = detail_text(entry)
            self.add_row(
                Text(entry.at.strftime("%Y-%m-%d %H:%M")),
                Text(entry.source.value, style=SOURCE_STYLE.get(entry.source, "")),
                Text(entry.action),
                Text(entry.status or "", style=STATUS_STYLE.get(entry.status or "", "")),
                Text(entry.actor),
                Text(detail, style="dim"),
            )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        entries = self._shown or []
        row = event.cursor_row
        self.post_message(self.Highlighted(entries[row] if 0 <= row < len(entries) else None))


class HistoryDetail(Static):
    """The highlighted history entry in full, wrapped: when, who, and every detail."""

    DEFAULT_CSS = """
    HistoryDetail {
        height: auto;
        max-height: 8;
        border-top: solid $panel;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show(self, entry: HistoryEntry | None) -> None:
        if entry is None:
            self.update("")
            return
        head = f"{entry.at:%Y-%m-%d %H:%M:%S} · {entry.source.value} · {entry.action}"
        if entry.status:
            head += f" · {entry.status}"
        lines = [f"{head} · {entry.actor}"]
        lines += [f"{k}: {v}" for k, v in entry.detail.items() if v not in (None, "")]
        if entry.correlation_id:
            lines.append(f"correlation: {entry.correlation_id}")
        self.update(Text("\n".join(lines)))
