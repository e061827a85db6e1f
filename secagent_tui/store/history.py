"""One finding's history for the finding view: its audit events, the analyst's intents
(dismiss/reopen, with their push status) and the push jobs that carried them to GitHub,
merged into one list, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.history import HistorySource
from secagent_tui.store.schema import audit_events, intents, jobs

PUSH_KIND = "dismiss_push"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    source: HistorySource
    actor: str
    action: str
    status: str | None
    detail: dict[str, Any]
    correlation_id: str | None


async def _newest(
    conn: AsyncConnection, table: Table, at: Column[Any], finding_id: int, limit: int, *where: Any
) -> list[Row[Any]]:
    """One finding's rows of `table`, newest first by `at` (then id), at most `limit`."""
    stmt = (
        select(table)
        .where(table.c.finding_id == finding_id, *where)
        .order_by(at.desc(), table.c.id.desc())
        .limit(limit)
    )
    return list((await conn.execute(stmt)).all())


async def finding_history(
    engine: AsyncEngine, finding_id: int, *, limit: int = 200
) -> list[HistoryEntry]:
    """Audit events, intents and push jobs of one finding, newest first (at most `limit`)."""
    async with engine.connect() as conn:
        events = await _newest(conn, audit_events, audit_events.c.at, finding_id, limit)
        decisions = await _newest(conn, intents, intents.c.created_at, finding_id, limit)
        pushes = await _newest(
            conn, jobs, jobs.c.created_at, finding_id, limit, jobs.c.kind == PUSH_KIND
        )
    entries = [
        HistoryEntry(
            at=e.at,
            source=HistorySource.AUDIT,
            actor=e.actor,
            action=e.action,
            status=None,
            detail=dict(e.detail or {}),
            correlation_id=e.correlation_id,
        )
        for e in events
    ]
    entries += [
        HistoryEntry(
            at=i.created_at,
            source=HistorySource.INTENT,
            actor=i.actor,
            action=i.action,
            status=i.status,
            detail={
                k: v
                for k, v in (
                    ("reason", i.reason),
                    ("comment", i.comment),
                    ("automatic", i.automatic or None),
                    ("attempts", i.attempts or None),
                    ("error", i.error),
                    ("confirmed_at", i.confirmed_at.isoformat() if i.confirmed_at else None),
                )
                if v is not None
            },
            correlation_id=i.correlation_id,
        )
        for i in decisions
    ]
    pushed = {i.id: i.action for i in decisions}
    entries += [
        HistoryEntry(
            at=j.finished_at or j.started_at or j.created_at,
            source=HistorySource.PUSH,
            actor=j.claimed_by or "runner",
            action=_push_action(pushed, j.payload),
            status=j.status,
            detail={
                k: v
                for k, v in (
                    ("attempts", f"{j.attempts}/{j.max_attempts}"),
                    ("error", j.last_error),
                )
                if v is not None
            },
            correlation_id=j.correlation_id,
        )
        for j in pushes
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _push_action(actions: dict[int, str], payload: Any) -> str:
    """`push dismiss` / `push reopen`: the decision the job sends (the job kind alone said
    "dismiss_push" for a reopen too)."""
    intent_id = payload.get("intent_id") if isinstance(payload, dict) else None
    action = actions.get(intent_id) if isinstance(intent_id, int) else None
    return f"push {action}" if action else "push"
