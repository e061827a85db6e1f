"""Schema migrations, applied on every start and by `secagent db upgrade`.

Alembic runs on the sync side of the async connection (`run_sync`), so one code path serves
SQLite and PostgreSQL and no separate sync driver is needed.

Alembic itself is imported only when there is something to do: `upgrade` first reads the
version table and returns when it already holds `HEAD_REVISION`, which is what nearly every
start finds (importing Alembic costs a tenth of a second; the read, a millisecond).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.store.db import write_transaction

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x5EC_A6E7  # any constant shared by every secagent process

HEAD_REVISION = "0011"
"""The newest migration's id, known without loading Alembic's script directory. A new
migration bumps it (tests/test_cli_start.py compares it with `head_revision()`); left behind,
it only costs the start the Alembic no-op upgrade it would have skipped."""

VERSION_TABLE = "alembic_version"


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; a no-op when it is already there."""
    if revision == "head" and await stored_revisions(engine) == {HEAD_REVISION}:
        return
    from alembic import command

    await _run(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to `revision`; each migration's way back is tested through it."""
    from alembic import command

    await _run(engine, command.downgrade, revision)


async def stored_revisions(engine: AsyncEngine) -> set[str]:
    """The revision ids in the version table, as Alembic keeps them (none: an empty database).

    Read without a lock: a migration commits its DDL and its version row in one transaction,
    so a database that reads as migrated is; one that reads otherwise takes the locked path.
    """
    async with engine.connect() as conn:
        if not await conn.run_sync(lambda sync: sync.dialect.has_table(sync, VERSION_TABLE)):
            return set()
        rows = await conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return {row[0] for row in rows}


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
    from alembic.runtime.migration import MigrationContext

    def _current(sync_conn: Any) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
