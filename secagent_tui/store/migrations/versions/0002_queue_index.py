"""queue index on derived columns

The TUI queue filtered and sorted by expressions over the whole findings table, whose rows
carry kilobytes of JSON each: ~100 ms per refresh at 50,000 findings. Three generated
columns (effective state, severity order, lower-cased repository) and one narrow index over
them and the common filter columns let the default window be read in index order and the
counts be taken from the index alone. The (owner, state) index it replaces served only the
CLI's owner filter.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ORDER_SQL = (
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 3 END"
)
_QUEUE_COLUMNS = [
    "severity_order",
    "repo_key",
    "number",
    "effective_state",
    "ecosystem",
    "scope",
    "pending_push",
    "created_at",
]


def upgrade() -> None:
    # Plain ALTER TABLE (not batch): SQLite adds VIRTUAL generated columns in place, without
    # copying the table. PostgreSQL must store them to index them (18+ would default to
    # VIRTUAL, which cannot be indexed), so it is asked for explicitly.
    persisted = True if op.get_bind().dialect.name == "postgresql" else None

    def derived(name: str, type_: sa.types.TypeEngine, sql: str) -> None:
        op.add_column("findings", sa.Column(name, type_, sa.Computed(sql, persisted=persisted)))

    op.drop_index("ix_findings_owner_state", table_name="findings")
    derived("effective_state", sa.String(20), "coalesce(intent_state, state)")
    derived("severity_order", sa.Integer(), _ORDER_SQL)
    repo_key = sa.String(201).with_variant(sa.String(201, collation="C"), "postgresql")
    derived("repo_key", repo_key, "lower(repo)")
    op.create_index("ix_findings_queue", "findings", _QUEUE_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_findings_queue", table_name="findings")
    for column in ("repo_key", "severity_order", "effective_state"):
        op.drop_column("findings", column)
    op.create_index("ix_findings_owner_state", "findings", ["owner", "state"], unique=False)
