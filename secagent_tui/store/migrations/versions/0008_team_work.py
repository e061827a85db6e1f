"""team work: assignees, snooze until a patch exists, presence (issue 16)

- `findings.assignees`: GitHub's `assignees` logins as synced (a JSON list; `[]` for none and
  for older payloads without the key). A GitHub-owned column: only a sync writes it.
- `findings.intent_assignees` / `intent_assignees_at`: an analyst's assignment waiting in
  the outbox or confirmed, applied at once like a dismissal's `intent_state` (the merge rule:
  the effective assignees are the intent's until GitHub reports a change newer than it).
- `intents.assignees`: the logins an `assign` intent sets (`[]` clears); NULL for dismiss
  and reopen intents.
- `findings.snooze_state` / `snoozed_at`: "snoozed" while the finding is dismissed until a
  first patched version exists, "patch_available" once a sync saw one and the tool reopened
  it (shown in the queue until an analyst decides again); NULL otherwise.
- `presence`: who has a finding open right now, one short-lived row per analyst and finding,
  refreshed while the view is open and ignored (then deleted) once `expires_at` has passed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from secagent_tui.store.schema import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "findings",
        sa.Column("assignees", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    op.add_column("findings", sa.Column("intent_assignees", sa.JSON(none_as_null=True)))
    op.add_column("findings", sa.Column("intent_assignees_at", UtcDateTime(), nullable=True))
    op.add_column("findings", sa.Column("snooze_state", sa.String(20), nullable=True))
    op.add_column("findings", sa.Column("snoozed_at", UtcDateTime(), nullable=True))
    op.add_column("intents", sa.Column("assignees", sa.JSON(none_as_null=True)))
    op.create_table(
        "presence",
        sa.Column(
            "finding_id",
            sa.Integer(),
            sa.ForeignKey(
                "findings.id", ondelete="CASCADE", name="fk_presence_finding_id_findings"
            ),
            nullable=False,
        ),
        sa.Column("analyst", sa.String(100), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "analyst", name="pk_presence"),
    )
    op.create_index("ix_presence_expires_at", "presence", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_presence_expires_at", table_name="presence")
    op.drop_table("presence")
    # Plain DROP COLUMN, as in 0005 to 0007.
    op.execute("ALTER TABLE intents DROP COLUMN assignees")
    for column in ("snoozed_at", "snooze_state", "intent_assignees_at", "intent_assignees"):
        op.execute(f"ALTER TABLE findings DROP COLUMN {column}")
    op.execute("ALTER TABLE findings DROP COLUMN assignees")
