"""SQLite times as integer microseconds since the epoch

SQLAlchemy wrote SQLite times as `YYYY-MM-DD HH:MM:SS.ffffff` text. Formatting that string
was a tenth of a sync's first bulk write, and each is 26 bytes in a row and in the queue
index; an integer is one subtraction away and eight bytes (`store.times`). The columns keep
their declared DATETIME type, so no table is rebuilt: only the values change. PostgreSQL
keeps `timestamptz` and has nothing to do.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIME_COLUMNS = {
    "findings": (
        "created_at",
        "updated_at",
        "dismissed_at",
        "fixed_at",
        "synced_at",
        "intent_at",
        "analysis_updated_at",
    ),
    "github_rate_limits": ("reset_at", "observed_at"),
    "sync_runs": ("started_at", "finished_at"),
    "sync_watermarks": ("watermark", "advanced_at"),
    "analyses": ("started_at", "finished_at"),
    "audit_events": ("at",),
    "intents": ("created_at", "confirmed_at", "remote_updated_at"),
    "jobs": (
        "run_after",
        "lease_expires_at",
        "heartbeat_at",
        "created_at",
        "started_at",
        "finished_at",
    ),
    "llm_calls": ("started_at",),
    "transcript_entries": ("created_at",),
}
"""Every time column of revision 0002, written out: a migration must not read the schema
module, which describes the newest revision."""


def _to_micros(column: str) -> str:
    # Whole seconds from the first 19 characters (exact, also before 1970), then the six
    # digits of the fraction; text written without a fraction adds 0.
    return (
        f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
        f" + CAST(substr({column}, 21, 6) AS INTEGER)"
    )


def _to_text(column: str) -> str:
    fraction = f"(({column} % 1000000) + 1000000) % 1000000"
    seconds = f"({column} - {fraction}) / 1000000"
    return (
        f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch')"
        f" || '.' || printf('%06d', {fraction})"
    )


def _convert(stored_as: str, convert: Callable[[str], str]) -> None:
    """Rewrite every time value SQLite holds as `stored_as` (its `typeof`) with `convert`."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in TIME_COLUMNS.items():
        sets = ", ".join(
            f"{c} = CASE WHEN typeof({c}) = '{stored_as}' THEN {convert(c)} ELSE {c} END"
            for c in columns
        )
        op.execute(f"UPDATE {table} SET {sets}")


def upgrade() -> None:
    _convert("text", _to_micros)


def downgrade() -> None:
    _convert("integer", _to_text)
