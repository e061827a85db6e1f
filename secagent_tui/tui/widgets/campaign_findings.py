"""A campaign's findings: each one's repository, state, what its evidence says and its
verdict, open ones first. The screen shows the highlighted one's evidence beside it.

State, evidence and verdict have fixed widths and the finding's ref takes what is left, cut
with an ellipsis, as in the campaign list: a long repository name does not push the verdict
out of the table's half of the screen."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable

from secagent_tui.domain.campaign import CampaignMember
from secagent_tui.tui.format import PENDING_MARK, STATE_LABEL, STATE_STYLE, verdict_label
from secagent_tui.tui.widgets.campaign_table import PADDING, cut
from secagent_tui.tui.widgets.evidence import USAGE_STYLE

COLUMNS = (
    ("finding", "Finding"),
    ("state", "State"),
    ("evidence", "Evidence"),
    ("verdict", "Verdict"),
)
WIDTHS = {
    "state": 10,  # dismissed*
    "evidence": 13,  # manifest gone
    "verdict": 10,  # not-expl·h
}
"""Cells of each column but the finding's, which takes the rest."""
FINDING_MIN = len("Finding")


def widths_for(width: int, scrollbar: int = 2) -> tuple[int, ...]:
    """Each column's cells in a table `width` cells wide, room kept for its scrollbar."""
    fixed = sum(w + 2 * PADDING for w in WIDTHS.values())
    finding = max(FINDING_MIN, width - scrollbar - fixed - 2 * PADDING)
    return tuple(WIDTHS.get(key, finding) for key, _ in COLUMNS)


def member_cells(member: CampaignMember) -> tuple[Text, ...]:
    record = member.record
    f = record.finding
    state = STATE_LABEL[record.state] + (PENDING_MARK if record.pending_push else "")
    state_style = "bold #d7af00" if record.pending_push else STATE_STYLE[record.state]
    usage = member.usage
    evidence = (
        Text(usage.value.replace("_", " "), style=USAGE_STYLE.get(usage.value, ""))
        if usage is not None
        else Text("—", style="dim")
    )
    label, style, _ = verdict_label(record.verdict)
    return (
        Text(f"{f.repo}#{f.number}"),
        Text(state, style=state_style),
        evidence,
        Text(label, style=style),
    )


class CampaignFindingsTable(DataTable[Text]):
    """Keyed by finding id: a refresh keeps the cursor on its finding."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="campaign.open",
            tooltip="Open this finding with its evidence",
        ),
        Binding(
            "j", "cursor_down", "Down", show=False, id="campaign.down", tooltip="The next finding"
        ),
        Binding(
            "k", "cursor_up", "Up", show=False, id="campaign.up", tooltip="The previous finding"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.members: list[CampaignMember] = []
        self.widths: tuple[int, ...] = ()

    def show(self, members: list[CampaignMember]) -> None:
        """Rebuilds the rows when the findings (or the widths) changed; the cursor stays on
        its finding."""
        width = self.region.width or self.app.size.width
        widths = widths_for(width, self.styles.scrollbar_size_vertical)
        if members == self.members and widths == self.widths:
            return
        current = self.current()
        self.members = members
        self.clear(columns=widths != self.widths)
        if widths != self.widths:
            self.widths = widths
            for (key, label), cells in zip(COLUMNS, widths, strict=True):
                self.add_column(label, width=cells, key=key)
        for member in members:
            cells = zip(member_cells(member), widths, strict=True)
            self.add_row(*(cut(text, w) for text, w in cells), key=str(member.record.id))
        ids = [m.record.id for m in members]
        if current is not None and current.record.id in ids:
            self.move_cursor(row=ids.index(current.record.id), animate=False)

    def on_resize(self, event: Resize) -> None:
        self.show(self.members)

    def current(self) -> CampaignMember | None:
        row = self.cursor_coordinate.row
        return self.members[row] if self.row_count and row < len(self.members) else None
