"""The health screen's history (`domain/health.HealthTrends`): the latest sync runs of each
owner, the latest LLM calls of each tier, and the stored triages by outcome. Separate from
`store/metrics.collect_stats`, whose document is fixed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.health import (
    FALLBACK_WINDOW,
    HealthTrends,
    OwnerSyncTrend,
    SyncPoint,
    TierTrend,
)
from secagent_tui.store.schema import findings, llm_calls, sync_runs

RUNS_PER_OWNER = 30
CALLS_PER_TIER = 2 * FALLBACK_WINDOW
"""Enough calls for the fallback-rate rule's two windows (and the latency sparkline)."""


async def _sync(conn: AsyncConnection, limit: int) -> dict[str, OwnerSyncTrend]:
    rank = (
        func.row_number()
        .over(partition_by=sync_runs.c.owner_name, order_by=sync_runs.c.id.desc())
        .label("rank")
    )
    latest = select(
        sync_runs.c.id,
        sync_runs.c.owner_name,
        sync_runs.c.started_at,
        sync_runs.c.seconds,
        sync_runs.c.ok,
        rank,
    ).subquery()
    rows = (
        await conn.execute(
            select(latest).where(latest.c.rank <= limit).order_by(latest.c.owner_name, latest.c.id)
        )
    ).all()
    # max() and coalesce() keep the column's type, so the times come back aware on both.
    last_ok = dict(
        (
            await conn.execute(
                select(
                    sync_runs.c.owner_name,
                    func.max(func.coalesce(sync_runs.c.finished_at, sync_runs.c.started_at)),
                )
                .where(sync_runs.c.ok.is_(True))
                .group_by(sync_runs.c.owner_name)
            )
        ).all()
    )
    points: dict[str, list[SyncPoint]] = {}
    for r in rows:
        points.setdefault(r.owner_name, []).append(SyncPoint(r.started_at, r.seconds, r.ok))
    owners = sorted(set(points) | set(last_ok))
    return {
        name: OwnerSyncTrend(
            owner=name,
            runs=tuple(points.get(name, ())),
            last_ok_at=last_ok.get(name),
        )
        for name in owners
    }


async def _llm(conn: AsyncConnection, limit: int) -> dict[str, TierTrend]:
    rank = (
        func.row_number()
        .over(partition_by=llm_calls.c.tier, order_by=llm_calls.c.id.desc())
        .label("rank")
    )
    latest = select(
        llm_calls.c.id, llm_calls.c.tier, llm_calls.c.duration_ms, llm_calls.c.outcome, rank
    ).subquery()
    rows = (
        await conn.execute(
            select(latest).where(latest.c.rank <= limit).order_by(latest.c.tier, latest.c.id)
        )
    ).all()
    calls: dict[str, list[tuple[float, str]]] = {}
    for r in rows:
        calls.setdefault(r.tier, []).append((r.duration_ms, r.outcome))
    return {
        tier: TierTrend(
            tier=tier,
            durations_ms=tuple(d for d, _ in pairs),
            outcomes=tuple(o for _, o in pairs),
        )
        for tier, pairs in calls.items()
    }


async def _triage(conn: AsyncConnection) -> tuple[dict[str, int], dict[str, int]]:
    action = findings.c.triage["suggested_action"].as_string()
    source = findings.c.triage["source"].as_string()
    rows = (
        await conn.execute(
            select(action, source, func.count())
            .where(findings.c.triage.is_not(None))
            .group_by(action, source)
        )
    ).all()
    actions: dict[str, int] = {}
    sources: dict[str, int] = {}
    for act, src, count in rows:
        actions[act or "?"] = actions.get(act or "?", 0) + count
        sources[src or "?"] = sources.get(src or "?", 0) + count
    return actions, sources


async def collect_trends(
    engine: AsyncEngine,
    runs_per_owner: int = RUNS_PER_OWNER,
    calls_per_tier: int = CALLS_PER_TIER,
) -> HealthTrends:
    async with engine.connect() as conn:
        sync = await _sync(conn, runs_per_owner)
        llm = await _llm(conn, calls_per_tier)
        actions, sources = await _triage(conn)
    return HealthTrends(sync=sync, llm=llm, triage_actions=actions, triage_sources=sources)
