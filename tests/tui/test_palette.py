"""The command palette names every action with its key, found or merely listed."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from .conftest import TuiEnv
from .helpers import loaded, wait_until

SIZE = (100, 30)


def _prompts(palette: CommandPalette) -> list[str]:
    options = palette.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_every_listed_action_shows_its_key_even_a_capital_letter(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await wait_until(pilot, lambda: len(_prompts(palette)) > 10, what="the listing")
        prompts = _prompts(palette)
        for label in ("Range mark  [V]", "Reverse sort  [S]", "Sync now  [R]", "Mark all  [*]"):
            assert label in prompts
        await pilot.press(*"range")
        await wait_until(
            pilot, lambda: "Range mark  [V]" in _prompts(palette), what="the search hit"
        )
