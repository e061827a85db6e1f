"""An analyst's dismiss or reopen, from the CLI or the TUI: applied locally at once, and a
push job per finding queued in the outbox (one PATCH each; GitHub has no bulk endpoint)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.decision import DecisionAction, SnoozeState
from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.finding import MAX_COMMENT_CHARS, DismissReason
from secagent_tui.domain.record import FindingRecord
from secagent_tui.store.intents import PushJob, record_intent


class DecisionError(ValueError, SecagentError):
    """Bad input for a decision (reason, comment); nothing was changed."""


def check_dismissal(reason: str, comment: str | None = None) -> DismissReason:
    try:
        return DismissReason.parse(reason)
    except ValueError as exc:
        raise DecisionError(str(exc)) from None


def fit_comment(comment: str | None) -> tuple[str | None, bool]:
    """GitHub refuses a comment over 280 characters (422), which would lose the whole
    decision; it is cut instead, ending in an ellipsis, and the caller says so."""
    if comment is None or len(comment) <= MAX_COMMENT_CHARS:
        return comment, False
    return comment[: MAX_COMMENT_CHARS - 1] + "…", True


async def decide(
    engine: AsyncEngine,
    config: Config,
    records: Sequence[FindingRecord],
    action: DecisionAction | str,
    *,
    actor: str,
    correlation_id: str,
    reason: str | None = None,
    comment: str | None = None,
    audit: tuple[str, dict[str, Any]] | None = None,
    snooze: SnoozeState | None = None,
) -> list[int]:
    """Records the decision for every finding and queues its push; returns the job ids.
    `audit` is one more audit line per finding, `snooze` the mark (store/intents.py)."""
    try:
        action = DecisionAction.parse(action)
    except ValueError as exc:
        raise DecisionError(str(exc)) from None
    if action is DecisionAction.ASSIGN:
        raise DecisionError("an assignment is recorded by assign, not by a decision")
    if action is DecisionAction.DISMISS:
        reason = check_dismissal(reason or "").value
        comment, _ = fit_comment(comment)
    job_ids = []
    for record in records:
        recorded = await record_intent(
            engine,
            record.id,
            action,
            reason=reason,
            comment=comment,
            actor=actor,
            correlation_id=correlation_id,
            push=PushJob(record.finding.owner_name, config.analysis.max_attempts),
            audit=audit,
            snooze=snooze,
        )
        assert recorded.job_id is not None
        job_ids.append(recorded.job_id)
    return job_ids
