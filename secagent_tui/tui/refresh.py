"""A fetch that runs again a while after each run ends — never on a fixed interval, never two
at once. Asking for a refresh while one runs makes it run once more right after.

A loop registers itself with its host when it first runs, so the host can stop every loop
when it quits; a screen pauses its loops while it is not visible (`ScreenSuspend`) and resumes
them, with a fetch at once, when it shows again (`ScreenResume`).

Errors propagate out of the worker (the app's one worker-error handler shows them) and the
loop goes on, backing off while they repeat.

A fetch is a database read, and a read cancelled mid-flight leaves SQLAlchemy closing the
aiosqlite connection while its thread is still busy, which can hang the process's exit. So a
fetch runs as its own task, shielded from the worker's cancellation, and the app waits for
fetches in flight (`settle_fetches`) before it closes the engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from textual.dom import DOMNode
from textual.timer import Timer

from secagent_tui.tui.host import host_of
from secagent_tui.tui.loops import LoopRegistry

MAX_BACKOFF_SECONDS = 60.0
_in_flight: set[asyncio.Task[None]] = set()


async def settle_fetches(timeout: float) -> None:
    """Wait (at most `timeout`) for every fetch of this event loop still running to finish."""
    loop = asyncio.get_running_loop()
    for task in [t for t in _in_flight if t.get_loop() is not loop]:
        _in_flight.discard(task)  # left by an event loop that is gone (tests run many)
    if _in_flight:
        await asyncio.wait(set(_in_flight), timeout=timeout)


def _finished(task: asyncio.Task[None]) -> None:
    _in_flight.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a fetch whose worker was cancelled has no one to raise to


async def _shielded(fetch: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(fetch)
    _in_flight.add(task)
    task.add_done_callback(_finished)
    await asyncio.shield(task)


class RefreshLoop:
    def __init__(
        self,
        node: DOMNode,
        fetch: Callable[[], Coroutine[Any, Any, None]],
        interval: Callable[[], float],
        *,
        group: str,
    ) -> None:
        self._node = node
        self._fetch = fetch
        self._interval = interval
        self._group = group
        self._timer: Timer | None = None
        self._running = False
        self._again = False
        self._stopped = False
        self._paused = False
        self._registry: LoopRegistry | None = None
        self._failures = 0

    @property
    def running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self._paused

    def now(self) -> None:
        """Fetch as soon as possible (right after the one in flight, if any; on resume if
        the loop is paused)."""
        if self._stopped:
            return
        self._cancel_timer()
        if self._running or self._paused:
            self._again = True
            return
        self._register()
        self._running = True
        self._node.run_worker(self._run(), group=self._group, exit_on_error=False)

    def pause(self) -> None:
        """No fetch until `resume`; a fetch asked for meanwhile runs then."""
        self._paused = True
        self._cancel_timer()

    def resume(self) -> None:
        """Fetch at once: whatever changed while paused shows now."""
        if not self._paused:
            return
        self._paused = False
        self._again = False
        self.now()

    def stop(self) -> None:
        self._stopped = True
        self._cancel_timer()
        if self._registry is not None:
            self._registry.discard(self)
            self._registry = None

    def _register(self) -> None:
        if self._registry is None:
            self._registry = host_of(self._node).loops
            self._registry.add(self)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def _run(self) -> None:
        try:
            await _shielded(self._fetch())
            self._failures = 0
        except Exception:
            self._failures += 1
            raise
        finally:
            self._running = False
            self._schedule()

    def _schedule(self) -> None:
        if self._stopped or self._paused or not self._node.is_attached:
            return
        if self._again:
            self._again = False
            self._node.call_later(self.now)
            return
        delay = self._interval()
        if self._failures:
            delay = min(MAX_BACKOFF_SECONDS, delay * 2**self._failures)
        self._timer = self._node.set_timer(delay, self.now)
