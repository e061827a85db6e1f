"""Regenerate the README's screenshots from the code: `.venv/bin/python scripts/screenshots.py`
writes one SVG per entry of `SHOTS` into `screenshots/` (or `--out DIR`).

It drives `secagent demo`'s app headless with Textual's Pilot, from the keyboard, as an analyst
would: the demo session (its local GitHub and Ollama, the demo repositories) syncs, a full
analysis of one finding runs through the real background runner, then each screen is opened
and saved. The pictures regenerate byte for byte: the dataset has the demo's fixed seed and a
fixed clock, the app the same clock, the sync reads one repository at a time (the header's
rate limit is the last response's), nothing blinks or animates headless, and toasts are
cleared before each picture. What the wall clock measured (when the sync and the jobs ran,
how long each LLM call took, when the rate limit resets) would still differ from run to run,
so before the pictures `pin_timings` moves those moments onto the fixed clock and sets each
duration from what the run did: the demo's model answers in microseconds, so no real latency
is lost.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from textual.pilot import Pilot

from secagent_tui.demo.github import DEFAULT_NOW
from secagent_tui.demo.ollama.protocol import ChatRequest, Reply, Responder, tier_of
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.record import FindingRecord
from secagent_tui.store.db import create_engine
from secagent_tui.store.schema import analyses, jobs, llm_calls, rate_limits, sync_runs
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.health import HealthScreen
from secagent_tui.tui.screens.jobs import JobsScreen
from secagent_tui.tui.screens.progress import ProgressScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.header import QueueHeader
from secagent_tui.tui.widgets.transcript import TranscriptView

ROOT = Path(__file__).resolve().parent.parent
SIZE = (160, 48)
NOW = DEFAULT_NOW
TARGET = "acme/auth-service#3"
"""The finding analysed before the pictures (its row, its finding view, its jobs)."""
STREAMED = "acme/api#2"
"""The finding whose analysis is caught mid-stream for the progress pane."""
WAIT_SECONDS = 60.0
MAX_PRESSES = 100

Step = Callable[[Pilot[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    """The file's stem in screenshots/."""
    shows: str
    """Text the picture must show (the screen's title); tests/test_screenshots_script.py
    checks it."""
    open: Step
    close: tuple[str, ...] = ("escape",)


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def _queue(app: SecagentApp) -> QueueScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, QueueScreen)
    return screen


def _table(app: SecagentApp) -> FindingsTable:
    return _queue(app).query_one(FindingsTable)


async def _on_queue(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, SecagentApp)
    await until(pilot, lambda: app.screen is _queue(app), "the queue")
    await until(pilot, lambda: _table(app).current_record() is not None, "the queue's rows")


async def _open_finding(pilot: Pilot[Any]) -> None:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, FindingScreen), "the finding view")
    view = pilot.app.screen.query_one("#verdict")
    await until(pilot, lambda: "EXPLOITABLE" in str(view.render()), "the verdict panel")


async def _open_dismiss(pilot: Pilot[Any]) -> None:
    await pilot.press("d")
    await until(pilot, lambda: isinstance(pilot.app.screen, DismissDialog), "the dismiss dialog")


async def _open_jobs(pilot: Pilot[Any]) -> None:
    await pilot.press("J")
    await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs pane")
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    await until(pilot, lambda: screen.listings is not None, "the jobs read")


async def _open_progress(pilot: Pilot[Any]) -> None:
    """`p` on the jobs pane's first row: the newest job, STREAMED's running sandbox tier."""
    await _open_jobs(pilot)
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProgressScreen), "the progress pane")
    transcript = pilot.app.screen.query_one(TranscriptView)
    await until(pilot, lambda: transcript.entry_count >= 3, "the streamed transcript")


async def _open_health(pilot: Pilot[Any]) -> None:
    await pilot.press("H")
    await until(pilot, lambda: isinstance(pilot.app.screen, HealthScreen), "the health screen")
    screen = pilot.app.screen
    assert isinstance(screen, HealthScreen)
    await until(pilot, lambda: screen.report is not None, "the health read")


SHOTS: tuple[Shot, ...] = (
    Shot("queue", "[All open]", _on_queue, ()),
    Shot("finding", "Transcript · completed", _open_finding),
    Shot("dismiss", "Dismiss on GitHub", _open_dismiss),
    Shot("jobs", "Jobs ·", _open_jobs),
    Shot("progress", "Progress · analysis", _open_progress, ("escape", "escape")),
    Shot("health", "Health ·", _open_health),
)


# ---------------------------------------------------------------------- the run


class HeldStream:
    """The demo model, except that once `armed` is set, the sandbox agent's second call (the
    one after its first tool result) waits until `release` is set: the progress pane is caught
    mid-stream at the same point on every run."""

    def __init__(self, model: Responder) -> None:
        self.model = model
        self.armed = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: ChatRequest) -> Reply:
        after_a_tool = any(m.get("role") == "tool" for m in request.messages)
        if (
            self.armed.is_set()
            and tier_of(request) == "sandbox"
            and after_a_tool
            and not self.release.is_set()
        ):
            self.holding.set()
            self.release.wait(WAIT_SECONDS)
        return self.model(request)


async def _cursor_to(pilot: Pilot[Any], ref: str) -> FindingRecord:
    """Moves the queue's cursor to `ref` as an analyst would: home, then j until it is there
    (both targets are near the top of the severity order)."""
    app = pilot.app
    assert isinstance(app, SecagentApp)
    table = _table(app)
    await pilot.press("home")
    for _ in range(MAX_PRESSES):
        current = table.current_record()
        if current is not None and current.finding.ref == ref:
            return current
        await pilot.press("j")
    raise RuntimeError(f"{ref} is not within {MAX_PRESSES} rows of the queue's top")


async def _analysed(pilot: Pilot[Any], ref: str, status: AnalysisStatus | None) -> None:
    """`a` on `ref`; waits for its run to reach `status` (None: only to be queued)."""
    app = pilot.app
    assert isinstance(app, SecagentApp)
    record = await _cursor_to(pilot, ref)
    await pilot.press("a")
    table = _table(app)

    def reached() -> bool:
        row = table.records.get(record.id)
        want = status or AnalysisStatus.QUEUED
        return row is not None and row.analysis_status in (want, status or AnalysisStatus.RUNNING)

    await until(pilot, reached, f"the analysis of {ref}")


async def _prepare(pilot: Pilot[Any], app: SecagentApp, held: HeldStream) -> None:
    """The demo's first sync; TARGET's full analysis to its verdict; STREAMED's started and
    held after its agent's first tool call; the cursor back on TARGET."""
    header = _queue(app).query_one(QueueHeader)
    await until(pilot, lambda: " ok (" in str(header.render()), "the demo's first sync")
    await _on_queue(pilot)
    await _analysed(pilot, TARGET, AnalysisStatus.COMPLETED)
    held.armed.set()
    await _analysed(pilot, STREAMED, None)
    await until(pilot, held.holding.is_set, f"{STREAMED}'s sandbox agent to call a tool")
    await _cursor_to(pilot, TARGET)


async def pin_timings(url: str, now: datetime) -> None:
    """Moves what the wall clock stamped onto the fixed clock, in the order it happened, and
    sets each measured duration from the work done: a sync 0.2 s a request; each job 0.5 s
    plus its LLM calls, each call 300 ms plus 15 ms a completion token; each analysis run
    from its first job's start to its last job's end."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await _pin_sync_runs(conn, now - timedelta(minutes=6))
            runs = await _pin_jobs(conn, now - timedelta(minutes=3))
            for analysis_id, (started, finished) in runs.items():
                values: dict[str, datetime] = {"started_at": started}
                if finished is not None:
                    values["finished_at"] = finished
                await conn.execute(
                    update(analyses).where(analyses.c.id == analysis_id).values(**values)
                )
            await conn.execute(
                update(rate_limits).values(
                    observed_at=now - timedelta(minutes=4), reset_at=now + timedelta(minutes=52)
                )
            )
    finally:
        await engine.dispose()


async def _pin_sync_runs(conn: AsyncConnection, start: datetime) -> None:
    rows = (await conn.execute(select(sync_runs).order_by(sync_runs.c.id))).all()
    for row in rows:
        repos = [{**r, "seconds": round(0.2 * r.get("requests", 1), 1)} for r in row.repos]
        seconds = round(0.2 * row.requests, 1)
        await conn.execute(
            update(sync_runs)
            .where(sync_runs.c.id == row.id)
            .values(
                started_at=start,
                finished_at=start + timedelta(seconds=seconds),
                seconds=seconds,
                repos=repos,
            )
        )
        start += timedelta(seconds=seconds)


async def _pin_jobs(
    conn: AsyncConnection, start: datetime
) -> dict[int, tuple[datetime, datetime | None]]:
    """Lays the jobs end to end from `start`, each with its tier's LLM calls (same finding,
    same tier) inside it; returns each analysis run's (start, end or None while it runs)."""
    calls: dict[tuple[int | None, str], list[Any]] = {}
    for call in (await conn.execute(select(llm_calls).order_by(llm_calls.c.id))).all():
        calls.setdefault((call.finding_id, call.tier), []).append(call)
    runs: dict[int, tuple[datetime, datetime | None]] = {}
    for job in (await conn.execute(select(jobs).order_by(jobs.c.id))).all():
        end = await _pin_calls(conn, calls.pop((job.finding_id, job.kind), []), start)
        end += timedelta(milliseconds=500)
        done = job.finished_at is not None
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job.id)
            .values(
                created_at=start,
                run_after=start,
                started_at=start if job.started_at is not None else None,
                heartbeat_at=end if job.heartbeat_at is not None else None,
                finished_at=end if done else None,
            )
        )
        analysis_id = job.payload.get("analysis_id")
        if analysis_id is not None:
            first = runs.get(analysis_id, (start, None))[0]
            runs[analysis_id] = (first, end if done else None)
        start = end
    return runs


async def _pin_calls(conn: AsyncConnection, rows: list[Any], start: datetime) -> datetime:
    """One job's LLM calls one after the other from `start`; returns when the last ends."""
    for row in rows:
        ms = 300.0 + 15.0 * (row.completion_tokens or 0)
        await conn.execute(
            update(llm_calls)
            .where(llm_calls.c.id == row.id)
            .values(started_at=start, duration_ms=ms)
        )
        start += timedelta(milliseconds=ms)
    return start


async def take(out: Path, shots: tuple[Shot, ...] = SHOTS) -> list[Path]:
    """Runs the demo once and writes `shots` into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory(prefix="secagent-shots-") as folder,
        DemoSession(Path(folder) / "demo", now=NOW) as session,
    ):
        config = session.write_config({"sync": {"concurrency": 1}}, name="shots.toml")
        held = HeldStream(session.ollama.responder)
        session.ollama.responder = held
        app = SecagentApp(
            config, token=session.token, demo=True, sync_on_start=True, clock=lambda: NOW
        )
        try:
            async with app.run_test(size=SIZE) as pilot:
                await _prepare(pilot, app, held)
                await pin_timings(config.database.url, NOW)
                await _refetch_queue(pilot, app)
                for shot in shots:
                    written.append(await _shoot(pilot, app, shot, out))
                held.release.set()
                await app.action_quit()
        finally:
            held.release.set()
    return written


async def _refetch_queue(pilot: Pilot[Any], app: SecagentApp) -> None:
    """The queue and its header read again, so they show the pinned times too."""
    header = _queue(app).query_one(QueueHeader)
    before = header.stats
    _queue(app).refresh_now(stats=True)
    await until(pilot, lambda: header.stats is not before, "the queue's fetch")


async def _shoot(pilot: Pilot[Any], app: SecagentApp, shot: Shot, out: Path) -> Path:
    await shot.open(pilot)
    app.clear_notifications()
    await pilot.pause(0.3)
    await pilot.wait_for_scheduled_animations()
    path = Path(app.save_screenshot(f"{shot.name}.svg", str(out)))
    await pilot.press(*shot.close)
    await _on_queue(pilot)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder")
    args = parser.parse_args(argv)
    for path in asyncio.run(take(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
