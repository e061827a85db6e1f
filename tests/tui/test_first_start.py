"""The first start on an empty database says how to get findings, and the hint goes once a
sync brings some."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.format import first_start_hint

from .conftest import TuiEnv, synced_env
from .helpers import loaded, queue, wait_until


def test_the_hint_names_the_one_missing_step() -> None:
    assert "add an [[owners]] table to /c.toml" in first_start_hint(
        owners=0, can_sync=True, sync_minutes=15, config="/c.toml"
    )
    assert "GITHUB_TOKEN" in first_start_hint(owners=2, can_sync=False, sync_minutes=15, config="x")
    ready = first_start_hint(owners=2, can_sync=True, sync_minutes=15, config="x")
    assert "Press R" in ready and "every 15 min" in ready
    assert "every" not in first_start_hint(owners=2, can_sync=True, sync_minutes=0, config="x")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(generate_dataset(seed=0)) as server:
        yield server


def _hint(app: SecagentApp) -> Static:
    return queue(app).query_one("#first-start", Static)


async def test_an_empty_database_shows_the_hint_until_a_sync_fills_it(
    tmp_path: Path, github: GitHubServer
) -> None:
    env: TuiEnv = synced_env(tmp_path, github)
    app = env.app(token=github.token)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _hint(app).has_class("-shown"), what="the hint")
        assert "Press R to sync now" in str(_hint(app).render())
        await pilot.press("R")
        await wait_until(
            pilot, lambda: not _hint(app).has_class("-shown"), timeout=20, what="hint gone"
        )
        assert queue(app).table.row_count > 0


async def test_without_a_token_the_hint_says_how_to_give_one(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _hint(app).has_class("-shown"), what="the hint")
        assert "GITHUB_TOKEN" in str(_hint(app).render())


async def test_a_database_with_findings_shows_no_hint(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert not _hint(app).has_class("-shown")
