"""The Jobs pane in the app (Pilot): opened from the queue with `J`, it shows jobs other
processes queued on the same database (another analyst's services, a runner elsewhere
failing one), live; `c` cancels after a yes, `r` retries a failed job, `1`–`4` filter,
`enter` opens the job's finding, `escape` goes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from textual.command import CommandList, CommandPalette

from secagent_tui.config import Config
from secagent_tui.services.analyst import AnalystServices, default_actor
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding_by_id
from secagent_tui.store.jobs import JobStatus
from secagent_tui.store.schema import jobs
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.jobs import JobsScreen, JobsTable
from secagent_tui.tui.screens.queue import QueueScreen

from .conftest import FIXED_NOW, TuiEnv
from .helpers import loaded, notifications, wait_for_async, wait_until

SIZE = (80, 24)
ELSEWHERE = "other-host:4242:abcdef"


def _services(engine: AsyncEngine, actor: str) -> AnalystServices:
    return AnalystServices(engine, Config(), lambda: datetime.now(UTC), actor=actor)


async def queue_jobs(url: str, *, fixed_times: bool = False) -> None:
    """Three analyses: two queued by another analyst (the first failed for good by a runner
    on another host), one by this analyst from the CLI. `fixed_times`: every timestamp set
    relative to the tests' fixed clock, for a stable picture."""
    engine = create_engine(url)
    try:
        records = [await get_finding_by_id(engine, i) for i in (1, 2, 3)]
        assert all(records)
        other = _services(engine, "tui:someone-else")
        await other.enqueue_analyses(records[:2], triage_only=False, full=True)  # type: ignore[arg-type]
        mine = _services(engine, default_actor("cli"))
        await mine.enqueue_analyses(records[2:], triage_only=True, full=False)  # type: ignore[arg-type]
        job = await job_store.claim(engine, ELSEWHERE, lease_seconds=60, max_concurrent_per_owner=9)
        assert job is not None and job.id == 1
        await job_store.fail_permanently(
            engine, 1, ELSEWHERE, "ResponseError: model 'qwen2.5-coder:7b' not found"
        )
        if fixed_times:
            await _fix_times(engine)
    finally:
        await engine.dispose()


async def _fix_times(engine: AsyncEngine) -> None:
    times = {
        1: (FIXED_NOW - timedelta(minutes=9), FIXED_NOW - timedelta(minutes=8, seconds=47)),
        2: (None, None),
        3: (None, None),
    }
    async with engine.begin() as conn:
        for job_id, (started, finished) in times.items():
            await conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(
                    created_at=FIXED_NOW - timedelta(minutes=10),
                    run_after=FIXED_NOW - timedelta(minutes=10),
                    started_at=started,
                    finished_at=finished,
                )
            )


async def _job(url: str, job_id: int) -> job_store.Job:
    engine = create_engine(url)
    try:
        job = await job_store.get_job(engine, job_id)
    finally:
        await engine.dispose()
    assert job is not None
    return job


def _ids(screen: JobsScreen) -> list[int]:
    return [x.job.id for x in screen.listings or []]


async def _opened(pilot: Any) -> JobsScreen:
    await loaded(pilot)
    await pilot.press("J")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), what="the pane")
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    await wait_until(pilot, lambda: screen.listings is not None, what="the first jobs read")
    await pilot.pause()
    return screen


async def test_the_pane_shows_every_job_and_follows_the_database(tui_env: TuiEnv) -> None:
    await queue_jobs(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)
        assert _ids(screen) == [3, 2, 1]
        table = screen.query_one(JobsTable)
        assert table.row_count == 3
        failed = table.get_row("1")
        assert [str(c) for c in failed[:4]] == [
            "1",
            "triage",
            screen.listings[2].finding_ref,
            "failed",
        ]  # type: ignore[index]
        assert str(failed[6]).startswith("ResponseError: model 'qwen2")
        assert str(failed[6]).endswith("…"), "cut to what 80 columns leave"
        assert screen.listings[2].job.last_error == (  # type: ignore[index]
            "ResponseError: model 'qwen2.5-coder:7b' not found"
        )
        assert str(failed[5]) == "1/3"

        # Another analyst queues one more while the pane is open: it shows by itself.
        engine = create_engine(tui_env.url)
        try:
            record = await get_finding_by_id(engine, 4)
            assert record is not None
            await _services(engine, "tui:someone-else").enqueue_analyses(
                [record], triage_only=True, full=False
            )
        finally:
            await engine.dispose()
        await wait_until(pilot, lambda: _ids(screen)[:1] == [4], timeout=8, what="live refresh")

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen), what="back")


async def test_cancel_asks_then_cancels_and_retry_requeues_a_failed_job(tui_env: TuiEnv) -> None:
    await queue_jobs(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)
        table = screen.query_one(JobsTable)

        assert table.current_id() == 3
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("n")
        await pilot.pause()
        assert (await _job(tui_env.url, 3)).status is JobStatus.QUEUED, "no is no"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("y")
        await wait_for_async(
            pilot,
            lambda: _status_is(tui_env.url, 3, JobStatus.CANCELLED),
            what="the cancel",
        )
        await wait_until(
            pilot,
            lambda: str(table.get_row("3")[3]) == "cancelled",
            what="the row to follow",
        )
        assert table.current_id() == 3, "the cursor stays on its job"

        await pilot.press("G")
        assert table.current_id() == 1
        await pilot.press("r")
        await wait_for_async(
            pilot, lambda: _status_is(tui_env.url, 1, JobStatus.QUEUED), what="the retry"
        )
        assert "Job 1 (triage) queued again." in notifications(app)
        await wait_until(pilot, lambda: str(table.get_row("1")[3]) == "queued", what="the row")

        await pilot.press("r")  # queued now: refused, with the store's reason
        await wait_until(
            pilot,
            lambda: any("only failed or cancelled" in n for n in notifications(app)),
            what="the refusal",
        )


async def _status_is(url: str, job_id: int, status: JobStatus) -> bool:
    return (await _job(url, job_id)).status is status


async def test_filter_keys_and_enter_opens_the_finding(tui_env: TuiEnv) -> None:
    await queue_jobs(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)

        for key, expected in (("3", [1]), ("4", [3]), ("2", [3, 2]), ("1", [3, 2, 1])):
            await pilot.press(key)
            await wait_until(
                pilot,
                lambda expected=expected: _ids(screen) == expected,  # type: ignore[misc]
                what=f"filter {key}",
            )
        await pilot.press("f")
        await wait_until(pilot, lambda: _ids(screen) == [3, 2], what="f: the next filter")
        assert screen.view.value == "active"

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        finding = app.screen
        assert isinstance(finding, FindingScreen) and finding.record.id == 3
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back to the pane")


async def test_read_only_allows_a_cancel_and_refuses_a_push_retry(tui_env: TuiEnv) -> None:
    engine = create_engine(tui_env.url)
    try:
        record = await get_finding_by_id(engine, 1)
        assert record is not None
        from secagent_tui.domain.decision import DecisionAction

        [push] = await _services(engine, "tui:someone-else").decide(
            [record], DecisionAction.DISMISS, reason="tolerable_risk"
        )
    finally:
        await engine.dispose()
    app = tui_env.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        question = str(app.screen.query_one("#question").content)  # type: ignore[attr-defined]
        assert "The decision stays pending" in question
        await pilot.press("y")
        await wait_for_async(
            pilot, lambda: _status_is(tui_env.url, push, JobStatus.CANCELLED), what="cancel"
        )
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: any("read-only" in n for n in notifications(app)),
            what="the refusal",
        )
        assert (await _job(tui_env.url, push)).status is JobStatus.CANCELLED


def _first_prompt(palette: Any) -> str:
    """The first hit's name and key (its tooltip is the prompt's second line)."""
    options = palette.query_one(CommandList)
    if not options.option_count:
        return ""
    return str(options.get_option_at_index(0).prompt).split("\n")[0]


async def test_the_command_palette_opens_the_pane_and_lists_its_actions(tui_env: TuiEnv) -> None:
    await queue_jobs(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await pilot.press(*"jobs")
        await wait_until(pilot, lambda: _first_prompt(palette) == "Jobs  [J]", what="the hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen), what="the pane")
        screen = app.screen
        await wait_until(pilot, lambda: screen.listings is not None, what="the first read")  # type: ignore[attr-defined]

        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await pilot.press(*"retry")
        await wait_until(pilot, lambda: _first_prompt(palette) == "Retry job  [r]", what="hit")
