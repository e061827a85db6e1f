"""An analyst's assignment of a finding: applied to the finding at once
(`findings.intent_assignees`) and kept in the outbox as an `assign` intent until GitHub
confirms it, exactly as a dismissal is (store/intents.py; docs/architecture.md, "The merge
rule").

`intent_assignees_at` orders the assignment against GitHub's `updated_at`: while the push is
pending it is the local time of the assignment; once GitHub confirms, GitHub's own
`updated_at` from the PATCH answer. A sync clears the assignment only when GitHub's alert is
newer (store/bulk_sql.py), and `supersede_overridden` then drops a pending one.

Assignments and state decisions share the outbox and the push job kind but never supersede
each other: assigning a finding leaves its pending dismissal alone, and the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui import failpoints
from secagent_tui.domain.decision import DecisionAction, IntentStatus, PushStatus
from secagent_tui.store.db import write_transaction
from secagent_tui.store.intents import PushJob, Recorded, queue_push
from secagent_tui.store.push_outcomes import ERROR_CHARS, mark_refused
from secagent_tui.store.redacted import audit_line, redacted
from secagent_tui.store.schema import findings, intents

_ASSIGN = DecisionAction.ASSIGN.value


async def record_assignment(
    engine: AsyncEngine,
    finding_id: int,
    logins: Sequence[str],
    *,
    actor: str,
    correlation_id: str,
    push: PushJob | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Sets the finding's assignees (`[]`: none), queues the push and writes the audit
    line in one transaction, as `record_intent` does a decision. A newer assignment
    replaces one not yet pushed."""
    now = now or datetime.now(UTC)
    wanted = list(logins)
    async with write_transaction(engine) as conn:
        await conn.execute(
            update(intents)
            .where(
                intents.c.finding_id == finding_id,
                intents.c.status == IntentStatus.PENDING,
                intents.c.action == _ASSIGN,
            )
            .values(status=IntentStatus.SUPERSEDED)
        )
        await conn.execute(
            update(findings)
            .where(findings.c.id == finding_id)
            .values(intent_assignees=wanted, intent_assignees_at=now)
        )
        intent_id = int(
            (
                await conn.execute(
                    intents.insert()
                    .values(
                        finding_id=finding_id,
                        action=_ASSIGN,
                        assignees=wanted,
                        actor=actor,
                        automatic=False,
                        status=IntentStatus.PENDING,
                        created_at=now,
                        attempts=0,
                        correlation_id=correlation_id,
                    )
                    .returning(intents.c.id)
                )
            ).scalar_one()
        )
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action="assign_requested",
                finding_id=finding_id,
                detail={"intent_id": intent_id, "assignees": wanted},
                correlation_id=correlation_id,
            )
        )
        job_id = await queue_push(conn, push, finding_id, intent_id, actor, correlation_id)
    failpoints.reached(failpoints.DECISION_RECORDED)
    return Recorded(intent_id, job_id)


def _no_newer_assignment(finding_id: int, intent_id: int) -> Any:
    """No assignment recorded after this one is waiting: it owns the finding's columns."""
    return ~(
        select(intents.c.id)
        .where(
            intents.c.finding_id == finding_id,
            intents.c.action == _ASSIGN,
            intents.c.status == IntentStatus.PENDING,
            intents.c.id != intent_id,
        )
        .exists()
    )


async def _finding_of(conn: AsyncConnection, intent_id: int) -> int:
    return int(
        (
            await conn.execute(select(intents.c.finding_id).where(intents.c.id == intent_id))
        ).scalar_one()
    )


async def confirm_assignment(
    engine: AsyncEngine, intent_id: int, remote_updated_at: datetime, *, actor: str = "push"
) -> None:
    """GitHub answered the PATCH with 200: the assignment now carries GitHub's time, so a
    read lagging behind the PATCH cannot revert it and a later change on GitHub wins."""
    now = datetime.now(UTC)
    async with write_transaction(engine) as conn:
        finding_id = await _finding_of(conn, intent_id)
        await conn.execute(
            update(intents)
            .where(intents.c.id == intent_id)
            .values(
                status=IntentStatus.CONFIRMED, confirmed_at=now, remote_updated_at=remote_updated_at
            )
        )
        await conn.execute(
            update(findings)
            .where(
                and_(
                    findings.c.id == finding_id,
                    findings.c.intent_assignees.is_not(None),
                    _no_newer_assignment(finding_id, intent_id),
                )
            )
            .values(intent_assignees_at=remote_updated_at)
        )
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action="push_confirmed",
                finding_id=finding_id,
                detail={"intent_id": intent_id},
            )
        )


async def refuse_assignment(
    engine: AsyncEngine, intent_id: int, error: str, *, actor: str = "push"
) -> bool:
    """GitHub refused the assignment for good: the intent is `refused` with GitHub's
    message and the finding shows GitHub's assignees again and why (its pending dismissal,
    if any, is left alone). False when the intent is no longer pending."""
    error = redacted(error, ERROR_CHARS)
    now = datetime.now(UTC)
    async with write_transaction(engine) as conn:
        row = await mark_refused(conn, intent_id, error)
        if row is None:
            return False
        await conn.execute(
            update(findings)
            .where(
                and_(
                    findings.c.id == row.finding_id, _no_newer_assignment(row.finding_id, intent_id)
                )
            )
            .values(
                intent_assignees=None,
                intent_assignees_at=None,
                push_status=PushStatus.REFUSED,
                push_error=error,
            )
        )
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action="push_refused",
                finding_id=row.finding_id,
                detail={"intent_id": intent_id, "action": _ASSIGN, "error": error[:500]},
            )
        )
    return True
