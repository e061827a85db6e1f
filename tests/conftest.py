"""Shared fixtures: a real database on both backends, migrated from empty.

PostgreSQL comes from the `pgserver` wheel, started once per test session in a temporary
folder (no root, no apt); each test gets a fresh database in it.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.store.db import create_engine
from secagent_tui.store.migrate import upgrade

# tests/data holds excerpts of other projects (the evidence corpus), their own tests among
# them: data, never collected.
collect_ignore_glob = ["data/*"]

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    pgserver = pytest.importorskip("pgserver")
    with tempfile.TemporaryDirectory(prefix="secagent-pg-") as folder:
        server = pgserver.get_server(folder, cleanup_mode="stop")
        try:
            yield server
        finally:
            server.cleanup()


def postgres_url(server: object, database: str) -> str:
    """An asyncpg URL for `database` on the pgserver instance (unix socket)."""
    uri = server.get_uri()  # type: ignore[attr-defined]
    socket_dir = uri.split("host=", 1)[1]
    return f"postgresql+asyncpg://postgres@/{database}?host={socket_dir}"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'secagent.db'}"
    server = request.getfixturevalue("pg_server")
    name = f"t{next(_db_counter)}"
    server.psql(f"CREATE DATABASE {name};")  # type: ignore[attr-defined]
    return postgres_url(server, name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses `database_url` (or `engine`) runs on SQLite and on PostgreSQL."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@asynccontextmanager
async def migrated_engine(url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on `url`, migrated to head, disposed afterwards."""
    eng = create_engine(url)
    await upgrade(eng)
    try:
        yield eng
    finally:
        await eng.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with migrated_engine(database_url) as eng:
        yield eng


@pytest.fixture
def lite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'lite.db'}"


@pytest.fixture
async def lite(lite_url: str) -> AsyncIterator[AsyncEngine]:
    """SQLite only, for tests whose subject does not depend on the database."""
    async with migrated_engine(lite_url) as eng:
        yield eng
