"""A campaign's findings: each one's repository, state, what its evidence says and its
verdict, open ones first. The screen shows the highlighted one's evidence beside it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from secagent_tui.domain.campaign import CampaignMember
from secagent_tui.tui.format import PENDING_MARK, STATE_LABEL, STATE_STYLE, verdict_label
from secagent_tui.tui.widgets.evidence import USAGE_STYLE

COLUMNS = (
    ("finding", "Finding"),
    ("state", "State"),
    ("evidence", "Evidence"),
    ("verdict", "Verdict"),
)


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
            "j", "cursor_down", "Down", show=False, id="campaign.down", tooltip="The next finding"
        ),
        Binding(
            "k", "cursor_up", "Up", show=False, id="campaign.up", tooltip="The previous finding"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.members: list[CampaignMember] = []

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show(self, members: list[CampaignMember]) -> None:
        if members == self.members:
            return
        current = self.current()
        self.members = members
        self.clear()
        for member in members:
            self.add_row(*member_cells(member), key=str(member.record.id))
        ids = [m.record.id for m in members]
        if current is not None and current.record.id in ids:
            self.move_cursor(row=ids.index(current.record.id), animate=False)

    def current(self) -> CampaignMember | None:
        row = self.cursor_coordinate.row
        return self.members[row] if self.row_count and row < len(self.members) else None
