"""The health screen in the app (Pilot): the figures of a seeded history, the warnings, the
keys, and the live refresh. The screen is pushed directly (its queue binding is wired in
tui/app.py separately)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from sqlalchemy import text
from textual.widgets import Sparkline, Static

from secagent_tui.store import analyses
from secagent_tui.store.db import create_engine
from secagent_tui.tui.screens.health import HealthScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.health_panels import (
    LlmPanel,
    OperationsPanel,
    OutcomesPanel,
    SlowReposTable,
    SyncPanel,
    WarningsPanel,
)

from .conftest import FIXED_NOW, TuiEnv
from .health_data import ACME_SECONDS, seed_health
from .helpers import loaded, notifications, wait_until

SIZE = (100, 40)


def _text(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def _panel_text(screen: HealthScreen, panel: type) -> str:
    return "\n".join(_text(s) for s in screen.query_one(panel).query(Static))


async def _opened(pilot: Any) -> HealthScreen:
    await loaded(pilot)
    screen = HealthScreen()
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.report is not None, what="the first health read")
    await pilot.pause()
    return screen


async def _seeded(tui_env: TuiEnv) -> None:
    tui_env.reconfigure(sections={"ui": {"sync_minutes": 15}})
    await seed_health(tui_env.url)


async def test_the_screen_shows_the_seeded_figures(tui_env: TuiEnv) -> None:
    await _seeded(tui_env)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)

        warnings = _text(screen.query_one(WarningsPanel))
        assert "jdoe: last good sync 59 min ago (expected every 15 min)" in warnings
        assert "triage: fallbacks 40% of the last 20 calls (was 5%)" in warnings
        assert "acme" not in warnings  # 20 minutes ago: within 2 × 15
        assert "3 warnings" not in _text(screen.query_one("#health-title", Static))
        assert "2 warnings" in _text(screen.query_one("#health-title", Static))

        sync = _panel_text(screen, SyncPanel)
        assert "acme" in sync and "ok" in sync and "20m ago" in sync and "3.3s" in sync
        assert "jdoe" in sync and "FAIL" in sync and "30m ago" in sync
        assert "13 runs, 1 failed" in sync
        sparklines = list(screen.query_one(SyncPanel).query(Sparkline))
        assert [list(s.data or []) for s in sparklines] == [ACME_SECONDS, [1.2, 1.4, 0.6]]

        llm = _panel_text(screen, LlmPanel)
        assert "triage" in llm and "extraction" in llm
        assert "40 calls · fallback 22%, last 20 40%" in llm and "tok 43.8k/5.6k" in llm
        assert "p50" in llm and "p95" in llm and "tok" in llm
        llm_lines = list(screen.query_one(LlmPanel).query(Sparkline))
        assert len(llm_lines) == 2 and all(len(s.data or []) > 1 for s in llm_lines)

        outcomes = _panel_text(screen, OutcomesPanel)
        assert "analyze" in outcomes and "dismiss" in outcomes and "review" in outcomes
        assert "fallback 1 · llm 2 · rule 1" in outcomes

        ops = _panel_text(screen, OperationsPanel)
        assert "queued 2" in ops
        assert "stale jobs reclaimed 0" in ops
        assert "auto-dismiss 0 made, 0 failed" in ops
        assert "rate core 4321/5000 left · resets in 25m" in ops

        repos = screen.query_one(SlowReposTable)
        rows = [repos.get_row_at(i) for i in range(repos.row_count)]
        assert [r[0] for r in rows] == ["acme/api", "acme/web", "jdoe/dots", "acme/legacy"]
        assert [r[2].plain for r in rows] == ["ok", "ok", "error", "alerts_disabled"]
        assert repos.row_count == 4  # the latest run of each owner: acme's 3, jdoe's 1


async def test_an_empty_history_says_so(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)
        assert _text(screen.query_one(WarningsPanel)) == "✓ no warnings"  # sync_minutes 0
        assert "no sync run yet" in _panel_text(screen, SyncPanel)
        assert "no LLM call yet" in _panel_text(screen, LlmPanel)
        assert "no triage yet" in _panel_text(screen, OutcomesPanel)
        assert "rate limit —" in _panel_text(screen, OperationsPanel)


async def test_keys_refresh_scroll_and_go_back(tui_env: TuiEnv) -> None:
    await _seeded(tui_env)
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot)
        first = screen.report
        assert first is not None and first.now == FIXED_NOW

        # A new call shows after `r`, without waiting for the loop.
        engine = create_engine(tui_env.url)
        try:
            await analyses.record_llm_call(
                engine,
                tier="sandbox",
                model="m",
                finding_id=None,
                started_at=FIXED_NOW,
                duration_ms=5000.0,
                prompt_tokens=1,
                completion_tokens=1,
                outcome="ok",
                error=None,
                correlation_id="c",
            )
        finally:
            await engine.dispose()
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: screen.report is not first and "sandbox" in _panel_text(screen, LlmPanel),
            what="the refresh",
        )

        body = screen.query_one("#health-body")
        await pilot.press("G")
        await wait_until(pilot, lambda: body.scroll_y > 0, what="scrolled to the end")
        await pilot.press("g")
        await wait_until(pilot, lambda: body.scroll_y == 0, what="back at the top")
        await pilot.press("j")
        await wait_until(pilot, lambda: body.scroll_y == 1, what="one line down")

        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HealthScreen), what="back")


async def test_the_loop_pauses_under_another_screen(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: screen._loop.paused, what="paused under the help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen._loop.paused, what="resumed")


async def test_a_failed_read_is_reported_once_and_the_screen_stays(tui_env: TuiEnv) -> None:
    """A read that fails (here: a table gone) reaches the host's one error handler."""
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(pilot)
        engine = create_engine(tui_env.url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("DROP TABLE llm_calls"))
        finally:
            await engine.dispose()
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: any(m.startswith("health-fetch:") for m in notifications(app)),
            what="the error notification",
        )
        assert app.screen is screen


async def test_h_opens_the_health_screen_from_the_queue_and_escape_returns(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, HealthScreen), what="health")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen), what="queue")
