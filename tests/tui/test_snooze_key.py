"""`z` in the queue: snooze until a patch exists, through the same confirm step and outbox as
a dismissal, and refused (nothing recorded) for a finding that has a patch already."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.decision import SNOOZE_COMMENT
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState
from secagent_tui.store.db import create_engine
from secagent_tui.store.schema import findings
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.queue import QueueScreen

from .conftest import TuiEnv
from .helpers import all_intents, loaded, notifications, queue, wait_for_async, wait_until

SIZE = (100, 30)


@pytest.fixture
async def db(tui_env: TuiEnv) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(tui_env.url)
    yield engine
    await engine.dispose()


async def test_z_snoozes_the_current_finding_and_marks_its_state(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    async with db.begin() as conn:  # the advisory has no fix yet
        await conn.execute(update(findings).values(patched_version=None))
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        queue(app).set_filter(FindingFilter(states=tuple(AlertState)))
        await wait_until(pilot, lambda: grid.row_count > 40, what="all states")
        target = grid.current_record()
        assert target is not None and target.state is AlertState.OPEN
        await pilot.press("z")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = str(app.screen.query_one("#question").render())
        assert "until a patch exists" in question and "tolerable_risk" in question
        await pilot.press("y")
        rows = await wait_for_async(pilot, lambda: all_intents(db), what="intents")
        assert [(r.finding_id, r.action, r.reason, r.comment) for r in rows] == [
            (target.id, "dismiss", "tolerable_risk", SNOOZE_COMMENT)
        ]
        await wait_until(
            pilot,
            lambda: grid.cell_text(target.id, "state") == "dismissed*z",
            what="the snoozed mark",
        )


async def test_z_refuses_a_finding_with_a_patch_and_records_nothing(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        target = grid.current_record()
        assert target is not None and target.finding.patched_version is not None
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert any("already has a patched version" in n for n in notifications(app))
    assert await all_intents(db) == []
