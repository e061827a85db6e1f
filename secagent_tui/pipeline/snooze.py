"""Snooze until a patch exists, like GitHub's auto-triage rule action "dismiss until a patch
is available": the alert is dismissed on GitHub with an agreed reason and a comment that says
it comes back, and once a sync sees a first patched version the tool reopens it through the
outbox (audited, as automation) and the queue marks it "patch available".

Only a finding with no patched version can be snoozed: for one that has a patch the answer is
to upgrade, and a snooze would reopen it at the next sync anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.decision import (
    SNOOZE_ACTOR,
    SNOOZE_COMMENT,
    SNOOZE_REASON,
    DecisionAction,
    SnoozeState,
)
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.snooze import snooze_refusal
from secagent_tui.pipeline.decisions import DecisionError, decide
from secagent_tui.store.db import write_transaction
from secagent_tui.store.intents import NoLongerSnoozed, PushJob, record_intent
from secagent_tui.store.schema import findings

log = logging.getLogger("secagent.snooze")


async def snooze(
    engine: AsyncEngine,
    config: Config,
    records: Sequence[FindingRecord],
    *,
    actor: str,
    correlation_id: str,
) -> list[int]:
    """Dismisses every finding until a patch exists and queues each push; the job ids.
    DecisionError, with nothing recorded, when any of them cannot be snoozed."""
    problems = [p for p in map(snooze_refusal, records) if p is not None]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DecisionError(f"{problems[0]}{more}; nothing was snoozed")
    return await decide(
        engine,
        config,
        records,
        DecisionAction.DISMISS,
        actor=actor,
        correlation_id=correlation_id,
        reason=SNOOZE_REASON.value,
        comment=SNOOZE_COMMENT,
        audit=("snooze", {"until": "a first patched version exists"}),
        snooze=SnoozeState.SNOOZED,
    )


async def wake_patched(
    engine: AsyncEngine, config: Config, owner: str, *, correlation_id: str
) -> int:
    """After a sync of `owner`: every snoozed finding that now has a first patched version
    is reopened (an automatic intent, pushed by the outbox, audited `snooze_reopen`) and
    marked "patch available". A snoozed finding someone reopened or fixed meanwhile (on
    github.com) is no longer snoozed: its mark goes. The number reopened."""
    snoozed = findings.c.snooze_state == SnoozeState.SNOOZED.value
    mine = findings.c.owner == owner.lower()
    dismissed = findings.c.effective_state == AlertState.DISMISSED.value
    async with engine.connect() as conn:
        due = (
            await conn.execute(
                select(
                    findings.c.id,
                    findings.c.owner,
                    findings.c.repo,
                    findings.c.number,
                    findings.c.patched_version,
                )
                .where(mine, snoozed, dismissed, findings.c.patched_version.is_not(None))
                .order_by(findings.c.id)
            )
        ).all()
        ended = findings.c.pending_push.is_(False) & ~dismissed
        stale = (await conn.execute(select(findings.c.id).where(mine, snoozed, ended))).all()
    if stale:  # no write (and on PostgreSQL no change announced) when nothing changed
        async with write_transaction(engine) as conn:
            await conn.execute(
                update(findings)
                .where(findings.c.id.in_([row.id for row in stale]), snoozed, ended)
                .values(snooze_state=None, snoozed_at=None)
            )
    reopened = 0
    for row in due:
        try:
            await record_intent(
                engine,
                row.id,
                DecisionAction.REOPEN,
                reason=None,
                comment=None,
                actor=SNOOZE_ACTOR,
                correlation_id=correlation_id,
                automatic=True,
                push=PushJob(row.owner, config.analysis.max_attempts),
                audit=("snooze_reopen", {"patched_version": row.patched_version}),
                snooze=SnoozeState.PATCH_AVAILABLE,
                while_snoozed=True,
            )
        except NoLongerSnoozed:
            continue  # someone decided about it since: theirs stands
        reopened += 1
        log.info("%s#%s has a patch (%s): reopened", row.repo, row.number, row.patched_version)
    return reopened
