"""Durable jobs (docs/architecture.md, "The job model"): every unit of background work is a row.

The claim is one UPDATE ... WHERE id = (SELECT ...) RETURNING that also enforces the
per-owner limit on running LLM jobs. What makes the count inside it trustworthy is that
claims never run concurrently: SQLite's write lock (BEGIN IMMEDIATE) serialises them, and on
PostgreSQL a transaction-scoped advisory lock does, with FOR UPDATE SKIP LOCKED keeping rows
that other transactions hold out of the way. Nothing counts first and inserts later.

A claim starts a lease; a runner renews it while it works (heartbeat). A lease that runs out
— the runner crashed, or claimed and never started — is reclaimed: the job is queued again,
or failed once it has used its attempts. Failures retry with exponential backoff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, insert, literal, not_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.store.db import write_transaction
from secagent_tui.store.schema import analyses, audit_events, findings, jobs

_CLAIM_LOCK = 0x5EC_10B5
_EXPIRED = "lease expired: worker "


class JobKind(StrEnum):
    TRIAGE = "triage"
    SANDBOX = "sandbox"
    EXTRACTION = "extraction"
    DISMISS_PUSH = "dismiss_push"
    SYNC = "sync"

    @property
    def uses_llm(self) -> bool:
        return self in (JobKind.TRIAGE, JobKind.SANDBOX, JobKind.EXTRACTION)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: JobKind
    owner: str
    finding_id: int | None
    status: JobStatus
    attempts: int
    max_attempts: int
    correlation_id: str
    payload: dict[str, Any]
    last_error: str | None
    claimed_by: str | None


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        kind=JobKind(row.kind),
        owner=row.owner,
        finding_id=row.finding_id,
        status=JobStatus(row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        correlation_id=row.correlation_id,
        payload=dict(row.payload or {}),
        last_error=row.last_error,
        claimed_by=row.claimed_by,
    )


def _ours(job_id: int, worker: str) -> Any:
    """The job is still claimed by `worker` and running: every update a runner makes to its
    own job checks this, so a cancel or a reclaim in between wins."""
    return and_(
        jobs.c.id == job_id,
        jobs.c.claimed_by == worker,
        jobs.c.status == JobStatus.RUNNING.value,
    )


def _now() -> datetime:
    return datetime.now(UTC)


async def enqueue(
    engine: AsyncEngine | AsyncConnection,
    kind: JobKind,
    *,
    owner: str,
    correlation_id: str,
    finding_id: int | None = None,
    payload: dict[str, Any] | None = None,
    max_attempts: int = 3,
    run_after: datetime | None = None,
) -> int:
    now = _now()
    stmt = (
        insert(jobs)
        .values(
            kind=kind.value,
            owner=owner.lower(),
            finding_id=finding_id,
            status=JobStatus.QUEUED.value,
            uses_llm=kind.uses_llm,
            attempts=0,
            max_attempts=max_attempts,
            run_after=run_after or now,
            correlation_id=correlation_id,
            payload=payload or {},
            created_at=now,
        )
        .returning(jobs.c.id)
    )
    if isinstance(engine, AsyncConnection):
        return int((await engine.execute(stmt)).scalar_one())
    async with engine.begin() as conn:
        return int((await conn.execute(stmt)).scalar_one())


async def _reclaim(conn: AsyncConnection, now: datetime) -> int:
    """One UPDATE ... RETURNING: only rows it really changed are audited and counted (a lease
    renewed meanwhile is left alone). A job failed for good here also fails its analysis, so
    no finding is left showing "running" forever."""
    expired = and_(jobs.c.status == JobStatus.RUNNING.value, jobs.c.lease_expires_at < now)
    used_up = jobs.c.attempts >= jobs.c.max_attempts
    rows = (
        await conn.execute(
            update(jobs)
            .where(expired)
            .values(
                status=case((used_up, JobStatus.FAILED.value), else_=JobStatus.QUEUED.value),
                # A literal inside CASE does not take the column's type by itself.
                finished_at=case((used_up, literal(now, jobs.c.finished_at.type)), else_=None),
                last_error=literal(_EXPIRED) + func.coalesce(jobs.c.claimed_by, "?"),
                claimed_by=None,
                lease_expires_at=None,
                run_after=now,
            )
            .returning(
                jobs.c.id, jobs.c.finding_id, jobs.c.status, jobs.c.last_error, jobs.c.payload
            )
        )
    ).all()
    if not rows:
        return 0
    await conn.execute(
        insert(audit_events),
        [
            {
                "at": now,
                "actor": "runner",
                "action": "lease_reclaimed",
                "finding_id": r.finding_id,
                "detail": {"job_id": r.id, "worker": r.last_error.removeprefix(_EXPIRED)},
            }
            for r in rows
        ],
    )
    for r in rows:
        analysis_id = (r.payload or {}).get("analysis_id")
        if r.status == JobStatus.FAILED.value and analysis_id is not None:
            await _fail_analysis(conn, int(analysis_id), r.finding_id, r.last_error, now)
    return len(rows)


async def _fail_analysis(
    conn: AsyncConnection, analysis_id: int, finding_id: int | None, error: str, now: datetime
) -> None:
    await conn.execute(
        update(analyses)
        .where(analyses.c.id == analysis_id)
        .values(status="failed", error=error, finished_at=now)
    )
    if finding_id is not None:
        await conn.execute(
            update(findings)
            .where(findings.c.id == finding_id)
            .values(analysis_status="failed", analysis_error=error, analysis_updated_at=now)
        )


async def reclaim_expired(engine: AsyncEngine, now: datetime | None = None) -> int:
    """Expired leases back to the queue (or failed); the count of reclaimed jobs."""
    async with write_transaction(engine) as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CLAIM_LOCK})
        return await _reclaim(conn, now or _now())


def _claim_statement(
    engine: AsyncEngine,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    kinds: list[str],
    correlation_id: str | None,
) -> Any:
    c, r = jobs.alias("c"), jobs.alias("r")
    running_llm = (
        select(func.count())
        .select_from(r)
        .where(r.c.owner == c.c.owner, r.c.status == JobStatus.RUNNING.value, r.c.uses_llm)
        .correlate(c)
        .scalar_subquery()
    )
    candidate = (
        select(c.c.id)
        .where(
            c.c.status == JobStatus.QUEUED.value,
            c.c.run_after <= now,
            c.c.kind.in_(kinds),
            or_(not_(c.c.uses_llm), running_llm < limit),
        )
        .order_by(c.c.run_after, c.c.id)
        .limit(1)
        .correlate(None)
    )
    if correlation_id is not None:
        candidate = candidate.where(c.c.correlation_id == correlation_id)
    if engine.dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True, of=c)
    return (
        update(jobs)
        .where(jobs.c.id == candidate.scalar_subquery())
        .values(
            status=JobStatus.RUNNING.value,
            claimed_by=worker,
            attempts=jobs.c.attempts + 1,
            lease_expires_at=now + lease,
            heartbeat_at=now,
            started_at=now,
            last_error=None,
        )
        .returning(*jobs.c)
    )


async def claim(
    engine: AsyncEngine,
    worker: str,
    *,
    lease_seconds: float,
    max_concurrent_per_owner: int,
    kinds: list[JobKind] | None = None,
    correlation_id: str | None = None,
) -> Job | None:
    """Claim the next runnable job (of one chain, when `correlation_id` is given), or None.
    Expired leases are reclaimed first."""
    now = _now()
    kind_values = [k.value for k in (kinds if kinds is not None else list(JobKind))]
    if not kind_values:
        return None
    async with write_transaction(engine) as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CLAIM_LOCK})
        await _reclaim(conn, now)
        stmt = _claim_statement(
            engine,
            worker,
            now,
            timedelta(seconds=lease_seconds),
            max_concurrent_per_owner,
            kind_values,
            correlation_id,
        )
        row = (await conn.execute(stmt)).first()
    return _job(row) if row is not None else None


async def heartbeat(engine: AsyncEngine, job_id: int, worker: str, lease_seconds: float) -> bool:
    """Renews the lease; False when the job is no longer ours (reclaimed or cancelled)."""
    now = _now()
    async with engine.begin() as conn:
        result = await conn.execute(
            update(jobs)
            .where(_ours(job_id, worker))
            .values(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds))
        )
        return (result.rowcount or 0) == 1


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A job a handler asks for once it has finished: queued with the completion."""

    kind: JobKind
    owner: str
    correlation_id: str
    finding_id: int | None
    payload: dict[str, Any]
    max_attempts: int


async def complete(
    engine: AsyncEngine, job_id: int, worker: str, follow_ups: Sequence[FollowUp] = ()
) -> bool:
    """Done, and its successors queued, in one transaction: a crash between the two can
    neither lose the next step nor (once the job is retried) queue it twice. Nothing is
    queued when the job is no longer ours (reclaimed or cancelled meanwhile)."""
    async with write_transaction(engine) as conn:
        result = await conn.execute(
            update(jobs)
            .where(_ours(job_id, worker))
            .values(status=JobStatus.DONE.value, finished_at=_now(), lease_expires_at=None)
        )
        if (result.rowcount or 0) != 1:
            return False
        for f in follow_ups:
            await enqueue(
                conn,
                f.kind,
                owner=f.owner,
                correlation_id=f.correlation_id,
                finding_id=f.finding_id,
                payload=f.payload,
                max_attempts=f.max_attempts,
            )
        return True


async def retry_later(
    engine: AsyncEngine, job_id: int, worker: str, error: str, *, delay_seconds: float
) -> bool:
    """Back to the queue after `delay_seconds` without spending an attempt: for work that
    must go on for as long as it is wanted (a pending decision through a GitHub outage)."""
    now = _now()
    async with engine.begin() as conn:
        result = await conn.execute(
            update(jobs)
            .where(_ours(job_id, worker))
            .values(
                status=JobStatus.QUEUED.value,
                attempts=jobs.c.attempts - 1,
                last_error=error[:2000],
                claimed_by=None,
                lease_expires_at=None,
                run_after=now + timedelta(seconds=delay_seconds),
            )
        )
        return (result.rowcount or 0) == 1


async def fail(
    engine: AsyncEngine,
    job_id: int,
    worker: str,
    error: str,
    *,
    backoff_seconds: float,
    permanent: bool = False,
) -> JobStatus | None:
    """Retry later with exponential backoff, or fail for good once attempts are used up (or
    at once when `permanent`). None when the job is no longer ours."""
    now = _now()
    async with write_transaction(engine) as conn:
        row = (
            await conn.execute(
                select(jobs.c.attempts, jobs.c.max_attempts).where(_ours(job_id, worker))
            )
        ).first()
        if row is None:
            return None
        final = permanent or row.attempts >= row.max_attempts
        status = JobStatus.FAILED if final else JobStatus.QUEUED
        delay = timedelta(seconds=backoff_seconds * 2 ** max(row.attempts - 1, 0))
        result = await conn.execute(
            update(jobs)
            # Checked again: a cancel or a takeover in between wins.
            .where(_ours(job_id, worker))
            .values(
                status=status.value,
                last_error=error[:2000],
                claimed_by=None,
                lease_expires_at=None,
                run_after=now if final else now + delay,
                finished_at=now if final else None,
            )
        )
        return status if result.rowcount else None


async def fail_permanently(
    engine: AsyncEngine, job_id: int, worker: str, error: str
) -> JobStatus | None:
    """A failure retrying cannot fix: failed at once, whatever attempts are left."""
    return await fail(engine, job_id, worker, error, backoff_seconds=0.0, permanent=True)


async def cancel(engine: AsyncEngine, job_id: int) -> bool:
    async with engine.begin() as conn:
        result = await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status.in_(ACTIVE))
            .values(status=JobStatus.CANCELLED.value, finished_at=_now(), lease_expires_at=None)
        )
        return (result.rowcount or 0) == 1


async def get_job(engine: AsyncEngine, job_id: int) -> Job | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).first()
    return _job(row) if row else None


async def jobs_for(engine: AsyncEngine, correlation_id: str) -> list[Job]:
    stmt = select(jobs).where(jobs.c.correlation_id == correlation_id).order_by(jobs.c.id)
    async with engine.connect() as conn:
        return [_job(r) for r in await conn.execute(stmt)]


async def count_active(
    engine: AsyncEngine,
    correlation_id: str | None = None,
    kinds: list[JobKind] | None = None,
) -> int:
    stmt = select(func.count()).where(jobs.c.status.in_(ACTIVE))
    if correlation_id is not None:
        stmt = stmt.where(jobs.c.correlation_id == correlation_id)
    if kinds is not None:
        stmt = stmt.where(jobs.c.kind.in_([k.value for k in kinds]))
    async with engine.connect() as conn:
        return int((await conn.execute(stmt)).scalar_one())
