"""What an analysis run shows in the finding view: `a` reaches a verdict even where triage
would dismiss (the demo stack: local GitHub, demo Ollama, demo repositories cloned into the
sandbox), and a failed re-run shows its error with the previous run's verdict labelled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Scope
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.triage import TriageAction
from secagent_tui.store import analyses
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable

from .conftest import TuiEnv
from .helpers import loaded, notifications, store_analysis, wait_for_async, wait_until

SIZE = (120, 40)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(folder, orgs={"acme": 2}, users={}, alerts_per_repo=20) as session:
        yield session


@pytest.fixture
async def db(tui_env: TuiEnv) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(tui_env.url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _cursor_to_open_development_finding(pilot: Any, grid: FindingsTable) -> Any:
    for _ in range(grid.row_count):
        record = grid.current_record()
        if (
            record is not None
            and record.state is AlertState.OPEN
            and record.finding.scope is Scope.DEVELOPMENT
        ):
            return record
        await pilot.press("j")
    raise AssertionError("the demo data has no open development-scope finding")


async def test_a_on_a_finding_triage_would_dismiss_reaches_a_verdict(demo: DemoSession) -> None:
    """The demo model dismisses development-scope findings at triage; `a` asks for the whole
    analysis, so the sandbox runs and a verdict is extracted all the same."""
    app = SecagentApp(
        demo.config, token=demo.token, run_pipeline=True, sync_on_start=True, demo=True
    )
    engine = create_engine(demo.config.database.url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            grid = await loaded(pilot)
            await wait_until(
                pilot,
                lambda: any("Sync ok" in n for n in notifications(app)),
                timeout=30,
                what="the sync",
            )
            await wait_until(pilot, lambda: grid.row_count > 0, what="the synced rows")
            target = await _cursor_to_open_development_finding(pilot, grid)
            await pilot.press("a")

            async def finished() -> Any:
                record = await get_finding(engine, FindingRef.parse(target.finding.ref))
                assert record is not None
                done = record.analysis_status in (AnalysisStatus.COMPLETED, AnalysisStatus.FAILED)
                return record if done else None

            record = await wait_for_async(pilot, finished, timeout=60, what="the analysis")
            assert record.analysis_status is AnalysisStatus.COMPLETED, record.analysis_error
            assert record.triage is not None
            assert record.triage.suggested_action is TriageAction.DISMISS
            assert record.verdict is not None
            run_id = await analyses.latest_analysis_id(engine, record.id)
            assert run_id is not None
            run = await analyses.get_analysis(engine, run_id)
            assert run.evidence is not None, "the sandbox's evidence pass ran"
            assert await analyses.transcript(engine, run_id), "the sandbox agent spoke"

            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen))
            panel = app.screen.query_one("#verdict")
            await wait_until(
                pilot, lambda: "EXPLOITABLE" in str(panel.render()), what="the verdict panel"
            )
            assert "PREVIOUS RUN" not in str(panel.render())
            await pilot.press("escape", "q")
    finally:
        await engine.dispose()


async def test_a_failed_rerun_shows_its_error_and_the_previous_verdict_labelled(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    await store_analysis(db, "acme/api#8")  # completed: NOT EXPLOITABLE, high
    record = await get_finding(db, FindingRef.parse("acme/api#8"))
    assert record is not None
    rerun = await analyses.create_analysis(db, record.id, "rerun", "qwen2.5-coder:7b")
    await analyses.update_analysis(
        db, rerun, status=AnalysisStatus.FAILED, error="sandbox: clone timed out"
    )

    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert grid.current_record().finding.ref == "acme/api#8"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen))
        panel = app.screen.query_one("#verdict")
        await wait_until(pilot, lambda: "PREVIOUS RUN" in str(panel.render()), what="panel")
        text = str(panel.render())
        assert "The last analysis failed." in text
        assert "sandbox: clone timed out" in text
        # The old verdict comes after the failure, under its label, never as the headline.
        assert text.index("The last analysis failed.") < text.index("PREVIOUS RUN")
        assert text.index("PREVIOUS RUN") < text.index("NOT EXPLOITABLE")
