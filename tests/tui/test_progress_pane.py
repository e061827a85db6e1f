"""The progress pane driven from the keyboard against the local demo servers, with the
background runner and the real PyGithub and ollama clients:

- `a` on a finding of the demo app runs the whole analysis; its progress pane (`p` in the
  finding view) shows the transcript grow while the sandbox agent works, then the verdict;
- five findings marked and dismissed: the demo GitHub receives five PATCHes while the
  batch's progress bar (`P`) goes from part-way to full;
- `R` syncs, and the sync's pane (`s` in the Jobs pane) lists every repository read;
- the pane's keys: in ? help, in the palette (which opens the sync's and the latest
  batch's panes from anywhere), and `p` on a job with no pane says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import ProgressBar

from secagent_tui.demo.github import Fault, GitHubServer, generate_dataset
from secagent_tui.demo.session import DemoSession
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.intents import confirm_intent
from secagent_tui.store.jobs import JobKind
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.help import HelpScreen
from secagent_tui.tui.screens.jobs import JobsScreen
from secagent_tui.tui.screens.progress import ProgressScreen, TargetKind
from secagent_tui.tui.widgets.progress_panels import ProgressSummary, ProgressTable
from secagent_tui.tui.widgets.transcript import TranscriptView

from .conftest import TuiEnv, synced_env
from .helpers import loaded, notifications, wait_until
from .test_progress_snapshots import batch_part_way

SIZE = (100, 30)
ALERT_PATCH = r"/dependabot/alerts/\d+$"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(folder, orgs={"acme": 2}, users={}, alerts_per_repo=12) as session:
        yield session


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(generate_dataset(seed=0)) as server:
        yield server


def _pane(app: SecagentApp) -> ProgressScreen:
    screen = app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


def _summary(app: SecagentApp) -> str:
    return str(_pane(app).query_one(ProgressSummary).render())


async def _synced(pilot: Any, app: SecagentApp) -> None:
    grid = await loaded(pilot)
    await wait_until(
        pilot, lambda: any("Sync ok" in n for n in notifications(app)), timeout=30, what="sync"
    )
    await wait_until(pilot, lambda: grid.row_count > 5, what="the synced rows")


async def test_a_full_analysis_streams_into_its_progress_pane_until_the_verdict(
    demo: DemoSession,
) -> None:
    app = SecagentApp(
        demo.config, token=demo.token, run_pipeline=True, sync_on_start=True, demo=True
    )
    async with app.run_test(size=SIZE) as pilot:
        await _synced(pilot, app)
        demo.ollama.latency = 1.5  # each model round takes a while, as a real model's does
        await pilot.press("a")
        await wait_until(pilot, lambda: any("Queued analysis" in n for n in notifications(app)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        finding = app.screen
        assert isinstance(finding, FindingScreen)
        await wait_until(pilot, lambda: finding._live_job is not None, what="the live job")
        assert "p: progress" in str(finding.query_one("#summary").render())
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="pane")
        transcript = _pane(app).query_one(TranscriptView)

        await wait_until(pilot, lambda: transcript.entry_count > 0, timeout=30, what="1st entry")
        first = transcript.entry_count
        await wait_until(
            pilot, lambda: transcript.entry_count > first, timeout=30, what="the transcript grow"
        )
        assert "sandbox" in _summary(app)
        await wait_until(pilot, lambda: "verdict " in _summary(app), timeout=30, what="the verdict")
        summary = _summary(app)
        assert "EXPLOITABLE" in summary and "extraction done" in summary
        assert "tool search(" in summary and "steps 2/" in summary
        assert "tokens 0 in" not in summary
        await pilot.press("escape", "escape", "q")


async def test_a_bulk_dismissal_of_five_pushes_five_patches_as_its_bar_fills(
    tmp_path: Path, github: GitHubServer
) -> None:
    # Paced and slowed so the bar is seen part-way: two writes a second, each PATCH 0.3 s.
    env = synced_env(tmp_path, github, {"analysis": {"dismiss_writes_per_second": 2.0}})
    github.add_fault(Fault.slow(0.3, method="PATCH"))
    app = env.app(token=github.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await _synced(pilot, app)
        await pilot.press("space", "space", "space", "space", "space", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog), what="dialog")
        await pilot.press("tab", *"accepted", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("P: the batch" in n for n in notifications(app)))
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="pane")
        bar = _pane(app).query_one(ProgressBar)
        await wait_until(pilot, lambda: bar.total == 5, what="the batch read")
        seen: set[float] = set()

        def full() -> bool:
            seen.add(bar.progress)
            return bar.progress == bar.total

        await wait_until(pilot, full, timeout=30, what="every push settled")
        assert min(seen) < 5, f"the bar was never seen part-way: {sorted(seen)}"
        patches = github.requests_matching("PATCH", ALERT_PATCH)
        assert len(patches) == 5 and {p.status for p in patches} == {200}
        assert "5 of 5 pushed" in _summary(app) and "all settled" in _summary(app)
        table = _pane(app).query_one(ProgressTable)
        assert table.row_count == 5
        assert {str(table.get_cell_at((i, 1))) for i in range(5)} == {"pushed"}
        await pilot.press("escape", "q")


async def test_a_sync_started_with_R_lists_every_repository_in_its_pane(
    tmp_path: Path, github: GitHubServer
) -> None:
    env = synced_env(tmp_path, github)
    app = env.app(token=github.token)
    repos = {r.full_name for r in github.dataset.repos()}
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen), what="jobs pane")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="pane")
        title = _pane(app).query_one("#progress-title")
        await wait_until(pilot, lambda: "no sync started here yet" in str(title.render()))
        await pilot.press("R")
        table = _pane(app).query_one(ProgressTable)
        await wait_until(pilot, lambda: "ended" in str(title.render()), timeout=30, what="sync")
        await pilot.pause(0.6)  # the next read of the figures
        listed = {str(table.get_cell_at((i, 0))) for i in range(table.row_count)}
        assert listed == repos
        assert f"repositories {len(repos)} of {len(repos)}" in _summary(app)

        first = app.sync_progress
        await pilot.press("R")  # the second run is measured against the first
        await wait_until(
            pilot,
            lambda: app.sync_progress is not first and "ended" in str(title.render()),
            timeout=30,
            what="the second sync",
        )
        assert app.sync_progress is not None and app.sync_progress.expected == len(repos)
        await pilot.press("escape", "escape", "q")


async def test_the_panes_keys_are_in_help_and_a_job_without_a_pane_says_so(
    tui_env: TuiEnv,
) -> None:
    engine = create_engine(tui_env.url)
    try:
        await job_store.enqueue(engine, JobKind.SYNC, owner="acme", correlation_id="s")
    finally:
        await engine.dispose()
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        ids = {b.id for _, bindings in app.help_sections() for b in bindings}
        assert {
            "progress.back",
            "progress.refresh",
            "jobs.progress",
            "jobs.sync_progress",
            "finding.progress",
            "finding.batch_progress",
        } <= ids
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="pane")
        assert _pane(app).target.kind is TargetKind.LATEST_BATCH
        title = _pane(app).query_one("#progress-title")
        await wait_until(pilot, lambda: "no dismissal or reopen" in str(title.render()))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("escape", "escape", "J")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen), what="jobs pane")
        jobs = app.screen
        assert isinstance(jobs, JobsScreen)
        await wait_until(pilot, lambda: jobs.listings is not None, what="the jobs read")
        await pilot.press("p")
        await wait_until(
            pilot, lambda: any("has no progress pane" in n for n in notifications(app))
        )
        assert isinstance(app.screen, JobsScreen)


async def test_the_palette_opens_the_sync_and_batch_panes_from_anywhere(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await wait_until(pilot, lambda: "Sync progress" in _prompts(palette), what="listing")
        assert "Latest batch progress" in _prompts(palette)
        assert "Batch progress  [P]" in _prompts(palette)
        await pilot.press(*"sync prog")
        await wait_until(pilot, lambda: _prompts(palette)[:1] == ["Sync progress"], what="hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="the pane")
        assert _pane(app).target.kind is TargetKind.SYNC


def _prompts(palette: Any) -> list[str]:
    """Each listed command's title (its help text, when it has one, is on the next line)."""
    options = palette.query_one(CommandList)
    prompts = (str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
    return [prompt.split("\n", 1)[0] for prompt in prompts]


async def test_a_refresh_shows_a_new_push_result_and_keeps_the_cursor(
    tui_env: TuiEnv,
) -> None:
    await batch_part_way(tui_env.url, tui_env.config)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), what="pane")
        table = _pane(app).query_one(ProgressTable)
        await wait_until(pilot, lambda: table.row_count == 5, what="the batch")
        await pilot.press("j", "j", "j")
        assert table.cursor_row == 3 and str(table.get_cell_at((3, 1))) == "pending"
        batch = await app.services.batch_progress("snap-batch") if app.services else None
        assert batch is not None
        engine = create_engine(tui_env.url)
        try:
            await confirm_intent(engine, batch.items[3].intent_id, datetime.now(UTC))
        finally:
            await engine.dispose()
        await pilot.press("r")
        await wait_until(
            pilot, lambda: str(table.get_cell_at((3, 1))) == "pushed", what="the new result"
        )
        assert table.cursor_row == 3 and table.row_count == 5
        assert "3 of 5 pushed" in _summary(app)
        assert _pane(app).query_one(ProgressBar).progress == 3
