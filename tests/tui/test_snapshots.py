"""How the TUI looks, pinned by SVG snapshots (pytest-textual-snapshot).

Stable by construction: a fixed clock (every age and SLA is relative to it), the demo
dataset with a fixed seed, no background pipeline or sync, no cursor blink and no
animations when headless. Update with `pytest tests/tui --snapshot-update` after a
deliberate change, and look at the pictures before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import Severity
from secagent_tui.store.db import create_engine
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.filters import FilterScreen
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.help import HelpScreen
from secagent_tui.tui.widgets.transcript import TranscriptView

from .conftest import TuiEnv
from .helpers import loaded, queue, run, store_analysis, table, wait_until


async def _with_analysis(url: str) -> None:
    engine = create_engine(url)
    try:
        await store_analysis(engine, "acme/api#8")
    finally:
        await engine.dispose()


async def _queue_ready(pilot: Pilot[Any]) -> None:
    await loaded(pilot)


def test_queue_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    """The narrow column set: severity, short repository, package, state, triage, verdict
    and job (the first row has all three), and a footer that fits."""
    run(_with_analysis(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_queue_ready)


def test_queue_160x48(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_with_analysis(tui_env.url))  # one row with triage, verdict and job status
    assert snap_compare(tui_env.app(demo=True), terminal_size=(160, 48), run_before=_queue_ready)


def test_queue_filtered_and_searched(snap_compare: Any, tui_env: TuiEnv) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        grid = await loaded(pilot)
        app = pilot.app
        queue(app).set_filter(FindingFilter(min_severity=Severity.MEDIUM, scope=None))
        await pilot.press("slash", *"acme", "enter")
        await wait_until(
            pilot,
            lambda: (
                grid.records
                and all("acme" in r.finding.repo for r in grid.records.values())
                and all(r.finding.severity.at_least(Severity.MEDIUM) for r in grid.records.values())
            ),
        )

    assert snap_compare(tui_env.app(), terminal_size=(120, 32), run_before=run_before)


def test_filter_menu(snap_compare: Any, tui_env: TuiEnv) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("f", "down", "right", "right", "down", "down", "down", "right")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FilterScreen))

    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=run_before)


def test_the_search_box_shows_what_is_typed_while_it_has_focus(
    snap_compare: Any, tui_env: TuiEnv
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"lodash")
        await pilot.pause()

    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=run_before)


def test_marked_rows_with_the_dismiss_dialog(snap_compare: Any, tui_env: TuiEnv) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("space", "j", "space", "space", "d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DismissDialog))
        await pilot.press("down", "down", "down", "tab", *"unused")

    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=run_before)


def _finding_view(entries: int = 4) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        grid = await loaded(pilot)
        assert grid.current_record().finding.ref == "acme/api#8"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FindingScreen))
        transcript = pilot.app.screen.query_one(TranscriptView)
        await wait_until(pilot, lambda: transcript.entry_count == entries)
        await pilot.pause()

    return run_before


def test_finding_view_side_by_side(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_with_analysis(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(160, 48), run_before=_finding_view())


def test_finding_view_stacked_when_narrow(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_with_analysis(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_finding_view())


def test_help_screen(snap_compare: Any, tui_env: TuiEnv) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(tui_env.app(), terminal_size=(100, 40), run_before=run_before)


def test_table_is_the_default_focus(tui_env: TuiEnv) -> None:
    """Guards the snapshots' premise: keys go to the table when the app starts."""

    async def check() -> None:
        app = tui_env.app()
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            assert app.focused is table(app)

    run(check())
