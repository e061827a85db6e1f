"""The TUI's seams: screens see the app only as a `Host`, refresh loops register with it,
stop together on quit, and pause while their screen is covered."""

from __future__ import annotations

from support.records import bare_record
from textual.app import App
from textual.widgets import TabbedContent
from textual.worker import Worker

from secagent_tui.config import Config
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.record import FindingRecord
from secagent_tui.tui.host import Host
from secagent_tui.tui.loops import LoopRegistry
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.help import HelpScreen
from secagent_tui.tui.state import UiState

from .conftest import FIXED_NOW, TuiEnv
from .helpers import loaded, queue, wait_until

SIZE = (100, 30)


async def test_quitting_stops_every_refresh_loop_of_every_screen(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")  # a finding view on top of the queue: two loops
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        await wait_until(pilot, lambda: len(app.loops) == 2, what="two registered loops")
        screen = app.screen
        assert isinstance(screen, FindingScreen)
        await app.stop_background()
        assert len(app.loops) == 0
        assert screen._loop._stopped and queue(app)._loop._stopped


async def test_a_covered_queue_pauses_its_loops_and_fetches_again_when_shown(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = queue(app)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert screen._loop.paused
        screen.refresh_now(stats=True)  # asked while covered: waits, runs nothing
        assert not screen._loop.running
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen._loop.paused, what="queue resumed")


class BareHost(App[None]):
    """Everything a screen may ask for, and nothing else: no database, no pipeline."""

    def __init__(self) -> None:
        super().__init__()
        self.config = Config()
        self.read_only = True
        self.demo = False
        self.clock = lambda: FIXED_NOW
        self.loops = LoopRegistry()
        self.services = None
        self.can_push = False
        self.can_sync = False
        self.saved: list[UiState] = []
        self.errors: list[Worker.StateChanged] = []

    def save_state(self, state: UiState) -> None:
        self.saved.append(state)

    def report_worker_error(self, event: Worker.StateChanged) -> None:
        self.errors.append(event)


def _record() -> FindingRecord:
    return bare_record(synthetic_finding(7))


async def test_a_screen_runs_in_any_host_that_keeps_the_protocol() -> None:
    host = BareHost()
    _typed: Host = host  # the protocol is all a screen needs
    async with host.run_test(size=SIZE) as pilot:
        record = _record()
        await host.push_screen(FindingScreen(record))
        await pilot.pause()
        assert record.finding.package in str(host.screen.query_one("#summary").render())
        await pilot.press("d")  # read-only host: refused before any dialog
        await pilot.pause()
        assert isinstance(host.screen, FindingScreen)
        assert any("Read-only" in n.message for n in host._notifications)
        host.screen.action_tab("history")
        assert host.screen.query_one(TabbedContent).active == "history"
        assert len(host.loops) == 0  # no services: the poll never started
