"""How the health screen looks, pinned by SVG snapshots (see test_snapshots.py): the fixed
clock, the demo dataset and a fixed history (health_data.py) — warnings, sparklines of sync
durations and LLM latencies, the triage bars. At 80x24 (one column, scrolled by keyboard)
and at 120x40 (two columns). Update with `--snapshot-update` and look at the pictures."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from secagent_tui.tui.screens.health import HealthScreen

from .conftest import TuiEnv
from .health_data import seed_health
from .helpers import loaded, run, wait_until


async def _health(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    screen = HealthScreen()
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.report is not None, what="the first health read")
    await pilot.pause()


def _seeded(tui_env: TuiEnv) -> None:
    tui_env.reconfigure(sections={"ui": {"sync_minutes": 15}})
    run(seed_health(tui_env.url))


def test_health_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    _seeded(tui_env)
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_health)


def test_health_120x40(snap_compare: Any, tui_env: TuiEnv) -> None:
    _seeded(tui_env)
    assert snap_compare(tui_env.app(), terminal_size=(120, 40), run_before=_health)
