"""One pace for writes to GitHub, shared by every runner on the database.

GitHub asks for at least a second between mutating requests, and counts that per token, not
per process: four `secagent worker` processes that each kept their own one-a-second limiter
would write four times a second with the same token and run into the secondary rate limit.
So the next moment a write is allowed lives in one `write_limits` row, and each write takes
its slot from that row atomically:

    slot = max(now, next_at);  next_at = slot + interval;  then sleep until slot

in one write transaction. On SQLite `write_transaction` holds the database's write lock from
its first statement (BEGIN IMMEDIATE), so no other process reads `next_at` in between; on
PostgreSQL the row is created if missing (INSERT … ON CONFLICT DO NOTHING) and then locked
(SELECT … FOR UPDATE) until the transaction ends, so concurrent reservations queue on it.

The row's key names what the limit belongs to without being a secret: the configured GitHub
API URL (one token per configuration). Never the token, nor a hash of it: a hash of a token
is a way to test guesses of it, and the database is shared with people who may not hold it.

Slots are wall-clock times: runners on different machines share the pace only as well as
their clocks agree (NTP keeps that to milliseconds).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.store.db import write_transaction
from secagent_tui.store.schema import write_limits
from secagent_tui.store.times import EPOCH

_KEY_CHARS = 200  # write_limits.key is String(200)


def _now() -> datetime:
    return datetime.now(UTC)


def write_limit_key(api_url: str) -> str:
    """The limit's key for a configured GitHub API URL: scheme, host and path, lower-cased,
    without a trailing slash, and without any user:password part (never a secret)."""
    parts = urlsplit(api_url.strip())
    host = (parts.hostname or "").lower()
    netloc = f"{host}:{parts.port}" if parts.port else host
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", ""))
    return f"github-writes {url}"[:_KEY_CHARS]


async def reserve_write_slot(
    engine: AsyncEngine, key: str, interval_seconds: float, *, now: datetime | None = None
) -> datetime:
    """The moment the caller may write (never earlier than now), moving the shared `next_at`
    one interval past it, in one transaction.

    "Now" is read once the row is ours (SQLite's write lock, PostgreSQL's row lock): read
    before a wait for the lock, it would date a slot in the past and let the next writer's
    slot fall closer than an interval behind the moment this one really writes.
    """
    interval = timedelta(seconds=interval_seconds)
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    async with write_transaction(engine) as conn:
        # A first write for this key creates the row; concurrent creators wait on the
        # primary key and then find it there. Its `next_at` is the epoch: "due at once".
        await conn.execute(
            insert(write_limits).values(key=key, next_at=EPOCH).on_conflict_do_nothing()
        )
        next_at = (
            await conn.execute(
                select(write_limits.c.next_at)
                .where(write_limits.c.key == key)
                # The row lock on PostgreSQL; SQLite already holds its write lock.
                .with_for_update()
            )
        ).scalar_one()
        slot = max(now or _now(), next_at)
        await conn.execute(
            update(write_limits).where(write_limits.c.key == key).values(next_at=slot + interval)
        )
    return slot


class SharedWriteLimiter:
    """Spaces writes by `1 / per_second` seconds across every process that uses the same
    database and `key` (see the module's docstring)."""

    def __init__(self, engine: AsyncEngine, key: str, per_second: float) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._engine = engine
        self.key = key
        self.interval = 1.0 / per_second
        # Slots are exact, a request's way to GitHub is not (a thread scheduled late, a slow
        # connect): a tenth of the interval to spare keeps the writes GitHub sees at least
        # an interval apart.
        self.spacing = self.interval * 1.1

    async def wait(self) -> float:
        """Reserve the next slot and sleep until it; the seconds slept."""
        slot = await reserve_write_slot(self._engine, self.key, self.spacing)
        delay = (slot - _now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)
        return max(delay, 0.0)
