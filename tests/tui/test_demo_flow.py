"""The whole loop against the local demo GitHub: the app syncs, the analyst marks three
findings and dismisses them, and the background runner pushes one PATCH per alert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog

from .conftest import synced_env
from .helpers import loaded, notifications, queue, wait_until


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(generate_dataset(seed=0)) as server:
        yield server


async def test_sync_then_bulk_dismiss_reaches_github(tmp_path: Path, github: GitHubServer) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True, demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 30, timeout=20, what="the first sync")
        await wait_until(
            pilot, lambda: any("Sync ok" in n for n in notifications(app)), what="sync result"
        )
        await pilot.press("space", "space", "space", "d")
        marked = [r.finding for r in grid.marked_records()]
        assert len(marked) == 3
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog))
        await pilot.press("down", "down", "down", "down")  # tolerable_risk
        await pilot.press("tab", *"accepted", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        await pilot.press("y")

        def patched() -> bool:
            alerts = [github.dataset.alert(f.repo, f.number) for f in marked]
            return all(a["state"] == "dismissed" for a in alerts)

        await wait_until(pilot, patched, timeout=20, what="3 PATCHes on the demo GitHub")
        patches = github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")
        assert len(patches) == 3 and {p.status for p in patches} == {200}
        for f in marked:
            alert = github.dataset.alert(f.repo, f.number)
            assert (alert["dismissed_reason"], alert["dismissed_comment"]) == (
                "tolerable_risk",
                "accepted",
            )
        # Confirmed by GitHub: no more pending-push marks once the table catches up.
        queue(app).refresh_now(stats=True)
        header = queue(app).query_one("#header")
        await wait_until(pilot, lambda: "rate " in str(header.render()), what="header")
        await pilot.press("q")  # the graceful way out: loops and runner stop first


async def test_triage_runs_in_the_background_runner(tmp_path: Path, github: GitHubServer) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 30, timeout=20, what="the first sync")
        target = grid.current_record()
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: (
                grid.cell_text(target.id, "job") == "done"
                and grid.cell_text(target.id, "triage") == "analyze·l"
            ),
            timeout=20,
            what="the triage job to finish",
        )
        await pilot.press("q")


async def test_read_only_never_pushes(tmp_path: Path, github: GitHubServer) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 30, timeout=20, what="the first sync")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DismissDialog)
    assert github.requests_matching("PATCH") == []
