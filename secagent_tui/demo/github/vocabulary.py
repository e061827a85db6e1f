"""GitHub's Dependabot vocabulary (API version 2022-11-28), in one place.

The dataset generates only these values and the server accepts only these in filters and
PATCH bodies, so both sides share one spelling (``rust`` for Cargo, ``pip`` for PyPI) and a
value GitHub would refuse cannot slip into generated data.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "API_VERSION",
    "DISMISSED_REASONS",
    "ECOSYSTEMS",
    "MAX_COMMENT",
    "RELATIONSHIPS",
    "SCOPES",
    "SEVERITIES",
    "STATES",
    "AccountType",
]

API_VERSION = "2022-11-28"
#: Longest ``dismissed_comment`` GitHub accepts.
MAX_COMMENT = 280

#: Ecosystem words exactly as the alerts API spells them (``rust`` for Cargo, ``pip`` for PyPI).
ECOSYSTEMS: tuple[str, ...] = (
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
STATES: tuple[str, ...] = ("open", "dismissed", "fixed", "auto_dismissed")
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
SCOPES: tuple[str | None, ...] = ("runtime", "development", None)
RELATIONSHIPS: tuple[str | None, ...] = ("direct", "transitive", "unknown", "inconclusive", None)
DISMISSED_REASONS: tuple[str, ...] = (
    "fix_started",
    "inaccurate",
    "no_bandwidth",
    "not_used",
    "tolerable_risk",
)

AccountType = Literal["Organization", "User"]
