"""snoozed index: the findings a snooze holds, without a scan of the table

After every sync of an owner the tool looks for its snoozed findings that now have a patch
(pipeline/snooze.py), and the queue can filter by the snooze. Few findings are ever snoozed,
but without an index each look read every row of the table: ~65 ms per owner per sync at
50,000 findings. A partial index over just the marked rows answers both at once and costs
a write only when a finding is snoozed or woken.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_MARKED = sa.text("snooze_state IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_findings_snoozed",
        "findings",
        ["snooze_state", "owner"],
        unique=False,
        sqlite_where=_MARKED,
        postgresql_where=_MARKED,
    )


def downgrade() -> None:
    op.drop_index("ix_findings_snoozed", table_name="findings")
