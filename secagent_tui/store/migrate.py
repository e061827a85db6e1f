"""Schema migrations, applied on every start and by `secagent db upgrade`.

Alembic runs on the sync side of the async connection (`run_sync`), so one code path serves
SQLite and PostgreSQL and no separate sync driver is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.store.db import write_transaction

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x5EC_A6E7  # any constant shared by every secagent process


def alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; a no-op when it is already there."""
    await _run(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to `revision`; each migration's way back is tested through it."""
    await _run(engine, command.downgrade, revision)


async def _run(engine: AsyncEngine, step: Callable[[AlembicConfig, str], None], rev: str) -> None:
    def _step(sync_conn: Any) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        step(cfg, rev)

    async with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Several analysts' processes may start at once against a shared database.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        await conn.run_sync(_step)


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(sync_conn: Any) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
