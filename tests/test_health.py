"""The health screen's read: the warning rules (pure, domain/health.py) and the trends the
store reads (store/health.py, on both backends, rows written by the store's own writers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.health import (
    HealthTrends,
    OwnerSyncTrend,
    SyncPoint,
    TierTrend,
    WarningKind,
    fallback_jump_warnings,
    fallback_rate,
    health_report,
    slowest_repos,
    stale_sync_warnings,
)
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.stats import Stats, SyncFigures, SyncRunFigures
from secagent_tui.domain.triage import (
    Confidence,
    StoredTriage,
    TriageAction,
    TriageResult,
    TriageSource,
)
from secagent_tui.store import analyses, sync_state
from secagent_tui.store.findings import list_findings, upsert_findings
from secagent_tui.store.health import collect_trends
from secagent_tui.store.metrics import collect_stats

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _synced(owner: str, minutes_ago: float | None) -> HealthTrends:
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    return HealthTrends(sync={owner: OwnerSyncTrend(owner, (), last)})


def _calls(tier: str, *outcomes: str) -> HealthTrends:
    return HealthTrends(llm={tier: TierTrend(tier, tuple(1.0 for _ in outcomes), outcomes)})


# ---------------------------------------------------------------- stale sync


def test_a_sync_within_twice_the_interval_is_fine() -> None:
    assert stale_sync_warnings(_synced("acme", 29), ["acme"], NOW, sync_minutes=15) == []


def test_a_sync_older_than_twice_the_interval_warns() -> None:
    [warning] = stale_sync_warnings(_synced("acme", 31), ["acme"], NOW, sync_minutes=15)
    assert warning.kind is WarningKind.STALE_SYNC
    assert warning.subject == "acme"
    assert warning.message == "acme: last good sync 31 min ago (expected every 15 min)"


def test_a_configured_owner_never_synced_ok_warns() -> None:
    [warning] = stale_sync_warnings(HealthTrends(), ["ACME"], NOW, sync_minutes=15)
    assert (warning.subject, warning.message) == ("acme", "acme: never synced ok")


def test_no_periodic_sync_sets_no_expectation() -> None:
    assert stale_sync_warnings(_synced("acme", 10_000), ["acme"], NOW, sync_minutes=0) == []


def test_old_syncs_say_hours_and_days() -> None:
    hours = stale_sync_warnings(_synced("a", 5 * 60), [], NOW, sync_minutes=15)
    days = stale_sync_warnings(_synced("a", 3 * 24 * 60), [], NOW, sync_minutes=15)
    assert "5 h ago" in hours[0].message
    assert "3 d ago" in days[0].message


# ---------------------------------------------------------------- fallback jump


def test_fallback_rate() -> None:
    assert fallback_rate([]) is None
    assert fallback_rate(["ok", "fallback", "error", "fallback"]) == 0.5


def test_a_fallback_rate_that_jumps_warns() -> None:
    before = ["ok"] * 18 + ["fallback"] * 2  # 10%
    after = ["ok"] * 13 + ["fallback"] * 7  # 35%
    [warning] = fallback_jump_warnings(_calls("triage", *before, *after))
    assert warning.kind is WarningKind.FALLBACK_JUMP
    assert warning.message == "triage: fallbacks 35% of the last 20 calls (was 10%)"


def test_a_rise_of_twenty_points_or_less_is_fine() -> None:
    before = ["ok"] * 18 + ["fallback"] * 2  # 10%
    after = ["ok"] * 14 + ["fallback"] * 6  # 30%: exactly 20 points
    assert fallback_jump_warnings(_calls("triage", *before, *after)) == []


def test_a_steady_high_rate_does_not_warn() -> None:
    assert fallback_jump_warnings(_calls("triage", *(["fallback", "ok"] * 20))) == []


def test_too_few_earlier_calls_give_no_baseline() -> None:
    assert fallback_jump_warnings(_calls("triage", *["ok"] * 4, *["fallback"] * 20)) == []
    assert fallback_jump_warnings(_calls("triage", *["ok"] * 5, *["fallback"] * 20)) != []


# ---------------------------------------------------------------- the report


def _run(repos: list[object]) -> SyncRunFigures:
    return SyncRunFigures(None, True, False, 0, 0, 0, 0, 0, 1.0, False, repos)


def test_slowest_repositories_of_the_latest_runs() -> None:
    stats = Stats(
        sync=SyncFigures(
            last_by_owner={
                "acme": _run(
                    [
                        {"repo": "acme/web", "seconds": 1.5, "status": "ok"},
                        {"repo": "acme/api", "seconds": 4.0, "status": "error"},
                        "not a repository",
                    ]
                ),
                "jdoe": _run([{"repo": "jdoe/dots", "seconds": 2, "status": "ok"}]),
            }
        )
    )
    assert [(r.repo, r.seconds, r.status) for r in slowest_repos(stats)] == [
        ("acme/api", 4.0, "error"),
        ("jdoe/dots", 2.0, "ok"),
        ("acme/web", 1.5, "ok"),
    ]
    assert len(slowest_repos(stats, limit=1)) == 1


def test_the_report_holds_both_rules_warnings() -> None:
    trends = HealthTrends(
        sync=_synced("acme", 60).sync,
        llm=_calls("extraction", *["ok"] * 20, *["fallback"] * 20).llm,
    )
    report = health_report(NOW, Stats(), trends, ["acme"], sync_minutes=15)
    assert [w.kind for w in report.warnings] == [WarningKind.STALE_SYNC, WarningKind.FALLBACK_JUMP]
    assert report.now == NOW


def test_sync_durations_leave_out_a_run_in_progress() -> None:
    trend = OwnerSyncTrend(
        "acme", (SyncPoint(NOW, 2.0, True), SyncPoint(NOW, 3.0, False), SyncPoint(NOW, 0.0, None))
    )
    assert trend.durations == [2.0, 3.0]


# ---------------------------------------------------------------- the store's read


async def _sync_run(engine: AsyncEngine, owner: Owner, ok: bool, seconds: float) -> None:
    run_id = await sync_state.start_run(engine, owner, full=False, correlation_id="c")
    await sync_state.finish_run(engine, run_id, {"ok": ok, "seconds": seconds})


async def _llm_call(engine: AsyncEngine, tier: str, ms: float, outcome: str) -> None:
    call_id = await analyses.record_llm_call(
        engine,
        tier=tier,
        model="m",
        finding_id=None,
        started_at=NOW,
        duration_ms=ms,
        prompt_tokens=10,
        completion_tokens=5,
        outcome="ok" if outcome == "fallback" else outcome,
        error=None,
        correlation_id="c",
    )
    if outcome == "fallback":
        await analyses.mark_llm_fallback(engine, call_id, "bad json")


async def _triage(engine: AsyncEngine, finding_id: int, action: TriageAction, source: str) -> None:
    analysis_id = await analyses.create_analysis(engine, finding_id, "c", "m")
    result = TriageResult(
        suggested_action=action,
        confidence=Confidence.HIGH,
        needs_sandbox=False,
        reasoning="r",
    )
    triage = StoredTriage.of(result, TriageSource(source))
    await analyses.update_analysis(engine, analysis_id, triage=triage)


async def test_the_trends_read_the_latest_runs_calls_and_triages(engine: AsyncEngine) -> None:
    acme, jdoe = Owner(OwnerKind.ORG, "Acme"), Owner(OwnerKind.USER, "jdoe")
    for i in range(5):
        await _sync_run(engine, acme, ok=i != 3, seconds=float(i + 1))
    await _sync_run(engine, jdoe, ok=False, seconds=9.0)
    running = await sync_state.start_run(engine, jdoe, full=True, correlation_id="c")
    assert running
    for i in range(6):
        await _llm_call(engine, "triage", 100.0 * (i + 1), "fallback" if i >= 4 else "ok")
    await _llm_call(engine, "extraction", 900.0, "error")
    await upsert_findings(engine, [synthetic_finding(i) for i in range(4)])
    ids = [r.id for r in await list_findings(engine, FindingFilter(states=tuple(AlertState)))]
    await _triage(engine, ids[0], TriageAction.DISMISS, "rule")
    await _triage(engine, ids[1], TriageAction.ANALYZE_CODEBASE, "llm")
    await _triage(engine, ids[2], TriageAction.ANALYZE_CODEBASE, "fallback")

    trends = await collect_trends(engine, runs_per_owner=4, calls_per_tier=5)

    assert set(trends.sync) == {"acme", "jdoe"}
    acme_trend = trends.sync["acme"]
    # The latest 4 runs, oldest first.
    assert [r.seconds for r in acme_trend.runs] == [2.0, 3.0, 4.0, 5.0]
    assert [r.ok for r in acme_trend.runs] == [True, True, False, True]
    assert acme_trend.last_ok_at is not None and acme_trend.last_ok_at.tzinfo is not None
    assert abs(acme_trend.last_ok_at - datetime.now(UTC)) < timedelta(minutes=5)
    jdoe_trend = trends.sync["jdoe"]
    assert [r.ok for r in jdoe_trend.runs] == [False, None]
    assert jdoe_trend.durations == [9.0]
    assert jdoe_trend.last_ok_at is None

    triage = trends.llm["triage"]
    assert triage.durations_ms == (200.0, 300.0, 400.0, 500.0, 600.0)
    assert triage.outcomes == ("ok", "ok", "ok", "fallback", "fallback")
    assert trends.llm["extraction"].outcomes == ("error",)

    assert trends.triage_actions == {"dismiss": 1, "analyze_codebase": 2}
    assert trends.triage_sources == {"rule": 1, "llm": 1, "fallback": 1}

    stats = await collect_stats(engine, SlaDays(), NOW)
    report = health_report(datetime.now(UTC), stats, trends, ["acme", "jdoe"], sync_minutes=15)
    assert [(w.kind, w.subject) for w in report.warnings] == [(WarningKind.STALE_SYNC, "jdoe")]


async def test_no_history_reads_empty(engine: AsyncEngine) -> None:
    assert await collect_trends(engine) == HealthTrends()
