"""The health screen: the observability figures of DESIGN.md — sync runs and their duration
per owner and repository, LLM latency p50/p95, tokens and fallback rates per tier, the triage
outcomes, jobs and stale jobs reclaimed, automatic dismissals and their failures, GitHub's
rate limit left — with sparklines for the trends, and the warnings of `domain/health.py`
(a last good sync older than expected, a fallback rate that jumps).

Live: one read (`FindingReads.health`) about 10 s after the previous one ended, paused while
another screen covers this one. Two columns when wide, one when narrow; everything scrolls
by keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from secagent_tui.domain.health import HealthReport
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.widgets.health_panels import (
    LlmPanel,
    OperationsPanel,
    OutcomesPanel,
    SlowReposTable,
    SyncPanel,
    WarningsPanel,
)

REFRESH_SECONDS = 10.0
WIDE_FROM = 110


@dataclass
class HealthLoaded(Message):
    report: HealthReport


class HealthScreen(LiveScreen):
    DEFAULT_CSS = """
    HealthScreen #health-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    HealthScreen #health-body {
        height: 1fr;
    }
    HealthScreen #panels {
        grid-size: 1;
        grid-rows: auto;
        grid-gutter: 0 1;
        height: auto;
    }
    HealthScreen #panels.-wide {
        grid-size: 2;
    }
    HealthScreen #repos-panel {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "back", "Back", id="health.back", tooltip="Back to where health was opened"
        ),
        Binding(
            "r", "refresh", "Refresh", id="health.refresh", tooltip="Read the figures again now"
        ),
        Binding(
            "j", "scroll(1)", "Down", show=False, id="health.down", tooltip="Scroll down one line"
        ),
        Binding("k", "scroll(-1)", "Up", show=False, id="health.up", tooltip="Scroll up one line"),
        Binding(
            "g", "scroll_home", "Top", show=False, id="health.top", tooltip="Scroll to the top"
        ),
        Binding(
            "G",
            "scroll_end",
            "Bottom",
            show=False,
            id="health.bottom",
            tooltip="Scroll to the bottom",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: HealthReport | None = None
        self._loop = self.live_loop(self._fetch, lambda: REFRESH_SECONDS, group="health-fetch")

    def compose(self) -> ComposeResult:
        yield Static(Text("Health · loading…", style="bold"), id="health-title")
        yield WarningsPanel(id="warnings")
        with VerticalScroll(id="health-body"):
            with Grid(id="panels"):
                yield SyncPanel("Sync runs", id="sync-panel")
                yield LlmPanel("LLM tiers", id="llm-panel")
                yield OutcomesPanel("Triage outcomes", id="outcomes-panel")
                yield OperationsPanel("Jobs · auto-dismiss · rate limit", id="ops-panel")
            with Vertical(id="repos-panel") as repos:
                repos.border_title = "Slowest repositories, latest runs"
                yield SlowReposTable(id="repos")
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.query_one(WarningsPanel).show(None)
        self.query_one("#health-body", VerticalScroll).focus()
        self._loop.now()

    def on_resize(self) -> None:
        self._layout(self.app.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#panels").set_class(width >= WIDE_FROM, "-wide")

    # ------------------------------------------------------------------ live data

    async def _fetch(self) -> None:
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        self.post_message(HealthLoaded(await services.health()))

    @on(HealthLoaded)
    def _loaded(self, message: HealthLoaded) -> None:
        message.stop()
        report = self.report = message.report
        title = Text("Health", style="bold")
        title.append(f" · {report.now:%Y-%m-%d %H:%M:%S} UTC", style="dim")
        count = len(report.warnings)
        if count:
            title.append(f" · {count} warning{'' if count == 1 else 's'}", style="bold yellow")
        self.query_one("#health-title", Static).update(title)
        self.query_one(WarningsPanel).show(report)
        for panel in (SyncPanel, LlmPanel, OutcomesPanel, OperationsPanel):
            self.query_one(panel).report = report
        self.query_one(SlowReposTable).show(report)

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self._loop.now()

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#health-body", VerticalScroll)
        body.scroll_relative(y=step, animate=False)

    def action_scroll_home(self) -> None:
        self.query_one("#health-body", VerticalScroll).scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.query_one("#health-body", VerticalScroll).scroll_end(animate=False)
