"""Live between analysts (issue 16, item 5), below the TUI: PostgreSQL announces committed
changes of findings, jobs and presence (migration 0009's triggers, whoever wrote them), the
listener folds them and comes back after losing its connection; presence rows on both
backends, believed only until they expire.

The notification tests run on the real PostgreSQL of pgserver; nothing is mocked.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import migrated_engine, postgres_url
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.store.db import create_engine, write_transaction
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.notify import ANYTHING, ChangeListener, supported
from secagent_tui.store.presence import clear, mark_open, others_on
from secagent_tui.store.schema import findings

WAIT = 10.0  # a bound on a hung test, not a claim about speed (bench/live_bench.py measures)
T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


class Heard:
    """What a listener was told, call by call."""

    def __init__(self) -> None:
        self.calls: list[frozenset[str]] = []
        self.changed = asyncio.Event()

    def __call__(self, tables: frozenset[str]) -> None:
        self.calls.append(tables)
        self.changed.set()

    async def next(self) -> frozenset[str]:
        await asyncio.wait_for(self.changed.wait(), WAIT)
        self.changed.clear()
        return self.calls[-1]


@pytest.fixture
async def pg(pg_server: object) -> AsyncIterator[AsyncEngine]:
    name = f"live{id(object())}"
    pg_server.psql(f"CREATE DATABASE {name};")  # type: ignore[attr-defined]
    async with migrated_engine(postgres_url(pg_server, name)) as engine:
        await upsert_findings(engine, [synthetic_finding(i, repos=3) for i in range(4)])
        yield engine


@pytest.fixture
async def other(pg: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """Another analyst's process: its own engine on the same database."""
    engine = create_engine(pg.url.render_as_string(hide_password=False))
    yield engine
    await engine.dispose()


@pytest.fixture
async def listening(pg: AsyncEngine) -> AsyncIterator[tuple[ChangeListener, Heard]]:
    heard = Heard()
    listener = ChangeListener(pg, heard, retry_seconds=0.05)
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    await asyncio.wait_for(listener.listening.wait(), WAIT)
    yield listener, heard
    stop.set()
    await asyncio.wait_for(task, WAIT)


async def _touch_findings(engine: AsyncEngine) -> None:
    async with write_transaction(engine) as conn:
        await conn.execute(update(findings).values(analysis_error="seen"))


async def test_a_commit_in_another_process_is_announced_with_its_table(
    listening: tuple[ChangeListener, Heard], other: AsyncEngine
) -> None:
    _, heard = listening
    await _touch_findings(other)
    assert await heard.next() == frozenset({"findings"})


async def test_a_rolled_back_write_is_not_announced(
    listening: tuple[ChangeListener, Heard], other: AsyncEngine
) -> None:
    _, heard = listening
    async with other.connect() as conn:
        await conn.execute(update(findings).values(analysis_error="never"))
        await conn.rollback()
    await mark_open(other, 1, "tui:bob", T0)  # a later commit, to know the first was skipped

    assert await heard.next() == frozenset({"presence"})
    assert heard.calls == [frozenset({"presence"})]


async def test_a_burst_of_commits_is_told_in_one_call(pg: AsyncEngine, other: AsyncEngine) -> None:
    heard = Heard()
    listener = ChangeListener(pg, heard, quiet_seconds=0.5)
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    await asyncio.wait_for(listener.listening.wait(), WAIT)

    for _ in range(5):
        await _touch_findings(other)
    await mark_open(other, 1, "tui:bob", T0)

    assert await heard.next() == frozenset({"findings", "presence"})
    stop.set()
    await asyncio.wait_for(task, WAIT)
    assert len(heard.calls) == 1


async def test_the_listener_comes_back_after_its_connection_is_killed(
    listening: tuple[ChangeListener, Heard], other: AsyncEngine
) -> None:
    listener, heard = listening
    async with other.begin() as conn:
        killed = (
            await conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
                )
            )
        ).scalar_one()
    assert killed == 1

    # Back: it says that anything may have changed meanwhile, then hears commits again.
    assert await heard.next() == frozenset({ANYTHING})
    await asyncio.wait_for(listener.listening.wait(), WAIT)
    await _touch_findings(other)
    assert await heard.next() == frozenset({"findings"})


async def test_sqlite_has_no_notifications(lite: AsyncEngine) -> None:
    assert not supported(lite)
    with pytest.raises(ValueError, match="PostgreSQL"):
        ChangeListener(lite, Heard())


# ------------------------------------------------------------------------------ presence


async def _finding_ids(engine: AsyncEngine, count: int) -> list[int]:
    await upsert_findings(engine, [synthetic_finding(i, repos=3) for i in range(count)])
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT id FROM findings ORDER BY id"))).scalars())


async def test_presence_shows_others_and_clears_when_they_close(engine: AsyncEngine) -> None:
    first, second = await _finding_ids(engine, 2)
    await mark_open(engine, first, "tui:bob", T0)
    await mark_open(engine, first, "tui:carol", T0)
    await mark_open(engine, second, "tui:alice", T0)

    assert await others_on(engine, [first, second], "tui:alice", T0) == {
        first: ("tui:bob", "tui:carol")
    }
    assert await others_on(engine, None, "tui:bob", T0) == {
        first: ("tui:carol",),
        second: ("tui:alice",),
    }

    await clear(engine, first, "tui:bob")

    assert await others_on(engine, [first], "tui:alice", T0) == {first: ("tui:carol",)}
    assert await others_on(engine, [], "tui:alice", T0) == {}


async def test_presence_of_a_view_that_died_expires_and_is_swept(engine: AsyncEngine) -> None:
    (finding,) = await _finding_ids(engine, 1)
    await mark_open(engine, finding, "tui:bob", T0, ttl=timedelta(seconds=30))
    later = T0 + timedelta(seconds=31)

    assert await others_on(engine, [finding], "tui:alice", T0 + timedelta(seconds=29)) == {
        finding: ("tui:bob",)
    }
    assert await others_on(engine, [finding], "tui:alice", later) == {}

    await mark_open(engine, finding, "tui:alice", later)  # any write sweeps the dead rows
    async with engine.connect() as conn:
        left = (await conn.execute(text("SELECT analyst FROM presence"))).scalars().all()
    assert left == ["tui:alice"]


async def test_presence_written_again_moves_its_expiry(engine: AsyncEngine) -> None:
    (finding,) = await _finding_ids(engine, 1)
    await mark_open(engine, finding, "tui:bob", T0)
    await mark_open(engine, finding, "tui:bob", T0 + timedelta(seconds=20))

    seen = await others_on(engine, [finding], "tui:alice", T0 + timedelta(seconds=45))
    assert seen == {finding: ("tui:bob",)}


async def test_a_presence_refresh_is_not_announced_but_arriving_and_leaving_are(
    listening: tuple[ChangeListener, Heard], other: AsyncEngine
) -> None:
    """An open view writes its row again only to move its expiry: nobody's screen changes,
    so nobody is told; a new viewer, or one that leaves, is."""
    _, heard = listening
    await mark_open(other, 1, "tui:bob", T0)
    assert await heard.next() == frozenset({"presence"})

    await mark_open(other, 1, "tui:bob", T0 + timedelta(seconds=10))  # the refresh
    await clear(other, 1, "tui:bob")

    assert await heard.next() == frozenset({"presence"})
    assert len(heard.calls) == 2
    await _touch_findings(other)  # the refresh was not merely late: later news arrives alone
    assert await heard.next() == frozenset({"findings"})
    assert len(heard.calls) == 3
