"""`A` in the queue and the finding view (issue 16, item 2): the assign dialog takes the
logins, the service records the assignment, the runner pushes it to the local GitHub server
through PyGithub, and the queue's wide column shows the login; the filter menu's Assignee
narrows the queue to the analyst's own findings or the unassigned ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.domain.filters import UNASSIGNED
from secagent_tui.tui.screens.assign import AssignDialog, typed_logins
from secagent_tui.tui.screens.filters import FilterScreen
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.finding_summary import FindingSummary

from .conftest import synced_env
from .helpers import loaded, notifications, queue, wait_until

WIDE = (180, 30)
ALERT_PATCH = r"/dependabot/alerts/\d+$"


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(generate_dataset(seed=0)) as server:
        yield server


def _logins_on_github(github: GitHubServer, ref: str) -> list[str]:
    repo, number = ref.split("#")
    return [u["login"] for u in github.dataset.alert(repo, int(number)).get("assignees") or []]


async def test_A_assigns_from_the_keyboard_pushes_to_github_and_the_column_shows_it(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=WIDE) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 5, timeout=30, what="the synced rows")
        assert grid.columns_layout.name == "wide"
        record = grid.current_record()
        assert record is not None
        ref = record.finding.ref

        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="dialog")
        await pilot.press("ctrl+u", *"octo-cat", "enter")

        await wait_until(
            pilot,
            lambda: (
                len(github.requests_matching("PATCH", ALERT_PATCH)) == 1
                and _logins_on_github(github, ref) == ["octo-cat"]
            ),
            timeout=30,
            what="the PATCH with the assignee",
        )
        [patch] = github.requests_matching("PATCH", ALERT_PATCH)
        assert patch.status == 200 and patch.path.endswith(f"/alerts/{record.finding.number}")
        await wait_until(
            pilot,
            lambda: grid.cell_text(record.id, "assignee") == "octo-cat",
            what="the column",
        )
        assert any("Assigned 1 finding to octo-cat" in n for n in notifications(app))
        grid.move_cursor(grid.ordered_ids().index(record.id))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        summary = app.screen.query_one(FindingSummary)
        await wait_until(
            pilot, lambda: "assigned octo-cat" in str(summary.render()), what="the summary"
        )
        await pilot.press("escape", "q")


async def test_A_in_the_finding_view_refuses_a_bad_login_in_place_and_escape_changes_nothing(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 5, timeout=30, what="the synced rows")
        assert grid.columns_layout.name != "wide"  # narrower sets leave the column out
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="dialog")
        await pilot.press("ctrl+u", *"bad__login", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AssignDialog)  # still open, saying why
        problem = str(app.screen.query_one("#problem").render())
        assert "'bad__login' must be a GitHub login" in problem
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="back")
        await pilot.pause(0.3)
        assert github.requests_matching("PATCH", ALERT_PATCH) == []
        await pilot.press("escape", "q")


async def test_the_filter_menus_assignee_cycles_any_mine_and_unassigned(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token, sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: grid.row_count > 5, timeout=30, what="the synced rows")
        services = app.services
        assert services is not None
        me = services.my_login
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen), what="menu")
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        keys = [f.key for f in screen.fields]
        for _ in range(keys.index("assignee")):
            await pilot.press("down")
        await pilot.press("right")
        assert screen.filter.assignee == me
        await pilot.press("right")
        assert screen.filter.assignee == UNASSIGNED
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: queue(app).state.filter.assignee == UNASSIGNED, what="the filter applied"
        )
        await wait_until(pilot, lambda: grid.loaded, what="the filtered rows")
        assert "assignee:none" in queue(app).state.filter.chips()
        await pilot.press("q")


def test_typed_logins_split_on_commas_and_spaces_and_drop_an_at() -> None:
    assert typed_logins(" @alice, bob  carol,,") == ["alice", "bob", "carol"]
    assert typed_logins("   ") == []
