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

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, insert, literal, not_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.decision import IntentStatus
from secagent_tui.domain.errors import SecagentError
from secagent_tui.store.db import write_transaction
from secagent_tui.store.redacted import audit_line, redacted, redacted_detail
from secagent_tui.store.schema import analyses, audit_events, findings, intents, jobs

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
ENDED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


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
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    run_after: datetime | None = None
    requested_by: str | None = None
    """The actor whose request queued it (`tui:<login>`, `cli:<login>`, ...); None for jobs
    queued before migration 0007."""

    def elapsed(self, now: datetime) -> timedelta | None:
        """How long it ran (running: so far; ended: start to end); None when never started.
        `started_at` is the latest attempt's start."""
        if self.started_at is None:
            return None
        end = self.finished_at if self.status in ENDED and self.finished_at else now
        return max(end - self.started_at, timedelta(0))


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
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        run_after=row.run_after,
        requested_by=row.requested_by,
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
    requested_by: str | None = None,
) -> int:
    """`requested_by`: the actor whose request this is (the Jobs pane's "mine")."""
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
            requested_by=requested_by[:100] if requested_by else None,
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
                "detail": redacted_detail(
                    {"job_id": r.id, "worker": r.last_error.removeprefix(_EXPIRED)}
                ),
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
    error = redacted(error)
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
    requested_by: str | None = None


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
                requested_by=f.requested_by,
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
                last_error=redacted(error, 2000),
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
                last_error=redacted(error, 2000),
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


# ---------------------------------------------------------------------- the Jobs pane

JOB_WINDOW = 500
"""How many jobs the Jobs pane and `secagent jobs` read at most: the newest ones."""


@dataclass(frozen=True, slots=True)
class JobListing:
    """One row of the Jobs pane: the job, and the finding it works on as `owner/repo#N`
    (None for a job without a finding, or whose finding is gone)."""

    job: Job
    finding_ref: str | None


async def job_window(
    engine: AsyncEngine,
    *,
    statuses: Collection[JobStatus] | None = None,
    requested_by: Collection[str] | None = None,
    limit: int = JOB_WINDOW,
) -> list[JobListing]:
    """Every job in the database, whoever queued it (this process, another analyst's TUI,
    `secagent worker`, a cron `analyze`), newest first, at most `limit`.

    `statuses`: only those. `requested_by`: only jobs whose `requested_by` is one of these
    actors — "mine" is what the caller passes here. Jobs queued before migration 0007 have no
    requester and are never anyone's; an empty collection matches nothing."""
    stmt = (
        select(jobs, findings.c.repo.label("finding_repo"), findings.c.number.label("finding_no"))
        .select_from(jobs.outerjoin(findings, findings.c.id == jobs.c.finding_id))
        .order_by(jobs.c.id.desc())
        .limit(max(limit, 0))
    )
    if statuses is not None:
        stmt = stmt.where(jobs.c.status.in_([JobStatus(s).value for s in statuses]))
    if requested_by is not None:
        stmt = stmt.where(jobs.c.requested_by.in_(list(requested_by)))
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [
        JobListing(
            _job(r), f"{r.finding_repo}#{r.finding_no}" if r.finding_repo is not None else None
        )
        for r in rows
    ]


class UnknownJob(LookupError, SecagentError):
    """A job id names no job; nothing was changed."""


class JobNotChangeable(ValueError, SecagentError):
    """The job is not in a state the change applies to (or retrying it would do harm);
    nothing was changed. The message says why."""


async def _job_for_update(conn: AsyncConnection, job_id: int) -> Job:
    row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).first()
    if row is None:
        raise UnknownJob(f"no job {job_id}")
    return _job(row)


async def _audit(
    conn: AsyncConnection, job: Job, actor: str, action: str, now: datetime, **detail: Any
) -> None:
    await conn.execute(
        audit_line(
            at=now,
            actor=actor[:100],
            action=action,
            finding_id=job.finding_id,
            detail={"job_id": job.id, "kind": job.kind.value, **detail},
            correlation_id=job.correlation_id,
        )
    )


async def _latest_analysis_id(conn: AsyncConnection, finding_id: int | None) -> int | None:
    if finding_id is None:
        return None
    return (
        await conn.execute(
            select(func.max(analyses.c.id)).where(analyses.c.finding_id == finding_id)
        )
    ).scalar_one_or_none()


async def cancel_job(engine: AsyncEngine, job_id: int, *, actor: str) -> Job:
    """An analyst's cancel of a queued or running job (the Jobs pane's `c`, `secagent jobs
    cancel`); the job as it is now. A running job's runner notices at its next heartbeat and
    gives the handler up.

    An analysis tier that is cancelled ends its analysis: the analysis is failed with
    "cancelled by <actor>" (and so is the finding's analysis status, when it is the finding's
    latest analysis), so no finding shows "queued" or "running" for work nobody will do. A
    cancelled push leaves its decision pending: the next runner with a push handler queues a
    new push for it (`intents.requeue_orphans`) — cancelling a push pauses it, it does not
    undo the decision. Audited as `job_cancelled`."""
    now = _now()
    async with write_transaction(engine) as conn:
        job = await _job_for_update(conn, job_id)
        if job.status.value not in ACTIVE:
            raise JobNotChangeable(
                f"job {job_id} is {job.status.value}: only queued or running jobs can be cancelled"
            )
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status.in_(ACTIVE))
            .values(status=JobStatus.CANCELLED.value, finished_at=now, lease_expires_at=None)
        )
        analysis_id = job.payload.get("analysis_id")
        if job.kind.uses_llm and analysis_id is not None:
            reason = f"job {job_id} ({job.kind.value}) cancelled by {actor}"
            latest = await _latest_analysis_id(conn, job.finding_id)
            await _fail_analysis(
                conn,
                int(analysis_id),
                job.finding_id if latest == int(analysis_id) else None,
                reason,
                now,
            )
        await _audit(conn, job, actor, "job_cancelled", now)
        return await _job_for_update(conn, job_id)


async def _check_retry(conn: AsyncConnection, job: Job, *, allow_push: bool) -> int | None:
    """Why retrying `job` would do harm, as JobNotChangeable; else the analysis to re-open."""
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise JobNotChangeable(
            f"job {job.id} is {job.status.value}: only failed or cancelled jobs can be retried"
        )
    if job.kind is JobKind.SYNC:
        raise JobNotChangeable(f"job {job.id} is a sync: no runner runs sync jobs; sync instead")
    if job.kind is JobKind.DISMISS_PUSH:
        if not allow_push:
            raise JobNotChangeable(
                f"read-only: job {job.id} is a push, retrying it would write to GitHub"
            )
        await _check_push_retry(conn, job)
        return None
    analysis_id = job.payload.get("analysis_id")
    if analysis_id is None:
        return None
    latest = await _latest_analysis_id(conn, job.finding_id)
    if latest is not None and latest != int(analysis_id):
        raise JobNotChangeable(
            f"job {job.id} belongs to analysis {analysis_id}, which analysis {latest} "
            "replaced: analyze the finding again instead"
        )
    if await _has_live_job(conn, job, analysis_id=int(analysis_id)):
        raise JobNotChangeable(f"analysis {analysis_id} already has a queued or running job")
    return int(analysis_id)


async def _has_live_job(conn: AsyncConnection, job: Job, *, analysis_id: int | None) -> bool:
    stmt = select(jobs.c.id, jobs.c.payload).where(
        jobs.c.finding_id == job.finding_id,
        jobs.c.kind == job.kind.value if analysis_id is None else jobs.c.uses_llm,
        jobs.c.status.in_(ACTIVE),
        jobs.c.id != job.id,
    )
    rows = (await conn.execute(stmt)).all()
    if analysis_id is None:
        return bool(rows)
    return any((r.payload or {}).get("analysis_id") == analysis_id for r in rows)


async def _check_push_retry(conn: AsyncConnection, job: Job) -> None:
    intent_id = job.payload.get("intent_id")
    status = (
        await conn.execute(select(intents.c.status).where(intents.c.id == intent_id))
    ).scalar_one_or_none()
    if status != IntentStatus.PENDING.value:
        raise JobNotChangeable(
            f"job {job.id} pushes decision {intent_id}, which is {status or 'gone'}: "
            "decide again instead"
        )
    if await _has_live_job(conn, job, analysis_id=None):
        raise JobNotChangeable(f"decision {intent_id} already has a queued or running push")


async def retry_job(
    engine: AsyncEngine, job_id: int, *, actor: str, allow_push: bool = True
) -> Job:
    """An analyst's retry of a failed or cancelled job (the Jobs pane's `r`, `secagent jobs
    retry`): queued again to run now; the job as it is now.

    One more attempt: `attempts` keeps counting every try, and `max_attempts` becomes at
    least `attempts + 1`, so a job that had used its attempts gets exactly one more (and the
    usual backoff applies to none, since it fails for good after it), while a job cancelled
    before it ran keeps the attempts it had. `last_error` stays until the next claim.

    Refused (JobNotChangeable) where a retry would do harm or nothing:
    - an analysis tier whose analysis a newer one replaced (re-running it would write the
      old run over the finding's current one), or whose analysis already has a live job;
    - a push whose decision is no longer pending (confirmed, superseded or refused: the
      handler would skip it), or whose finding already has a live push;
    - a `sync` job (no runner has a handler for one);
    - a push when not `allow_push` (`--read-only`: it would write to GitHub).
    An analysis tier re-opens its analysis: the analysis and the finding's analysis status go
    from failed back to queued, without the error. Audited as `job_retried`."""
    now = _now()
    async with write_transaction(engine) as conn:
        job = await _job_for_update(conn, job_id)
        analysis_id = await _check_retry(conn, job, allow_push=allow_push)
        await conn.execute(
            update(jobs)
            .where(
                jobs.c.id == job_id,
                jobs.c.status.in_([JobStatus.FAILED.value, JobStatus.CANCELLED.value]),
            )
            .values(
                status=JobStatus.QUEUED.value,
                max_attempts=func.max(jobs.c.max_attempts, jobs.c.attempts + 1)
                if engine.dialect.name == "sqlite"
                else func.greatest(jobs.c.max_attempts, jobs.c.attempts + 1),
                claimed_by=None,
                lease_expires_at=None,
                run_after=now,
                finished_at=None,
            )
        )
        if analysis_id is not None:
            await conn.execute(
                update(analyses)
                .where(analyses.c.id == analysis_id)
                .values(status="queued", error=None, finished_at=None)
            )
            await conn.execute(
                update(findings)
                .where(findings.c.id == job.finding_id)
                .values(analysis_status="queued", analysis_error=None, analysis_updated_at=now)
            )
        await _audit(conn, job, actor, "job_retried", now, attempts=job.attempts)
        return await _job_for_update(conn, job_id)
