"""who asked for a job

- `jobs.requested_by`: the actor (`tui:<login>`, `cli:<login>`, `auto`, ...) whose request
  queued the job. An analysis chain's later tiers inherit it from the tier before; a push job
  carries its decision's actor. The Jobs pane's and `secagent jobs --mine`'s filter reads it.
  Nullable: jobs queued before this revision (and by older builds sharing the database) have
  no known requester, and "mine" never claims them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("requested_by", sa.String(100), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN, as in 0005 and 0006.
    op.execute("ALTER TABLE jobs DROP COLUMN requested_by")
