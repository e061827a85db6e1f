"""The base of every screen that follows the database: its refresh loops pause while it is
covered, resume with a fetch at once when it shows again and stop when it goes, and its
workers' failures reach the host's one error handler (worker messages do not bubble)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from textual import on
from textual.screen import Screen
from textual.worker import Worker

from secagent_tui.tui.host import Host, host_of
from secagent_tui.tui.refresh import RefreshLoop


class LiveScreen(Screen[Any]):
    def __init__(self) -> None:
        super().__init__()
        self._live_loops: list[RefreshLoop] = []

    @property
    def host(self) -> Host:
        return host_of(self)

    def live_loop(
        self,
        fetch: Callable[[], Coroutine[Any, Any, None]],
        interval: Callable[[], float],
        *,
        group: str,
    ) -> RefreshLoop:
        """A refresh loop that follows this screen (its fetch copes with no database yet)."""
        loop = RefreshLoop(self, fetch, interval, group=group)
        self._live_loops.append(loop)
        return loop

    def on_unmount(self) -> None:
        for loop in self._live_loops:
            loop.stop()

    def on_screen_suspend(self) -> None:
        """Covered by another screen: no fetch for what nobody sees."""
        for loop in self._live_loops:
            loop.pause()

    def on_screen_resume(self) -> None:
        """Shown again: fetch at once (a change made meanwhile may not have been announced)."""
        for loop in self._live_loops:
            loop.resume()

    def remote_changed(self, tables: frozenset[str]) -> None:
        """Another session committed changes (PostgreSQL's notifications): the visible
        loops fetch now; paused ones fetch when the screen shows again, as always."""
        for loop in self._live_loops:
            if not loop.paused:
                loop.now()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.host.report_worker_error(event)
