"""The advisory in full: the facts, the description as Markdown, references and the link."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from secagent_tui.domain.record import FindingRecord
from secagent_tui.tui.widgets.finding_summary import facts


class AdvisoryView(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    AdvisoryView {
        padding: 0 1;
    }
    AdvisoryView > #advisory-facts, AdvisoryView > #advisory-links {
        height: auto;
        margin: 1 0;
    }
    AdvisoryView > Markdown {
        margin: 0;
        padding: 0;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="advisory-facts")
        yield Markdown(id="advisory-description")
        yield Static(id="advisory-links")

    async def show(self, record: FindingRecord) -> None:
        f = record.finding
        key = (f.description, str(f.updated_at))
        if key == self._shown:
            return
        self._shown = key
        head = Text()
        head.append(f.summary + "\n", style="bold")
        head.append_text(facts(record))
        self.query_one("#advisory-facts", Static).update(head)
        await self.query_one(Markdown).update(f.description or "_No description._")
        links = Text()
        links.append("Alert: ", style="bold")
        links.append(f.html_url + "\n", style="underline")
        advisory = f.raw.get("security_advisory", {}) if isinstance(f.raw, dict) else {}
        for ref in advisory.get("references") or []:
            url = ref.get("url") if isinstance(ref, dict) else None
            if url:
                links.append("• ", style="dim")
                links.append(f"{url}\n")
        self.query_one("#advisory-links", Static).update(links)
