"""How the Jobs pane looks, pinned by SVG snapshots (see test_snapshots.py): the fixed clock,
the demo dataset, and three jobs with fixed times — one failed for good by a runner on
another host (with its error), two queued. At 80x24, opened from the queue with `J`, and
with the cancel question. Update with `--snapshot-update` and look at the pictures."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.jobs import JobsScreen

from .conftest import TuiEnv
from .helpers import loaded, run, wait_until
from .test_jobs_pane import queue_jobs


async def _jobs(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("J")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), what="the pane")
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    await wait_until(pilot, lambda: screen.listings is not None, what="the first jobs read")
    await pilot.pause()


def test_jobs_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(queue_jobs(tui_env.url, fixed_times=True))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_jobs)


def test_jobs_cancel_question_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _jobs(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.pause()

    run(queue_jobs(tui_env.url, fixed_times=True))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=run_before)
