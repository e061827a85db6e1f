"""Engines for the embedded SQLite default and a team's shared PostgreSQL.

SQLite runs in WAL with a busy timeout so a TUI, a worker and a cron sync can share one file;
write transactions that must not interleave (job claims, bulk upserts) ask for `BEGIN
IMMEDIATE` through `write_transaction`.
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
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
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
