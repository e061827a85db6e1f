"""`stats`' auto-dismiss figures: how many automatic dismissals were made, and how many of
them GitHub refused for good — the failures an operator must look at."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.sla import SlaDays
from secagent_tui.pipeline.analysis import AUTO_ACTOR
from secagent_tui.store.findings import list_findings, upsert_findings
from secagent_tui.store.intents import record_intent
from secagent_tui.store.metrics import collect_stats
from secagent_tui.store.push_outcomes import refuse


async def _dismiss(engine: AsyncEngine, finding_id: int, *, automatic: bool) -> int:
    recorded = await record_intent(
        engine,
        finding_id,
        DecisionAction.DISMISS,
        reason="not_used",
        comment=None,
        actor=AUTO_ACTOR if automatic else "alice",
        correlation_id=f"c-{finding_id}",
        automatic=automatic,
        audit=("auto_dismiss", {"why": "not used"}) if automatic else None,
    )
    return recorded.intent_id


async def test_a_refused_automatic_dismissal_counts_as_a_failure(engine: AsyncEngine) -> None:
    await upsert_findings(engine, [synthetic_finding(i) for i in range(4)])
    ids = [r.id for r in await list_findings(engine, FindingFilter(states=tuple(AlertState)))]
    auto_refused = await _dismiss(engine, ids[0], automatic=True)
    await _dismiss(engine, ids[1], automatic=True)  # still pending: not a failure (yet)
    analyst_refused = await _dismiss(engine, ids[2], automatic=False)
    assert await refuse(engine, auto_refused, "GitHub refused the change (403)")
    assert await refuse(engine, analyst_refused, "GitHub refused the change (403)")

    stats = await collect_stats(engine, SlaDays(), datetime.now(UTC))

    assert (stats.auto_dismiss.dismissed, stats.auto_dismiss.failed) == (2, 1)
    assert stats.as_json()["auto_dismiss"] == {"dismissed": 2, "failed": 1}
