"""The analyst's decisions (dismiss, reopen): applied to the finding at once and kept in an
outbox until GitHub confirms them (docs/architecture.md, "The merge rule").

`intent_at` on the finding orders the decision against GitHub's `updated_at`: while the push
is pending it is the local time of the decision; once GitHub confirms, it becomes GitHub's
own `updated_at` from the PATCH answer, so a lagging read cannot revert it and any later
change on github.com wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui import failpoints
from secagent_tui.domain.decision import DecisionAction, IntentStatus, SnoozeState
from secagent_tui.domain.errors import SecagentError
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import write_transaction
from secagent_tui.store.jobs import JobKind
from secagent_tui.store.redacted import audit_line
from secagent_tui.store.schema import findings, intents, jobs


@dataclass(frozen=True, slots=True)
class Intent:
    id: int
    finding_id: int
    action: DecisionAction
    reason: str | None
    comment: str | None
    status: IntentStatus
    assignees: tuple[str, ...] | None = None  # an `assign` intent's logins; None otherwise


@dataclass(frozen=True, slots=True)
class PushJob:
    """The push job to queue with a decision (None: the caller queues none, e.g. a test)."""

    owner: str
    max_attempts: int


class NoLongerSnoozed(SecagentError):
    """`record_intent(..., while_snoozed=True)` found the finding no longer snoozed (an
    analyst decided in between): nothing was recorded."""


@dataclass(frozen=True, slots=True)
class Recorded:
    intent_id: int
    job_id: int | None


def _intent(row: Any) -> Intent:
    return Intent(
        row.id,
        row.finding_id,
        DecisionAction(row.action),
        row.reason,
        row.comment,
        IntentStatus(row.status),
        None if row.assignees is None else tuple(row.assignees),
    )


async def record_intent(
    engine: AsyncEngine,
    finding_id: int,
    action: DecisionAction,
    *,
    reason: str | None,
    comment: str | None,
    actor: str,
    correlation_id: str,
    automatic: bool = False,
    push: PushJob | None = None,
    audit: tuple[str, dict[str, Any]] | None = None,
    snooze: SnoozeState | None = None,
    while_snoozed: bool = False,
    now: datetime | None = None,
) -> Recorded:
    """Applies the decision to the finding, queues its push and writes its audit lines, in
    one transaction: a crash leaves either all of it or none, never a pending decision that
    no job will ever push, nor an automatic dismissal without its audit line.

    An analyst's reopen pins the finding against automatic dismissal; an analyst's dismiss
    lifts the pin. Automatic decisions leave the pin alone. `snooze` marks a dismissal until
    a patch exists (SNOOZED) or the reopen once one does (PATCH_AVAILABLE); every other
    decision ends the mark, so "patch available" shows until someone decides again.
    `while_snoozed`: only if the finding is still snoozed when the write lock is held
    (NoLongerSnoozed otherwise), so the snooze's own reopen never undoes a decision made
    after the sync looked.
    """
    now = now or datetime.now(UTC)
    state = action.wanted_state
    pin: dict[str, Any] = {}
    if not automatic:
        pin = {"auto_pinned_at": now if action is DecisionAction.REOPEN else None}
    marks: dict[str, Any] = {"snooze_state": snooze.value if snooze else None}
    if snooze is not SnoozeState.PATCH_AVAILABLE:  # the reopen keeps when it was snoozed
        marks["snoozed_at"] = now if snooze is SnoozeState.SNOOZED else None
    async with write_transaction(engine) as conn:
        if while_snoozed:
            mark = (
                await conn.execute(
                    select(findings.c.snooze_state)
                    .where(findings.c.id == finding_id)
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if mark != SnoozeState.SNOOZED.value:
                raise NoLongerSnoozed(finding_id)
        # A newer decision replaces one not yet pushed (an assignment is not a decision
        # about the state: store/assignments.py keeps its own outbox order).
        await conn.execute(
            update(intents)
            .where(
                intents.c.finding_id == finding_id,
                intents.c.status == IntentStatus.PENDING,
                intents.c.action != DecisionAction.ASSIGN.value,
            )
            .values(status=IntentStatus.SUPERSEDED)
        )
        await conn.execute(
            update(findings)
            .where(findings.c.id == finding_id)
            .values(
                intent_state=state.value,
                intent_reason=reason if action is DecisionAction.DISMISS else None,
                intent_comment=comment if action is DecisionAction.DISMISS else None,
                intent_at=now,
                pending_push=True,
                push_status=None,
                push_error=None,
                **pin,
                **marks,
            )
        )
        result = await conn.execute(
            intents.insert()
            .values(
                finding_id=finding_id,
                action=action,
                reason=reason,
                comment=comment,
                actor=actor,
                automatic=automatic,
                status=IntentStatus.PENDING,
                created_at=now,
                attempts=0,
                correlation_id=correlation_id,
            )
            .returning(intents.c.id)
        )
        intent_id = int(result.scalar_one())
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action=f"{action}_requested",
                finding_id=finding_id,
                detail={"intent_id": intent_id, "reason": reason, "automatic": automatic},
                correlation_id=correlation_id,
            )
        )
        if audit is not None:
            what, detail = audit
            await conn.execute(
                audit_line(
                    at=now,
                    actor=actor,
                    action=what,
                    finding_id=finding_id,
                    detail={**detail, "intent_id": intent_id},
                    correlation_id=correlation_id,
                )
            )
        job_id = await queue_push(conn, push, finding_id, intent_id, actor, correlation_id)
    failpoints.reached(failpoints.DECISION_RECORDED)
    return Recorded(intent_id, job_id)


async def queue_push(
    conn: AsyncConnection,
    push: PushJob | None,
    finding_id: int,
    intent_id: int,
    actor: str,
    correlation_id: str,
) -> int | None:
    """The push job of a recorded intent (a decision or an assignment: one job kind, one
    write limiter), in the caller's transaction; None when the caller pushes it itself."""
    if push is None:
        return None
    return await job_store.enqueue(
        conn,
        JobKind.DISMISS_PUSH,
        owner=push.owner,
        correlation_id=correlation_id,
        finding_id=finding_id,
        payload={"intent_id": intent_id},
        max_attempts=push.max_attempts,
        requested_by=actor,
    )


async def confirm_intent(
    engine: AsyncEngine, intent_id: int, remote_updated_at: datetime, *, actor: str = "push"
) -> None:
    """GitHub answered the PATCH with 200: the finding's intent now carries GitHub's time."""
    now = datetime.now(UTC)
    async with write_transaction(engine) as conn:
        row = (
            await conn.execute(
                select(intents.c.finding_id, intents.c.action, intents.c.automatic).where(
                    intents.c.id == intent_id
                )
            )
        ).one()
        await conn.execute(
            update(intents)
            .where(intents.c.id == intent_id)
            .values(
                status=IntentStatus.CONFIRMED, confirmed_at=now, remote_updated_at=remote_updated_at
            )
        )
        await conn.execute(
            update(findings)
            .where(findings.c.id == row.finding_id, findings.c.pending_push.is_(True))
            .values(
                pending_push=False, intent_at=remote_updated_at, push_status=None, push_error=None
            )
        )
        if row.action == DecisionAction.REOPEN and not row.automatic:
            # The pin holds until GitHub changes the alert after this reopen: measured on
            # GitHub's own clock, from the reopen's own update.
            await conn.execute(
                update(findings)
                .where(findings.c.id == row.finding_id, findings.c.auto_pinned_at.is_not(None))
                .values(auto_pinned_at=remote_updated_at)
            )
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action="push_confirmed",
                finding_id=row.finding_id,
                detail={"intent_id": intent_id},
            )
        )


async def supersede_overridden(engine: AsyncEngine) -> int:
    """Pending intents whose finding a newer GitHub change has taken over are not pushed:
    pushing them would revert what someone did on github.com after the analyst. An
    assignment is taken over when a sync cleared the finding's `intent_assignees`."""
    async with write_transaction(engine) as conn:
        result = await conn.execute(
            update(intents)
            .where(
                and_(
                    intents.c.status == IntentStatus.PENDING,
                    intents.c.action != DecisionAction.ASSIGN.value,
                    intents.c.finding_id.in_(
                        select(findings.c.id).where(findings.c.pending_push.is_(False))
                    ),
                )
            )
            .values(status=IntentStatus.SUPERSEDED)
        )
        assignments = await conn.execute(
            update(intents)
            .where(
                and_(
                    intents.c.status == IntentStatus.PENDING,
                    intents.c.action == DecisionAction.ASSIGN.value,
                    intents.c.finding_id.in_(
                        select(findings.c.id).where(findings.c.intent_assignees.is_(None))
                    ),
                )
            )
            .values(status=IntentStatus.SUPERSEDED)
        )
        return (result.rowcount or 0) + (assignments.rowcount or 0)


async def get_intent(engine: AsyncEngine, intent_id: int) -> Intent | None:
    async with engine.connect() as conn:
        r = (await conn.execute(select(intents).where(intents.c.id == intent_id))).first()
    return _intent(r) if r else None


async def pending_intents(engine: AsyncEngine) -> list[Intent]:
    stmt = select(intents).where(intents.c.status == IntentStatus.PENDING).order_by(intents.c.id)
    async with engine.connect() as conn:
        return [_intent(r) for r in await conn.execute(stmt)]


async def requeue_orphans(engine: AsyncEngine, *, max_attempts: int) -> int:
    """A push job for every pending decision that has none queued or running: a decision
    recorded by an older build (before intent and job were one transaction), or whose job
    was cancelled by hand, still reaches GitHub. Run when a runner starts."""
    live = (
        select(jobs.c.id)
        .where(
            jobs.c.kind == JobKind.DISMISS_PUSH.value,
            jobs.c.finding_id == intents.c.finding_id,
            jobs.c.status.in_(job_store.ACTIVE),
        )
        .exists()
    )
    stmt = (
        select(
            intents.c.id,
            intents.c.finding_id,
            intents.c.correlation_id,
            intents.c.actor,
            findings.c.owner,
        )
        .join(findings, findings.c.id == intents.c.finding_id)
        .where(intents.c.status == IntentStatus.PENDING, ~live)
    )
    async with write_transaction(engine) as conn:
        orphans = (await conn.execute(stmt)).all()
        for row in orphans:
            await job_store.enqueue(
                conn,
                JobKind.DISMISS_PUSH,
                owner=row.owner,
                correlation_id=row.correlation_id,
                finding_id=row.finding_id,
                payload={"intent_id": row.id},
                max_attempts=max_attempts,
                requested_by=row.actor,
            )
    return len(orphans)
