"""The analyst's decisions (dismiss, reopen): applied to the finding at once and kept in an
outbox until GitHub confirms them (review #4, DESIGN.md merge rule).

`intent_at` on the finding orders the decision against GitHub's `updated_at`: while the push
is pending it is the local time of the decision; once GitHub confirms, it becomes GitHub's
own `updated_at` from the PATCH answer, so a lagging read cannot revert it and any later
change on github.com wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.finding import AlertState
from secagent_tui.store.db import write_transaction
from secagent_tui.store.schema import audit_events, findings, intents


@dataclass(frozen=True, slots=True)
class Intent:
    id: int
    finding_id: int
    action: str  # "dismiss" | "reopen"
    reason: str | None
    comment: str | None
    status: str  # pending | confirmed | superseded | failed


async def record_intent(
    engine: AsyncEngine,
    finding_id: int,
    action: str,
    *,
    reason: str | None,
    comment: str | None,
    actor: str,
    correlation_id: str,
    automatic: bool = False,
    now: datetime | None = None,
) -> int:
    """Applies the decision to the finding and queues it for GitHub, in one transaction."""
    now = now or datetime.now(UTC)
    state = AlertState.DISMISSED if action == "dismiss" else AlertState.OPEN
    async with write_transaction(engine) as conn:
        # A newer decision replaces one not yet pushed.
        await conn.execute(
            update(intents)
            .where(intents.c.finding_id == finding_id, intents.c.status == "pending")
            .values(status="superseded")
        )
        await conn.execute(
            update(findings)
            .where(findings.c.id == finding_id)
            .values(
                intent_state=state.value,
                intent_reason=reason if action == "dismiss" else None,
                intent_comment=comment if action == "dismiss" else None,
                intent_at=now,
                pending_push=True,
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
                status="pending",
                created_at=now,
                attempts=0,
                correlation_id=correlation_id,
            )
            .returning(intents.c.id)
        )
        intent_id = int(result.scalar_one())
        await conn.execute(
            audit_events.insert().values(
                at=now,
                actor=actor,
                action=f"{action}_requested",
                finding_id=finding_id,
                detail={"intent_id": intent_id, "reason": reason, "automatic": automatic},
                correlation_id=correlation_id,
            )
        )
    return intent_id


async def confirm_intent(
    engine: AsyncEngine, intent_id: int, remote_updated_at: datetime, *, actor: str = "push"
) -> None:
    """GitHub answered the PATCH with 200: the finding's intent now carries GitHub's time."""
    now = datetime.now(UTC)
    async with write_transaction(engine) as conn:
        row = (
            await conn.execute(select(intents.c.finding_id).where(intents.c.id == intent_id))
        ).one()
        await conn.execute(
            update(intents)
            .where(intents.c.id == intent_id)
            .values(status="confirmed", confirmed_at=now, remote_updated_at=remote_updated_at)
        )
        await conn.execute(
            update(findings)
            .where(findings.c.id == row.finding_id, findings.c.pending_push.is_(True))
            .values(pending_push=False, intent_at=remote_updated_at)
        )
        await conn.execute(
            audit_events.insert().values(
                at=now,
                actor=actor,
                action="push_confirmed",
                finding_id=row.finding_id,
                detail={"intent_id": intent_id},
            )
        )


async def supersede_overridden(engine: AsyncEngine) -> int:
    """Pending intents whose finding a newer GitHub change has taken over are not pushed:
    pushing them would revert what someone did on github.com after the analyst."""
    async with write_transaction(engine) as conn:
        result = await conn.execute(
            update(intents)
            .where(
                and_(
                    intents.c.status == "pending",
                    intents.c.finding_id.in_(
                        select(findings.c.id).where(findings.c.pending_push.is_(False))
                    ),
                )
            )
            .values(status="superseded")
        )
        return result.rowcount or 0


async def get_intent(engine: AsyncEngine, intent_id: int) -> Intent | None:
    async with engine.connect() as conn:
        r = (await conn.execute(select(intents).where(intents.c.id == intent_id))).first()
    return Intent(r.id, r.finding_id, r.action, r.reason, r.comment, r.status) if r else None


async def fail_intent(engine: AsyncEngine, intent_id: int, error: str) -> None:
    """GitHub refused the change for good. The local decision stays visible (never lost),
    still marked as not pushed, and the refusal is in the audit trail."""
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                update(intents)
                .where(intents.c.id == intent_id)
                .values(status="failed", error=error[:2000])
                .returning(intents.c.finding_id)
            )
        ).one()
        await conn.execute(
            audit_events.insert().values(
                at=datetime.now(UTC),
                actor="push",
                action="push_failed",
                finding_id=row.finding_id,
                detail={"intent_id": intent_id, "error": error[:500]},
            )
        )


async def pending_intents(engine: AsyncEngine) -> list[Intent]:
    stmt = select(intents).where(intents.c.status == "pending").order_by(intents.c.id)
    async with engine.connect() as conn:
        return [
            Intent(r.id, r.finding_id, r.action, r.reason, r.comment, r.status)
            for r in await conn.execute(stmt)
        ]
