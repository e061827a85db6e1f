"""Analyses and their transcripts. The finding row carries the latest analysis's status and
results (what the queue shows); the analyses table keeps every run and its transcript, which
is stored entry by entry as it grows so the TUI can follow it live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.triage import StoredTriage
from secagent_tui.domain.verdict import Verdict
from secagent_tui.store.db import write_transaction
from secagent_tui.store.documents import typed_doc
from secagent_tui.store.redacted import redacted, redacted_or_none
from secagent_tui.store.schema import analyses, findings, llm_calls, transcripts


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AnalysisView:
    """One analysis run as the finding view and the pipeline read it: its status and its
    three tiers' results, typed. `evidence` stays the evidence pass's JSON document (the
    sandbox owns its shape, and the store is below the sandbox)."""

    id: int
    finding_id: int
    status: AnalysisStatus
    model: str | None
    correlation_id: str
    started_at: datetime
    finished_at: datetime | None
    triage: StoredTriage | None
    evidence: dict[str, Any] | None
    verdict: Verdict | None
    error: str | None


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    seq: int
    role: str
    content: str
    created_at: datetime


async def create_analysis(
    engine: AsyncEngine, finding_id: int, correlation_id: str, model: str
) -> int:
    now = _now()
    async with write_transaction(engine) as conn:
        last = (
            await conn.execute(
                select(
                    findings.c.verdict,
                    findings.c.analysis_updated_at,
                    findings.c.previous_verdict,
                    findings.c.previous_verdict_at,
                ).where(findings.c.id == finding_id)
            )
        ).one()
        # The verdict this run replaces stays visible, labelled as the previous run's, until
        # this run reaches its own; a run that ended without one passes the older one on.
        if last.verdict:
            previous, previous_at = last.verdict, last.analysis_updated_at
        else:
            previous, previous_at = last.previous_verdict, last.previous_verdict_at
        result = await conn.execute(
            analyses.insert()
            .values(
                finding_id=finding_id,
                status=AnalysisStatus.QUEUED.value,
                model=model,
                correlation_id=correlation_id,
                started_at=now,
            )
            .returning(analyses.c.id)
        )
        analysis_id = int(result.scalar_one())
        await conn.execute(
            update(findings)
            .where(findings.c.id == finding_id)
            .values(
                analysis_status=AnalysisStatus.QUEUED.value,
                analysis_error=None,
                analysis_updated_at=now,
                # One run is one record: the new run's triage never shows beside the last
                # run's verdict (every run stays in `analyses`, for the history).
                triage=None,
                evidence=None,
                verdict=None,
                previous_verdict=previous,
                previous_verdict_at=previous_at,
            )
        )
    return analysis_id


async def update_analysis(
    engine: AsyncEngine,
    analysis_id: int,
    *,
    status: AnalysisStatus | None = None,
    triage: StoredTriage | None = None,
    evidence: dict[str, Any] | None = None,
    verdict: Verdict | None = None,
    error: str | None = None,
) -> None:
    """Writes the given parts to the analysis and mirrors them onto its finding."""
    now = _now()
    values: dict[str, Any] = {}
    mirror: dict[str, Any] = {"analysis_updated_at": now}
    if status is not None:
        values["status"] = status.value
        mirror["analysis_status"] = status.value
        if status in (AnalysisStatus.COMPLETED, AnalysisStatus.FAILED):
            values["finished_at"] = now
    docs = (
        ("triage", triage.to_json() if triage else None),
        ("evidence", evidence),
        ("verdict", verdict.model_dump(mode="json") if verdict else None),
    )
    for name, value in docs:
        if value is not None:
            values[name] = value
            mirror[name] = value
    if verdict is not None:
        mirror["previous_verdict"] = None
        mirror["previous_verdict_at"] = None
    if error is not None or status is AnalysisStatus.FAILED:
        values["error"] = mirror["analysis_error"] = redacted_or_none(error)
    async with engine.begin() as conn:
        finding_id = (
            await conn.execute(
                update(analyses)
                .where(analyses.c.id == analysis_id)
                .values(values)
                .returning(analyses.c.finding_id)
            )
        ).scalar_one()
        await conn.execute(update(findings).where(findings.c.id == finding_id).values(mirror))


async def get_analysis(engine: AsyncEngine, analysis_id: int) -> AnalysisView:
    async with engine.connect() as conn:
        row = (await conn.execute(select(analyses).where(analyses.c.id == analysis_id))).one()
    return AnalysisView(
        id=row.id,
        finding_id=row.finding_id,
        status=AnalysisStatus(row.status),
        model=row.model,
        correlation_id=row.correlation_id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        triage=typed_doc(StoredTriage, row.triage),
        evidence=row.evidence,
        verdict=typed_doc(Verdict, row.verdict),
        error=row.error,
    )


async def latest_analysis_id(engine: AsyncEngine, finding_id: int) -> int | None:
    stmt = select(func.max(analyses.c.id)).where(analyses.c.finding_id == finding_id)
    async with engine.connect() as conn:
        return (await conn.execute(stmt)).scalar_one_or_none()


async def append_transcript(engine: AsyncEngine, analysis_id: int, role: str, content: str) -> int:
    """Appends one entry; its sequence number orders the transcript for live followers.

    Read-then-write, so it holds SQLite's write lock from the start: a deferred transaction
    would fail at once with "database is locked" when another writer got in between."""
    async with write_transaction(engine) as conn:
        seq = (
            await conn.execute(
                select(func.coalesce(func.max(transcripts.c.seq), 0) + 1).where(
                    transcripts.c.analysis_id == analysis_id
                )
            )
        ).scalar_one()
        await conn.execute(
            transcripts.insert().values(
                analysis_id=analysis_id,
                seq=seq,
                role=role,
                content=redacted(content),
                created_at=_now(),
            )
        )
    return int(seq)


async def transcript(
    engine: AsyncEngine, analysis_id: int, after_seq: int = 0
) -> list[TranscriptEntry]:
    """Entries after `after_seq`: a follower polls with the last seq it has shown."""
    stmt = (
        select(transcripts)
        .where(transcripts.c.analysis_id == analysis_id, transcripts.c.seq > after_seq)
        .order_by(transcripts.c.seq)
    )
    async with engine.connect() as conn:
        return [
            TranscriptEntry(r.seq, r.role, r.content, r.created_at)
            for r in await conn.execute(stmt)
        ]


async def record_llm_call(
    engine: AsyncEngine,
    *,
    tier: str,
    model: str,
    finding_id: int | None,
    started_at: datetime,
    duration_ms: float,
    prompt_tokens: int | None,
    completion_tokens: int | None,
    outcome: str,
    error: str | None,
    correlation_id: str,
) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(
            llm_calls.insert()
            .values(
                tier=tier,
                model=model,
                finding_id=finding_id,
                started_at=started_at,
                duration_ms=duration_ms,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                outcome=outcome,
                error=redacted_or_none(error),
                correlation_id=correlation_id,
            )
            .returning(llm_calls.c.id)
        )
        return int(result.scalar_one())


async def mark_llm_fallback(engine: AsyncEngine, call_id: int, reason: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(llm_calls)
            .where(llm_calls.c.id == call_id)
            .values(outcome="fallback", error=redacted(reason, 2000))
        )
