"""F12 (`app.screenshot`) writes an SVG of the screen into the state directory — never
~/Downloads, which jump hosts often lack — falls back to the temp dir when that cannot be
written, says where in a notification, follows `[ui.keys]`, and never shows the token."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from secagent_tui.tui.screens.help import HelpScreen

from .conftest import TuiEnv
from .helpers import loaded, notifications, wait_until

TOKEN = "ghp_Zq9ScreenshotCanary7Xw3Vb5Nm1Lk8Jh2Gf4"


def _saved(app_notes: list[str]) -> list[Path]:
    prefix = "Screenshot saved to "
    return [Path(n.removeprefix(prefix)) for n in app_notes if n.startswith(prefix)]


async def test_f12_writes_the_screen_into_the_state_directory_and_says_where(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: bool(_saved(notifications(app))), what="the notice")
        [path] = _saved(notifications(app))
    assert path.parent == tui_env.tmp / "state" / "screenshots"
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "secagent" in svg


async def test_two_screenshots_in_one_second_are_two_files(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f12", "f12")
        await wait_until(pilot, lambda: len(_saved(notifications(app))) == 2, what="2 notices")
        first, second = _saved(notifications(app))
    assert first != second and first.is_file() and second.is_file()


async def test_an_unwritable_state_directory_falls_back_to_the_temp_dir(
    tui_env: TuiEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state directory should be")
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    tui_env.reconfigure(sections={"observability": {"log_file": blocker / "secagent.log"}})
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: bool(_saved(notifications(app))), what="the notice")
        [path] = _saved(notifications(app))
    assert path.parent == temp and path.read_text(encoding="utf-8").startswith("<svg")


async def test_the_screenshot_key_can_be_remapped_in_config(tui_env: TuiEnv) -> None:
    tui_env.reconfigure(keys={"app.screenshot": "f11"})
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f12")
        await pilot.pause()
        assert _saved(notifications(app)) == []
        await pilot.press("f11")
        await wait_until(pilot, lambda: bool(_saved(notifications(app))), what="the notice")
        assert not [n for n in notifications(app) if "unknown binding id" in n]


def test_help_lists_the_screenshot_key_and_no_other_binding_takes_f12(tui_env: TuiEnv) -> None:
    sections = tui_env.app().help_sections()
    rows = [(b.key, b.id) for title, bs in sections if title == "Global" for b in bs]
    assert ("f12", "app.screenshot") in rows
    others = {b.key for _, bs in sections for b in bs if b.id != "app.screenshot"}
    assert not any("f12" in key.split(",") for key in others)


async def test_a_screenshot_never_contains_the_token(tui_env: TuiEnv) -> None:
    app = tui_env.app(token=TOKEN)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        await pilot.press("f12")  # the queue, with the header's sync and token state
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("f12")
        await wait_until(pilot, lambda: len(_saved(notifications(app))) == 2, what="2 notices")
        paths = _saved(notifications(app))
    for path in paths:
        svg = path.read_text(encoding="utf-8")
        assert "secagent" in svg
        for fragment in (TOKEN, TOKEN[4:], "ScreenshotCanary", "Zq9Screen"):
            assert fragment not in svg
