"""A fetch that runs again a while after each run ends — never on a fixed interval, never two
at once. Asking for a refresh while one runs makes it run once more right after.

Errors propagate out of the worker (the app's one worker-error handler shows them) and the
loop goes on, backing off while they repeat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.dom import DOMNode
from textual.timer import Timer

MAX_BACKOFF_SECONDS = 60.0


class RefreshLoop:
    def __init__(
        self,
        node: DOMNode,
        fetch: Callable[[], Awaitable[None]],
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
        self._failures = 0

    @property
    def running(self) -> bool:
        return self._running

    def now(self) -> None:
        """Fetch as soon as possible (right after the one in flight, if any)."""
        if self._stopped:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._running:
            self._again = True
            return
        self._running = True
        self._node.run_worker(self._run(), group=self._group, exit_on_error=False)

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def _run(self) -> None:
        try:
            await self._fetch()
            self._failures = 0
        except Exception:
            self._failures += 1
            raise
        finally:
            self._running = False
            self._schedule()

    def _schedule(self) -> None:
        if self._stopped or not self._node.is_attached:
            return
        if self._again:
            self._again = False
            self._node.call_later(self.now)
            return
        delay = self._interval()
        if self._failures:
            delay = min(MAX_BACKOFF_SECONDS, delay * 2**self._failures)
        self._timer = self._node.set_timer(delay, self.now)
