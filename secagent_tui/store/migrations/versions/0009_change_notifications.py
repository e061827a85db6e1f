"""change notifications: PostgreSQL announces every committed change of the findings, the jobs
and who has a finding open (issue 16, live between analysts)

A trigger on each of those tables calls `pg_notify` on one channel with the table's name as
payload (per statement on findings and jobs; per arriving or leaving row on presence, whose
refreshes change nothing anyone sees). Being in the database, it announces every writer — a TUI, a
`secagent worker`, a cron sync, an older build — without any of them having to remember to.
PostgreSQL delivers a notification only when its transaction commits and folds identical
ones of one transaction into one, so a sync chunk of 500 rows is one notification and a
rolled-back write none. SQLite has no such thing: its readers keep polling (nothing here).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHANNEL = "secagent_changes"  # store/notify.py listens on it
TRIGGERS = {
    "findings": ("INSERT OR UPDATE OR DELETE", "STATEMENT"),
    "jobs": ("INSERT OR UPDATE OR DELETE", "STATEMENT"),
    # Per row, and not on UPDATE: an open view writes its row again every few seconds only
    # to move `expires_at`, which changes nobody's screen; an analyst arriving (INSERT) or
    # leaving (DELETE, or the sweep of an expired row) does.
    "presence": ("INSERT OR DELETE", "ROW"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION secagent_notify_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table, (events, each) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER secagent_notify_{table} AFTER {events} ON {table} "
            f"FOR EACH {each} EXECUTE PROCEDURE secagent_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS secagent_notify_{table} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS secagent_notify_change()")
