"""Operational figures for `secagent stats` and the health screen, read from what the
pipeline records: sync runs, jobs, LLM calls, audit events, rate limits. The document is
fixed (docs/architecture.md, "Fixed interfaces")."""

from __future__ import annotations

from datetime import datetime
from statistics import quantiles
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from secagent_tui.domain.decision import IntentStatus
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.stats import (
    AutoDismissFigures,
    FindingFigures,
    JobFigures,
    LlmFigures,
    RateLimitFigures,
    Stats,
    SyncFigures,
    SyncRunFigures,
    TierFigures,
)
from secagent_tui.store.finding_window import INDEX_STEER, overdue_condition
from secagent_tui.store.schema import (
    SEVERITY_ORDER,
    audit_events,
    findings,
    intents,
    jobs,
    llm_calls,
    rate_limits,
    sync_runs,
)


def _percentile(sorted_values: list[float], pct: int) -> float | None:
    if not sorted_values:
        return None
    if len(sorted_values) == 1:
        return round(sorted_values[0], 1)
    return round(quantiles(sorted_values, n=100, method="inclusive")[pct - 1], 1)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


async def _findings(conn: AsyncConnection, days: SlaDays, now: datetime) -> FindingFigures:
    """Every figure from one grouped scan of the narrow queue index (the TUI header asks
    often, and open findings can be tens of thousands)."""
    overdue = func.sum(case((overdue_condition(days, now), 1), else_=0))
    groups = (
        await conn.execute(
            select(
                findings.c.effective_state,
                findings.c.severity_order,
                findings.c.pending_push,
                func.count(),
                overdue,
            )
            .where(INDEX_STEER)
            .group_by(
                findings.c.effective_state, findings.c.severity_order, findings.c.pending_push
            )
        )
    ).all()
    by_state: dict[str, int] = {}
    by_severity = {s.value: 0 for s in Severity}
    severity_at = {order: name for name, order in SEVERITY_ORDER.items()}
    late = pending = 0
    for state, order, pending_push, count, overdue_count in groups:
        by_state[state] = by_state.get(state, 0) + count
        if state == AlertState.OPEN.value:
            by_severity[severity_at[order]] += count
        pending += count if pending_push else 0
        late += int(overdue_count or 0)
    return FindingFigures(
        total=sum(by_state.values()),
        by_state=by_state,
        open_by_severity=by_severity,
        overdue=late,
        pending_push=pending,
    )


async def _sync(conn: AsyncConnection) -> SyncFigures:
    latest = (
        select(sync_runs.c.owner_name, func.max(sync_runs.c.id).label("id"))
        .group_by(sync_runs.c.owner_name)
        .subquery()
    )
    rows = (await conn.execute(select(sync_runs).join(latest, sync_runs.c.id == latest.c.id))).all()
    total = (await conn.execute(select(func.count()).select_from(sync_runs))).scalar_one()
    failed = (
        await conn.execute(select(func.count()).where(sync_runs.c.ok.is_(False)))
    ).scalar_one()
    return SyncFigures(
        runs=total,
        failed_runs=failed,
        last_by_owner={
            r.owner_name: SyncRunFigures(
                started_at=_iso(r.started_at),
                ok=r.ok,
                full=r.full,
                created=r.created,
                updated=r.updated,
                unchanged=r.unchanged,
                errors=r.errors,
                requests=r.requests,
                seconds=r.seconds,
                page_guard_hit=r.page_guard_hit,
                repos=r.repos,
            )
            for r in rows
        },
    )


async def _jobs(conn: AsyncConnection) -> JobFigures:
    by_status = dict(
        (await conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status))).all()
    )
    reclaimed = (
        await conn.execute(select(func.count()).where(audit_events.c.action == "lease_reclaimed"))
    ).scalar_one()
    return JobFigures(by_status=by_status, stale_reclaimed=reclaimed)


async def _llm(conn: AsyncConnection) -> LlmFigures:
    rows = (
        await conn.execute(
            select(
                llm_calls.c.tier,
                llm_calls.c.duration_ms,
                llm_calls.c.prompt_tokens,
                llm_calls.c.completion_tokens,
                llm_calls.c.outcome,
            )
        )
    ).all()
    by_tier: dict[str, list[Any]] = {}
    for row in rows:
        by_tier.setdefault(row.tier, []).append(row)
    return LlmFigures(
        calls=len(rows), by_tier={tier: _tier(calls) for tier, calls in by_tier.items()}
    )


def _tier(calls: list[Any]) -> TierFigures:
    durations = sorted(c.duration_ms for c in calls)
    fallbacks = sum(c.outcome == "fallback" for c in calls)
    return TierFigures(
        calls=len(calls),
        prompt_tokens=sum(c.prompt_tokens or 0 for c in calls),
        completion_tokens=sum(c.completion_tokens or 0 for c in calls),
        fallbacks=fallbacks,
        errors=sum(c.outcome == "error" for c in calls),
        p50_ms=_percentile(durations, 50),
        p95_ms=_percentile(durations, 95),
        fallback_rate=round(fallbacks / len(calls), 4),
    )


async def _auto_dismiss(conn: AsyncConnection) -> AutoDismissFigures:
    """Made: the automatic dismissals' audit lines. Failed: automatic decisions GitHub
    refused for good (a push still retrying through an outage has not failed)."""
    made = await conn.scalar(
        select(func.count())
        .select_from(audit_events)
        .where(audit_events.c.action == "auto_dismiss")
    )
    failed = await conn.scalar(
        select(func.count())
        .select_from(intents)
        .where(intents.c.automatic.is_(True), intents.c.status == IntentStatus.REFUSED)
    )
    return AutoDismissFigures(dismissed=made or 0, failed=failed or 0)


async def _rate_limits(conn: AsyncConnection) -> dict[str, RateLimitFigures]:
    rows = (await conn.execute(select(rate_limits))).all()
    return {
        r.resource: RateLimitFigures(
            limit=r.limit,
            remaining=r.remaining,
            reset_at=_iso(r.reset_at),
            observed_at=_iso(r.observed_at),
        )
        for r in rows
    }


async def collect_stats(engine: AsyncEngine, days: SlaDays, now: datetime) -> Stats:
    async with engine.connect() as conn:
        return Stats(
            findings=await _findings(conn, days, now),
            sync=await _sync(conn),
            jobs=await _jobs(conn),
            llm=await _llm(conn),
            auto_dismiss=await _auto_dismiss(conn),
            github_rate_limit=await _rate_limits(conn),
        )
