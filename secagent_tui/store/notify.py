"""Committed changes of other sessions, as they happen, on PostgreSQL (LISTEN/NOTIFY).

Migration 0009 makes the database announce every committed change of `findings` and `jobs`,
and every row arriving in or leaving `presence`, on one channel, whoever wrote it.
`ChangeListener` holds one connection that LISTENs there and tells its owner which tables
changed, a burst of notifications folded into one call (a sync commits hundreds of chunks;
the screen needs one refresh after them). A lost connection is retried with a growing
pause, and after a reconnect the owner is told that anything may have changed ("*"):
notifications sent while nobody listened are gone.

SQLite has no notifications: `supported` says so, and the TUI keeps polling there, as it
also does on PostgreSQL as the fallback while the listener is away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.logs import redact

log = logging.getLogger("secagent.notify")

CHANNEL = "secagent_changes"
"""The channel migration 0009's triggers notify on; the payload is the table's name."""

ANYTHING = "*"
"""Told after a reconnect: notifications sent meanwhile were lost, so read everything."""


def supported(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


class ChangeListener:
    """Calls `on_change(tables)` in the event loop when other sessions commit changes.

    `quiet_seconds` folds a burst into one call: the first notification starts the window,
    every table named within it goes into the one call at its end, so a listener is told at
    most `quiet_seconds` after a commit.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        on_change: Callable[[frozenset[str]], None],
        *,
        quiet_seconds: float = 0.05,
        retry_seconds: float = 0.5,
        max_retry_seconds: float = 30.0,
    ) -> None:
        if not supported(engine):
            raise ValueError("change notifications need PostgreSQL")
        self._engine = engine
        self._on_change = on_change
        self._quiet = quiet_seconds
        self._retry = retry_seconds
        self._max_retry = max_retry_seconds
        self._pending: set[str] = set()
        self._flush: asyncio.TimerHandle | None = None
        self.listening = asyncio.Event()
        """Set while a connection LISTENs (tests wait for it; the TUI shows nothing of it)."""

    async def run(self, stop: asyncio.Event) -> None:
        """LISTEN until `stop` is set, reconnecting after every loss."""
        delay, first = self._retry, True
        while not stop.is_set():
            try:
                await self._listen(stop, announce=not first)
                first, delay = False, self._retry
            except Exception as exc:  # the database is away: try again later
                log.warning("change listener: %s; retrying in %.1fs", redact(str(exc)), delay)
                first = False
            self.listening.clear()
            if stop.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, self._max_retry)
        self._cancel_flush()

    async def _listen(self, stop: asyncio.Event, *, announce: bool) -> None:
        """One connection's life: LISTEN, then wait until it is lost or `stop` is set."""
        async with self._engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection
            lost = asyncio.Event()

            def terminated(_: Any) -> None:
                lost.set()

            driver.add_termination_listener(terminated)
            await driver.add_listener(CHANNEL, self._notified)
            self.listening.set()
            if announce:  # what was committed while nobody listened was not announced
                self._notified(None, 0, CHANNEL, ANYTHING)
            try:
                waits = [asyncio.ensure_future(e.wait()) for e in (lost, stop)]
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiting in waits:
                        waiting.cancel()
            finally:
                driver.remove_termination_listener(terminated)
                if lost.is_set() or driver.is_closed():
                    await conn.invalidate()  # never back into the pool
                else:
                    await driver.remove_listener(CHANNEL, self._notified)
        if lost.is_set():
            raise ConnectionError("the listening connection was lost")

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self._pending.add(payload or ANYTHING)
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(self._quiet, self._deliver)

    def _deliver(self) -> None:
        self._flush = None
        tables, self._pending = frozenset(self._pending), set()
        if tables:
            self._on_change(tables)

    def _cancel_flush(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
