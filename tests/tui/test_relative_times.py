"""`ui.relative_times`: moments shown as "12m ago", or as UTC dates when it is false."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from secagent_tui.tui.format import since

from .conftest import TuiEnv
from .health_data import seed_health
from .helpers import loaded, queue

DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def test_since_is_relative_or_a_utc_date() -> None:
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert since(now - timedelta(minutes=12), now, relative=True) == "12m ago"
    assert since(now - timedelta(minutes=12), now, relative=False) == "2026-12-03 11:48 UTC"


async def _header_text(env: TuiEnv) -> str:
    await seed_health(env.url)  # sync runs at fixed times
    app = env.app()
    async with app.run_test(size=(160, 30)) as pilot:
        await loaded(pilot)
        return str(queue(app).query_one("#header").render())


async def test_the_header_s_last_sync_is_relative_by_default(tui_env: TuiEnv) -> None:
    text = await _header_text(tui_env)
    assert re.search(r"\d+[smhd] ago", text) and not DATE.search(text)


async def test_the_header_s_last_sync_is_a_date_when_relative_times_is_off(
    tui_env: TuiEnv,
) -> None:
    tui_env.reconfigure(sections={"ui": {"relative_times": False}})
    text = await _header_text(tui_env)
    assert DATE.search(text) and not re.search(r"\d+[smhd] ago", text)
