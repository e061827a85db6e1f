"""The command palette names every action with its key, found or merely listed."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette

from .conftest import TuiEnv
from .helpers import loaded, wait_until
from .test_flows import HELPED_CLASSES

SIZE = (100, 30)


def _prompts(palette: CommandPalette) -> list[str]:
    options = palette.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def _names(palette: CommandPalette) -> list[str]:
    """Each option's first line: the action and its key (its help is the second line)."""
    return [prompt.split("\n")[0] for prompt in _prompts(palette)]


async def test_every_listed_action_shows_its_key_even_a_capital_letter(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await wait_until(pilot, lambda: len(_prompts(palette)) > 10, what="the listing")
        prompts = _names(palette)
        for label in ("Range mark  [V]", "Reverse sort  [S]", "Sync now  [R]", "Mark all  [*]"):
            assert label in prompts
        await pilot.press(*"range")
        await wait_until(pilot, lambda: "Range mark  [V]" in _names(palette), what="the search hit")


def test_every_binding_of_every_screen_has_a_tooltip() -> None:
    """The palette's help line and the issue's 'no binding has a tooltip': each of ours says
    what its key does beyond its short description."""
    bindings = [b for cls in HELPED_CLASSES for b in cls.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) > 90
    missing = [b.id for b in bindings if not b.tooltip]
    assert missing == []
    assert all(b.tooltip != b.description for b in bindings)


async def test_the_palette_shows_what_a_key_does_under_its_name(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await pilot.press(*"range")
        await wait_until(
            pilot,
            lambda: any("Range mark  [V]" in p for p in _prompts(palette)),
            what="the search hit",
        )
        hit = next(p for p in _prompts(palette) if "Range mark  [V]" in p)
        assert "Mark every finding from the last mark to this one" in hit
        await pilot.press("escape")
