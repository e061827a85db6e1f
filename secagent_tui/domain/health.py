"""What the health screen shows beyond `stats`: recent history (sync runs per owner, LLM calls
per tier, the triage outcomes) and the warning rules over it. Pure values and rules; the
store reads the history (`store/health.py`), the reads service applies the rules.

The `stats --json` document is not touched: these are a separate read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from secagent_tui.domain.stats import Stats

FALLBACK_WINDOW = 20
"""Calls per window of the fallback-rate rule: the latest N calls of a tier against the N
before them."""
FALLBACK_JUMP = 0.20
"""A tier's fallback rate rising by more than this (20 points) from one window to the next
is a warning."""
MIN_PREVIOUS_CALLS = 5
"""Fewer earlier calls than this give no baseline to compare against: no warning."""
STALE_SYNC_FACTOR = 2
"""The last successful sync is overdue once older than this many sync intervals."""


@dataclass(frozen=True, slots=True)
class SyncPoint:
    """One sync run of an owner; `ok` is None while it runs."""

    started_at: datetime
    seconds: float
    ok: bool | None


@dataclass(frozen=True, slots=True)
class OwnerSyncTrend:
    owner: str
    runs: tuple[SyncPoint, ...] = ()
    """The latest runs, oldest first."""
    last_ok_at: datetime | None = None
    """When the latest successful run finished (it may be older than every run in `runs`)."""

    @property
    def durations(self) -> list[float]:
        return [r.seconds for r in self.runs if r.ok is not None]


@dataclass(frozen=True, slots=True)
class TierTrend:
    tier: str
    durations_ms: tuple[float, ...] = ()
    """The latest calls' latencies, oldest first."""
    outcomes: tuple[str, ...] = ()
    """The same calls' outcomes (ok | error | fallback), oldest first."""


@dataclass(frozen=True, slots=True)
class HealthTrends:
    sync: dict[str, OwnerSyncTrend] = field(default_factory=dict)
    llm: dict[str, TierTrend] = field(default_factory=dict)
    triage_actions: dict[str, int] = field(default_factory=dict)
    """Findings by their stored triage's suggested action."""
    triage_sources: dict[str, int] = field(default_factory=dict)
    """Findings by where their stored triage came from (rule | llm | fallback)."""


@dataclass(frozen=True, slots=True)
class RepoDuration:
    owner: str
    repo: str
    seconds: float
    status: str


class WarningKind(StrEnum):
    STALE_SYNC = "stale_sync"
    FALLBACK_JUMP = "fallback_jump"


@dataclass(frozen=True, slots=True)
class HealthWarning:
    kind: WarningKind
    subject: str
    """The owner or the tier it is about."""
    message: str


@dataclass(frozen=True, slots=True)
class HealthReport:
    """Everything the health screen shows: the `stats` figures, the trends, the warnings."""

    now: datetime
    stats: Stats
    trends: HealthTrends
    warnings: tuple[HealthWarning, ...] = ()
    repos: tuple[RepoDuration, ...] = ()
    """The latest run's repositories of every owner, slowest first."""


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def stale_sync_warnings(
    trends: HealthTrends,
    owners: Iterable[str],
    now: datetime,
    sync_minutes: int,
) -> list[HealthWarning]:
    """A warning for every owner (the configured ones and any with runs) whose last
    successful sync is older than `STALE_SYNC_FACTOR` × `sync_minutes`, or that never
    synced successfully. `sync_minutes` 0 (no periodic sync) sets no expectation."""
    if sync_minutes <= 0:
        return []
    limit = timedelta(minutes=STALE_SYNC_FACTOR * sync_minutes)
    names = sorted({o.lower() for o in owners} | set(trends.sync))
    out: list[HealthWarning] = []
    for name in names:
        trend = trends.sync.get(name)
        last_ok = trend.last_ok_at if trend else None
        if last_ok is None:
            out.append(HealthWarning(WarningKind.STALE_SYNC, name, f"{name}: never synced ok"))
        elif now - last_ok > limit:
            out.append(
                HealthWarning(
                    WarningKind.STALE_SYNC,
                    name,
                    f"{name}: last good sync {_minutes(now - last_ok)} ago "
                    f"(expected every {sync_minutes} min)",
                )
            )
    return out


def fallback_rate(outcomes: Sequence[str]) -> float | None:
    if not outcomes:
        return None
    return sum(o == "fallback" for o in outcomes) / len(outcomes)


def fallback_jump_warnings(
    trends: HealthTrends,
    window: int = FALLBACK_WINDOW,
    jump: float = FALLBACK_JUMP,
) -> list[HealthWarning]:
    """A warning for every tier whose fallback rate over its latest `window` calls is more
    than `jump` above the rate over the `window` calls before them."""
    out: list[HealthWarning] = []
    for tier in sorted(trends.llm):
        outcomes = trends.llm[tier].outcomes
        recent, previous = outcomes[-window:], outcomes[-2 * window : -window]
        if len(previous) < MIN_PREVIOUS_CALLS:
            continue
        now_rate, was_rate = fallback_rate(recent), fallback_rate(previous)
        assert now_rate is not None and was_rate is not None
        if now_rate - was_rate > jump:
            out.append(
                HealthWarning(
                    WarningKind.FALLBACK_JUMP,
                    tier,
                    f"{tier}: fallbacks {now_rate:.0%} of the last {len(recent)} calls "
                    f"(was {was_rate:.0%})",
                )
            )
    return out


def slowest_repos(stats: Stats, limit: int = 10) -> list[RepoDuration]:
    """The latest run's repositories of every owner, slowest first."""
    out: list[RepoDuration] = []
    for owner, run in stats.sync.last_by_owner.items():
        for repo in run.repos:
            entry = _repo_duration(owner, repo)
            if entry is not None:
                out.append(entry)
    out.sort(key=lambda r: (-r.seconds, r.repo))
    return out[:limit]


def _repo_duration(owner: str, repo: Any) -> RepoDuration | None:
    if not isinstance(repo, dict) or not isinstance(repo.get("repo"), str):
        return None
    seconds = repo.get("seconds")
    return RepoDuration(
        owner=owner,
        repo=repo["repo"],
        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        status=str(repo.get("status", "")),
    )


def health_report(
    now: datetime,
    stats: Stats,
    trends: HealthTrends,
    owners: Iterable[str],
    sync_minutes: int,
) -> HealthReport:
    warnings = [
        *stale_sync_warnings(trends, owners, now, sync_minutes),
        *fallback_jump_warnings(trends),
    ]
    return HealthReport(
        now=now,
        stats=stats,
        trends=trends,
        warnings=tuple(warnings),
        repos=tuple(slowest_repos(stats)),
    )
