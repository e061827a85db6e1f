"""The TUI's remembered state and the finding-history query it shows."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from sqlalchemy import select

from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.filters import UNASSIGNED, FindingFilter
from secagent_tui.domain.finding import AlertState, Scope, Severity
from secagent_tui.domain.refs import FindingRef
from secagent_tui.pipeline.decisions import decide
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding
from secagent_tui.store.history import finding_history
from secagent_tui.store.intents import confirm_intent
from secagent_tui.store.schema import intents as intents_table
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.state import UiState, load_state, save_state
from secagent_tui.tui.widgets.history import HistoryDetail, HistoryTable

from .conftest import FIXED_NOW, TuiEnv
from .helpers import loaded, queue, table, wait_until


@pytest.mark.parametrize("assignee", ["octo-cat", UNASSIGNED])
def test_state_round_trips_every_filter_field(tmp_path: Path, assignee: str) -> None:
    flt = FindingFilter(
        assignee=assignee,
        snooze=SnoozeState.PATCH_AVAILABLE,
        severities=(Severity.LOW,),
        owner="acme",
        states=(AlertState.OPEN, AlertState.DISMISSED),
        min_severity=Severity.HIGH,
        ecosystems=("npm",),
        scope=Scope.RUNTIME,
        repo_glob="acme/web*",
        has_verdict=False,
        exploitable=True,
        overdue=True,
        pending_push=False,
        text="lodash",
    )
    default = FindingFilter()
    unset = [
        f.name for f in fields(FindingFilter) if getattr(flt, f.name) == getattr(default, f.name)
    ]
    assert unset == ["limit"], "a filter field this test does not set (the CLI's --limit only)"
    path = tmp_path / "deep" / "tui-state.json"
    save_state(path, UiState(flt, "Overdue", "sla", True))
    state = load_state(path)
    assert (state.filter, state.view, state.sort_column, state.sort_reverse) == (
        flt,
        "Overdue",
        "sla",
        True,
    )


def test_a_broken_state_file_means_defaults(tmp_path: Path) -> None:
    path = tmp_path / "tui-state.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_state(path) == UiState()
    path.write_text('{"filter": {"states": ["bogus"], "min_severity": 3, "text": "x"}}')
    assert load_state(path).filter == FindingFilter(text="x")
    assert load_state(tmp_path / "missing.json") == UiState()


async def test_history_lists_events_intents_and_pushes_newest_first(tui_env: TuiEnv) -> None:
    engine = create_engine(tui_env.url)
    try:
        record = await get_finding(engine, FindingRef.parse("acme/api#8"))
        assert record is not None
        assert await finding_history(engine, record.id) == []
        await decide(
            engine,
            tui_env.config,
            [record],
            "dismiss",
            actor="tui:test",
            correlation_id="c1",
            reason="not_used",
            comment="dead code",
        )
        history = await finding_history(engine, record.id)
        assert {(e.source, e.action) for e in history} == {
            ("audit", "dismiss_requested"),
            ("intent", "dismiss"),
            ("push", "push dismiss"),
        }
        intent = next(e for e in history if e.source == "intent")
        assert intent.status == "pending" and intent.detail["comment"] == "dead code"
        await decide(
            engine, tui_env.config, [record], "reopen", actor="tui:test", correlation_id="c2"
        )
        history = await finding_history(engine, record.id)
        assert [e.at for e in history] == sorted((e.at for e in history), reverse=True)
        pushes = [e.action for e in history if e.source == "push"]
        assert sorted(pushes) == ["push dismiss", "push reopen"]  # each names what it sends
        decisions = [e for e in history if e.source == "intent"]
        assert [(e.action, e.status) for e in decisions] == [
            ("reopen", "pending"),
            ("dismiss", "superseded"),
        ]
        latest = select(intents_table.c.id).order_by(intents_table.c.id.desc()).limit(1)
        async with engine.connect() as conn:
            reopen_id = (await conn.execute(latest)).scalar_one()
        await confirm_intent(engine, reopen_id, FIXED_NOW)
        history = await finding_history(engine, record.id)
        assert history[0].action == "push_confirmed"
    finally:
        await engine.dispose()


async def test_the_history_tab_shows_the_whole_detail_of_the_highlighted_entry(
    tui_env: TuiEnv,
) -> None:
    comment = "reachable only from the admin CLI, " * 7  # far wider than the Detail column
    comment = comment.strip()[:280]
    engine = create_engine(tui_env.url)
    try:
        record = await get_finding(engine, FindingRef.parse("acme/api#8"))
        assert record is not None
        await decide(
            engine,
            tui_env.config,
            [record],
            "dismiss",
            actor="tui:test",
            correlation_id="c-long",
            reason="tolerable_risk",
            comment=comment,
        )
    finally:
        await engine.dispose()
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        queue(app).set_filter(FindingFilter(states=tuple(AlertState)))
        grid = table(app)
        await wait_until(pilot, lambda: record.id in grid.ordered_ids(), what="the finding")
        grid.move_cursor(row=grid.ordered_ids().index(record.id))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        await pilot.press("3")
        history = app.screen.query_one(HistoryTable)
        await wait_until(pilot, lambda: history.row_count >= 3, what="history rows")
        sources = [e.source for e in history._shown or []]
        history.move_cursor(row=sources.index("intent"))
        await pilot.pause()
        shown = str(app.screen.query_one(HistoryDetail).render())
        assert " ".join(comment.split()) in " ".join(shown.split())
        assert "tolerable_risk" in shown and "tui:test" in shown
