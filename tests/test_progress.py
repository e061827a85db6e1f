"""The progress pane's figures: the pure ETA and batch arithmetic (domain/progress.py), and
its reads (store/progress.py through FindingReads) on SQLite and PostgreSQL, with the work
recorded the way the pipeline records it (decisions, tier jobs, transcript entries, LLM
calls, sync runs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.decision import DecisionAction, IntentStatus
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.progress import (
    PushResult,
    RepoDone,
    SyncProgress,
    batch_counts,
    push_eta,
    push_result,
    steps_label,
)
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sync_status import RepoSyncStatus
from secagent_tui.github.parser import parse_alert
from secagent_tui.services.analyst import AnalystServices
from secagent_tui.store import jobs as job_store
from secagent_tui.store import sync_state
from secagent_tui.store.analyses import append_transcript, record_llm_call
from secagent_tui.store.findings import get_finding_by_id, upsert_findings
from secagent_tui.store.intents import confirm_intent
from secagent_tui.store.jobs import FollowUp, JobKind, JobStatus
from secagent_tui.store.push_outcomes import note_retry, refuse

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WORKER = "test-host:1:progress"

# ---------------------------------------------------------------------- pure figures


def test_the_eta_is_one_write_slot_per_remaining_push() -> None:
    assert push_eta(3, 1.0) == timedelta(seconds=3)
    assert push_eta(5, 2.0) == timedelta(seconds=2.5)
    assert push_eta(0, 1.0) == timedelta(0)
    assert push_eta(-1, 1.0) == timedelta(0)
    assert push_eta(4, 0.0) is None


def test_an_intent_becomes_the_result_the_pane_shows() -> None:
    assert push_result(IntentStatus.PENDING, retry_scheduled=False) is PushResult.PENDING
    assert push_result(IntentStatus.PENDING, retry_scheduled=True) is PushResult.RETRYING
    assert push_result(IntentStatus.CONFIRMED, retry_scheduled=True) is PushResult.PUSHED
    assert push_result(IntentStatus.REFUSED, retry_scheduled=False) is PushResult.REFUSED
    assert push_result(IntentStatus.SUPERSEDED, retry_scheduled=False) is PushResult.SUPERSEDED


def test_batch_counts_settle_on_pushed_refused_and_superseded() -> None:
    results = [PushResult.PUSHED, PushResult.PUSHED, PushResult.RETRYING, PushResult.REFUSED]
    counts = batch_counts([*results, PushResult.PENDING, PushResult.SUPERSEDED])
    assert (counts.total, counts.pushed, counts.settled, counts.remaining) == (6, 2, 4, 2)
    assert not counts.finished
    assert batch_counts([PushResult.PUSHED, PushResult.REFUSED]).finished
    assert batch_counts([]).finished and batch_counts([]).total == 0


def test_steps_are_shown_against_the_budget_and_capped_there() -> None:
    assert steps_label(3, 20) == "3/20"
    assert steps_label(25, 20) == "20/20"


def test_a_sync_counts_repositories_against_the_last_runs_until_it_ends() -> None:
    sync = SyncProgress(("acme", "jdoe"), NOW, expected=3)
    assert sync.running and sync.total() == 3 and sync.done == 0
    sync.repo_done(RepoDone("acme/api", RepoSyncStatus.OK, created=4))
    sync.repo_done(RepoDone("ACME/web", RepoSyncStatus.ERROR, error="502"))
    assert sync.owners_done() == {"acme": 2, "jdoe": 0}
    assert (sync.done, sync.failed, sync.total()) == (2, 1, 3)
    for name in ("jdoe/a", "jdoe/b"):  # more than last time: the total follows
        sync.repo_done(RepoDone(name, RepoSyncStatus.OK))
    assert sync.total() == 4
    sync.finish(NOW + timedelta(seconds=5), ["acme"])
    assert not sync.running and sync.total() == 4 and sync.failed_owners == ("acme",)


def test_a_first_sync_has_no_total_until_it_ends() -> None:
    sync = SyncProgress(("acme",), NOW)
    sync.repo_done(RepoDone("acme/api", RepoSyncStatus.OK))
    assert sync.total() is None
    sync.finish(NOW)
    assert sync.total() == 1


# ---------------------------------------------------------------------- store reads


def _services(engine: AsyncEngine, actor: str = "tui:alice") -> AnalystServices:
    return AnalystServices(engine, Config(), lambda: NOW, actor=actor)


@pytest.fixture
async def records(engine: AsyncEngine) -> list[FindingRecord]:
    ds = generate_dataset({"acme": 2}, {}, 4, seed=5, now=NOW)
    await upsert_findings(engine, [parse_alert(a) for _, a in ds.iter_alerts()])
    found = [await get_finding_by_id(engine, i) for i in range(1, 7)]
    return [r for r in found if r is not None]


async def test_a_batch_reads_each_decision_and_how_its_push_went(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine)
    await alice.decide(records[:5], DecisionAction.DISMISS, reason="not_used", correlation_id="b1")
    await alice.decide(records[5:], DecisionAction.DISMISS, reason="not_used", correlation_id="b2")
    batch = await alice.batch_progress("b1")
    assert batch is not None and batch.action is DecisionAction.DISMISS
    assert [i.result for i in batch.items] == [PushResult.PENDING] * 5
    ids = [i.intent_id for i in batch.items]
    await confirm_intent(engine, ids[0], NOW)
    await confirm_intent(engine, ids[1], NOW)
    await note_retry(engine, ids[2], "GitHub 502", NOW + timedelta(seconds=10))
    await refuse(engine, ids[3], "422: the alert is fixed")

    batch = await alice.batch_progress("b1")
    assert batch is not None
    assert [i.result for i in batch.items] == [
        PushResult.PUSHED,
        PushResult.PUSHED,
        PushResult.RETRYING,
        PushResult.REFUSED,
        PushResult.PENDING,
    ]
    assert [i.finding_ref for i in batch.items] == [str(r.finding.ref) for r in records[:5]]
    assert batch.items[2].message == "GitHub 502" and batch.items[2].next_attempt_at is not None
    assert batch.items[3].message == "422: the alert is fixed"
    assert batch.items[0].message is None
    counts = batch.counts
    assert (counts.pushed, counts.settled, counts.remaining, counts.total) == (2, 3, 2, 5)
    assert await alice.batch_progress("no-such-batch") is None


async def test_the_latest_batch_is_the_analysts_newest_through_either_front_end(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    await _services(engine, "tui:alice").decide(
        records[:2], DecisionAction.DISMISS, reason="not_used", correlation_id="tui-batch"
    )
    await _services(engine, "cli:alice").decide(
        records[2:3], DecisionAction.REOPEN, correlation_id="cli-batch"
    )
    await _services(engine, "tui:bob").decide(
        records[3:4], DecisionAction.DISMISS, reason="not_used", correlation_id="bobs"
    )
    assert await _services(engine, "tui:alice").latest_batch("tui:alice") == "cli-batch"
    assert await _services(engine, "tui:carol").latest_batch("tui:carol") is None


async def test_a_chain_reads_its_tiers_rounds_tokens_and_transcript_after_a_seq(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine)
    record = records[0]
    [analysis_id] = await alice.enqueue_analyses(
        [record], triage_only=False, full=True, correlation_id="chain-1"
    )
    [other] = await alice.enqueue_analyses(
        [records[1]], triage_only=False, full=True, correlation_id="chain-1"
    )
    triage = await job_store.claim(engine, WORKER, lease_seconds=30, max_concurrent_per_owner=5)
    assert triage is not None and triage.payload["analysis_id"] == analysis_id
    follow = FollowUp(
        JobKind.SANDBOX,
        triage.owner,
        triage.correlation_id,
        triage.finding_id,
        {"analysis_id": analysis_id},
        3,
    )
    assert await job_store.complete(engine, triage.id, WORKER, [follow])
    await append_transcript(engine, analysis_id, "user", "Package: left-pad")
    await append_transcript(engine, analysis_id, "tool_call", 'search({"pattern": "left"})')
    await append_transcript(engine, analysis_id, "tool", "src/a.js:3: left()")
    await append_transcript(engine, analysis_id, "tool_call", 'read({"path": "src/a.js"})')
    await append_transcript(engine, other, "tool_call", "not this run's")
    for tier, prompt, completion in (("triage", 100, 20), ("sandbox", 300, 40), ("sandbox", 50, 5)):
        await record_llm_call(
            engine,
            tier=tier,
            model="m",
            finding_id=record.id,
            started_at=datetime.now(UTC),
            duration_ms=10.0,
            prompt_tokens=prompt,
            completion_tokens=completion,
            outcome="ok",
            error=None,
            correlation_id="chain-1",
        )

    progress = await alice.chain_progress(analysis_id)
    assert progress is not None
    assert progress.finding_ref == str(record.finding.ref)
    assert [(j.kind, j.status) for j in progress.jobs] == [
        (JobKind.TRIAGE, JobStatus.DONE),
        (JobKind.SANDBOX, JobStatus.QUEUED),
    ]
    assert progress.live_job is not None and progress.live_job.kind is JobKind.SANDBOX
    assert (progress.steps, progress.tool_calls) == (2, 2)
    assert progress.current_tool == 'read({"path": "src/a.js"})'
    assert (progress.prompt_tokens, progress.completion_tokens) == (450, 65)
    assert progress.entry_count == 4 and [e.seq for e in progress.entries] == [1, 2, 3, 4]
    later = await alice.chain_progress(analysis_id, after_seq=2)
    assert later is not None and [e.role for e in later.entries] == ["tool", "tool_call"]
    assert later.entry_count == 4
    assert await alice.chain_progress(analysis_id + 100) is None


async def test_a_findings_live_job_is_its_newest_queued_or_running_one(
    engine: AsyncEngine, records: list[FindingRecord]
) -> None:
    alice = _services(engine)
    record = records[0]
    assert await alice.live_job(record.id) is None
    [analysis_id] = await alice.enqueue_analyses([record], triage_only=True, full=False)
    job = await alice.live_job(record.id)
    assert job is not None and job.kind is JobKind.TRIAGE
    assert job.payload["analysis_id"] == analysis_id
    assert await alice.latest_analysis_id(record.id) == analysis_id
    await alice.cancel_job(job.id)
    assert await alice.live_job(record.id) is None


async def test_expected_repositories_come_from_each_owners_last_finished_sync(
    engine: AsyncEngine,
) -> None:
    acme, jdoe = Owner(OwnerKind.ORG, "acme"), Owner(OwnerKind.USER, "jdoe")
    config = Config.model_validate(
        {"owners": [{"kind": "org", "name": "acme"}, {"kind": "user", "name": "jdoe"}]}
    )
    reads = AnalystServices(engine, config, lambda: NOW, actor="tui:alice")
    assert await reads.expected_repos() is None
    for owner, repos in ((acme, ["acme/a", "acme/b", "acme/c"]), (jdoe, ["jdoe/x"])):
        run = await sync_state.start_run(engine, owner, True, "c")
        await sync_state.finish_run(
            engine, run, {"ok": True, "repos": [{"repo": r} for r in repos]}
        )
    await sync_state.start_run(engine, acme, False, "running")  # unfinished: not counted
    assert await reads.expected_repos() == 4
