"""The campaign view: the findings of the filter grouped by advisory and package, one row
each, riskiest first (severity, EPSS, open findings, repositories: domain/campaign.py), with
how far the evidence and the analyses already got and the SLA of its oldest open finding.

The counts come from one grouped scan (`FindingReads.campaign_rows`), read again about
every 5 s while the view shows, paused while another screen covers it. `enter` opens a
campaign's findings, where its group actions are. `secagent campaigns` is the same list,
headless. Constructed as `CampaignsScreen(flt)` with the queue's filter, whose conditions
(its states first) decide which findings are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Static

from secagent_tui.domain.campaign import Campaign
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.tui.screens.campaign_findings import CampaignFindingsScreen
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.widgets.campaign_table import CampaignTable

REFRESH_SECONDS = 5.0


@dataclass
class CampaignsLoaded(Message):
    filter: FindingFilter
    campaigns: list[Campaign]


def _states(flt: FindingFilter) -> str:
    return ",".join(s.value for s in flt.states) or "all states"


class CampaignsScreen(LiveScreen):
    DEFAULT_CSS = """
    CampaignsScreen #campaigns-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    CampaignsScreen CampaignTable {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="campaigns.back", tooltip="Back to the queue"),
        Binding(
            "enter",
            "open_campaign",
            "Open campaign",
            id="campaigns.open",
            tooltip="List this advisory's findings across repositories",
        ),
    ]

    def __init__(self, flt: FindingFilter | None = None) -> None:
        super().__init__()
        self.filter = flt or FindingFilter()
        self.campaigns: list[Campaign] | None = None
        self.loads = 0
        self._loop = self.live_loop(self._fetch, lambda: REFRESH_SECONDS, group="campaigns-fetch")

    def compose(self) -> ComposeResult:
        yield Static(Text("Campaigns · loading…", style="bold"), id="campaigns-title")
        yield CampaignTable(id="campaigns")
        yield Footer()

    @property
    def table(self) -> CampaignTable:
        return self.query_one(CampaignTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._loop.now()

    async def _fetch(self) -> None:
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        flt = self.filter
        self.post_message(CampaignsLoaded(flt, await services.campaign_rows(flt)))

    @on(CampaignsLoaded)
    def _loaded(self, message: CampaignsLoaded) -> None:
        message.stop()
        if message.filter != self.filter:
            return
        self.campaigns = message.campaigns
        now = self.host.clock()
        self.table.show(message.campaigns, now)
        self.loads += 1
        self._show_title()

    def _show_title(self) -> None:
        campaigns = self.campaigns or []
        title = Text("Campaigns", style="bold")
        title.append(f" · {len(campaigns)} advisories", style="bold cyan")
        title.append(f" · {sum(c.counts.open for c in campaigns)} open")
        title.append(f" · {sum(c.counts.findings for c in campaigns)} findings")
        title.append(f" · {_states(self.filter)}", style="dim")
        chips = [c for c in self.filter.chips() if not c.startswith("state:")]
        if chips:
            title.append(" · " + " ".join(chips), style="dim")
        if not campaigns and self.loads:
            title.append("  no finding matches the filter", style="#d7af00")
        self.query_one("#campaigns-title", Static).update(title)

    def action_back(self) -> None:
        self.dismiss(None)

    @on(CampaignTable.Opened)
    def _row_selected(self, event: CampaignTable.Opened) -> None:
        """enter on the table (the table's own enter binding wins over the screen's)."""
        event.stop()
        self.action_open_campaign()

    def action_open_campaign(self) -> None:
        campaign = self.table.current()
        if campaign is None:
            self.notify("No campaign selected.", severity="warning")
            return
        self.app.push_screen(CampaignFindingsScreen(campaign))
