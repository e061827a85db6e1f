"""The operational figures of `secagent stats` and the queue header, typed.

`as_json()` is the fixed `stats --json` document (docs/architecture.md, "Fixed interfaces";
scripts read it), so every section spells its keys once, here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FindingFigures:
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    open_by_severity: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    pending_push: int = 0

    @property
    def open(self) -> int:
        return sum(self.open_by_severity.values())


@dataclass(frozen=True, slots=True)
class SyncRunFigures:
    """An owner's latest sync run; `ok` is None while it runs."""

    started_at: str | None
    ok: bool | None
    full: bool
    created: int
    updated: int
    unchanged: int
    errors: int
    requests: int
    seconds: float
    page_guard_hit: bool
    repos: list[Any]  # each repository's outcome, as the sync recorded it


@dataclass(frozen=True, slots=True)
class SyncFigures:
    runs: int = 0
    failed_runs: int = 0
    last_by_owner: dict[str, SyncRunFigures] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class JobFigures:
    by_status: dict[str, int] = field(default_factory=dict)
    stale_reclaimed: int = 0


@dataclass(frozen=True, slots=True)
class TierFigures:
    calls: int
    prompt_tokens: int
    completion_tokens: int
    fallbacks: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    fallback_rate: float


@dataclass(frozen=True, slots=True)
class LlmFigures:
    calls: int = 0
    by_tier: dict[str, TierFigures] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AutoDismissFigures:
    dismissed: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class RateLimitFigures:
    limit: int
    remaining: int
    reset_at: str | None
    observed_at: str | None


@dataclass(frozen=True, slots=True)
class Stats:
    findings: FindingFigures = field(default_factory=FindingFigures)
    sync: SyncFigures = field(default_factory=SyncFigures)
    jobs: JobFigures = field(default_factory=JobFigures)
    llm: LlmFigures = field(default_factory=LlmFigures)
    auto_dismiss: AutoDismissFigures = field(default_factory=AutoDismissFigures)
    github_rate_limit: dict[str, RateLimitFigures] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
