"""The dismiss dialog starts from what the analysis found, and nothing reaches GitHub before
the analyst has seen a summary of it and said yes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from textual.widgets import OptionList

from secagent_tui.store.db import create_engine
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.queue import QueueScreen

from .conftest import TuiEnv
from .helpers import all_intents, loaded, store_analysis, wait_until

SIZE = (100, 30)


@pytest.fixture
async def db(tui_env: TuiEnv) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(tui_env.url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_a_verdict_of_unreachable_code_preselects_not_used(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    await store_analysis(db, "acme/api#8")  # the verdict: not exploitable, dismiss
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert grid.current_record().finding.ref == "acme/api#8"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        await wait_until(pilot, lambda: app.screen.record.verdict is not None, what="verdict")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog), what="dialog")
        reasons = app.screen.query_one("#reasons", OptionList)
        assert reasons.get_option_at_index(reasons.highlighted or 0).id == "not_used"


async def test_cancelling_the_summary_writes_nothing(tui_env: TuiEnv, db: AsyncEngine) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("space", "j", "space", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog), what="dialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        assert "Dismiss 2 findings" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen), what="queue")
        await pilot.pause(0.2)
    assert await all_intents(db) == []
