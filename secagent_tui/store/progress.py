"""The reads of the progress pane: one analysis chain as it runs (its tier jobs, the agent's
rounds, tool calls and tokens, the transcript after what is shown), one dismissal batch (the
decisions of one request, sharing a correlation id, and how each push went), the latest
batch an analyst started, a finding's live job, and how many repositories the owners'
previous syncs read (what a sync in progress is measured against).

Pure SQLAlchemy Core on either backend; each read is a few indexed queries, so the pane can
poll them every second while work streams."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.decision import DecisionAction, IntentStatus
from secagent_tui.domain.progress import BatchCounts, PushResult, batch_counts, push_result
from secagent_tui.store.analyses import AnalysisView, TranscriptEntry, get_analysis
from secagent_tui.store.jobs import ACTIVE, Job, JobKind, get_job
from secagent_tui.store.schema import (
    analyses,
    findings,
    intents,
    jobs,
    llm_calls,
    sync_runs,
    transcripts,
)

TOOL_CALL_ROLE = "tool_call"
"""How the sandbox agent records a tool call in the transcript (pipeline/analysis.py)."""
SANDBOX_TIER = "sandbox"
CHAIN_KINDS = (JobKind.TRIAGE.value, JobKind.SANDBOX.value, JobKind.EXTRACTION.value)


@dataclass(frozen=True, slots=True)
class ChainProgress:
    """One analysis run so far. `steps` counts the agent's rounds with the model (what
    `analysis.agent_max_steps` bounds); `entries` are the transcript entries after the
    `after_seq` asked for, `entry_count` all of them."""

    analysis: AnalysisView
    finding_ref: str
    jobs: list[Job]
    steps: int
    tool_calls: int
    current_tool: str | None
    prompt_tokens: int
    completion_tokens: int
    entry_count: int
    entries: list[TranscriptEntry]

    @property
    def live_job(self) -> Job | None:
        """The tier queued or running now, if any."""
        return next((j for j in reversed(self.jobs) if j.status.value in ACTIVE), None)


@dataclass(frozen=True, slots=True)
class BatchItem:
    intent_id: int
    finding_id: int
    finding_ref: str
    result: PushResult
    message: str | None
    """GitHub's refusal, or the transient error a retry waits out; None otherwise."""
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """The decisions of one request (one bulk dismiss or reopen), oldest first."""

    correlation_id: str
    action: DecisionAction
    started_at: datetime
    items: list[BatchItem]

    @property
    def counts(self) -> BatchCounts:
        return batch_counts(item.result for item in self.items)


def _ref(repo: str, number: int) -> str:
    return f"{repo}#{number}"


async def _finding_ref(conn: AsyncConnection, finding_id: int) -> str:
    row = (
        await conn.execute(
            select(findings.c.repo, findings.c.number).where(findings.c.id == finding_id)
        )
    ).first()
    return _ref(row.repo, row.number) if row is not None else f"finding {finding_id}"


async def _chain_jobs(engine: AsyncEngine, view: AnalysisView) -> list[Job]:
    """The analysis's tier jobs: the chain's correlation id and finding narrow them (an
    `analyze` of many findings shares one id), the payload's `analysis_id` picks this run's."""
    stmt = (
        select(jobs.c.id)
        .where(
            jobs.c.correlation_id == view.correlation_id,
            jobs.c.finding_id == view.finding_id,
            jobs.c.kind.in_(CHAIN_KINDS),
        )
        .order_by(jobs.c.id)
    )
    async with engine.connect() as conn:
        ids = list((await conn.execute(stmt)).scalars())
    chain = [job for job in [await get_job(engine, i) for i in ids] if job is not None]
    return [job for job in chain if job.payload.get("analysis_id") == view.id]


async def _llm_figures(conn: AsyncConnection, view: AnalysisView) -> tuple[int, int, int]:
    """Agent rounds, prompt tokens and completion tokens of this run's LLM calls."""
    sandbox = func.sum(case((llm_calls.c.tier == SANDBOX_TIER, 1), else_=0))
    row = (
        await conn.execute(
            select(
                func.coalesce(sandbox, 0),
                func.coalesce(func.sum(llm_calls.c.prompt_tokens), 0),
                func.coalesce(func.sum(llm_calls.c.completion_tokens), 0),
            ).where(
                llm_calls.c.correlation_id == view.correlation_id,
                llm_calls.c.finding_id == view.finding_id,
                llm_calls.c.started_at >= view.started_at,
            )
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def _tool_calls(conn: AsyncConnection, analysis_id: int) -> tuple[int, str | None]:
    """How many tool calls the transcript holds, and the latest one."""
    where = (transcripts.c.analysis_id == analysis_id, transcripts.c.role == TOOL_CALL_ROLE)
    count = (await conn.execute(select(func.count()).where(*where))).scalar_one()
    latest = (
        await conn.execute(
            select(transcripts.c.content).where(*where).order_by(transcripts.c.seq.desc()).limit(1)
        )
    ).scalar_one_or_none()
    return int(count), latest


async def chain_progress(
    engine: AsyncEngine, analysis_id: int, after_seq: int = 0
) -> ChainProgress | None:
    """One analysis run and its transcript after `after_seq`; None for an unknown run."""
    async with engine.connect() as conn:
        exists = (
            await conn.execute(select(analyses.c.id).where(analyses.c.id == analysis_id))
        ).first()
    if exists is None:
        return None
    view = await get_analysis(engine, analysis_id)
    chain = await _chain_jobs(engine, view)
    async with engine.connect() as conn:
        ref = await _finding_ref(conn, view.finding_id)
        steps, prompt, completion = await _llm_figures(conn, view)
        tool_calls, current = await _tool_calls(conn, analysis_id)
        entry_count = (
            await conn.execute(select(func.count()).where(transcripts.c.analysis_id == analysis_id))
        ).scalar_one()
        rows = await conn.execute(
            select(transcripts)
            .where(transcripts.c.analysis_id == analysis_id, transcripts.c.seq > after_seq)
            .order_by(transcripts.c.seq)
        )
        entries = [TranscriptEntry(r.seq, r.role, r.content, r.created_at) for r in rows]
    return ChainProgress(
        analysis=view,
        finding_ref=ref,
        jobs=chain,
        steps=steps,
        tool_calls=tool_calls,
        current_tool=current,
        prompt_tokens=prompt,
        completion_tokens=completion,
        entry_count=int(entry_count),
        entries=entries,
    )


def _batch_item(row: Any) -> BatchItem:
    result = push_result(IntentStatus(row.status), retry_scheduled=row.next_attempt_at is not None)
    message = row.error if result in (PushResult.REFUSED, PushResult.RETRYING) else None
    return BatchItem(
        intent_id=row.id,
        finding_id=row.finding_id,
        finding_ref=_ref(row.repo, row.number),
        result=result,
        message=message,
        next_attempt_at=row.next_attempt_at if result is PushResult.RETRYING else None,
    )


async def batch_progress(engine: AsyncEngine, correlation_id: str) -> BatchProgress | None:
    """The decisions one request recorded (services/analyst.decide gives them one
    correlation id) and how each push went; None when the id names no decision."""
    stmt = (
        select(intents, findings.c.repo, findings.c.number)
        .select_from(intents.join(findings, findings.c.id == intents.c.finding_id))
        .where(intents.c.correlation_id == correlation_id)
        .order_by(intents.c.id)
    )
    async with engine.connect() as conn:
        rows = list(await conn.execute(stmt))
    if not rows:
        return None
    return BatchProgress(
        correlation_id=correlation_id,
        action=DecisionAction(rows[0].action),
        started_at=rows[0].created_at,
        items=[_batch_item(r) for r in rows],
    )


async def latest_batch(engine: AsyncEngine, actors: Collection[str]) -> str | None:
    """The correlation id of the newest decision one of `actors` made (automatic ones are
    the pipeline's, not an analyst's batch)."""
    if not actors:
        return None
    stmt = (
        select(intents.c.correlation_id)
        .where(intents.c.actor.in_(list(actors)), intents.c.automatic.is_(False))
        .order_by(intents.c.id.desc())
        .limit(1)
    )
    async with engine.connect() as conn:
        return (await conn.execute(stmt)).scalar_one_or_none()


async def live_job(engine: AsyncEngine, finding_id: int) -> Job | None:
    """The newest queued or running job of a finding: what its view links to."""
    stmt = select(func.max(jobs.c.id)).where(
        jobs.c.finding_id == finding_id, jobs.c.status.in_(ACTIVE)
    )
    async with engine.connect() as conn:
        job_id = (await conn.execute(stmt)).scalar_one_or_none()
    return await get_job(engine, job_id) if job_id is not None else None


async def expected_repos(engine: AsyncEngine, owners: Sequence[str]) -> int | None:
    """How many repositories the owners' latest finished syncs read, together; None when an
    owner has never finished one (there is nothing to measure against)."""
    total = 0
    async with engine.connect() as conn:
        for owner in owners:
            repos = (
                await conn.execute(
                    select(sync_runs.c.repos)
                    .where(
                        sync_runs.c.owner_name == owner.lower(),
                        sync_runs.c.finished_at.is_not(None),
                    )
                    .order_by(sync_runs.c.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            if repos is None:
                return None
            total += len(repos)
    return total


__all__ = [
    "BatchItem",
    "BatchProgress",
    "ChainProgress",
    "batch_progress",
    "chain_progress",
    "expected_repos",
    "latest_batch",
    "live_job",
]
