"""The header's counts and the table are read in one fetch and shown in one frame: they once
disagreed for seconds (the header on its own 10 s loop, the table on 2 s), and the header
said "pending push 3" while the pending-push view listed none. Both views count pending
pushes with the same predicate (the `pending_push` column, every state), so the moment the
table changes, the header must say the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from textual.pilot import Pilot

from secagent_tui.store.db import create_engine
from secagent_tui.store.schema import findings
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.widgets.findings_table import FindingsTable

from .conftest import FIXED_NOW, TuiEnv
from .helpers import loaded, queue, wait_until

SIZE = (120, 30)


@pytest.fixture
def fast_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("secagent_tui.tui.screens.queue.REFRESH_SECONDS", 0.3)


@pytest.fixture
async def db(tui_env: TuiEnv) -> AsyncIterator[AsyncEngine]:
    """A second connection to the app's database, as a worker process would have."""
    engine = create_engine(tui_env.url)
    try:
        yield engine
    finally:
        await engine.dispose()


def _header(pilot: Pilot[Any]) -> str:
    return str(queue(pilot.app).query_one("#header").render())


async def _first_change(pilot: Pilot[Any], grid: FindingsTable, before: int) -> None:
    """Until the table's total moves off `before`; checked at every frame."""
    await wait_until(pilot, lambda: grid.row_count != before, timeout=8, what="the table")


async def test_the_header_stops_counting_pending_pushes_when_the_view_empties(
    tui_env: TuiEnv, db: AsyncEngine, fast_refresh: None
) -> None:
    pending = [2, 7, 11]
    async with db.begin() as conn:
        await conn.execute(
            update(findings)
            .where(findings.c.id.in_(pending))
            .values(intent_state="dismissed", intent_at=FIXED_NOW, pending_push=True)
        )
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("4")  # the Pending push view
        await wait_until(pilot, lambda: grid.row_count == len(pending), what="pending view")
        assert "pending push 3" in _header(pilot)
        # GitHub confirms the pushes, through a worker elsewhere.
        async with db.begin() as conn:
            await conn.execute(
                update(findings).where(findings.c.id.in_(pending)).values(pending_push=False)
            )
        await _first_change(pilot, grid, len(pending))
        assert grid.row_count == 0
        assert "pending push" not in _header(pilot)


async def test_after_a_bulk_dismissal_the_header_and_table_change_together(
    tui_env: TuiEnv, fast_refresh: None
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        before = grid.row_count
        assert f"open {before}:" in _header(pilot)
        await pilot.press("space", "space", "space", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog), what="dialog")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        await pilot.press("y")
        await _first_change(pilot, grid, before)
        assert grid.row_count == before - 3
        header = _header(pilot)
        assert f"open {before - 3}:" in header and "pending push 3" in header
