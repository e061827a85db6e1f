"""How the progress pane looks, pinned by SVG snapshots (see test_snapshots.py): the fixed
clock and the demo dataset, at 80x24.

- A sandbox run mid-stream, opened with `p` from its finding's view: triage done, the
  sandbox tier running, part of its transcript (the prompt, one tool call and its result,
  the start of the agent's answer), two LLM calls' tokens.
- A dismissal batch of five part-way, opened with `P` from the queue: two pushed, one
  retrying after a 502, two waiting; the bar at 2 of 5 and the ETA of the three left.
- The finding view of that sandbox run at 80x24: the compact summary names the running job
  and its key, and the transcript has most of the height.

Update with `--snapshot-update` and look at the pictures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from textual.pilot import Pilot

from secagent_tui.config import Config
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.refs import FindingRef
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.services.analyst import AnalystServices
from secagent_tui.store import analyses
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding
from secagent_tui.store.intents import confirm_intent
from secagent_tui.store.jobs import FollowUp, JobKind
from secagent_tui.store.push_outcomes import note_retry
from secagent_tui.store.schema import intents
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.progress import ProgressScreen
from secagent_tui.tui.widgets.transcript import TranscriptView

from .conftest import FIXED_NOW, TuiEnv
from .helpers import loaded, run, wait_until

SIZE = (80, 24)
WORKER = "snapshot-host:1:progress"
REF = "acme/api#8"


async def sandbox_mid_stream(url: str, config: Config) -> int:
    """acme/api#8's run as a runner leaves it mid-stream: triage done, sandbox running."""
    engine = create_engine(url)
    try:
        record = await get_finding(engine, FindingRef.parse(REF))
        assert record is not None
        analysis_id = await enqueue_analysis(
            engine, config, record, correlation_id="snap-chain", full=True
        )
        triage = await job_store.claim(
            engine, WORKER, lease_seconds=3600, max_concurrent_per_owner=3
        )
        assert triage is not None
        sandbox = FollowUp(
            JobKind.SANDBOX,
            triage.owner,
            triage.correlation_id,
            triage.finding_id,
            {"analysis_id": analysis_id},
            3,
        )
        assert await job_store.complete(engine, triage.id, WORKER, [sandbox])
        assert await job_store.claim(engine, WORKER, lease_seconds=3600, max_concurrent_per_owner=3)
        await analyses.update_analysis(engine, analysis_id, status=AnalysisStatus.RUNNING)
        for role, content in (
            ("user", "Package: github.com/swift-server/async-http-client\nIs it reachable?"),
            ("tool_call", 'search({"pattern": "AsyncHTTPClient"})'),
            ("tool", "Sources/API/Client.swift:12: import AsyncHTTPClient"),
            ("assistant", "The client is created once in Sources/API/Client.swift and only"),
        ):
            await analyses.append_transcript(engine, analysis_id, role, content)
        for tier, prompt, completion in (("triage", 812, 64), ("sandbox", 1530, 96)):
            await analyses.record_llm_call(
                engine,
                tier=tier,
                model="qwen2.5-coder:7b",
                finding_id=record.id,
                started_at=datetime.now(UTC),  # after the run's start, as in a real run
                duration_ms=900.0,
                prompt_tokens=prompt,
                completion_tokens=completion,
                outcome="ok",
                error=None,
                correlation_id="snap-chain",
            )
        return analysis_id
    finally:
        await engine.dispose()


async def batch_part_way(url: str, config: Config) -> None:
    """Five decisions of one dismissal: two confirmed, one retrying, two still waiting."""
    engine = create_engine(url)
    try:
        services = AnalystServices(engine, config, lambda: FIXED_NOW)
        refs = [FindingRef.parse(f"acme/api#{n}") for n in (1, 2, 3, 4, 5)]
        records = await services.findings(refs)
        await services.decide(
            records, DecisionAction.DISMISS, reason="tolerable_risk", correlation_id="snap-batch"
        )
        async with engine.begin() as conn:
            await conn.execute(update(intents).values(created_at=FIXED_NOW))
        batch = await services.batch_progress("snap-batch")
        assert batch is not None
        ids = [item.intent_id for item in batch.items]
        await confirm_intent(engine, ids[0], FIXED_NOW)
        await confirm_intent(engine, ids[1], FIXED_NOW)
        await note_retry(engine, ids[2], "GitHub answered 502", FIXED_NOW + timedelta(seconds=8))
    finally:
        await engine.dispose()


async def _finding_with_live_job(pilot: Pilot[Any]) -> None:
    grid = await loaded(pilot)
    assert grid.current_record().finding.ref == REF
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FindingScreen), what="finding")
    screen = pilot.app.screen
    assert isinstance(screen, FindingScreen)
    await wait_until(pilot, lambda: screen._live_job is not None, what="the live job")
    transcript = screen.query_one(TranscriptView)
    await wait_until(pilot, lambda: transcript.entry_count == 4, what="the transcript")
    await pilot.pause()


async def _sandbox_pane(pilot: Pilot[Any]) -> None:
    await _finding_with_live_job(pilot)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ProgressScreen), what="pane")
    transcript = pilot.app.screen.query_one(TranscriptView)
    await wait_until(pilot, lambda: transcript.entry_count == 4, what="the transcript")
    await pilot.pause()


async def _batch_pane(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ProgressScreen), what="pane")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.query_one("#progress-table").row_count == 5)
    await pilot.pause()


def test_a_sandbox_run_mid_stream_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(sandbox_mid_stream(tui_env.url, tui_env.config))
    assert snap_compare(tui_env.app(), terminal_size=SIZE, run_before=_sandbox_pane)


def test_a_dismissal_batch_part_way_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(batch_part_way(tui_env.url, tui_env.config))
    assert snap_compare(tui_env.app(), terminal_size=SIZE, run_before=_batch_pane)


def test_a_finding_view_links_to_its_running_job_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(sandbox_mid_stream(tui_env.url, tui_env.config))
    assert snap_compare(tui_env.app(), terminal_size=SIZE, run_before=_finding_with_live_job)
