"""`ui.theme` picks the TUI's Textual theme; an unknown name keeps the default and says so."""

from __future__ import annotations

from .conftest import TuiEnv
from .helpers import loaded, notifications


async def test_the_configured_theme_is_used(tui_env: TuiEnv) -> None:
    tui_env.reconfigure(sections={"ui": {"theme": "nord"}})
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == "nord"


async def test_an_unknown_theme_keeps_the_default_and_says_which_exist(tui_env: TuiEnv) -> None:
    tui_env.reconfigure(sections={"ui": {"theme": "no-such-theme"}})
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == "textual-dark"
        [warning] = [n for n in notifications(app) if "ui] theme" in n]
        assert "'no-such-theme'" in warning and "nord" in warning
