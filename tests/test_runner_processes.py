"""Runners in separate processes sharing one database (review findings #1, #2, #10).

The processes are real (`tests/support/run_worker.py`: the full `Pipeline` runner, as
`secagent worker` runs it), and so are everything around them: the local GitHub server the
alerts are synced from, the local Ollama server every chat goes to through the real ollama
client, git repositories the sandbox clones, and the database: a SQLite file, or a
PostgreSQL database on the pgserver instance.

- Concurrency: three runners, ten full analyses of one owner. The Ollama server counts the
  chats in flight: never more than the per-owner limit of 3 across all processes, and more
  than one, so the runners really worked in parallel. All ten end completed.
- Recovery: a runner killed with SIGKILL in the middle of a chat; the next runner takes the
  job over once its lease has run out, and finishes the chain.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import postgres_url
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.workers import WAIT_TIMEOUT, Workers, sync_all, worker_pool

from secagent_tui import failpoints
from secagent_tui.config import Config, load_config
from secagent_tui.demo.ollama import DemoResponder
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.finding import AlertState, Scope
from secagent_tui.domain.record import FindingRecord
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import FindingFilter, list_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import audit_events, findings, intents, jobs

# Variables of the developer's shell the program would read.
ANALYSES = 10
LIMIT = 3  # the default [analysis] max_concurrent_per_owner
# Job slots per worker process. Together (6) they could run twice the limit, so only the
# shared claim keeps them to it; and no process alone can use all of the owner's slots
# (with Pipeline's default of 4, the first one to start kept all three to itself).
SLOTS = 2
DEV_DEPS_RULE = {
    "name": "dev deps",
    "action": "dismiss",
    "reason": "not_used",
    "scope": "development",
}


# ------------------------------------------------------------------------------ helpers


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(
        folder, orgs={"acme": 2}, users={}, alerts_per_repo=12, auto_dismiss=False
    ) as demo:
        # Each chat "thinks" for 0.3 s, so the chats of concurrent jobs overlap.
        demo.ollama.responder = DemoResponder(delay=0.3)
        yield demo


@pytest.fixture
def workers(session: DemoSession, tmp_path: Path) -> Iterator[Workers]:
    with worker_pool(session.token, tmp_path) as pool:
        yield pool


def _config_variant(
    session: DemoSession,
    name: str,
    *,
    database_url: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    **analysis: Any,
) -> Path:
    """A variant of the session's config (another database, extra [analysis] keys, other
    sections), written next to it by the same writer; its path."""
    config = session.write_config(
        {"analysis": analysis}, overrides, database_url=database_url, name=name
    )
    assert config.source is not None
    return config.source


async def _findings_to_analyse(engine: AsyncEngine, count: int) -> list[FindingRecord]:
    """`count` findings of acme, none of development scope: those go through all three tiers
    (the demo model sends development-scope ones no further than triage)."""
    records = await list_findings(engine, FindingFilter(states=tuple(AlertState), owner="acme"))
    records = [r for r in records if r.finding.scope is not Scope.DEVELOPMENT]
    assert len(records) >= count
    return sorted(records, key=lambda r: r.id)[:count]


async def _job_rows(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(jobs).order_by(jobs.c.id))).all())


async def _analysis_status(engine: AsyncEngine, finding_ids: list[int]) -> dict[int, str]:
    stmt = select(findings.c.id, findings.c.analysis_status).where(findings.c.id.in_(finding_ids))
    async with engine.connect() as conn:
        return dict((await conn.execute(stmt)).all())


def _workers(rows: list[Any]) -> set[str]:
    return {row.claimed_by for row in rows}


def _peak(rows: list[Any]) -> int:
    """Most of `rows` running at once, from their start and finish times (a finish at the
    very instant of another start does not overlap)."""
    edges = sorted(
        (t, step) for row in rows for t, step in ((row.started_at, 1), (row.finished_at, -1))
    )
    peak = now = 0
    for _, step in edges:
        now += step
        peak = max(peak, now)
    return peak


def _cross_process_overlap(rows: list[Any]) -> float:
    """The longest time two jobs of different workers ran side by side, in seconds.

    Only the longest counts: `started_at` is the time a claim began, which on PostgreSQL may
    be a moment before it got its turn at the claim lock, so edges can overlap by a hair
    without two jobs having really run together.
    """
    best = 0.0
    for a in rows:
        for b in rows:
            if a.claimed_by < b.claimed_by:
                shared = min(a.finished_at, b.finished_at) - max(a.started_at, b.started_at)
                best = max(best, shared.total_seconds())
    return best


# ------------------------------------------------------------------------------ concurrency


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_three_runner_processes_keep_the_per_owner_limit_and_finish_every_analysis(
    backend: str,
    session: DemoSession,
    workers: Workers,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    if backend == "sqlite":
        config_path = session.config.source
        assert config_path is not None
    else:
        server = request.getfixturevalue("pg_server")
        name = f"procs_{uuid.uuid4().hex[:8]}"
        server.psql(f"CREATE DATABASE {name};")
        config_path = _config_variant(
            session, "config-pg.toml", database_url=postgres_url(server, name)
        )
    config = load_config(config_path, env={})
    assert config.database.url.startswith(
        "sqlite+aiosqlite:" if backend == "sqlite" else "postgresql+asyncpg:"
    )
    assert config.analysis.max_concurrent_per_owner == LIMIT

    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        records = await _findings_to_analyse(engine, ANALYSES)
        for index, record in enumerate(records):
            await enqueue_analysis(
                engine, config, record, correlation_id=f"proc-{index}", triage_only=False
            )
        session.ollama.reset_log()

        procs = [workers.start(config_path, slots=SLOTS) for _ in range(3)]
        summaries = [await workers.finish(proc) for proc in procs]

        ollama = session.ollama
        assert ollama.errors == []
        assert ollama.max_in_flight_chats <= LIMIT, "the per-owner limit was exceeded"
        assert ollama.max_in_flight_chats >= 2, "the runners never overlapped"
        # Every analysis asked triage, at least one agent step and extraction.
        assert ollama.chat_requests >= 3 * ANALYSES

        statuses = await _analysis_status(engine, [r.id for r in records])
        assert statuses == {r.id: "completed" for r in records}
        rows = await _job_rows(engine)
        assert {row.status for row in rows} == {"done"}, [(r.id, r.status) for r in rows]
        assert await job_store.count_active(engine) == 0
        kinds = [row.kind for row in rows]
        assert kinds.count("triage") == ANALYSES
        assert kinds.count("sandbox") == kinds.count("extraction") == ANALYSES
        assert all(row.attempts == 1 for row in rows), "a job needed a retry"
        assert sum(s["done"] for s in summaries) == len(rows)
        assert all(s["failed"] == 0 and s["lost"] == 0 for s in summaries)
        # Processes really ran jobs side by side (for longer than one 0.3 s chat), each
        # within its slots.
        assert len(_workers(rows)) >= 2
        assert _cross_process_overlap(rows) >= 0.3
        for worker in _workers(rows):
            assert _peak([r for r in rows if r.claimed_by == worker]) <= SLOTS
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------------ recovery


async def _wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting until {what}")
        await asyncio.sleep(0.05)


async def _kill_worker_a_mid_triage(
    engine: AsyncEngine,
    config: Config,
    config_path: Path,
    session: DemoSession,
    workers: Workers,
    correlation_id: str,
) -> tuple[FindingRecord, Any, datetime]:
    """Sync, queue one analysis, start worker-a and SIGKILL it in the middle of the triage
    chat. Returns the finding, its triage job and when the worker was killed."""
    await upgrade(engine)
    await sync_all(engine, config, session.token)
    (record,) = await _findings_to_analyse(engine, 1)
    await enqueue_analysis(engine, config, record, correlation_id=correlation_id, triage_only=False)
    (triage,) = await job_store.jobs_for(engine, correlation_id)

    first = workers.start(config_path, worker_id="worker-a")

    async def mid_chat() -> bool:
        if first.poll() is not None:
            pytest.fail(f"worker-a exited early: {first.communicate()[1][-3000:]}")
        job = await job_store.get_job(engine, triage.id)
        assert job is not None
        return job.status.value == "running" and session.ollama.in_flight_chats >= 1

    await _wait_until(mid_chat, 30, "worker-a is in the middle of the triage chat")
    os.kill(first.pid, signal.SIGKILL)
    killed_at = datetime.now(UTC)
    assert first.wait(timeout=10) == -signal.SIGKILL
    return record, triage, killed_at


async def test_a_runner_killed_mid_analysis_is_taken_over_after_its_lease_expires(
    session: DemoSession, workers: Workers, tmp_path: Path
) -> None:
    lease = 5
    config_path = _config_variant(session, "config-lease.toml", lease_seconds=lease)
    config = load_config(config_path, env={})
    assert config.analysis.lease_seconds == lease
    session.ollama.responder = DemoResponder(delay=5)  # the first chat outlives the worker

    engine = create_engine(config.database.url)
    try:
        record, triage, killed_at = await _kill_worker_a_mid_triage(
            engine, config, config_path, session, workers, "recover"
        )

        job = await job_store.get_job(engine, triage.id)
        assert job is not None
        assert (job.status.value, job.claimed_by, job.attempts) == ("running", "worker-a", 1)

        session.ollama.responder = DemoResponder(delay=0.05)
        second = workers.start(config_path, worker_id="worker-b")
        summary = await workers.finish(second)

        rows = await _job_rows(engine)
        by_id = {row.id: row for row in rows}
        taken_over = by_id[triage.id]
        assert (taken_over.status, taken_over.attempts, taken_over.claimed_by) == (
            "done",
            2,
            "worker-b",
        )
        # Taken over only once the lease ran out: the last heartbeat was at most a third of
        # a lease before the kill, so the lease had at least two thirds left.
        waited = (taken_over.started_at - killed_at).total_seconds()
        assert waited >= lease * 2 / 3 - 0.5, f"the job was taken over after {waited:.1f} s"

        async with engine.connect() as conn:
            events = (
                await conn.execute(
                    select(audit_events).where(audit_events.c.action == "lease_reclaimed")
                )
            ).all()
        assert [e.detail for e in events] == [{"job_id": triage.id, "worker": "worker-a"}]

        assert {row.status for row in rows} == {"done"}, [(r.id, r.kind, r.status) for r in rows]
        assert [row.kind for row in rows] == ["triage", "sandbox", "extraction"]
        assert await job_store.count_active(engine) == 0
        assert await _analysis_status(engine, [record.id]) == {record.id: "completed"}
        assert summary["done"] == 3 and summary["failed"] == 0
    finally:
        await engine.dispose()


async def test_a_last_attempt_killed_with_its_runner_fails_the_analysis_visibly(
    session: DemoSession, workers: Workers, tmp_path: Path
) -> None:
    config_path = _config_variant(session, "config-once.toml", lease_seconds=5, max_attempts=1)
    config = load_config(config_path, env={})
    session.ollama.responder = DemoResponder(delay=5)

    engine = create_engine(config.database.url)
    try:
        record, triage, _ = await _kill_worker_a_mid_triage(
            engine, config, config_path, session, workers, "once"
        )
        await workers.finish(workers.start(config_path, worker_id="worker-b"))

        job = await job_store.get_job(engine, triage.id)
        assert job is not None
        assert (job.status.value, job.attempts) == ("failed", 1)
        assert job.last_error == "lease expired: worker worker-a"
        assert await job_store.count_active(engine) == 0
        # The failure must show where the analyst looks: the finding's analysis.
        async with engine.connect() as conn:
            status, error = (
                await conn.execute(
                    select(findings.c.analysis_status, findings.c.analysis_error).where(
                        findings.c.id == record.id
                    )
                )
            ).one()
        assert status == "failed"
        assert error is not None and "lease expired" in error
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------- crashes at named points
#
# A worker started with SECAGENT_FAILPOINT kills itself (SIGKILL) at that point of the code
# (secagent_tui/failpoints.py); a second worker then finishes what is left. What must hold
# afterwards: every decision reached GitHub exactly as intended, and no step ran twice.

CRASH_LEASE = 5  # seconds (the least the config takes): the killed lease runs out soon


def _crash_config(
    session: DemoSession, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> Path:
    """The session's config with a short lease, on SQLite or a fresh PostgreSQL database,
    and with auto-dismiss on through a config rule for development dependencies (no LLM
    is needed to reach the automatic decision)."""
    database_url = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"crash_{uuid.uuid4().hex[:8]}"
        server.psql(f"CREATE DATABASE {name};")
        database_url = postgres_url(server, name)
    path = _config_variant(
        session,
        f"config-crash-{backend}.toml",
        database_url=database_url,
        overrides={
            "auto_dismiss": {"enabled": True},
            "triage": {"rules": [DEV_DEPS_RULE]},
        },
        lease_seconds=CRASH_LEASE,
        dismiss_writes_per_second=50.0,
    )
    assert load_config(path, env={}).auto_dismiss.enabled
    return path


async def _crash_then_recover(
    workers: Workers, config_path: Path, failpoint: str
) -> dict[str, Any]:
    first = workers.start(config_path, worker_id="worker-a", failpoint=failpoint)
    returncode = await asyncio.to_thread(first.wait, WAIT_TIMEOUT)
    assert returncode == -signal.SIGKILL, f"worker-a never reached {failpoint}"
    return await workers.finish(workers.start(config_path, worker_id="worker-b"))


def _patches(session: DemoSession, record: FindingRecord) -> list[Any]:
    path = rf"/repos/{record.finding.repo}/dependabot/alerts/{record.finding.number}$"
    return session.github.requests_matching("PATCH", path)


async def _dev_finding(engine: AsyncEngine) -> FindingRecord:
    records = await list_findings(engine, FindingFilter(owner="acme"))
    dev = [
        r for r in records if r.finding.scope is Scope.DEVELOPMENT and r.finding.severity.rank < 3
    ]
    assert dev, "the demo dataset has no open development-scope finding below critical"
    return min(dev, key=lambda r: r.id)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_killed_right_after_an_automatic_decision_it_still_reaches_github_once(
    backend: str,
    session: DemoSession,
    workers: Workers,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    config_path = _crash_config(session, tmp_path, backend, request)
    config = load_config(config_path, env={})
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        record = await _dev_finding(engine)
        await enqueue_analysis(engine, config, record, correlation_id="crash-decision")

        await _crash_then_recover(workers, config_path, failpoints.DECISION_RECORDED)

        alert = session.github.dataset.alert(record.finding.repo, record.finding.number)
        assert (alert["state"], alert["dismissed_reason"]) == ("dismissed", "not_used")
        assert len(_patches(session, record)) == 1
        async with engine.connect() as conn:
            decisions = (await conn.execute(select(intents))).all()
        assert [(i.automatic, i.status) for i in decisions] == [(True, "confirmed")]
        rows = await _job_rows(engine)
        assert sorted(r.kind for r in rows) == ["dismiss_push", "triage"]
        assert {r.status for r in rows} == {"done"}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("failpoint", [failpoints.STEP_HANDLED, failpoints.STEP_COMPLETED])
async def test_killed_between_triage_and_the_next_step_the_chain_runs_each_step_once(
    backend: str,
    failpoint: str,
    session: DemoSession,
    workers: Workers,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    config_path = _crash_config(session, tmp_path, backend, request)
    config = load_config(config_path, env={})
    session.ollama.responder = DemoResponder(delay=0.05)
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        (record,) = await _findings_to_analyse(engine, 1)
        await enqueue_analysis(engine, config, record, correlation_id="crash-step")

        await _crash_then_recover(workers, config_path, failpoint)

        rows = await _job_rows(engine)
        assert [r.kind for r in rows] == ["triage", "sandbox", "extraction"]
        assert {r.status for r in rows} == {"done"}
        triage, sandbox, extraction = rows
        # Killed before its completion was written, triage ran again; killed after, not.
        assert triage.attempts == (2 if failpoint == failpoints.STEP_HANDLED else 1)
        assert sandbox.attempts == extraction.attempts == 1
        assert await _analysis_status(engine, [record.id]) == {record.id: "completed"}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_killed_during_a_patch_the_decision_arrives_as_intended(
    backend: str,
    session: DemoSession,
    workers: Workers,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """GitHub has applied the PATCH but the worker dies before confirming it: the next
    worker sends the same PATCH again and confirms it."""
    config_path = _crash_config(session, tmp_path, backend, request)
    config = load_config(config_path, env={})
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        record = await _dev_finding(engine)
        await enqueue_analysis(engine, config, record, correlation_id="crash-patch")

        await _crash_then_recover(workers, config_path, failpoints.PUSH_SENT)

        alert = session.github.dataset.alert(record.finding.repo, record.finding.number)
        assert (alert["state"], alert["dismissed_reason"]) == ("dismissed", "not_used")
        sent = _patches(session, record)
        # The second answer is GitHub's 409 "already dismissed", which counts as confirmed.
        assert [p.status for p in sent] == [200, 409]
        async with engine.connect() as conn:
            decisions = (await conn.execute(select(intents))).all()
        assert [(i.automatic, i.status) for i in decisions] == [(True, "confirmed")]
        fresh = await list_findings(engine, FindingFilter(states=tuple(AlertState), owner="acme"))
        [mine] = [r for r in fresh if r.id == record.id]
        assert mine.state is AlertState.DISMISSED and not mine.pending_push
        rows = await _job_rows(engine)
        assert sorted(r.kind for r in rows) == ["dismiss_push", "triage"]
        assert {r.status for r in rows} == {"done"}
    finally:
        await engine.dispose()
