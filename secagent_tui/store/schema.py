"""Tables. GitHub-owned columns, analyst intents and analysis results live apart so that a
sync can only ever write the first (docs/architecture.md, "The merge rule")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from secagent_tui.store.times import from_micros, to_micros, to_timestamptz


class _SqliteMicros(sqlite.DATETIME):
    """A `DATETIME` column (as migration 0001 declared it) whose values reach the driver as
    they are: `UtcDateTime` has already made them integers. It subclasses the dialect's own
    type, which SQLAlchemy then keeps instead of swapping in its text-formatting one."""

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on both backends: integer microseconds on SQLite
    (see `store.times`), `timestamptz` on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SqliteMicros()
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return to_micros(value)
        return to_timestamptz(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        # On SQLite, `from_micros` itself: one call a value instead of TypeDecorator's three
        # (9 time columns make that a tenth of reading 10,000 findings). Same values.
        if dialect.name == "sqlite":
            return from_micros
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if dialect.name == "sqlite":
            return from_micros(value)
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
"""The queue's severity order (most severe first), stored so that an index can hold it."""

_SEVERITY_ORDER_SQL = (
    "CASE severity "
    + " ".join(f"WHEN '{name}' THEN {order}" for name, order in SEVERITY_ORDER.items())
    + " ELSE 3 END"
)

_REPO_KEY = String(201).with_variant(String(201, collation="C"), "postgresql")
"""Lower-cased repository, compared by code point on both backends (as Python sorts)."""


# A JSON column that may be empty: Python's None is SQL NULL, never the JSON text "null"
# (SQLAlchemy's default), so `IS NULL` — the queue's "has verdict" filter — means "none"
# (migration 0006 turned the stored "null" texts into NULL).
NullableJSON = JSON(none_as_null=True)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _ts(name: str, **kw: object) -> Column:
    return Column(name, UtcDateTime(), **kw)  # type: ignore[arg-type]


findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(100), nullable=False),
    Column("repo", String(201), nullable=False),
    Column("number", Integer, nullable=False),
    # GitHub-owned: written by sync only.
    Column("state", String(20), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("package", String(300), nullable=False),
    Column("ecosystem", String(30), nullable=False),
    Column("manifest_path", Text, nullable=False),
    Column("scope", String(20)),
    Column("relationship", String(20)),
    Column("ghsa_id", String(40), nullable=False),
    Column("cve_id", String(40)),
    Column("summary", Text, nullable=False),
    Column("cvss_score", Float),
    Column("cvss_vector", String(200)),
    Column("epss_percentage", Float),
    Column("epss_percentile", Float),
    Column("cwe_ids", JSON, nullable=False),
    Column("vulnerable_version_range", String(200)),
    Column("patched_version", String(100)),
    Column("html_url", Text, nullable=False),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    _ts("dismissed_at"),
    _ts("fixed_at"),
    Column("dismissed_reason", String(30)),
    Column("dismissed_comment", Text),
    # GitHub's payload as received: kept as text so its hash and its storage share one dumps.
    Column("raw_json", Text, nullable=False),
    Column("content_hash", String(40), nullable=False),
    _ts("synced_at", nullable=False),
    # Analyst intent (merge rule): set by dismiss/reopen, never by a plain sync.
    # The effective state is COALESCE(intent_state, state); GitHub's columns stay truthful.
    Column("intent_state", String(20)),
    Column("intent_reason", String(30)),
    Column("intent_comment", Text),
    _ts("intent_at"),
    Column("pending_push", Boolean, nullable=False, default=False, server_default="0"),
    # An analyst's reopen pins the finding against automatic dismissal (migration 0005).
    _ts("auto_pinned_at"),
    # The latest decision's push: None, "retrying" or "refused", and why (migration 0005).
    Column("push_status", String(12)),
    Column("push_error", Text),
    # Team work (migration 0008). GitHub's assignees as synced; an analyst's assignment
    # applied at once (the merge rule, as for intent_state); snooze until a patch exists.
    Column("assignees", JSON, nullable=False, default=list, server_default=text("'[]'")),
    Column("intent_assignees", NullableJSON),
    _ts("intent_assignees_at"),
    Column("snooze_state", String(20)),
    _ts("snoozed_at"),
    # Analysis: written by the pipeline only.
    Column("analysis_status", String(20), nullable=False, default="none", server_default="none"),
    Column("triage", NullableJSON),
    Column("verdict", NullableJSON),
    Column("evidence", NullableJSON),
    Column("analysis_error", Text),
    _ts("analysis_updated_at"),
    # The verdict a newer run replaced, while that run has none of its own (migration 0006).
    Column("previous_verdict", NullableJSON),
    _ts("previous_verdict_at"),
    # Derived by the database (never written): what the queue filters and sorts by, so that
    # one narrow index answers its usual questions without reading the wide rows. Migration
    # 0002 creates them VIRTUAL on SQLite and STORED on PostgreSQL.
    Column("effective_state", String(20), Computed("coalesce(intent_state, state)")),
    Column("severity_order", Integer, Computed(_SEVERITY_ORDER_SQL)),
    Column("repo_key", _REPO_KEY, Computed("lower(repo)")),
    # The campaign list's grouped scan reads these from `ix_findings_campaigns` (migration
    # 0010; the usage word is `evidence ->> 'usage'` there on PostgreSQL).
    Column("has_verdict", Boolean, Computed("verdict IS NOT NULL")),
    Column("evidence_usage", String(20), Computed("json_extract(evidence, '$.usage')")),
    UniqueConstraint("repo", "number", name="uq_findings_repo_number"),
    # The queue's default order first (a window of it is read in index order and stops at
    # the limit), then the columns its common filters and counts read.
    Index(
        "ix_findings_queue",
        "severity_order",
        "repo_key",
        "number",
        "effective_state",
        "ecosystem",
        "scope",
        "pending_push",
        "created_at",
    ),
    # Only the rows a snooze marks (migration 0011): the look for woken snoozes after each
    # sync and the snooze filter read these few, not the table.
    Index(
        "ix_findings_snoozed",
        "snooze_state",
        "owner",
        sqlite_where=text("snooze_state IS NOT NULL"),
        postgresql_where=text("snooze_state IS NOT NULL"),
    ),
    Index(
        "ix_findings_campaigns",
        "ghsa_id",
        "ecosystem",
        "package",
        "severity_order",
        "repo_key",
        "effective_state",
        "has_verdict",
        "evidence_usage",
        "epss_percentage",
        "created_at",
    ),
)

sync_watermarks = Table(
    "sync_watermarks",
    metadata,
    Column("owner_kind", String(10), primary_key=True),
    Column("owner_name", String(100), primary_key=True),
    _ts("watermark", nullable=False),
    Column("last_run_id", Integer),
    _ts("advanced_at", nullable=False),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("correlation_id", String(40), nullable=False),
    Column("owner_kind", String(10), nullable=False),
    Column("owner_name", String(100), nullable=False),
    Column("full", Boolean, nullable=False),
    _ts("started_at", nullable=False),
    _ts("finished_at"),
    Column("ok", Boolean),
    Column("created", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("requests", Integer, nullable=False, default=0),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("page_guard_hit", Boolean, nullable=False, default=False),
    Column("repos", JSON, nullable=False, default=list),
    Column("error", Text),
    Index("ix_sync_runs_owner_started", "owner_name", "started_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE")),
    Column("status", String(12), nullable=False),
    Column("uses_llm", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False, default=3),
    _ts("run_after", nullable=False),
    _ts("lease_expires_at"),
    _ts("heartbeat_at"),
    Column("claimed_by", String(100)),
    Column("last_error", Text),
    Column("correlation_id", String(40), nullable=False),
    Column("payload", JSON, nullable=False, default=dict),
    _ts("created_at", nullable=False),
    _ts("started_at"),
    _ts("finished_at"),
    # The actor whose request queued the job (migration 0007); NULL when not known.
    Column("requested_by", String(100)),
    Index("ix_jobs_status_run_after", "status", "run_after"),
    Index("ix_jobs_owner_status", "owner", "status"),
)

intents = Table(
    "intents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(10), nullable=False),
    Column("reason", String(30)),
    Column("comment", Text),
    Column("actor", String(100), nullable=False),
    Column("automatic", Boolean, nullable=False, default=False),
    Column("status", String(12), nullable=False),
    _ts("created_at", nullable=False),
    _ts("confirmed_at"),
    _ts("remote_updated_at"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("correlation_id", String(40), nullable=False),
    _ts("next_attempt_at"),  # a transient push failure's next try (migration 0005)
    # The logins an `assign` intent sets ([] clears); NULL for dismiss and reopen (0008).
    Column("assignees", NullableJSON),
    Index("ix_intents_status", "status"),
    Index("ix_intents_finding", "finding_id"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("model", String(100)),
    Column("triage", NullableJSON),
    Column("evidence", NullableJSON),
    Column("verdict", NullableJSON),
    Column("error", Text),
    Column("correlation_id", String(40), nullable=False),
    _ts("started_at", nullable=False),
    _ts("finished_at"),
    Index("ix_analyses_finding", "finding_id"),
)

transcripts = Table(
    "transcript_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("analysis_id", Integer, ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("role", String(20), nullable=False),
    Column("content", Text, nullable=False),
    _ts("created_at", nullable=False),
    UniqueConstraint("analysis_id", "seq", name="uq_transcript_entries_analysis_seq"),
)

llm_calls = Table(
    "llm_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tier", String(20), nullable=False),
    Column("model", String(100), nullable=False),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="SET NULL")),
    _ts("started_at", nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("outcome", String(10), nullable=False),
    Column("error", Text),
    Column("correlation_id", String(40), nullable=False),
    Index("ix_llm_calls_tier_started", "tier", "started_at"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ts("at", nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="SET NULL")),
    Column("detail", JSON, nullable=False, default=dict),
    Column("correlation_id", String(40)),
    Index("ix_audit_events_finding", "finding_id"),
)

# The next moment a write to GitHub is allowed, shared by every runner (migration 0005).
write_limits = Table(
    "write_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    _ts("next_at", nullable=False),
)

presence = Table(
    "presence",
    metadata,
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True),
    Column("analyst", String(100), primary_key=True),
    # A row says who has the finding open until then; refreshed while the view is open.
    _ts("expires_at", nullable=False),
    Index("ix_presence_expires_at", "expires_at"),
)

rate_limits = Table(
    "github_rate_limits",
    metadata,
    Column("resource", String(30), primary_key=True),
    Column("limit", Integer, nullable=False),
    Column("remaining", Integer, nullable=False),
    _ts("reset_at", nullable=False),
    _ts("observed_at", nullable=False),
)
