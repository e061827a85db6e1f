"""Durable jobs (store/jobs.py) and the runner over them (pipeline/runner.py), on a real
database: every test that takes `engine` runs on SQLite and on PostgreSQL (conftest.py).

The claim is the heart of review findings #1/#2/#10: one atomic statement that enforces the
per-owner limit on running LLM jobs, reclaims expired leases, and hands out work in FIFO
order. The runner tests use trivial handlers, so what is tested is the runner itself: idle
detection, chains on one correlation id, retries, permanent failures, giving a job up when
its lease is no longer its own, and the slot bound.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.pipeline.runner import JobContext, JobRunner, PermanentJobError
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.jobs import ACTIVE, Job, JobKind, JobStatus
from secagent_tui.store.schema import audit_events, jobs

LIMIT = 3
LEASE = 30.0
# Generous bound on any single wait: a hang fails the test instead of blocking CI.
TIMEOUT = 20.0


def _now() -> datetime:
    return datetime.now(UTC)


async def _enqueue(
    engine: AsyncEngine,
    kind: JobKind = JobKind.TRIAGE,
    *,
    owner: str = "acme",
    cid: str = "cid-1",
    max_attempts: int = 3,
    run_after: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    return await job_store.enqueue(
        engine,
        kind,
        owner=owner,
        correlation_id=cid,
        max_attempts=max_attempts,
        run_after=run_after,
        payload=payload,
    )


async def _claim(
    engine: AsyncEngine,
    worker: str = "w1",
    *,
    limit: int = LIMIT,
    lease: float = LEASE,
    kinds: list[JobKind] | None = None,
    cid: str | None = None,
) -> Job | None:
    return await job_store.claim(
        engine,
        worker,
        lease_seconds=lease,
        max_concurrent_per_owner=limit,
        kinds=kinds,
        correlation_id=cid,
    )


async def _row(engine: AsyncEngine, job_id: int) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(select(jobs).where(jobs.c.id == job_id))).one()


async def _set(engine: AsyncEngine, job_id: int, **values: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


async def _expire_lease(engine: AsyncEngine, job_id: int) -> None:
    await _set(engine, job_id, lease_expires_at=_now() - timedelta(seconds=5))


async def _make_runnable(engine: AsyncEngine, job_id: int) -> None:
    """Skip a retry's backoff without waiting for it."""
    await _set(engine, job_id, run_after=_now() - timedelta(seconds=1))


async def _audit(engine: AsyncEngine, action: str) -> list[Any]:
    stmt = select(audit_events).where(audit_events.c.action == action).order_by(audit_events.c.id)
    async with engine.connect() as conn:
        return list((await conn.execute(stmt)).all())


async def _statuses(engine: AsyncEngine) -> dict[int, str]:
    async with engine.connect() as conn:
        return dict((await conn.execute(select(jobs.c.id, jobs.c.status))).all())


def _xfail_on_postgresql(request: pytest.FixtureRequest, engine: AsyncEngine, reason: str) -> None:
    if engine.dialect.name == "postgresql":
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def _close_to(value: datetime | None, expected: datetime, tolerance: float = 3.0) -> bool:
    return value is not None and abs((value - expected).total_seconds()) <= tolerance


# ------------------------------------------------------------------------------ claim


async def test_claim_enforces_the_per_owner_limit_for_llm_jobs_only(engine: AsyncEngine) -> None:
    base = _now() - timedelta(seconds=10)
    triage = await _enqueue(engine, JobKind.TRIAGE, run_after=base)
    sandbox = await _enqueue(engine, JobKind.SANDBOX, run_after=base)
    extraction = await _enqueue(engine, JobKind.EXTRACTION, run_after=base)
    fourth_llm = await _enqueue(engine, JobKind.TRIAGE, run_after=base)
    push = await _enqueue(engine, JobKind.DISMISS_PUSH, run_after=base)
    sync = await _enqueue(engine, JobKind.SYNC, run_after=base)
    other_owner = await _enqueue(engine, JobKind.TRIAGE, owner="globex", run_after=base)

    claimed = []
    while (job := await _claim(engine)) is not None:
        claimed.append(job.id)
        assert len(claimed) < 20, "claim never ran dry"

    # Every kind calling the LLM counts; the fourth acme analysis waits, while acme's
    # dismissal push and sync, and another owner's analysis, go ahead.
    assert claimed == [triage, sandbox, extraction, push, sync, other_owner]
    assert (await _row(engine, fourth_llm)).status == "queued"

    # A slot freed by a finished analysis lets the waiting one through.
    assert await job_store.complete(engine, sandbox, "w1")
    nxt = await _claim(engine)
    assert nxt is not None and nxt.id == fourth_llm
    assert await _claim(engine) is None


async def test_running_non_llm_jobs_do_not_use_the_owners_analysis_slots(
    engine: AsyncEngine,
) -> None:
    pushes = [await _enqueue(engine, JobKind.DISMISS_PUSH) for _ in range(4)]
    for _ in pushes:
        assert (await _claim(engine)) is not None
    analyses = [await _enqueue(engine, JobKind.TRIAGE) for _ in range(4)]
    got = [await _claim(engine) for _ in range(4)]
    assert [j.id if j else None for j in got] == [*analyses[:3], None]


async def test_the_limit_is_per_owner_and_owner_names_are_case_insensitive(
    engine: AsyncEngine,
) -> None:
    await _enqueue(engine, owner="Acme")
    await _enqueue(engine, owner="ACME")
    acme_third = await _enqueue(engine, owner="acme")
    globex = [await _enqueue(engine, owner="globex") for _ in range(2)]
    first = await _claim(engine, limit=2)
    second = await _claim(engine, limit=2)
    assert first is not None and second is not None
    assert {first.owner, second.owner} == {"acme"}
    # acme is at its limit of 2: the next claims go to globex, then nothing.
    third, fourth = await _claim(engine, limit=2), await _claim(engine, limit=2)
    assert [third.id if third else None, fourth.id if fourth else None] == globex
    assert await _claim(engine, limit=2) is None
    assert (await _row(engine, acme_third)).status == "queued"


async def test_claim_is_fifo_by_run_after_then_id(engine: AsyncEngine) -> None:
    now = _now()
    later = await _enqueue(engine, run_after=now - timedelta(seconds=10), owner="a")
    first = await _enqueue(engine, run_after=now - timedelta(seconds=60), owner="b")
    same_time_higher_id = await _enqueue(engine, run_after=now - timedelta(seconds=60), owner="c")
    future = await _enqueue(engine, run_after=now + timedelta(hours=1), owner="d")

    order = []
    while (job := await _claim(engine, limit=10)) is not None:
        order.append(job.id)
    assert order == [first, same_time_higher_id, later]
    assert (await _row(engine, future)).status == "queued"


async def test_claim_filters_by_kind_and_by_correlation_id(engine: AsyncEngine) -> None:
    triage_a = await _enqueue(engine, JobKind.TRIAGE, cid="chain-a")
    push_a = await _enqueue(engine, JobKind.DISMISS_PUSH, cid="chain-a")
    triage_b = await _enqueue(engine, JobKind.TRIAGE, cid="chain-b")
    sync_b = await _enqueue(engine, JobKind.SYNC, cid="chain-b")

    job = await _claim(engine, kinds=[JobKind.DISMISS_PUSH, JobKind.SYNC])
    assert job is not None and job.id == push_a
    job = await _claim(engine, kinds=[JobKind.DISMISS_PUSH])
    assert job is None
    job = await _claim(engine, cid="chain-b")
    assert job is not None and job.id == triage_b
    job = await _claim(engine, cid="chain-b", kinds=[JobKind.TRIAGE])
    assert job is None
    job = await _claim(engine, cid="chain-b")
    assert job is not None and job.id == sync_b
    job = await _claim(engine, cid="chain-b")
    assert job is None
    job = await _claim(engine)
    assert job is not None and job.id == triage_a


async def test_a_claim_records_worker_attempt_and_lease(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine, payload={"analysis_id": 7})
    before = _now()
    job = await _claim(engine, "worker-7", lease=45)
    assert job is not None
    assert (job.id, job.status, job.attempts, job.claimed_by) == (
        job_id,
        JobStatus.RUNNING,
        1,
        "worker-7",
    )
    assert job.payload == {"analysis_id": 7}
    row = await _row(engine, job_id)
    assert _close_to(row.lease_expires_at, before + timedelta(seconds=45))
    assert _close_to(row.heartbeat_at, before)
    assert _close_to(row.started_at, before)
    assert await job_store.count_active(engine) == 1
    assert await job_store.count_active(engine, "cid-1") == 1
    assert await job_store.count_active(engine, "other") == 0
    assert [j.id for j in await job_store.jobs_for(engine, "cid-1")] == [job_id]


async def test_racing_claims_from_many_connections_never_exceed_the_limit(
    engine: AsyncEngine, database_url: str
) -> None:
    """20 claimers, each on its own engine (its own connection, on SQLite its own thread),
    released at once against 10 queued analyses of one owner: exactly 3 are claimed."""
    for _ in range(10):
        await _enqueue(engine, JobKind.TRIAGE)
    engines = [create_engine(database_url) for _ in range(20)]
    barrier = asyncio.Barrier(len(engines))

    async def claimer(index: int, eng: AsyncEngine) -> list[int]:
        async with eng.connect() as conn:  # open the connection before the race starts
            await conn.exec_driver_sql("SELECT 1")
        await barrier.wait()
        got = []
        for _ in range(2):
            job = await _claim(eng, f"racer-{index}")
            if job is not None:
                got.append(job.id)
        return got

    try:
        results = await asyncio.wait_for(
            asyncio.gather(*(claimer(i, e) for i, e in enumerate(engines))), TIMEOUT
        )
    finally:
        for eng in engines:
            await eng.dispose()
    claimed = [job_id for got in results for job_id in got]
    assert len(claimed) == LIMIT
    assert len(set(claimed)) == LIMIT, "one job handed to two claimers"
    statuses = await _statuses(engine)
    assert sorted(statuses.values()).count("running") == LIMIT
    assert sorted(statuses.values()).count("queued") == 10 - LIMIT


# ------------------------------------------------------------------------------ lease, outcome


async def test_heartbeat_extends_the_lease_of_its_own_job_only(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine)
    assert await _claim(engine, "w1", lease=30) is not None
    first = await _row(engine, job_id)

    assert await job_store.heartbeat(engine, job_id, "w1", 600)
    renewed = await _row(engine, job_id)
    assert _close_to(renewed.lease_expires_at, _now() + timedelta(seconds=600))
    assert renewed.heartbeat_at >= first.heartbeat_at
    assert not await job_store.heartbeat(engine, job_id, "someone-else", 600)


async def test_heartbeat_is_refused_once_the_job_is_cancelled(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    assert await job_store.cancel(engine, job_id)
    assert not await job_store.heartbeat(engine, job_id, "w1", LEASE)
    assert (await _row(engine, job_id)).status == "cancelled"


async def test_heartbeat_is_refused_once_the_job_is_reclaimed(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    await _expire_lease(engine, job_id)
    assert await job_store.reclaim_expired(engine) == 1
    assert not await job_store.heartbeat(engine, job_id, "w1", LEASE)
    # ... and stays refused after another worker has taken it over.
    job = await _claim(engine, "w2")
    assert job is not None and job.id == job_id
    assert not await job_store.heartbeat(engine, job_id, "w1", LEASE)
    assert await job_store.heartbeat(engine, job_id, "w2", LEASE)


async def test_only_the_claimer_completes_a_job_and_only_once(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine)
    queued_only = await _enqueue(engine, owner="globex")
    assert not await job_store.complete(engine, queued_only, "w1"), "completed a queued job"
    job = await _claim(engine, "w1")
    assert job is not None and job.id == job_id
    assert not await job_store.complete(engine, job_id, "w2")
    assert await job_store.complete(engine, job_id, "w1")
    assert not await job_store.complete(engine, job_id, "w1")
    row = await _row(engine, job_id)
    assert row.status == "done"
    assert row.finished_at is not None
    assert row.lease_expires_at is None


async def test_fail_retries_with_exponential_backoff_then_fails_for_good(
    engine: AsyncEngine,
) -> None:
    job_id = await _enqueue(engine, max_attempts=3)
    for attempt in (1, 2):
        job = await _claim(engine, "w1")
        assert job is not None and (job.id, job.attempts) == (job_id, attempt)
        assert await job_store.fail(engine, job_id, "w2", "not mine", backoff_seconds=10) is None
        status = await job_store.fail(engine, job_id, "w1", f"boom {attempt}", backoff_seconds=10)
        assert status is JobStatus.QUEUED
        row = await _row(engine, job_id)
        assert (row.status, row.last_error, row.claimed_by) == ("queued", f"boom {attempt}", None)
        # backoff * 2^(attempts-1): 10 s after the first attempt, 20 s after the second.
        assert _close_to(row.run_after, _now() + timedelta(seconds=10 * 2 ** (attempt - 1)))
        assert row.finished_at is None
        assert await _claim(engine, "w1") is None, "claimed before its backoff ran out"
        await _make_runnable(engine, job_id)

    job = await _claim(engine, "w1")
    assert job is not None and job.attempts == 3
    long_error = "boom 3 " + "x" * 5000
    status = await job_store.fail(engine, job_id, "w1", long_error, backoff_seconds=10)
    assert status is JobStatus.FAILED
    row = await _row(engine, job_id)
    assert row.status == "failed"
    assert row.attempts == 3
    assert row.last_error == long_error[:2000]
    assert row.finished_at is not None
    await _make_runnable(engine, job_id)
    assert await _claim(engine, "w1") is None
    assert await job_store.count_active(engine) == 0


async def test_fail_permanently_fails_at_once_with_attempts_left(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine, max_attempts=5)
    assert await _claim(engine, "w1") is not None
    assert await job_store.fail_permanently(engine, job_id, "w2", "nope") is None
    assert await job_store.fail_permanently(engine, job_id, "w1", "422 from GitHub") is (
        JobStatus.FAILED
    )
    row = await _row(engine, job_id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "422 from GitHub")
    assert row.finished_at is not None
    assert await _claim(engine, "w1") is None


async def test_cancel_of_a_queued_and_of_a_running_job(engine: AsyncEngine) -> None:
    running = await _enqueue(engine)
    queued = await _enqueue(engine, run_after=_now() + timedelta(hours=1))
    assert await _claim(engine, "w1") is not None

    assert await job_store.cancel(engine, queued)
    assert await job_store.cancel(engine, running)
    for job_id in (queued, running):
        row = await _row(engine, job_id)
        assert row.status == "cancelled"
        assert row.finished_at is not None
    assert not await job_store.complete(engine, running, "w1")
    assert await job_store.fail(engine, running, "w1", "x", backoff_seconds=1) is None
    assert not await job_store.cancel(engine, running), "cancelled twice"
    await _make_runnable(engine, queued)
    assert await _claim(engine, "w1") is None
    assert await job_store.count_active(engine) == 0

    done = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    assert await job_store.complete(engine, done, "w1")
    assert not await job_store.cancel(engine, done), "cancelled a finished job"
    assert (await _row(engine, done)).status == "done"


# ------------------------------------------------------------------------------ reclaim


async def test_an_expired_lease_is_reclaimed_by_the_next_claim(engine: AsyncEngine) -> None:
    """The worker died mid-job: its lease runs out and the next claim (of any worker) puts
    the job back in the queue and takes it, counting the reclaim as an audit event."""
    job_id = await _enqueue(engine, max_attempts=3)
    assert await _claim(engine, "dead-worker") is not None
    await _expire_lease(engine, job_id)

    job = await _claim(engine, "w2")
    assert job is not None
    assert (job.id, job.attempts, job.claimed_by, job.status) == (
        job_id,
        2,
        "w2",
        JobStatus.RUNNING,
    )
    events = await _audit(engine, "lease_reclaimed")
    assert len(events) == 1
    assert events[0].detail == {"job_id": job_id, "worker": "dead-worker"}
    # The dead worker, should it come back, can no longer touch the job.
    assert not await job_store.complete(engine, job_id, "dead-worker")
    assert await job_store.fail(engine, job_id, "dead-worker", "x", backoff_seconds=1) is None
    assert await job_store.complete(engine, job_id, "w2")


async def test_a_reclaimed_job_the_claimer_cannot_take_waits_queued(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine, JobKind.TRIAGE)
    assert await _claim(engine, "dead-worker") is not None
    await _expire_lease(engine, job_id)
    assert await _claim(engine, "sync-only", kinds=[JobKind.SYNC]) is None
    row = await _row(engine, job_id)
    assert (row.status, row.claimed_by, row.lease_expires_at) == ("queued", None, None)
    assert row.last_error is not None and "lease expired" in row.last_error
    assert "dead-worker" in row.last_error
    assert len(await _audit(engine, "lease_reclaimed")) == 1


async def test_an_expired_lease_with_no_attempts_left_fails_the_job(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine, max_attempts=1)
    assert await _claim(engine, "dead-worker") is not None
    await _expire_lease(engine, job_id)

    assert await _claim(engine, "w2") is None
    row = await _row(engine, job_id)
    assert row.status == "failed"
    assert row.attempts == 1
    assert row.last_error is not None and "lease expired" in row.last_error
    assert row.finished_at is not None
    assert row.claimed_by is None
    assert len(await _audit(engine, "lease_reclaimed")) == 1
    assert await job_store.count_active(engine) == 0


async def test_reclaim_expired_touches_only_expired_leases(engine: AsyncEngine) -> None:
    live = await _enqueue(engine)
    claimed_never_started = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    assert await _claim(engine, "w1") is not None
    await _expire_lease(engine, claimed_never_started)

    assert await job_store.reclaim_expired(engine) == 1
    assert (await _row(engine, live)).status == "running"
    assert (await _row(engine, claimed_never_started)).status == "queued"
    assert await job_store.reclaim_expired(engine) == 0
    assert len(await _audit(engine, "lease_reclaimed")) == 1


# ------------------------------------------------------------------------------ races
#
# Two transactions interleaved by hand: the first holds its row lock (uncommitted) while the
# call under test starts, then commits while that call is between its read and its write.
# On SQLite the call's write transaction (BEGIN IMMEDIATE) simply waits for the commit.


async def test_a_lease_renewed_during_a_reclaim_is_not_counted_as_reclaimed(
    engine: AsyncEngine, request: pytest.FixtureRequest
) -> None:
    job_id = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    await _expire_lease(engine, job_id)
    async with engine.connect() as conn:
        renewal = await conn.begin()
        # What a late heartbeat of w1 does: renew the lease (not yet committed).
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.claimed_by == "w1")
            .values(heartbeat_at=_now(), lease_expires_at=_now() + timedelta(seconds=60))
        )
        claiming = asyncio.create_task(_claim(engine, "w2"))
        await asyncio.sleep(0.5)  # the claim has read the expired lease and waits for the row
        await renewal.commit()
    assert await asyncio.wait_for(claiming, TIMEOUT) is None
    row = await _row(engine, job_id)
    assert (row.status, row.claimed_by, row.attempts) == ("running", "w1", 1)
    assert await _audit(engine, "lease_reclaimed") == [], "audited a reclaim that did not happen"


async def test_a_failure_recorded_during_a_cancel_does_not_revive_the_job(
    engine: AsyncEngine, request: pytest.FixtureRequest
) -> None:
    job_id = await _enqueue(engine)
    assert await _claim(engine, "w1") is not None
    async with engine.connect() as conn:
        cancelling = await conn.begin()
        # What cancel() does, not yet committed.
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status.in_(ACTIVE))
            .values(status="cancelled", finished_at=_now(), lease_expires_at=None)
        )
        failing = asyncio.create_task(
            job_store.fail(engine, job_id, "w1", "boom", backoff_seconds=1)
        )
        await asyncio.sleep(0.5)  # fail() has read the running job and waits for the row
        await cancelling.commit()
    assert await asyncio.wait_for(failing, TIMEOUT) is None
    assert (await _row(engine, job_id)).status == "cancelled"


async def test_a_claim_for_no_kind_claims_nothing(engine: AsyncEngine) -> None:
    job_id = await _enqueue(engine, JobKind.SYNC)
    assert await _claim(engine, kinds=[]) is None
    assert (await _row(engine, job_id)).status == "queued"


# ------------------------------------------------------------------------------ runner


def _config(**analysis: Any) -> Config:
    """Defaults with quick timings. `model_copy` skips validation on purpose: the config
    refuses leases under 5 s, which would make the heartbeat tests crawl."""
    config = Config()
    values: dict[str, Any] = {
        "lease_seconds": 5,
        "backoff_seconds": 0.05,
        "max_attempts": 3,
        "max_concurrent_per_owner": LIMIT,
        **analysis,
    }
    config.analysis = config.analysis.model_copy(update=values)
    return config


Handler = Callable[[JobContext], Awaitable[None]]


def _runner(
    engine: AsyncEngine,
    handlers: dict[JobKind, Handler],
    config: Config | None = None,
    **kwargs: Any,
) -> JobRunner:
    kwargs.setdefault("poll_seconds", 0.05)
    return JobRunner(engine, config or _config(), handlers, worker_id="test-runner", **kwargs)


async def _run(runner: JobRunner, **kwargs: Any) -> Any:
    return await asyncio.wait_for(runner.run(**kwargs), TIMEOUT)


async def test_until_idle_runs_what_is_runnable_and_stops(engine: AsyncEngine) -> None:
    seen: list[int] = []

    async def handler(ctx: JobContext) -> None:
        seen.append(ctx.job.id)

    ready = [await _enqueue(engine, JobKind.TRIAGE, owner=f"o{i}") for i in range(3)]
    later = await _enqueue(engine, JobKind.TRIAGE, run_after=_now() + timedelta(hours=1))
    summary = await _run(_runner(engine, {JobKind.TRIAGE: handler}), until_idle=True)

    assert sorted(seen) == ready
    assert (summary.done, summary.failed, summary.retried, summary.lost) == (3, 0, 0, 0)
    statuses = await _statuses(engine)
    assert [statuses[i] for i in ready] == ["done"] * 3
    assert statuses[later] == "queued"


async def test_until_idle_on_an_empty_queue_returns_at_once(engine: AsyncEngine) -> None:
    start = time.monotonic()
    summary = await _run(_runner(engine, {JobKind.TRIAGE: _noop}), until_idle=True)
    assert summary.done == 0
    assert time.monotonic() - start < 5


async def _noop(ctx: JobContext) -> None:
    return None


class _Overlap:
    """A handler that takes 0.1 s and records how many of its calls ran at once."""

    def __init__(self) -> None:
        self.running = self.peak = 0

    async def handler(self, ctx: JobContext) -> None:
        self.running += 1
        self.peak = max(self.peak, self.running)
        await asyncio.sleep(0.1)
        self.running -= 1


async def test_runner_leaves_kinds_it_has_no_handler_for(engine: AsyncEngine) -> None:
    sync = await _enqueue(engine, JobKind.SYNC)
    triage = await _enqueue(engine, JobKind.TRIAGE)
    await _run(_runner(engine, {JobKind.TRIAGE: _noop}), until_idle=True)
    statuses = await _statuses(engine)
    assert (statuses[triage], statuses[sync]) == ("done", "queued")


async def test_a_chain_is_followed_through_a_backoff_retry_until_it_ends(
    engine: AsyncEngine,
) -> None:
    """`analyze --wait` mode: only the chain's jobs, waiting out a retry's backoff, then the
    follow-up the handler queued, and return when nothing of the chain is active."""
    backoff = 0.4
    calls: list[tuple[str, int]] = []

    async def triage(ctx: JobContext) -> None:
        calls.append(("triage", ctx.job.attempts))
        if ctx.job.attempts == 1:
            raise RuntimeError("flaky")
        ctx.enqueue(JobKind.SANDBOX, {"step": 2})

    async def sandbox(ctx: JobContext) -> None:
        calls.append(("sandbox", ctx.job.attempts))
        assert ctx.job.payload == {"step": 2}

    first = await _enqueue(engine, JobKind.TRIAGE, cid="chain")
    stranger = await _enqueue(engine, JobKind.TRIAGE, cid="someone-else")
    runner = _runner(
        engine,
        {JobKind.TRIAGE: triage, JobKind.SANDBOX: sandbox},
        _config(backoff_seconds=backoff),
    )
    start = time.monotonic()
    summary = await _run(runner, correlation_id="chain")

    assert time.monotonic() - start >= backoff * 0.9
    assert calls == [("triage", 1), ("triage", 2), ("sandbox", 1)]
    assert (summary.done, summary.retried, summary.failed) == (2, 1, 0)
    chain = await job_store.jobs_for(engine, "chain")
    assert [(j.kind, j.status) for j in chain] == [
        (JobKind.TRIAGE, JobStatus.DONE),
        (JobKind.SANDBOX, JobStatus.DONE),
    ]
    assert chain[0].id == first
    assert chain[1].owner == "acme" and chain[1].correlation_id == "chain"
    assert (await _row(engine, stranger)).status == "queued"


async def test_permanent_error_fails_at_once_and_reports_the_final_failure(
    engine: AsyncEngine,
) -> None:
    reported: list[tuple[int, str]] = []
    calls = 0

    async def handler(ctx: JobContext) -> None:
        nonlocal calls
        calls += 1
        raise PermanentJobError("GitHub answered 422")

    async def on_final_failure(job: Job, error: str) -> None:
        reported.append((job.id, error))

    job_id = await _enqueue(engine, max_attempts=3)
    runner = _runner(engine, {JobKind.TRIAGE: handler}, on_final_failure=on_final_failure)
    summary = await _run(runner, correlation_id="cid-1")

    assert calls == 1
    assert (summary.failed, summary.retried, summary.done) == (1, 0, 0)
    assert reported == [(job_id, "GitHub answered 422")]
    row = await _row(engine, job_id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "GitHub answered 422")


async def test_an_ordinary_error_is_retried_then_fails_with_its_reason(
    engine: AsyncEngine,
) -> None:
    reported: list[tuple[int, str]] = []
    attempts: list[int] = []

    async def handler(ctx: JobContext) -> None:
        attempts.append(ctx.job.attempts)
        raise ValueError(f"bad answer {ctx.job.attempts}")

    async def on_final_failure(job: Job, error: str) -> None:
        reported.append((job.id, error))

    job_id = await _enqueue(engine, max_attempts=3)
    runner = _runner(engine, {JobKind.TRIAGE: handler}, on_final_failure=on_final_failure)
    summary = await _run(runner, correlation_id="cid-1")

    assert attempts == [1, 2, 3]
    assert (summary.retried, summary.failed, summary.done) == (2, 1, 0)
    assert reported == [(job_id, "ValueError: bad answer 3")]
    row = await _row(engine, job_id)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        3,
        "ValueError: bad answer 3",
    )


@pytest.mark.parametrize("how", ["cancelled", "taken_over"])
async def test_a_job_that_is_no_longer_ours_is_given_up(engine: AsyncEngine, how: str) -> None:
    """The heartbeat finds the job cancelled (or claimed by another worker after a reclaim):
    the handler task is cancelled, nothing is recorded over the new owner's work."""
    started = asyncio.Event()
    handler_cancelled = asyncio.Event()
    reported: list[int] = []

    async def handler(ctx: JobContext) -> None:
        started.set()
        try:
            await asyncio.sleep(TIMEOUT * 2)
        except asyncio.CancelledError:
            handler_cancelled.set()
            raise

    async def on_final_failure(job: Job, error: str) -> None:
        reported.append(job.id)

    job_id = await _enqueue(engine)
    runner = _runner(
        engine,
        {JobKind.TRIAGE: handler},
        _config(lease_seconds=0.6),  # heartbeat every 0.2 s
        on_final_failure=on_final_failure,
    )
    task = asyncio.create_task(runner.run(until_idle=True))
    try:
        await asyncio.wait_for(started.wait(), TIMEOUT)
        if how == "cancelled":
            assert await job_store.cancel(engine, job_id)
        else:
            await _set(engine, job_id, claimed_by="other-worker")
        summary = await asyncio.wait_for(task, TIMEOUT)
    finally:
        task.cancel()

    assert handler_cancelled.is_set()
    assert (summary.lost, summary.done, summary.failed, summary.retried) == (1, 0, 0, 0)
    assert reported == []
    row = await _row(engine, job_id)
    if how == "cancelled":
        assert row.status == "cancelled"
    else:
        assert (row.status, row.claimed_by) == ("running", "other-worker")


async def test_a_handler_running_past_the_stale_limit_is_stopped_and_failed(
    engine: AsyncEngine,
) -> None:
    handler_cancelled = asyncio.Event()

    async def handler(ctx: JobContext) -> None:
        try:
            await asyncio.sleep(TIMEOUT * 2)
        except asyncio.CancelledError:
            handler_cancelled.set()
            raise

    # Attempts are left, but a job that used up its time bound is not tried again.
    job_id = await _enqueue(engine, max_attempts=3)
    config = _config(running_stale_minutes=0.5 / 60)  # half a second
    summary = await _run(_runner(engine, {JobKind.TRIAGE: handler}, config), until_idle=True)
    await asyncio.wait_for(handler_cancelled.wait(), TIMEOUT)
    assert summary.failed == 1 and summary.retried == 0
    row = await _row(engine, job_id)
    assert row.status == "failed" and row.attempts == 1
    assert row.last_error.startswith("ran past its time bound (analysis.running_stale_minutes")


async def test_the_runner_never_runs_more_than_its_slots(engine: AsyncEngine) -> None:
    overlap = _Overlap()
    # Dismissal pushes of many owners: neither kind nor owner limits anything but slots.
    ids = [await _enqueue(engine, JobKind.DISMISS_PUSH, owner=f"o{i}") for i in range(8)]
    runner = _runner(engine, {JobKind.DISMISS_PUSH: overlap.handler}, slots=2)
    summary = await _run(runner, until_idle=True)
    assert overlap.peak == 2
    assert summary.done == 8
    statuses = await _statuses(engine)
    assert {statuses[i] for i in ids} == {"done"}


async def test_the_runner_keeps_to_the_per_owner_limit_with_spare_slots(
    engine: AsyncEngine,
) -> None:
    overlap = _Overlap()
    for _ in range(7):
        await _enqueue(engine, JobKind.TRIAGE)
    runner = _runner(engine, {JobKind.TRIAGE: overlap.handler}, slots=10)
    summary = await _run(runner, until_idle=True)
    assert overlap.peak == LIMIT
    assert summary.done == 7


async def test_the_runner_reclaims_a_job_claimed_and_never_started_on_start(
    engine: AsyncEngine,
) -> None:
    """A runner claimed the job and died before running it; its lease has run out. A new
    runner takes it over on start and finishes it, as a second attempt."""
    seen: list[int] = []

    async def handler(ctx: JobContext) -> None:
        seen.append(ctx.job.attempts)

    job_id = await _enqueue(engine)
    assert await _claim(engine, "died-before-starting") is not None
    await _expire_lease(engine, job_id)
    summary = await _run(_runner(engine, {JobKind.TRIAGE: handler}), until_idle=True)

    assert seen == [2]
    assert summary.done == 1
    row = await _row(engine, job_id)
    assert (row.status, row.attempts, row.claimed_by) == ("done", 2, "test-runner")
    events = await _audit(engine, "lease_reclaimed")
    assert [e.detail for e in events] == [{"job_id": job_id, "worker": "died-before-starting"}]


async def test_the_runner_waits_for_a_live_lease_held_by_another_worker(
    engine: AsyncEngine,
) -> None:
    """A running job with a live lease belongs to someone else: a chain-following runner
    does not steal it, and ends once that worker finishes it."""
    job_id = await _enqueue(engine, cid="chain")
    assert await _claim(engine, "other", lease=60) is not None
    ran: list[int] = []

    async def handler(ctx: JobContext) -> None:
        ran.append(ctx.job.id)

    async def finish_later() -> None:
        await asyncio.sleep(0.3)
        assert await job_store.complete(engine, job_id, "other")

    runner = _runner(engine, {JobKind.TRIAGE: handler})
    finisher = asyncio.create_task(finish_later())
    summary = await _run(runner, correlation_id="chain")
    await finisher
    assert ran == []
    assert summary.done == 0
    assert (await _row(engine, job_id)).status == "done"


async def test_a_handler_stuck_in_a_thread_fails_with_the_reason_and_other_jobs_still_run(
    engine: AsyncEngine,
) -> None:
    """Busy work runs in a thread, so the event loop stays free: the heartbeat keeps beating,
    the time bound fires, and the runner's other slot keeps taking jobs."""
    release = threading.Event()

    def busy() -> None:  # stands in for CPU-bound work that ignores cancellation
        release.wait(TIMEOUT)

    async def stuck(ctx: JobContext) -> None:
        await asyncio.to_thread(busy)

    async def quick(ctx: JobContext) -> None:
        return None

    stuck_id = await _enqueue(engine, JobKind.TRIAGE, owner="a")
    quick_ids = [await _enqueue(engine, JobKind.DISMISS_PUSH, owner=f"q{i}") for i in range(3)]
    config = _config(running_stale_minutes=0.5 / 60)
    runner = _runner(engine, {JobKind.TRIAGE: stuck, JobKind.DISMISS_PUSH: quick}, config)
    try:
        summary = await _run(runner, until_idle=True)
    finally:
        release.set()
    row = await _row(engine, stuck_id)
    assert row.status == "failed"
    assert row.last_error.startswith("ran past its time bound")
    assert [(await _row(engine, i)).status for i in quick_ids] == ["done"] * 3
    assert summary.done == 3 and summary.failed == 1
