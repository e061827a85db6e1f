"""Who has a finding open right now: one short-lived row per analyst and finding.

The finding view writes its row when it opens and again while it stays open, each time
`expires_at` a little ahead; it deletes the row when it closes. A TUI that dies (a dropped
SSH session, a kill) cannot delete its rows, so a row is only believed until `expires_at`:
every read ignores rows past it and every write deletes them, so nothing needs a janitor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.store.db import is_sqlite, write_transaction
from secagent_tui.store.schema import presence

TTL = timedelta(seconds=30)
"""How long a row is believed without being written again; the view refreshes it at a
third of that, so one late refresh does not make an open finding look abandoned."""

_ANALYST_CHARS = 100


async def mark_open(
    engine: AsyncEngine, finding_id: int, analyst: str, now: datetime, ttl: timedelta = TTL
) -> None:
    """`analyst` has the finding open until `now + ttl` (written again to stay)."""
    insert = (sqlite if is_sqlite(engine) else postgresql).insert
    stmt = insert(presence).values(
        finding_id=finding_id, analyst=analyst[:_ANALYST_CHARS], expires_at=now + ttl
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[presence.c.finding_id, presence.c.analyst],
        set_={"expires_at": stmt.excluded.expires_at},
    )
    async with write_transaction(engine) as conn:
        await _sweep(conn, now)
        await conn.execute(stmt)


async def clear(engine: AsyncEngine, finding_id: int | None, analyst: str) -> None:
    """`analyst` closed the finding (None: every finding, as a TUI that quits)."""
    stmt = delete(presence).where(presence.c.analyst == analyst[:_ANALYST_CHARS])
    if finding_id is not None:
        stmt = stmt.where(presence.c.finding_id == finding_id)
    async with write_transaction(engine) as conn:
        await conn.execute(stmt)


async def others_on(
    engine: AsyncEngine, finding_ids: Collection[int] | None, analyst: str, now: datetime
) -> dict[int, tuple[str, ...]]:
    """Who else has each of these findings (None: any finding) open, by finding id, each
    finding's analysts in name order; findings nobody else has open are left out."""
    stmt = select(presence.c.finding_id, presence.c.analyst).where(
        presence.c.expires_at > now, presence.c.analyst != analyst[:_ANALYST_CHARS]
    )
    if finding_ids is not None:
        if not finding_ids:
            return {}
        stmt = stmt.where(presence.c.finding_id.in_(list(finding_ids)))
    found: defaultdict[int, list[str]] = defaultdict(list)
    async with engine.connect() as conn:
        for row in await conn.execute(stmt.order_by(presence.c.analyst)):
            found[row.finding_id].append(row.analyst)
    return {finding_id: tuple(names) for finding_id, names in found.items()}


async def _sweep(conn: AsyncConnection, now: datetime) -> None:
    """Rows of views that never closed (their TUI died): past their time, so ignored anyway."""
    await conn.execute(delete(presence).where(presence.c.expires_at <= now))
