"""The queue reaches every finding of a filter: the table's height is the filter's total and
it reads a window of rows by keyset as the analyst moves, keeping the cursor, the scroll
position and the marks across live refreshes. Over 5,000 synthetic findings in SQLite."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from textual.pilot import Pilot

from secagent_tui.demo.stack import sqlite_url
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.sla import SlaDays
from secagent_tui.store.db import create_engine
from secagent_tui.store.finding_window import finding_window
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import findings
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.findings_table import WINDOW, FindingsTable

from .conftest import FIXED_NOW, TuiEnv, write_config
from .helpers import loaded, queue, wait_until

BIG = 5_000
SIZE = (80, 24)


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await upsert_findings(engine, (synthetic_finding(i) for i in range(BIG)), now=FIXED_NOW)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big-queue") / "big.db"
    asyncio.run(_seed(sqlite_url(path)))
    return path


@pytest.fixture
def big_env(tmp_path: Path, big_template: Path) -> TuiEnv:
    db_path = tmp_path / "big.db"
    shutil.copy(big_template, db_path)
    return TuiEnv(tmp_path, db_path, write_config(tmp_path, db_path))


async def _open_order(env: TuiEnv) -> list[int]:
    """The ids of the default view (open findings) in the table's default order."""
    engine = create_engine(env.url)
    try:
        records, _ = await finding_window(
            engine, FindingFilter(), days=SlaDays(), now=FIXED_NOW, limit=BIG
        )
    finally:
        await engine.dispose()
    return [r.id for r in records]


async def _settled(pilot: Pilot[Any], grid: FindingsTable) -> None:
    """Until the row under the cursor has been read (a move may have asked for a window)."""
    await wait_until(pilot, lambda: grid.current_record() is not None, what="the cursor's row")


async def test_G_reaches_the_last_of_5000_findings_and_opens_it(big_env: TuiEnv) -> None:
    order = await _open_order(big_env)
    app = big_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert grid.row_count == len(order) > 10 * WINDOW
        assert grid.virtual_size.height == len(order) + 1  # the scrollbar is the whole filter
        assert order[-1] not in grid.records
        await pilot.press("G")
        await _settled(pilot, grid)
        last = grid.current_record()
        assert last is not None and last.id == order[-1]
        assert grid.cursor_row == len(order) - 1 and grid.scroll_y == grid.max_scroll_y
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        summary = app.screen.query_one("#summary")
        await wait_until(pilot, lambda: last.finding.ref in str(summary.render()), what="ref")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue(app), what="back to the queue")
        await pilot.press("g")
        await _settled(pilot, grid)
        first = grid.current_record()
        assert first is not None and first.id == order[0] and grid.scroll_y == 0


async def test_paging_down_reads_each_window_in_the_filters_order(big_env: TuiEnv) -> None:
    order = await _open_order(big_env)
    app = big_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        seen: list[int] = []
        while grid.cursor_row < 3 * WINDOW:
            await pilot.press("pagedown")
            await _settled(pilot, grid)
            current = grid.current_record()
            assert current is not None
            assert current.id == order[grid.cursor_row]
            seen.append(grid.cursor_row)
        assert grid.window.start > 0  # the rows above were let go
        assert all(grid.ordered_ids()[i] == order[grid.window.start + i] for i in range(10))


async def test_marks_far_apart_survive_refreshes_and_are_the_selection(big_env: TuiEnv) -> None:
    order = await _open_order(big_env)
    app = big_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("space")  # marks the first, moves down
        await pilot.press("G")
        await _settled(pilot, grid)
        await pilot.press("space")
        assert order[0] not in grid.records
        screen = queue(app)
        loads = screen.loads
        screen.refresh_now(stats=True)
        await wait_until(pilot, lambda: screen.loads > loads, what="a live refresh")
        assert grid.marks == {order[0], order[-1]}
        assert [r.id for r in grid.selection()] == [order[0], order[-1]]
        bar = str(screen.query_one("#chips").render())
        assert "2 marked" in bar and f"{len(order)} rows" in bar


async def test_a_refresh_keeps_the_cursor_on_its_finding_when_rows_above_it_leave(
    big_env: TuiEnv,
) -> None:
    order = await _open_order(big_env)
    app = big_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        for _ in range(60):
            await pilot.press("pagedown")
        await _settled(pilot, grid)
        target, height = grid.current_record(), grid.cursor_row - grid.scroll_y
        assert target is not None
        gone = order[grid.cursor_row - 30 : grid.cursor_row - 25]
        engine = create_engine(big_env.url)
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    update(findings).where(findings.c.id.in_(gone)).values(state="fixed")
                )
        finally:
            await engine.dispose()
        screen = queue(app)
        loads = screen.loads
        screen.refresh_now()
        await wait_until(pilot, lambda: grid.row_count == len(order) - len(gone), what="refresh")
        assert screen.loads > loads
        current = grid.current_record()
        assert current is not None and current.id == target.id
        assert grid.cursor_row == order.index(target.id) - len(gone)
        assert grid.cursor_row - grid.scroll_y == height


async def test_mark_all_is_refused_on_a_filter_larger_than_the_window(big_env: TuiEnv) -> None:
    app = big_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("asterisk")
        assert not grid.marks
        assert any("narrow the filter" in n.message for n in app._notifications)
