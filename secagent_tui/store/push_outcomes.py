"""What a push attempt that GitHub did not confirm leaves on the decision and its finding.

Two outcomes besides a confirmation (store/intents.py: `confirm_intent`):

- *Retrying*: GitHub could not take the change now (an outage, a rate limit, a refused
  token that may be rotated). The decision stays `pending` — it is still what the analyst
  wants — and carries when the next try is and why, on the intent (`next_attempt_at`,
  `error`) and mirrored on the finding (`push_status = "retrying"`), so the queue and the
  finding view can say "retrying at T: <error>" without a join.
- *Refused*: GitHub answered that this change will never be accepted (no permission, a
  repository that requires a dismissal request, a validation error, a gone alert). Keeping
  the decision on the finding would show a state GitHub does not have and never will, so the
  finding returns to GitHub's own state (its intent columns cleared) and says why
  (`push_status = "refused"`); the intent keeps the decision and GitHub's message for the
  record, and the audit trail gets a `push_refused` line.

Both act only on an intent that is still pending: a newer decision (which supersedes it) or
a newer change on github.com owns the finding by then, and must not be overwritten.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.decision import IntentStatus, PushStatus
from secagent_tui.store.db import write_transaction
from secagent_tui.store.redacted import audit_line, redacted
from secagent_tui.store.schema import findings, intents

ERROR_CHARS = 2000


async def failed_tries(engine: AsyncEngine, intent_id: int) -> int:
    """How many push attempts of this decision have failed transiently so far (what the
    retry backoff grows with: the job's own attempt count does not, by design)."""
    async with engine.connect() as conn:
        value = (
            await conn.execute(select(intents.c.attempts).where(intents.c.id == intent_id))
        ).scalar_one_or_none()
    return int(value or 0)


async def note_retry(
    engine: AsyncEngine, intent_id: int, error: str, next_attempt_at: datetime
) -> bool:
    """The push will be tried again at `next_attempt_at`: recorded on the pending intent and
    its finding. False (nothing written) when the intent is no longer pending."""
    error = redacted(error, ERROR_CHARS)
    async with write_transaction(engine) as conn:
        row = (
            await conn.execute(
                update(intents)
                .where(intents.c.id == intent_id, intents.c.status == IntentStatus.PENDING)
                .values(
                    attempts=intents.c.attempts + 1,
                    error=error,
                    next_attempt_at=next_attempt_at,
                )
                .returning(intents.c.finding_id)
            )
        ).first()
        if row is None:
            return False
        await conn.execute(
            update(findings)
            .where(findings.c.id == row.finding_id, findings.c.pending_push.is_(True))
            .values(
                push_status=PushStatus.RETRYING,
                push_error=f"{error} (next try {next_attempt_at:%Y-%m-%d %H:%M:%S} UTC)",
            )
        )
    return True


async def clear_retry(engine: AsyncEngine, intent_id: int) -> None:
    """The push went through after retries: no next attempt is scheduled any more (the
    last transient error stays on the intent, for the record)."""
    async with engine.begin() as conn:
        await conn.execute(
            update(intents)
            .where(intents.c.id == intent_id, intents.c.next_attempt_at.is_not(None))
            .values(next_attempt_at=None)
        )


async def mark_refused(conn: AsyncConnection, intent_id: int, error: str) -> Any:
    """The pending intent marked refused with GitHub's (redacted) words, in the caller's
    transaction: its finding id and action, or None when it was no longer pending (then
    the caller changes nothing else). Shared by decisions and assignments."""
    return (
        await conn.execute(
            update(intents)
            .where(intents.c.id == intent_id, intents.c.status == IntentStatus.PENDING)
            .values(status=IntentStatus.REFUSED, error=error, next_attempt_at=None)
            .returning(intents.c.finding_id, intents.c.action)
        )
    ).first()


async def refuse(engine: AsyncEngine, intent_id: int, error: str, *, actor: str = "push") -> bool:
    """GitHub refused the change for good: the intent is `refused` with GitHub's message,
    the finding shows GitHub's state again and why the decision did not take, and the audit
    trail says so, in one transaction. False when the intent is no longer pending."""
    error = redacted(error, ERROR_CHARS)
    now = datetime.now(UTC)
    async with write_transaction(engine) as conn:
        row = await mark_refused(conn, intent_id, error)
        if row is None:
            return False
        await conn.execute(
            update(findings)
            .where(findings.c.id == row.finding_id)
            .values(
                intent_state=None,
                intent_reason=None,
                intent_comment=None,
                intent_at=None,
                pending_push=False,
                push_status=PushStatus.REFUSED,
                push_error=error,
                # A snooze GitHub refused never took, and a refused reopen of one leaves
                # the alert as GitHub has it: the mark would promise what will not happen.
                snooze_state=None,
                snoozed_at=None,
            )
        )
        await conn.execute(
            audit_line(
                at=now,
                actor=actor,
                action="push_refused",
                finding_id=row.finding_id,
                detail={"intent_id": intent_id, "action": row.action, "error": error[:500]},
            )
        )
    return True
