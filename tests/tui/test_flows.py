"""Pilot tests of the analyst's flows against a real (SQLite) database."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from textual.command import CommandList, CommandPalette

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Scope, Severity
from secagent_tui.domain.refs import FindingRef
from secagent_tui.github.parser import parse_alert
from secagent_tui.store import analyses
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding, upsert_findings
from secagent_tui.store.schema import findings as findings_table
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.campaign_findings import CampaignFindingsScreen
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.filters import FilterScreen
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.health import HealthScreen
from secagent_tui.tui.screens.help import HelpScreen
from secagent_tui.tui.screens.jobs import JobsScreen, JobsTable
from secagent_tui.tui.screens.progress import ProgressScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.state import load_state, state_path
from secagent_tui.tui.widgets.campaign_findings import CampaignFindingsTable
from secagent_tui.tui.widgets.campaign_table import CampaignTable
from secagent_tui.tui.widgets.filter_bar import SearchInput
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.progress_panels import ProgressTable
from secagent_tui.tui.widgets.transcript import TranscriptView

from .conftest import FIXED_NOW, TuiEnv
from .helpers import (
    all_intents,
    expected_ids,
    loaded,
    notifications,
    queue,
    store_analysis,
    wait_for_async,
    wait_until,
)

SIZE = (100, 30)
HELPED_CLASSES = (
    SecagentApp,
    QueueScreen,
    FindingsTable,
    SearchInput,
    FindingScreen,
    TranscriptView,
    FilterScreen,
    JobsScreen,
    JobsTable,
    CampaignsScreen,
    CampaignTable,
    CampaignFindingsScreen,
    CampaignFindingsTable,
    ProgressScreen,
    ProgressTable,
    HealthScreen,
    DismissDialog,
    ConfirmDialog,
    HelpScreen,
)


@pytest.fixture
def fast_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live loops poll every few seconds; tests need not wait that long."""
    monkeypatch.setattr("secagent_tui.tui.screens.queue.REFRESH_SECONDS", 0.2)
    monkeypatch.setattr("secagent_tui.tui.screens.finding.IDLE_POLL_SECONDS", 0.2)


@pytest.fixture
async def db(tui_env: TuiEnv) -> AsyncIterator[AsyncEngine]:
    """A second connection to the app's database, as another process would have."""
    engine = create_engine(tui_env.url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_filter_and_search_narrow_the_table(tui_env: TuiEnv, db: AsyncEngine) -> None:
    days = tui_env.config.sla.days()
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert set(grid.records) == await expected_ids(db, FindingFilter(), days)

        # f → "Min severity" (second line) → any → low → medium → high; enter applies.
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press("down", "right", "right", "right", "enter")
        high = FindingFilter(min_severity=Severity.HIGH)
        want = await expected_ids(db, high, days)
        await wait_until(pilot, lambda: set(grid.records) == want, what="min severity filter")
        assert 0 < len(want) < len(await expected_ids(db, FindingFilter(), days))

        await pilot.press("slash", *"acme/")
        searched = high.with_changes(text="acme/")
        want = await expected_ids(db, searched, days)
        await wait_until(pilot, lambda: set(grid.records) == want, what="search")
        assert want and all(grid.records[i].finding.repo.startswith("acme/") for i in want)
        await pilot.press("enter")
        assert app.focused is grid
        assert queue(app).state.filter == searched

    # The filter survives a restart.
    assert load_state(state_path(tui_env.config)).filter == searched
    again = tui_env.app()
    async with again.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert queue(again).state.filter == searched
        assert set(grid.records) == want


async def test_views_switch_with_number_keys(tui_env: TuiEnv, db: AsyncEngine) -> None:
    days = tui_env.config.sla.days()
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("3")
        want = await expected_ids(db, FindingFilter(overdue=True), days)
        await wait_until(pilot, lambda: set(grid.records) == want, what="overdue view")
        assert queue(app).state.view == "Overdue"
        await pilot.press("v")  # next view: Pending push (none yet)
        await wait_until(pilot, lambda: grid.row_count == 0, what="pending push view")
        await pilot.press("x")
        want = await expected_ids(db, FindingFilter(), days)
        await wait_until(pilot, lambda: set(grid.records) == want, what="reset")


async def test_a_view_from_the_config_comes_after_the_built_in_ones(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    tui_env.reconfigure(
        sections={
            "ui": {"views": [{"name": "Runtime npm", "ecosystem": ["npm"], "scope": "runtime"}]}
        }
    )
    days = tui_env.config.sla.days()
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("6", "v")  # the last built-in view, then the configured one
        want = await expected_ids(db, FindingFilter(ecosystems=("npm",), scope=Scope.RUNTIME), days)
        await wait_until(pilot, lambda: set(grid.records) == want, what="configured view")
        assert queue(app).state.view == "Runtime npm"


async def test_marking_three_rows_and_dismissing_writes_three_intents(
    tui_env: TuiEnv, db: AsyncEngine
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("j", "space", "space", "k", "k", "k", "V")  # rows 1-2, range 2→0
        assert len(grid.marks) == 3
        marked = {r.id for r in grid.marked_records()}
        repos = {grid.records[i].finding.repo for i in marked}

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog))
        dialog = app.screen
        summary = dialog.query_one("#summary").render()
        assert f"3 findings in {len(repos)} repositor" in str(summary)
        await pilot.press("down", "down", "down")  # fix_started → … → not_used
        await pilot.press("tab")
        dialog.query_one("#comment").value = "not reachable from our"
        await pilot.press(*" code")
        assert "27/280" in str(dialog.query_one("#counter").render())
        await pilot.press("enter")
        # The summary step: nothing is written before the analyst says yes to it.
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        question = str(app.screen.query_one("#question").render())
        assert f"Dismiss 3 findings in {len(repos)} repositor" in question
        assert 'as not_used: "not reachable from our code"?' in question
        assert await all_intents(db) == []
        await pilot.press("y")

        rows = await wait_for_async(pilot, lambda: all_intents(db), what="intents")
        assert {r.finding_id for r in rows} == marked
        assert {(r.action, r.reason, r.comment, r.status) for r in rows} == {
            ("dismiss", "not_used", "not reachable from our code", "pending")
        }
        # Local state changed at once; the default view (open) lets them go; marks are cleared.
        await wait_until(pilot, lambda: not (marked & set(grid.records)), what="rows to leave")
        assert not grid.marks
        for finding_id in marked:
            async with db.connect() as conn:
                row = (
                    await conn.execute(
                        select(findings_table.c.intent_state, findings_table.c.pending_push).where(
                            findings_table.c.id == finding_id
                        )
                    )
                ).one()
            assert (row.intent_state, row.pending_push) == ("dismissed", True)
        assert any("Dismissed 3 findings" in n for n in notifications(app))


async def test_dismissed_rows_show_a_pending_push_mark(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        queue(app).set_filter(FindingFilter(states=tuple(AlertState)))
        await wait_until(pilot, lambda: grid.row_count > 40, what="all states")
        target = grid.current_record()
        assert target is not None
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="summary")
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: grid.cell_text(target.id, "state") == "dismissed*",
            what="pending mark",
        )


async def test_a_long_comment_is_refused(tui_env: TuiEnv, db: AsyncEngine) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog))
        dialog = app.screen
        dialog.query_one("#comment").value = "x" * 281
        await pilot.pause()
        assert "281/280" in str(dialog.query_one("#counter").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "280" in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))
    assert await all_intents(db) == []


async def test_reopen_writes_reopen_intents(tui_env: TuiEnv, db: AsyncEngine) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        queue(app).set_filter(FindingFilter(states=(AlertState.DISMISSED,)))
        await wait_until(
            pilot,
            lambda: (
                grid.records and all(r.state is AlertState.DISMISSED for r in grid.records.values())
            ),
            what="dismissed findings",
        )
        await pilot.press("space", "space")
        marked = {r.id for r in grid.marked_records()}
        await pilot.press("o")
        await wait_until(pilot, lambda: "Reopen" in str(app.screen.query_one("#question").render()))
        await pilot.press("y")
        rows = await wait_for_async(pilot, lambda: all_intents(db), what="intents")
        assert {r.finding_id for r in rows} == marked
        assert {(r.action, r.reason, r.status) for r in rows} == {("reopen", None, "pending")}


async def test_read_only_refuses_github_writes(tui_env: TuiEnv, db: AsyncEngine) -> None:
    app = tui_env.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("space", "d")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        refusals = [n for n in notifications(app) if "Read-only" in n]
        assert len(refusals) == 2
        assert "dismiss refused" in refusals[0] and "reopen refused" in refusals[1]
        # From the finding view too.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, FindingScreen)
    assert await all_intents(db) == []


async def test_database_changes_appear_without_moving_the_cursor(
    tui_env: TuiEnv, db: AsyncEngine, fast_refresh: None
) -> None:
    app = tui_env.app()
    async with app.run_test(size=(120, 20)) as pilot:
        grid = await loaded(pilot)
        await pilot.press(*["j"] * 12)
        await pilot.press("space", "k")  # mark row 12, cursor back on 12
        current = grid.current_record()
        assert current is not None and grid.cursor_row == 12
        marked = set(grid.marks)
        screen_row = grid.cursor_row - grid.scroll_y

        # Another process: a new critical finding (sorts to the top) and a changed one.
        new = synthetic_finding(1, owner="acme", repos=1)
        new.repo, new.state, new.severity = "acme/aaa", AlertState.OPEN, Severity.CRITICAL
        new.created_at = FIXED_NOW - timedelta(days=1)
        new.updated_at = FIXED_NOW - timedelta(hours=1)
        other = await get_finding(db, FindingRef.parse("acme/web#1"))
        assert other is not None and other.id != current.id
        raw = copy.deepcopy(other.finding.raw)
        raw["dependency"]["package"]["name"] = "minimist-renamed"
        raw["security_vulnerability"]["package"]["name"] = "minimist-renamed"
        raw["updated_at"] = (FIXED_NOW - timedelta(minutes=5)).isoformat()
        changed = parse_alert(raw, other.finding.repo)
        counts = await upsert_findings(db, [new, changed], now=FIXED_NOW)
        assert (counts.created, counts.updated) == (1, 1)
        before = grid.row_count

        await wait_until(pilot, lambda: grid.row_count == before + 1, timeout=8, what="new row")
        await wait_until(
            pilot,
            lambda: grid.cell_text(other.id, "package") == "minimist-renamed",
            what="changed cell",
        )
        await pilot.pause()
        assert grid.current_record().id == current.id
        assert grid.cursor_row == 13  # one row came above it
        assert grid.cursor_row - grid.scroll_y == screen_row  # and the view moved with it
        assert grid.marks == marked


async def test_finding_view_follows_a_growing_transcript(
    tui_env: TuiEnv, db: AsyncEngine, fast_refresh: None
) -> None:
    analysis_id = await store_analysis(db, "acme/api#8")
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        assert grid.current_record().finding.ref == "acme/api#8"
        assert grid.cell_text(grid.current_record().id, "verdict") == "not-expl·h"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen))
        transcript = app.screen.query_one(TranscriptView)
        await wait_until(pilot, lambda: transcript.entry_count == 4, what="transcript")
        verdict = str(app.screen.query_one("#verdict").render())
        assert "NOT EXPLOITABLE" in verdict
        await analyses.append_transcript(db, analysis_id, "note", "one more line")
        await wait_until(pilot, lambda: transcript.entry_count == 5, timeout=8, what="growth")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))


async def test_analysis_actions_queue_jobs(tui_env: TuiEnv, db: AsyncEngine) -> None:
    from secagent_tui.store.schema import jobs

    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("space", "space", "t")
        await pilot.press("a")  # marks were cleared by the first action: the cursor row

        async def kinds() -> list[tuple[str, bool, bool]]:
            async with db.connect() as conn:
                rows = (await conn.execute(select(jobs.c.kind, jobs.c.payload))).all()
            return sorted((k, bool(p.get("triage_only")), bool(p.get("full"))) for k, p in rows)

        got = await wait_for_async(pilot, lambda: _at_least(kinds, 3), what="jobs")
        # `a` asks for all three tiers whatever triage suggests; `t` for triage alone.
        assert got == [("triage", False, True), ("triage", True, False), ("triage", True, False)]


def _at_least(probe, n):  # type: ignore[no-untyped-def]
    async def check():  # type: ignore[no-untyped-def]
        rows = await probe()
        return rows if len(rows) >= n else None

    return check()


async def test_help_lists_every_binding_with_remaps(tui_env: TuiEnv) -> None:
    tui_env.reconfigure({"queue.filter": "F", "finding.dismiss": "X"})
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_table = app.screen.query_one("#keys")
        ids = [
            str(row[3]) for row in (help_table.get_row_at(i) for i in range(help_table.row_count))
        ]
        expected = [b.id or "built-in" for _, bindings in app.help_sections() for b in bindings]
        assert ids == expected
        ours = [b for _, cls_bindings in app.help_sections() for b in cls_bindings if b.id]
        assert len(ours) == sum(len(b.BINDINGS) for b in HELPED_CLASSES)
        assert all(getattr(b, "id", None) for cls in HELPED_CLASSES for b in cls.BINDINGS)
        assert "built-in" in ids  # arrows, page keys…
        keys = {str(row[3]): str(row[1]) for row in map(help_table.get_row_at, range(len(ids)))}
        assert keys["queue.filter"] == "F" and keys["finding.dismiss"] == "X"
        await pilot.press("escape")
        # The remap works; the old key does nothing.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press("escape")
        await pilot.press("X")
        await wait_until(pilot, lambda: isinstance(app.screen, DismissDialog))


async def test_command_palette_runs_screen_actions(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"mark all")
        palette = app.screen
        await wait_until(
            pilot,
            lambda: (
                palette.query_one(CommandList).option_count > 0
                and "Mark all" in str(palette.query_one(CommandList).get_option_at_index(0).prompt)
            ),
            what="palette hit",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(grid.marks) == grid.row_count, what="mark all")


async def test_open_in_browser_falls_back_to_clipboard(
    tui_env: TuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        url = grid.current_record().finding.html_url
        await pilot.press("b")
        await wait_until(pilot, lambda: app.clipboard == url, what="clipboard")
        assert any(url in n and "OSC 52" in n for n in notifications(app))


async def test_worker_errors_become_one_notification(
    tui_env: TuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from secagent_tui.services.analyst import AnalystServices

    async def broken(self, flt, sort, reverse, limit):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away\nsecond line")

    monkeypatch.setattr(AnalystServices, "finding_window", broken)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: any("database went away" in n for n in notifications(app)), what="error"
        )
        message = next(n for n in notifications(app) if "database went away" in n)
        assert "\n" not in message and "RuntimeError" in message
        assert app.is_running


async def test_header_counts_open_findings(tui_env: TuiEnv, db: AsyncEngine) -> None:
    app = tui_env.app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        header = str(queue(app).query_one("#header").render())
        assert "DEMO" in header
        assert f"open {grid.row_count}:" in header
        async with db.connect() as conn:
            total = (await conn.execute(select(func.count()).select_from(findings_table))).scalar()
        assert total and total > grid.row_count


async def test_sort_keys_keep_the_cursor_and_are_remembered(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.press("j", "j", "j")
        current = grid.current_record()
        await pilot.press("s")  # severity → repository
        assert grid.sort_column == "repo"
        refs = [
            (grid.records[i].finding.repo, grid.records[i].finding.number)
            for i in grid.ordered_ids()
        ]
        assert refs == sorted(refs)
        assert grid.current_record().id == current.id
        await pilot.press("S")
        refs = [
            (grid.records[i].finding.repo, grid.records[i].finding.number)
            for i in grid.ordered_ids()
        ]
        assert refs == sorted(refs, reverse=True)
        assert grid.current_record().id == current.id
    state = load_state(state_path(tui_env.config))
    assert (state.sort_column, state.sort_reverse) == ("repo", True)


async def test_escape_in_the_search_box_clears_the_search(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        everything = set(grid.records)
        await pilot.press("slash", *"jdoe/blog")
        await wait_until(pilot, lambda: set(grid.records) < everything, what="search")
        await pilot.press("escape")
        await wait_until(pilot, lambda: set(grid.records) == everything, what="cleared")
        assert app.focused is grid and queue(app).state.filter.text == ""
