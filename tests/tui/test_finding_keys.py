"""Keys of a freshly opened finding view do what the help says, wherever the focus is."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from secagent_tui.tui.screens.finding import FindingScreen

from .conftest import TuiEnv
from .helpers import loaded, wait_until

SIZE = (100, 30)


@pytest.mark.parametrize(("key", "tab"), [("2", "advisory"), ("3", "history"), ("1", "analysis")])
async def test_a_number_key_switches_the_tab_of_a_freshly_opened_finding(
    tui_env: TuiEnv, key: str, tab: str
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        await pilot.pause()
        if key == "1":
            await pilot.press("3")
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == tab


async def test_the_numbers_switch_back_and_forth_and_focus_follows_the_tab(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        for key, tab in (("3", "history"), ("2", "advisory"), ("1", "analysis"), ("3", "history")):
            await pilot.press(key)
            await pilot.pause()
            tabs = app.screen.query_one(TabbedContent)
            assert tabs.active == tab
            focused = app.focused
            assert focused is not None and tabs.get_pane(tab) in focused.ancestors_with_self
