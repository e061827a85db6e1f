"""What a Dependabot alert is once it is ours: states and severities in GitHub's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AlertState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    FIXED = "fixed"
    AUTO_DISMISSED = "auto_dismissed"

    @classmethod
    def parse_list(cls, text: str) -> list[AlertState]:
        """`open,dismissed` or `all` → states; a bad word names itself in the error."""
        if text.strip().lower() == "all":
            return list(cls)
        states: list[AlertState] = []
        for word in (w.strip().lower() for w in text.split(",")):
            try:
                states.append(cls(word))
            except ValueError:
                allowed = ", ".join(s.value for s in cls)
                raise ValueError(f"unknown state {word!r} (one of {allowed}, or all)") from None
        return states


class Severity(StrEnum):
    """Advisory severity. Advisory databases say MODERATE where the alerts API says medium."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        word = text.strip().lower()
        if word == "moderate":
            word = "medium"
        try:
            return cls(word)
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (one of {allowed})") from None

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Scope(StrEnum):
    DEVELOPMENT = "development"
    RUNTIME = "runtime"


GITHUB_ECOSYSTEMS: tuple[str, ...] = (
    "npm",
    "pip",
    "maven",
    "go",
    "rubygems",
    "nuget",
    "composer",
    "rust",
    "pub",
    "swift",
    "actions",
)
"""Ecosystems as Dependabot's alerts spell them (`rust` for Cargo, `pip` for PyPI, `actions`
for workflow dependencies); a word GitHub adds later is still offered once the data holds it."""


def ecosystem_choices(found: Sequence[str]) -> tuple[str, ...]:
    """The known ecosystems, then any other the data holds (lower-cased, sorted)."""
    extra = sorted({e.lower() for e in found if e} - set(GITHUB_ECOSYSTEMS))
    return (*GITHUB_ECOSYSTEMS, *extra)


class DismissReason(StrEnum):
    """GitHub's five dismissal reasons, the only ones its PATCH accepts."""

    FIX_STARTED = "fix_started"
    INACCURATE = "inaccurate"
    NO_BANDWIDTH = "no_bandwidth"
    NOT_USED = "not_used"
    TOLERABLE_RISK = "tolerable_risk"

    @classmethod
    def parse(cls, text: str) -> DismissReason:
        try:
            return cls(text.strip().lower())
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown dismiss reason {text!r} (one of {allowed})") from None


class AnalysisStatus(StrEnum):
    NONE = "none"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


MAX_COMMENT_CHARS = 280
"""GitHub refuses a dismissed_comment longer than this with 422."""


@dataclass(slots=True)
class Finding:
    """GitHub's data for one alert, as the parser extracts it.

    Only what GitHub owns lives here; local intents and analysis results are kept beside it in
    the store so that a sync can never overwrite them.
    """

    repo: str
    number: int
    state: AlertState
    severity: Severity
    package: str
    ecosystem: str
    manifest_path: str
    scope: Scope | None
    relationship: str | None
    ghsa_id: str
    cve_id: str | None
    summary: str
    cvss_score: float | None
    cvss_vector: str | None
    epss_percentage: float | None
    epss_percentile: float | None
    cwe_ids: list[str]
    vulnerable_version_range: str | None
    patched_version: str | None
    html_url: str
    created_at: datetime
    updated_at: datetime
    dismissed_at: datetime | None = None
    fixed_at: datetime | None = None
    dismissed_reason: str | None = None
    dismissed_comment: str | None = None
    assignees: tuple[str, ...] = ()
    """GitHub's assignees' logins in GitHub's order (older payloads have none)."""
    description: str = ""
    """Often kilobytes: stored only inside `raw`, filled when one finding is opened."""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def owner_name(self) -> str:
        return self.repo.split("/", 1)[0]

    @property
    def ref(self) -> str:
        return f"{self.repo}#{self.number}"
