"""Driver-level SQL for the findings upsert, the one hot write path.

A sync of a large organization writes tens of thousands of rows. SQLAlchemy's per-row
parameter processing (type processors for five datetimes and a JSON column, per row) cost
more than SQLite's own work, so the insert and update go to the driver as plain
`executemany` with values already in the driver's form. Everything else in the store uses
SQLAlchemy Core. The values here must match what the column types of `schema.py` write:
naive-UTC `YYYY-MM-DD HH:MM:SS.ffffff` strings on SQLite, aware datetimes on PostgreSQL,
JSON as text on both (orjson: a tenth of the stdlib's time for a typical alert).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from secagent_tui.domain.finding import Finding

GITHUB_COLUMNS = (
    "owner",
    "state",
    "severity",
    "package",
    "ecosystem",
    "manifest_path",
    "scope",
    "relationship",
    "ghsa_id",
    "cve_id",
    "summary",
    "cvss_score",
    "cvss_vector",
    "epss_percentage",
    "epss_percentile",
    "cwe_ids",
    "vulnerable_version_range",
    "patched_version",
    "html_url",
    "created_at",
    "updated_at",
    "dismissed_at",
    "fixed_at",
    "dismissed_reason",
    "dismissed_comment",
    "raw_json",
    "content_hash",
    "synced_at",
)
"""The only columns a sync may write. Analysis and intent columns are deliberately absent."""

HASH_INDEX = GITHUB_COLUMNS.index("content_hash")
UPDATED_AT_INDEX = GITHUB_COLUMNS.index("updated_at")
_INTENT_COLUMNS = ("intent_state", "intent_reason", "intent_comment", "intent_at")


def _naive(value: datetime) -> ValueError:
    return ValueError(f"naive datetime {value!r}: the store only takes UTC-aware times")


def _sqlite_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:
        raise _naive(value)
    if offset:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value: datetime | None) -> datetime | None:
    if value is not None and value.utcoffset() is None:
        raise _naive(value)
    return value


class FindingBulkSql:
    """Statements and value tuples for one dialect (`sqlite` or `postgresql`)."""

    def __init__(self, dialect_name: str) -> None:
        self._time = _sqlite_time if dialect_name == "sqlite" else _pg_time
        mark = "?" if dialect_name == "sqlite" else "$"
        n = len(GITHUB_COLUMNS)
        key_cols = ("repo", "number", *GITHUB_COLUMNS)
        placeholders = ", ".join(f"{mark}{i}" for i in range(1, n + 3))
        refresh = ", ".join(f"{c} = excluded.{c}" for c in GITHUB_COLUMNS)
        # A row a concurrent sync inserted first is updated instead of failing the batch.
        self.insert_sql = (
            f"INSERT INTO findings ({', '.join(key_cols)}) VALUES ({placeholders}) "
            f"ON CONFLICT (repo, number) DO UPDATE SET {refresh}"
        )
        sets = [f"{c} = {mark}{i}" for i, c in enumerate(GITHUB_COLUMNS, start=1)]
        # Merge rule: an analyst's intent survives unless GitHub's change is newer than it.
        newer = f"(intent_at IS NOT NULL AND intent_at < {mark}{UPDATED_AT_INDEX + 1})"
        sets += [f"{c} = CASE WHEN {newer} THEN NULL ELSE {c} END" for c in _INTENT_COLUMNS]
        sets.append(f"pending_push = CASE WHEN {newer} THEN FALSE ELSE pending_push END")
        self.update_sql = f"UPDATE findings SET {', '.join(sets)} WHERE id = {mark}{n + 1}"

    def values(self, finding: Finding, synced_at: datetime) -> tuple[Any, ...]:
        """GitHub's column values in GITHUB_COLUMNS order, in the driver's form."""
        raw = finding.raw
        if "repository" in raw:
            # The org endpoint adds it and the repo endpoint does not; the repo column already
            # says it. Without this, the same alert would hash differently by endpoint.
            raw = {k: v for k, v in raw.items() if k != "repository"}
        raw_json = orjson.dumps(raw)
        time = self._time
        return (
            finding.owner_name.lower(),
            finding.state.value,
            finding.severity.value,
            finding.package,
            finding.ecosystem,
            finding.manifest_path,
            finding.scope.value if finding.scope else None,
            finding.relationship,
            finding.ghsa_id,
            finding.cve_id,
            finding.summary,
            finding.cvss_score,
            finding.cvss_vector,
            finding.epss_percentage,
            finding.epss_percentile,
            orjson.dumps(finding.cwe_ids).decode(),
            finding.vulnerable_version_range,
            finding.patched_version,
            finding.html_url,
            time(finding.created_at),
            time(finding.updated_at),
            time(finding.dismissed_at),
            time(finding.fixed_at),
            finding.dismissed_reason,
            finding.dismissed_comment,
            raw_json.decode(),
            hashlib.blake2b(raw_json, digest_size=20).hexdigest(),
            time(synced_at),
        )
