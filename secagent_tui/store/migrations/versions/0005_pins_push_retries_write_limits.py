"""analyst pins, push retry times, one write limit across processes

- `findings.auto_pinned_at`: an analyst's reopen pins the finding against automatic
  dismissal until an analyst decides otherwise or GitHub changes the alert after it.
- `intents.next_attempt_at`: a pending decision whose push failed for a transient reason is
  retried for as long as it is pending; this is when, for the queue and the finding view.
- `findings.push_status` / `push_error`: "retrying" or "refused" and why, mirrored from the
  latest decision's push so the queue can show it without a join.
- `write_limits`: the next moment a write to GitHub is allowed, shared by every runner on
  the database (GitHub's one-mutation-a-second guidance counts per token, not per process).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from secagent_tui.store.schema import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("auto_pinned_at", UtcDateTime(), nullable=True))
    op.add_column("findings", sa.Column("push_status", sa.String(12), nullable=True))
    op.add_column("findings", sa.Column("push_error", sa.Text(), nullable=True))
    op.add_column("intents", sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
    op.create_table(
        "write_limits",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("next_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("write_limits")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of findings
    # would have to recreate its generated columns (migration 0002).
    op.execute("ALTER TABLE intents DROP COLUMN next_attempt_at")
    op.execute("ALTER TABLE findings DROP COLUMN push_error")
    op.execute("ALTER TABLE findings DROP COLUMN push_status")
    op.execute("ALTER TABLE findings DROP COLUMN auto_pinned_at")
