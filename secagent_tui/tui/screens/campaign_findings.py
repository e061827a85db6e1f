"""A campaign's findings (`enter` in the campaign view): every finding of one advisory and
package across repositories, open ones first, with its state, its evidence's word and its
verdict, beside the evidence of the highlighted one (stacked below it on narrow terminals).
`enter` opens the finding view.

The group actions act on the whole campaign, through the same services and dialogs as the
queue's: `a` queues the analysis of every open finding; `d` dismisses the open findings the
evidence settles (domain/campaign.campaign_dismissal chooses them and their reasons) after
one question that says how many, in how many repositories, with which reason per
repository and what it leaves alone; `o` reopens the dismissed ones after a yes/no.
Read-only mode refuses `d` and `o` before the question, as the queue does (FindingActions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from secagent_tui.domain.campaign import (
    Campaign,
    CampaignDismissal,
    CampaignMember,
    DismissalGroup,
    campaign_dismissal,
    open_records,
    reopenable_records,
)
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.finding import DismissReason
from secagent_tui.domain.record import FindingRecord
from secagent_tui.logs import new_correlation_id
from secagent_tui.tui.format import selection_summary
from secagent_tui.tui.messages import DecisionDone
from secagent_tui.tui.screens.actions import FindingActions
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.campaign_findings import CampaignFindingsTable
from secagent_tui.tui.widgets.evidence import EvidencePanel

NARROW_BELOW = 120
"""Below this many cells the evidence goes under the list: beside it, the list's 3/5 of 100
cells would cut most repository names."""
REFRESH_SECONDS = 2.0
REPOS_SHOWN = 5
"""Repositories named per reason in the dismissal question; the rest are counted."""

REASON_LABEL = {
    DismissReason.NOT_USED: "not_used",
    DismissReason.TOLERABLE_RISK: "tolerable_risk (test-only)",
}


def _repos_of(group: DismissalGroup) -> str:
    repos = sorted({r.finding.repo for r in group.records})
    shown = ", ".join(repos[:REPOS_SHOWN])
    return shown + (f", +{len(repos) - REPOS_SHOWN} more" if len(repos) > REPOS_SHOWN else "")


def dismissal_question(campaign: Campaign, plan: CampaignDismissal) -> str:
    """The one question before a campaign-wide dismissal: how many, where, and why each."""
    key = campaign.key
    lines = [
        f"Dismiss {selection_summary(plan.records)} of {key.ghsa_id} ({key.package}) on "
        "GitHub, as the evidence says?"
    ]
    for group in plan.groups:
        label = REASON_LABEL.get(group.reason, group.reason.value)
        lines.append(f"• {label}, {len(group.records)}: {_repos_of(group)}")
    left = []
    if plan.unsettled:
        left.append(f"{plan.unsettled} whose evidence does not settle it")
    if plan.pinned:
        left.append(f"{plan.pinned} an analyst reopened")
    if left:
        lines.append("Left open: " + "; ".join(left) + ".")
    return "\n".join(lines)


@dataclass
class CampaignFindingsLoaded(Message):
    members: list[CampaignMember]


class CampaignFindingsScreen(FindingActions):
    DEFAULT_CSS = """
    CampaignFindingsScreen #campaign-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    CampaignFindingsScreen #campaign-split {
        height: 1fr;
    }
    CampaignFindingsScreen #campaign-split > CampaignFindingsTable {
        width: 3fr;
        height: 1fr;
    }
    CampaignFindingsScreen #campaign-split > #campaign-evidence {
        width: 2fr;
        height: 1fr;
    }
    CampaignFindingsScreen #campaign-split.-narrow {
        layout: vertical;
    }
    CampaignFindingsScreen #campaign-split.-narrow > CampaignFindingsTable {
        width: 1fr;
        height: 1fr;
    }
    CampaignFindingsScreen #campaign-split.-narrow > #campaign-evidence {
        width: 1fr;
        height: 1fr;
    }
    """

    # Short descriptions: with the table's ⏎ Open and the app's keys, the footer fits 80
    # columns ("Analyze all", "Dismiss unused" cut the last ones off); the tooltips, which
    # the footer and the palette show, say the rest.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="campaign.back", tooltip="Back to the campaign list"),
        Binding(
            "enter",
            "open_finding",
            "Open",
            id="campaign.open",
            tooltip="Open this finding with its evidence",
        ),
        Binding(
            "a",
            "analyze_campaign",
            "Analyze",
            id="campaign.analyze",
            tooltip="Queue a full analysis of every open finding of this advisory",
        ),
        Binding(
            "d",
            "dismiss_campaign",
            "Dismiss",
            id="campaign.dismiss",
            tooltip="Dismiss every finding the evidence says is not used, after a summary",
        ),
        Binding(
            "o",
            "reopen_campaign",
            "Reopen",
            id="campaign.reopen",
            tooltip="Reopen every dismissed finding of this advisory, after a y/n question",
        ),
        Binding(
            "P",
            "batch_progress",
            "Batch progress",
            show=False,
            id="campaign.progress",
            tooltip="The progress of the latest batch decided here",
        ),
    ]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.members: list[CampaignMember] | None = None
        self._loop = self.live_loop(self._fetch, lambda: REFRESH_SECONDS, group="campaign-fetch")

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="campaign-title")
        with Horizontal(id="campaign-split"):
            yield CampaignFindingsTable(id="campaign-findings")
            with VerticalScroll(id="campaign-evidence"):
                yield EvidencePanel(id="evidence")
        yield Footer()

    @property
    def table(self) -> CampaignFindingsTable:
        return self.query_one(CampaignFindingsTable)

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.query_one(EvidencePanel).show_placeholder("Loading…")
        self.table.focus()
        self._loop.now()

    def on_resize(self) -> None:
        self._layout(self.app.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#campaign-split").set_class(width < NARROW_BELOW, "-narrow")

    # ------------------------------------------------------------------ live data

    async def _fetch(self) -> None:
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        self.post_message(
            CampaignFindingsLoaded(await services.campaign_findings(self.campaign.key))
        )

    @on(CampaignFindingsLoaded)
    def _loaded(self, message: CampaignFindingsLoaded) -> None:
        message.stop()
        self.members = message.members
        self.table.show(message.members)
        self.query_one("#campaign-title", Static).update(self._title())
        self._show_evidence()

    def _title(self) -> Text:
        key = self.campaign.key
        title = Text(f"{key.ghsa_id}", style="bold")
        title.append(f" · {key.package} ({key.ecosystem})", style="bold cyan")
        members = self.members
        if members is None:
            return title
        repos = len({m.record.finding.repo for m in members})
        opened = len(open_records(members))
        title.append(f" · {len(members)} findings in {repos} repos · {opened} open")
        return title

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_evidence()

    def _show_evidence(self) -> None:
        panel = self.query_one(EvidencePanel)
        member = self.table.current()
        if member is None:
            panel.show_placeholder("No finding.")
            return
        panel.border_title = f"Evidence · {member.record.finding.ref}"
        panel.show(dict(member.evidence) if member.evidence else None)

    def selected_records(self) -> list[FindingRecord]:
        """The highlighted finding (what `P` and the browser act on)."""
        member = self.table.current()
        return [member.record] if member else []

    def after_decision(self) -> None:
        self._loop.now()

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on the table (the table's own enter binding wins over the screen's)."""
        event.stop()
        self.action_open_finding()

    def action_open_finding(self) -> None:
        member = self.table.current()
        if member is None:
            self.notify("No finding selected.", severity="warning")
            return
        self.app.push_screen(FindingScreen(member.record))

    def _members_or_warn(self) -> list[CampaignMember] | None:
        if self.host.services is None or self.members is None:
            self.notify("The campaign's findings are not read yet.", severity="warning")
            return None
        return self.members

    def action_analyze_campaign(self) -> None:
        members = self._members_or_warn()
        if members is None:
            return
        records = open_records(members)
        if not records:
            self.notify("No open finding in this campaign to analyse.", severity="warning")
            return
        self._queue(records, triage_only=False)

    def action_dismiss_campaign(self) -> None:
        if self._refuse_read_only("dismiss"):
            return
        members = self._members_or_warn()
        if members is None:
            return
        plan = campaign_dismissal(members)
        if not plan.groups:
            self.notify(
                "No open finding of this campaign has evidence saying not used or test-only.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._dismiss_groups(plan)

        question = dismissal_question(self.campaign, plan)
        self.app.push_screen(ConfirmDialog(question, confirm_label="Dismiss"), answered)

    @work(group="decide", exit_on_error=False)
    async def _dismiss_groups(self, plan: CampaignDismissal) -> None:
        """One decision per reason, under one correlation id: one batch, one progress pane."""
        services = self.host.services
        assert services is not None
        correlation_id = new_correlation_id()
        for group in plan.groups:
            await services.decide(
                group.records,
                DecisionAction.DISMISS,
                reason=group.reason.value,
                comment=group.comment,
                correlation_id=correlation_id,
            )
        self.post_message(
            DecisionDone(DecisionAction.DISMISS, len(plan.records), plan.repositories)
        )

    def action_reopen_campaign(self) -> None:
        if self._refuse_read_only("reopen"):
            return
        members = self._members_or_warn()
        if members is None:
            return
        records = reopenable_records(members)
        if not records:
            self.notify("No dismissed finding in this campaign to reopen.", severity="warning")
            return
        question = f"Reopen {selection_summary(records)} of {self.campaign.key.ghsa_id} on GitHub?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(records, DecisionAction.REOPEN, None, None)

        self.app.push_screen(ConfirmDialog(question, confirm_label="Reopen"), answered)
