"""A fixed history for the health screen's tests: sync runs of both owners (acme's last good
one 50 minutes before the fixed clock, jdoe's last one failed), LLM calls of two tiers with a
fallback rate that jumps in the triage tier, a few stored triages, two queued jobs and a
rate-limit reading.

LLM calls, triages, jobs and rate limits go through the store's own writers. The sync runs
are written to `sync_runs` directly: `sync_state.start_run`/`finish_run` stamp the wall
clock, and the screen shows ages against the app's fixed clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.triage import (
    Confidence,
    StoredTriage,
    TriageAction,
    TriageResult,
    TriageSource,
)
from secagent_tui.store import analyses, sync_state
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding
from secagent_tui.store.jobs import JobKind, enqueue
from secagent_tui.store.schema import sync_runs

from .conftest import FIXED_NOW

ACME_SECONDS = [3.1, 2.8, 3.4, 2.9, 6.5, 3.0, 3.2, 2.7, 8.1, 3.3]
TRIAGE_MS = [820.0 + 37.0 * (i % 7) for i in range(40)]
EXTRACTION_MS = [2400.0 + 150.0 * (i % 5) for i in range(12)]
TRIAGES = {
    "acme/api#8": (TriageAction.ANALYZE_CODEBASE, TriageSource.LLM),
    "acme/web#1": (TriageAction.DISMISS, TriageSource.RULE),
    "acme/web#2": (TriageAction.ANALYZE_CODEBASE, TriageSource.FALLBACK),
    "acme/web#3": (TriageAction.MANUAL_REVIEW, TriageSource.LLM),
}


async def _sync_runs(engine: AsyncEngine) -> None:
    rows = []
    for i, seconds in enumerate(ACME_SECONDS):
        started = FIXED_NOW - timedelta(minutes=15 * (len(ACME_SECONDS) - i) + 5)
        rows.append(
            {
                "owner_name": "acme",
                "owner_kind": "org",
                "started_at": started,
                "finished_at": started + timedelta(seconds=seconds),
                "ok": True,
                "seconds": seconds,
                "repos": [
                    {"repo": "acme/api", "status": "ok", "seconds": round(seconds * 0.6, 1)},
                    {"repo": "acme/web", "status": "ok", "seconds": round(seconds * 0.3, 1)},
                    {"repo": "acme/legacy", "status": "alerts_disabled", "seconds": 0.1},
                ],
            }
        )
    for i, (seconds, ok) in enumerate([(1.2, True), (1.4, True), (0.6, False)]):
        started = FIXED_NOW - timedelta(minutes=30 * (3 - i))
        rows.append(
            {
                "owner_name": "jdoe",
                "owner_kind": "user",
                "started_at": started,
                "finished_at": started + timedelta(seconds=seconds),
                "ok": ok,
                "seconds": seconds,
                "errors": 0 if ok else 1,
                "repos": [
                    {"repo": "jdoe/dots", "status": "ok" if ok else "error", "seconds": seconds}
                ],
            }
        )
    async with engine.begin() as conn:
        for row in rows:
            await conn.execute(
                sync_runs.insert().values(
                    correlation_id="seed",
                    full=False,
                    created=0,
                    updated=1,
                    unchanged=10,
                    requests=4,
                    page_guard_hit=False,
                    **{"errors": 0, **row},
                )
            )


async def _llm_calls(engine: AsyncEngine) -> None:
    for tier, durations in (("triage", TRIAGE_MS), ("extraction", EXTRACTION_MS)):
        for i, ms in enumerate(durations):
            call_id = await analyses.record_llm_call(
                engine,
                tier=tier,
                model="qwen2.5-coder:7b",
                finding_id=None,
                started_at=FIXED_NOW - timedelta(minutes=len(durations) - i),
                duration_ms=ms,
                prompt_tokens=900 + 10 * i,
                completion_tokens=120 + i,
                outcome="ok",
                error=None,
                correlation_id="seed",
            )
            # triage: 1 fallback in its first 20 calls, 8 in its last 20 (a jump).
            if tier == "triage" and (i == 7 or (i >= 20 and i % 5 < 2)):
                await analyses.mark_llm_fallback(engine, call_id, "invalid JSON")


async def _triages(engine: AsyncEngine) -> None:
    for ref, (action, source) in TRIAGES.items():
        record = await get_finding(engine, FindingRef.parse(ref))
        assert record is not None, ref
        analysis_id = await analyses.create_analysis(engine, record.id, "seed", "m")
        result = TriageResult(
            suggested_action=action,
            confidence=Confidence.MEDIUM,
            needs_sandbox=action is TriageAction.ANALYZE_CODEBASE,
            reasoning="seeded",
        )
        await analyses.update_analysis(engine, analysis_id, triage=StoredTriage.of(result, source))


async def seed_health(url: str) -> None:
    engine = create_engine(url)
    try:
        await _sync_runs(engine)
        await _llm_calls(engine)
        await _triages(engine)
        for n in range(2):
            await enqueue(engine, JobKind.TRIAGE, owner="acme", correlation_id=f"seed-{n}")
        await sync_state.record_rate_limit(
            engine, "core", 5000, 4321, FIXED_NOW + timedelta(minutes=25)
        )
    finally:
        await engine.dispose()
