"""the previous run's verdict, kept while a new run has none

- `findings.previous_verdict` / `previous_verdict_at`: a new analysis run clears the
  mirrored triage, evidence and verdict (one run is one record); the verdict it replaced is
  kept here, with when it was reached, so a failed or unfinished re-run still shows the last
  known verdict — labelled as the previous run's, never mixed with the new run's triage.
  A run that reaches its own verdict clears it.
- The nullable JSON columns (`triage`, `verdict`, `evidence` of findings and analyses) held
  the JSON text `null` where a new run had cleared them — SQLAlchemy's default for None — so
  `verdict IS NULL` said "has a verdict" after any re-run; they are SQL NULL from now on
  (schema.NullableJSON) and the stored `null` texts become NULL here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from secagent_tui.store.schema import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


_CLEARED = {
    "findings": ("triage", "verdict", "evidence"),
    "analyses": ("triage", "evidence", "verdict"),
}


def upgrade() -> None:
    op.add_column("findings", sa.Column("previous_verdict", sa.JSON(), nullable=True))
    op.add_column("findings", sa.Column("previous_verdict_at", UtcDateTime(), nullable=True))
    for table, columns in _CLEARED.items():
        for column in columns:
            # CAST: PostgreSQL's json type has no equality; its text form of JSON null is null.
            op.execute(f"UPDATE {table} SET {column} = NULL WHERE CAST({column} AS TEXT) = 'null'")


def downgrade() -> None:
    # The NULLs stay NULL: the older code reads SQL NULL and JSON null alike.
    # Plain DROP COLUMN, as in 0005: a batch copy would have to recreate generated columns.
    op.execute("ALTER TABLE findings DROP COLUMN previous_verdict_at")
    op.execute("ALTER TABLE findings DROP COLUMN previous_verdict")
