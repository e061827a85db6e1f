"""Driver-level SQL for the findings upsert, the one hot write path.

A sync of a large organization writes tens of thousands of rows. SQLAlchemy's per-row
parameter processing (type processors for five datetimes and a JSON column, per row) cost
more than SQLite's own work, so the insert and update go to the driver as plain
`executemany` with values already in the driver's form. Everything else in the store uses
SQLAlchemy Core. The values here must match what the column types of `schema.py` write:
integer microseconds on SQLite and aware datetimes on PostgreSQL (both from `store.times`),
JSON as text on both (orjson: a tenth of the stdlib's time for a typical alert).
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

import orjson
import xxhash

from secagent_tui.domain.finding import Finding
from secagent_tui.store.times import to_micros, to_timestamptz

PLAIN_COLUMNS = (
    "package",
    "ecosystem",
    "manifest_path",
    "relationship",
    "ghsa_id",
    "cve_id",
    "summary",
    "cvss_score",
    "cvss_vector",
    "epss_percentage",
    "epss_percentile",
    "vulnerable_version_range",
    "patched_version",
    "html_url",
    "dismissed_reason",
    "dismissed_comment",
)
"""Columns stored exactly as the `Finding` attribute of the same name holds them."""

GITHUB_COLUMNS = (
    *PLAIN_COLUMNS,
    "owner",
    "state",
    "severity",
    "scope",
    "cwe_ids",
    "created_at",
    "updated_at",
    "dismissed_at",
    "fixed_at",
    "raw_json",
    "content_hash",
    "synced_at",
    "assignees",
)
"""The only columns a sync may write. Analysis and intent columns are deliberately absent."""

ROW_COLUMNS = ("repo", "number", *GITHUB_COLUMNS)
"""A row as `values()` builds it: the key, then GitHub's columns. The insert and the update
take the same tuple, so a chunk is never copied into a second shape."""

HASH_INDEX = ROW_COLUMNS.index("content_hash")
_INTENT_COLUMNS = ("intent_state", "intent_reason", "intent_comment", "intent_at")
_key_and_plain_values = attrgetter("repo", "number", *PLAIN_COLUMNS)


class FindingBulkSql:
    """Statements and value tuples for one dialect (`sqlite` or `postgresql`)."""

    def __init__(self, dialect_name: str) -> None:
        self._time = to_micros if dialect_name == "sqlite" else to_timestamptz
        mark = "?" if dialect_name == "sqlite" else "$"
        # Placeholders are numbered in ROW_COLUMNS order: ?1 is repo, ?2 number, and so on.
        at = {c: f"{mark}{i}" for i, c in enumerate(ROW_COLUMNS, start=1)}
        refresh = ", ".join(f"{c} = excluded.{c}" for c in GITHUB_COLUMNS)
        self.insert_sql = (
            f"INSERT INTO findings ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join(at.values())})"
        )
        if dialect_name != "sqlite":
            # A row a concurrent sync inserted first is updated instead of failing the batch.
            # SQLite needs no such clause: a chunk is classified and written under one
            # BEGIN IMMEDIATE, so no other writer can add a row in between.
            self.insert_sql += f" ON CONFLICT (repo, number) DO UPDATE SET {refresh}"
        sets = [f"{c} = {at[c]}" for c in GITHUB_COLUMNS]
        # Merge rule: an analyst's intent survives unless GitHub's change is newer than it.
        newer = f"(intent_at IS NOT NULL AND intent_at < {at['updated_at']})"
        sets += [f"{c} = CASE WHEN {newer} THEN NULL ELSE {c} END" for c in _INTENT_COLUMNS]
        sets.append(f"pending_push = CASE WHEN {newer} THEN FALSE ELSE pending_push END")
        # The same rule for an analyst's assignment, ordered by its own time.
        newer_assignment = (
            f"(intent_assignees_at IS NOT NULL AND intent_assignees_at < {at['updated_at']})"
        )
        sets += [
            f"{c} = CASE WHEN {newer_assignment} THEN NULL ELSE {c} END"
            for c in ("intent_assignees", "intent_assignees_at")
        ]
        self.update_sql = (
            f"UPDATE findings SET {', '.join(sets)} "
            f"WHERE repo = {at['repo']} AND number = {at['number']}"
        )
        self._mark = mark

    def stored_sql(self, spans: int) -> str:
        """Key and hash of the stored rows in `spans` (repo, lowest, highest number) ranges.

        `(repo = ? AND number BETWEEN ? AND ?) OR ...`: both backends answer each term from
        the unique (repo, number) index; a row-value IN list made SQLite scan the whole index.
        """
        mark = self._mark
        terms = " OR ".join(
            f"(repo = {mark}{i} AND number BETWEEN {mark}{i + 1} AND {mark}{i + 2})"
            for i in range(1, 3 * spans, 3)
        )
        return f"SELECT repo, number, content_hash FROM findings WHERE {terms}"

    def synced_at(self, value: datetime) -> Any:
        """`synced_at` in the driver's form: converted once per batch, not once per row."""
        return self._time(value)

    def values(self, finding: Finding, synced_at: Any) -> tuple[Any, ...]:
        """The row in ROW_COLUMNS order, in the driver's form.

        `synced_at` comes from `synced_at()`."""
        raw = finding.raw
        if "repository" in raw:
            # The org endpoint adds it and the repo endpoint does not; the repo column already
            # says it. Without this, the same alert would hash differently by endpoint.
            raw = {k: v for k, v in raw.items() if k != "repository"}
        raw_json = orjson.dumps(raw)
        time = self._time
        scope = finding.scope
        # One C-level attrgetter call for the key and the plain columns, then the computed ones;
        # `_value_` is an enum member's plain value without `.value`'s descriptor call. The
        # content hash only tells a changed alert from an unchanged one, nothing trusts it: a
        # 128-bit non-cryptographic hash does that at a sixth of SHA-1's cost.
        return (
            *_key_and_plain_values(finding),
            finding.repo.partition("/")[0].lower(),
            finding.state._value_,
            finding.severity._value_,
            scope._value_ if scope else None,
            orjson.dumps(finding.cwe_ids).decode(),
            time(finding.created_at),
            time(finding.updated_at),
            time(finding.dismissed_at),
            time(finding.fixed_at),
            raw_json.decode(),
            xxhash.xxh3_128_hexdigest(raw_json),
            synced_at,
            orjson.dumps(finding.assignees).decode(),
        )
