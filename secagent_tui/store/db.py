"""Engines for the embedded SQLite default and a team's shared PostgreSQL.

SQLite runs in WAL with a busy timeout so a TUI, a worker and a cron sync can share one file;
write transactions that must not interleave (job claims, bulk upserts) ask for `BEGIN
IMMEDIATE` through `write_transaction`.

An SQLite path that cannot hold a database (a folder, a device, a path under /proc or /sys,
a folder that is a file) is refused before the engine exists: otherwise the first connect
failed inside aiosqlite's worker thread, which then reported to an event loop already closed
and printed a traceback after the error (issue 15).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from secagent_tui.domain.errors import SecagentError

_IMMEDIATE = "secagent_sqlite_immediate"
MIN_SQLITE = (3, 31, 0)
"""Generated columns (the queue's index, migration 0002) arrived in SQLite 3.31."""


class SqliteTooOld(SQLAlchemyError, SecagentError):
    """The Python build's SQLite cannot hold this schema."""


class SqlitePathRefused(SQLAlchemyError, SecagentError):
    """The SQLite database path cannot hold a database file; the message names the path."""


_PSEUDO_FILE_SYSTEMS = ("/proc", "/sys", "/dev")
_RAM_DISK = "/dev/shm"  # a real file system under /dev


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An engine for `url`; creates the SQLite file's folder so a first run just works."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, echo)
    return create_async_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_engine(url: str, database: str | None, echo: bool) -> AsyncEngine:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise SqliteTooOld(
            f"SQLite {sqlite3.sqlite_version} is too old: secagent needs "
            f"{'.'.join(map(str, MIN_SQLITE))} or newer (or a PostgreSQL database.url)"
        )
    if database and database != ":memory:":
        check_sqlite_path(Path(database).expanduser(), probe=not make_url(url).query)
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defeat BEGIN IMMEDIATE; we emit BEGIN.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # Takes effect only when the file is new (before WAL and the first table). Alert rows
        # carry kilobytes of JSON; SQLite's largest page holds ~30 of them, which makes a bulk
        # sync's b-tree and WAL work per row the smallest (64 KiB wrote 50,000 rows 15% faster
        # than 16 KiB). A one-row write logs a bigger page; reads come from the page cache.
        cursor.execute("PRAGMA page_size=65536")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def check_sqlite_path(path: Path, *, probe: bool = True) -> None:
    """Refuses a path no database file can live at, creating its folder otherwise (so a
    first run just works); `probe` opens it once with the standard sqlite3 module, so a
    file SQLite cannot open is refused here too, in this thread, with the reason."""
    resolved = path.resolve()
    for root in _PSEUDO_FILE_SYSTEMS:
        inside = resolved == Path(root) or Path(root) in resolved.parents
        if inside and not (resolved == Path(_RAM_DISK) or Path(_RAM_DISK) in resolved.parents):
            raise SqlitePathRefused(
                f"SQLite database {path} is under {root}, which holds no database files"
            )
    if resolved.is_dir():
        raise SqlitePathRefused(f"SQLite database {path} is a folder, not a database file")
    if resolved.exists() and not resolved.is_file():
        raise SqlitePathRefused(f"SQLite database {path} is not a regular file")
    folder = resolved.parent
    if folder.exists() and not folder.is_dir():
        raise SqlitePathRefused(f"SQLite database {path}: {folder} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SqlitePathRefused(
            f"SQLite database {path}: cannot create its folder {folder}: {exc.strerror or exc}"
        ) from None
    if probe:
        try:
            sqlite3.connect(resolved).close()
        except sqlite3.Error as exc:
            raise SqlitePathRefused(f"SQLite database {path} cannot be opened: {exc}") from None


@asynccontextmanager
async def write_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that holds SQLite's write lock from its first statement.

    Read-then-write logic inside it cannot interleave with another process's writes, which is
    what makes count-and-claim atomic on SQLite. On PostgreSQL it is a plain transaction; the
    statements themselves use row locks.
    """
    async with engine.connect() as conn:
        if is_sqlite(engine):
            conn = await conn.execution_options(**{_IMMEDIATE: True})
        async with conn.begin():
            yield conn
