"""Automation yields to the analyst, from the keyboard (docs/architecture.md,
"Auto-dismiss").

The app runs its background runner against the local demo GitHub; a config rule dismisses
development dependencies (no LLM needed), so `t` is a path to an automatic dismissal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from textual.pilot import Pilot

from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.domain.finding import Scope, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.store.schema import intents, jobs
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable

from .conftest import TuiEnv, synced_env
from .helpers import loaded, notifications, queue, wait_for_async, wait_until

RULE = {
    "auto_dismiss": {"enabled": True},
    "triage": {
        "rules": [
            {"name": "dev deps", "action": "dismiss", "reason": "not_used", "scope": "development"}
        ]
    },
}


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(generate_dataset(seed=0)) as server:
        yield server


def _env(tmp_path: Path, server: GitHubServer) -> TuiEnv:
    return synced_env(tmp_path, server, RULE)


def _remote(server: GitHubServer, record: FindingRecord) -> str:
    return str(server.dataset.alert(record.finding.repo, record.finding.number)["state"])


async def _synced(pilot: Pilot[Any], app: SecagentApp, grid: FindingsTable) -> None:
    """The first sync has ended and the queue shows what it stored: before that, a row
    looked for may not have arrived yet."""
    await wait_until(
        pilot,
        lambda: app.sync_progress is not None and not app.sync_progress.running,
        timeout=20,
        what="the first sync",
    )
    loads = queue(app).loads
    queue(app).refresh_now(stats=True)
    await wait_until(pilot, lambda: queue(app).loads > loads and grid.row_count > 30, timeout=20)


async def _go_to(pilot: Pilot[Any], grid: FindingsTable, wanted: Any) -> FindingRecord:
    """Puts the cursor on the first held row whose record `wanted` accepts. The pipeline
    runs meanwhile and its automatic dismissals take rows out of the open queue, so the
    rows can move under a cursor walking down with `j`: the row is found by its record and
    the cursor set on it, again until it stays there."""
    for _ in range(50):
        ids = grid.ordered_ids()
        target = next((grid.records[i] for i in ids if wanted(grid.records[i])), None)
        if target is not None:
            grid.move_cursor(grid.window.start + ids.index(target.id))
            await pilot.pause()
            current = grid.current_record()
            if current is not None and current.id == target.id:
                return current
        await pilot.pause(0.05)
    raise AssertionError("no such row in the queue")


async def _triages_done(db_path: Path, count: int) -> bool:
    engine: AsyncEngine = create_async_engine(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with engine.connect() as conn:
            done = await conn.execute(
                select(func.count())
                .select_from(jobs)
                .where(jobs.c.kind == "triage", jobs.c.status == "done")
            )
            return int(done.scalar_one()) >= count
    finally:
        await engine.dispose()


async def _automatic_intents(db_path: Path) -> list[Any]:
    engine: AsyncEngine = create_async_engine(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(intents).where(intents.c.automatic.is_(True)))
            return list(rows)
    finally:
        await engine.dispose()


def _dev(severity_ok: Any) -> Any:
    return lambda r: r.finding.scope is Scope.DEVELOPMENT and severity_ok(r.finding.severity)


async def test_reopen_then_triage_leaves_the_finding_open_and_unpushed(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = _env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await _synced(pilot, app, grid)
        target = await _go_to(pilot, grid, _dev(lambda s: s is not Severity.CRITICAL))
        await pilot.press("enter")  # the finding view keeps it in sight whatever its state
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen))
        await pilot.press("t")
        await wait_until(
            pilot, lambda: _remote(github, target) == "dismissed", timeout=20, what="auto-dismiss"
        )
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(
            pilot, lambda: _remote(github, target) == "open", timeout=20, what="the reopen push"
        )
        patches = len(github.requests_matching("PATCH", r"/dependabot/alerts/\d+$"))

        await pilot.press("t")  # triage again: the rule still says dismiss
        await wait_for_async(
            pilot, lambda: _triages_done(env.db_path, 2), timeout=20, what="the second triage"
        )
        await pilot.pause(0.3)
        assert _remote(github, target) == "open"
        assert len(github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")) == patches
        await pilot.press("escape", "q")
    assert len(await _automatic_intents(env.db_path)) == 1


async def test_read_only_with_auto_dismiss_on_makes_no_intent_and_no_patch(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = _env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await _synced(pilot, app, grid)
        target = await _go_to(pilot, grid, _dev(lambda s: s is not Severity.CRITICAL))
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: grid.cell_text(target.id, "job") == "done",
            timeout=20,
            what="the triage job",
        )
        await pilot.press("q")
    assert github.requests_matching("PATCH") == []
    assert await _automatic_intents(env.db_path) == []


async def test_a_critical_is_never_auto_dismissed_under_the_default_cap(
    tmp_path: Path, github: GitHubServer
) -> None:
    repo = next(iter(github.dataset.repos())).full_name
    github.dataset.add_alert(
        repo,
        ecosystem="npm",
        package="left-pad",
        manifest_path="package.json",
        scope="development",
        severity="critical",
        patched=True,
    )
    env = _env(tmp_path, github)
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = await loaded(pilot)
        await _synced(pilot, app, grid)
        target = await _go_to(pilot, grid, _dev(lambda s: s is Severity.CRITICAL))
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: grid.cell_text(target.id, "job") == "done",
            timeout=20,
            what="the triage job",
        )
        await pilot.pause(0.3)
        assert _remote(github, target) == "open"
        await pilot.press("q")
    assert github.requests_matching("PATCH") == []


async def test_the_header_says_when_auto_dismiss_is_on(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = _env(tmp_path, github)
    app = env.app(token=github.token)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        header = str(queue(app).query_one("#header").render())
        assert "AUTO-DISMISS ≤high" in header
    read_only = env.app(token=github.token, read_only=True)
    async with read_only.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        header = str(queue(read_only).query_one("#header").render())
        assert "READ-ONLY" in header and "AUTO-DISMISS" not in header


async def test_a_refused_token_is_one_notification_that_says_why_per_owner(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = _env(tmp_path, github)
    app = env.app(token="ghp_" + "y" * 36, token_source="env GITHUB_TOKEN", sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await wait_until(
            pilot, lambda: any("Sync failed" in n for n in notifications(app)), timeout=20
        )
        [message] = [n for n in notifications(app) if "Sync failed" in n]
        assert "GitHub refused the token from env GITHUB_TOKEN (401" in message
        assert "rate limit" not in message
