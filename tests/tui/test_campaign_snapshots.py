"""How the campaign view looks, pinned by SVG snapshots (see test_snapshots.py): the fixed
clock, the demo dataset and two planted campaigns — one advisory in six repositories with
evidence that says not used, test-only and used, and the same findings under a package
name of 120 characters, cut at 80 columns. The list and the planted campaign's findings
with its evidence, each at 80x24 and 160x48. Update with `--snapshot-update` and look at
the pictures."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from secagent_tui.tui.screens.campaigns import CampaignsScreen

from .campaign_data import LONG_KEY, NUMBER, plant
from .conftest import TuiEnv
from .helpers import loaded, run, wait_until
from .test_campaigns_view import open_planted


async def _both(url: str) -> None:
    await plant(url)
    await plant(url, LONG_KEY, NUMBER + 1)


async def _campaigns(pilot: Pilot[Any]) -> None:
    """`C` from the queue (its filter: open findings), until the first read is shown."""
    await loaded(pilot)
    await pilot.press("C")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CampaignsScreen), what="view")
    screen = pilot.app.screen
    assert isinstance(screen, CampaignsScreen)
    await wait_until(pilot, lambda: screen.loads > 0, what="the campaigns read")
    await pilot.pause()


async def _findings(pilot: Pilot[Any]) -> None:
    """The planted campaign's findings, the first one's evidence beside or below them."""
    await _campaigns(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CampaignsScreen)
    await open_planted(pilot, screen)


def test_campaigns_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_both(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_campaigns)


def test_campaigns_160x48(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_both(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(160, 48), run_before=_campaigns)


def test_campaign_findings_80x24(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_both(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(80, 24), run_before=_findings)


def test_campaign_findings_160x48(snap_compare: Any, tui_env: TuiEnv) -> None:
    run(_both(tui_env.url))
    assert snap_compare(tui_env.app(), terminal_size=(160, 48), run_before=_findings)
