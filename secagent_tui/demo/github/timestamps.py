"""GitHub's timestamp format and the dataset's fixed default "now".

A fixed default clock is what lets one seed give byte-identical payloads on every run (the
TUI snapshot tests depend on it); GitHub's format is whole seconds in UTC with a ``Z``.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["DEFAULT_NOW", "iso", "parse_iso"]

#: Fixed default "now" so a given seed yields byte-identical payloads on every run.
DEFAULT_NOW = datetime(2025, 6, 2, 12, 0, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    """GitHub's timestamp format: ISO 8601, UTC, seconds, ``Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Inverse of :func:`iso` (accepts ``Z`` and offsets)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
