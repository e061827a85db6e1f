"""The Jobs pane's store and service side (store/jobs.job_window, cancel_job, retry_job;
FindingReads.jobs, AnalystServices.cancel_job/retry_job), on SQLite and PostgreSQL.

Jobs are queued the way other processes queue them (another analyst's services, a runner
completing a tier), then read, cancelled and retried as the pane does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.record import FindingRecord
from secagent_tui.github.parser import parse_alert
from secagent_tui.services.analyst import AnalystServices
from secagent_tui.services.reads import actors_of
from secagent_tui.store import jobs as job_store
from secagent_tui.store.analyses import create_analysis, get_analysis
from secagent_tui.store.findings import get_finding_by_id, upsert_findings
from secagent_tui.store.jobs import JobKind, JobNotChangeable, JobStatus, UnknownJob
from secagent_tui.store.schema import audit_events

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _services(engine: AsyncEngine, actor: str) -> AnalystServices:
    return AnalystServices(engine, Config(), lambda: NOW, actor=actor)


@pytest.fixture
async def records(engine: AsyncEngine) -> list[FindingRecord]:
    ds = generate_dataset({"acme": 2}, {}, 3, seed=5, now=NOW)
    await upsert_findings(engine, [parse_alert(a) for _, a in ds.iter_alerts()])
    found = [await get_finding_by_id(engine, i) for i in (1, 2, 3)]
    return [r for r in found if r is not None]


async def _fail_for_good(engine: AsyncEngine, job_id: int, error: str = "boom") -> None:
    job = await job_store.claim(
        engine, "other-host:1:abc", lease_seconds=30, max_concurrent_per_owner=5
    )
    assert job is not None and job.id == job_id
    assert await job_store.fail_permanently(engine, job_id, "other-host:1:abc", error)


async def test_the_window_is_newest_first_bounded_and_names_the_finding(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    bob = _services(engine, "cli:bob")
    await alice.enqueue_analyses(records[:2], triage_only=True, full=False)
    await bob.enqueue_analyses(records[2:], triage_only=False, full=True)
    plain = await job_store.enqueue(engine, JobKind.SYNC, owner="acme", correlation_id="c")

    window = await alice.jobs()
    assert [listing.job.id for listing in window] == [plain, 3, 2, 1]
    assert window[0].finding_ref is None and window[0].job.requested_by is None
    assert window[1].finding_ref == str(records[2].finding.ref)
    assert window[1].job.requested_by == "cli:bob"
    assert window[1].job.created_at is not None and window[1].job.started_at is None
    assert [listing.job.id for listing in await alice.jobs(limit=2)] == [plain, 3]


async def test_mine_is_the_analysts_jobs_through_either_front_end(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    await _services(engine, "tui:alice").enqueue_analyses(records[:1], triage_only=True, full=False)
    await _services(engine, "cli:alice").enqueue_analyses(
        records[1:2], triage_only=True, full=False
    )
    await _services(engine, "tui:bob").enqueue_analyses(records[2:], triage_only=True, full=False)
    await job_store.enqueue(engine, JobKind.TRIAGE, owner="acme", correlation_id="old")

    reads = _services(engine, "tui:alice")
    assert [j.job.id for j in await reads.jobs(mine_as="tui:alice")] == [2, 1]
    assert [j.job.id for j in await reads.jobs(mine_as="cli:bob")] == [3]
    assert actors_of("auto") == {"auto"}
    assert actors_of("tui:alice") == {"tui:alice", "cli:alice"}


async def test_the_later_tiers_and_the_push_carry_who_asked(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    await alice.enqueue_analyses(records[:1], triage_only=False, full=True)
    triage = await job_store.claim(engine, "w", lease_seconds=30, max_concurrent_per_owner=5)
    assert triage is not None
    follow = job_store.FollowUp(
        JobKind.SANDBOX,
        owner=triage.owner,
        correlation_id=triage.correlation_id,
        finding_id=triage.finding_id,
        payload=triage.payload,
        max_attempts=3,
        requested_by=triage.requested_by,
    )
    assert await job_store.complete(engine, triage.id, "w", [follow])
    await alice.decide(records[1:2], DecisionAction.DISMISS, reason="tolerable_risk")

    by_kind = {j.job.kind: j.job for j in await alice.jobs(mine_as="tui:alice")}
    assert by_kind[JobKind.SANDBOX].requested_by == "tui:alice"
    assert by_kind[JobKind.DISMISS_PUSH].requested_by == "tui:alice"


async def test_the_status_filter(engine: AsyncEngine, records: list[FindingRecord]) -> None:
    alice = _services(engine, "tui:alice")
    await alice.enqueue_analyses(records, triage_only=True, full=False)
    await _fail_for_good(engine, 1)
    await alice.cancel_job(2)

    failed = await alice.jobs(statuses={JobStatus.FAILED})
    assert [(j.job.id, j.job.last_error) for j in failed] == [(1, "boom")]
    assert failed[0].job.elapsed(NOW) is not None
    both = await alice.jobs(statuses={JobStatus.FAILED, JobStatus.CANCELLED})
    assert [j.job.id for j in both] == [2, 1]
    assert [j.job.id for j in await alice.jobs(statuses={JobStatus.QUEUED})] == [3]


async def test_cancel_ends_the_analysis_and_is_audited(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    [analysis_id] = await alice.enqueue_analyses(records[:1], triage_only=True, full=False)
    claimed = await job_store.claim(engine, "w", lease_seconds=30, max_concurrent_per_owner=5)
    assert claimed is not None

    job = await _services(engine, "tui:bob").cancel_job(claimed.id)
    assert job.status is JobStatus.CANCELLED
    assert not await job_store.heartbeat(engine, job.id, "w", 30), "the runner gives it up"
    analysis = await get_analysis(engine, analysis_id)
    assert analysis.status.value == "failed"
    record = await get_finding_by_id(engine, records[0].id)
    assert record is not None and record.analysis_status.value == "failed"
    async with engine.connect() as conn:
        audit = (await conn.execute(select(audit_events.c.actor, audit_events.c.action))).all()
    assert ("tui:bob", "job_cancelled") in [tuple(a) for a in audit]

    with pytest.raises(JobNotChangeable, match="cancelled: only queued or running"):
        await alice.cancel_job(claimed.id)
    with pytest.raises(UnknownJob, match="no job 999"):
        await alice.cancel_job(999)


async def test_retry_gives_a_failed_job_one_more_attempt_and_reopens_its_analysis(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    [analysis_id] = await alice.enqueue_analyses(records[:1], triage_only=True, full=False)
    async with engine.begin() as conn:
        await conn.execute(job_store.jobs.update().values(max_attempts=1))
    await _fail_for_good(engine, 1)

    job = await alice.retry_job(1)
    assert job.status is JobStatus.QUEUED
    assert (job.attempts, job.max_attempts) == (1, 2)
    assert job.last_error == "boom", "kept until the next claim"
    analysis = await get_analysis(engine, analysis_id)
    assert analysis.status.value == "queued"
    record = await get_finding_by_id(engine, records[0].id)
    assert record is not None and record.analysis_status.value == "queued"

    again = await job_store.claim(engine, "w2", lease_seconds=30, max_concurrent_per_owner=5)
    assert again is not None and again.id == 1 and again.attempts == 2
    with pytest.raises(JobNotChangeable, match="running: only failed or cancelled"):
        await alice.retry_job(1)
    status = await job_store.fail(engine, 1, "w2", "again", backoff_seconds=0)
    assert status is JobStatus.FAILED, "exactly one more attempt"


async def test_retry_refuses_an_analysis_a_newer_one_replaced(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    await alice.enqueue_analyses(records[:1], triage_only=True, full=False)
    await _fail_for_good(engine, 1)
    newer = await create_analysis(engine, records[0].id, "later", "m")

    with pytest.raises(JobNotChangeable, match=f"analysis {newer} replaced"):
        await alice.retry_job(1)
    assert (await job_store.get_job(engine, 1)).status is JobStatus.FAILED  # type: ignore[union-attr]


async def test_a_cancelled_push_is_retried_unless_read_only_or_decided_since(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine, "tui:alice")
    [push] = await alice.decide(records[:1], DecisionAction.DISMISS, reason="tolerable_risk")
    await alice.cancel_job(push)

    with pytest.raises(JobNotChangeable, match="read-only"):
        await alice.retry_job(push, read_only=True)
    assert (await alice.retry_job(push)).status is JobStatus.QUEUED
    await alice.cancel_job(push)

    fresh = await alice.finding(records[0].id)
    assert fresh is not None
    [newer] = await alice.decide([fresh], DecisionAction.REOPEN)
    with pytest.raises(JobNotChangeable, match="superseded: decide again"):
        await alice.retry_job(push)
    assert (await job_store.get_job(engine, newer)).status is JobStatus.QUEUED  # type: ignore[union-attr]


async def test_a_sync_job_is_never_retried(engine: AsyncEngine) -> None:
    job_id = await job_store.enqueue(engine, JobKind.SYNC, owner="acme", correlation_id="c")
    await job_store.cancel(engine, job_id)
    with pytest.raises(JobNotChangeable, match="sync"):
        await job_store.retry_job(engine, job_id, actor="tui:alice")
