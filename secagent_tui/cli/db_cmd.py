"""`secagent db upgrade`: apply migrations explicitly (every command also does it on start)."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.store.migrate import current_revision, head_revision


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Bring the database schema to the newest migration."""

    async def _report(engine: AsyncEngine) -> str | None:
        return await current_revision(engine)

    revision = app.run_with_db(_report)
    where = make_url(app.config.database.url).render_as_string(hide_password=True)
    click.echo(f"database {where} at revision {revision} (head {head_revision()})")
