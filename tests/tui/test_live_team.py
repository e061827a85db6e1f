"""Two analysts on one PostgreSQL (pgserver), each with a TUI (issue 16, item 5): a
dismissal made in one shows in the other, and the other sees who has a finding open, the
mark going when the view closes.

The screens' polling is turned off here (an hour), so a change can only arrive through the
database's notifications; the bounds below only stop a hung test. How fast it arrives is
measured by bench/live_bench.py, not asserted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from conftest import postgres_url

from secagent_tui.demo.stack import folder_sections, merged, owner_tables
from secagent_tui.demo.stack import write_config as write_stack_config
from secagent_tui.domain.finding import AlertState
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens import finding as finding_screen
from secagent_tui.tui.screens import queue as queue_screen
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.finding_summary import FindingSummary
from secagent_tui.tui.widgets.findings_table import VIEWED_MARK, FindingsTable

from .conftest import fixed_clock, seed
from .helpers import loaded, wait_until

SIZE = (100, 30)
BOUND = 10.0


@pytest.fixture
async def team_config(tmp_path: Path, pg_server: Any) -> Any:
    name = f"team{time.monotonic_ns()}"
    pg_server.psql(f"CREATE DATABASE {name};")
    url = postgres_url(pg_server, name)
    await seed(url)
    sections = merged(
        folder_sections(tmp_path, url),
        {
            "owners": owner_tables(orgs=["acme"], users=["jdoe"]),
            "ui": {"sync_minutes": 0},
            "observability": {"log_file": tmp_path / "state" / "secagent.log"},
        },
    )
    return write_stack_config(tmp_path / "config.toml", sections)


def _analyst(config: Any, login: str) -> SecagentApp:
    return SecagentApp(
        config, token=None, run_pipeline=False, clock=fixed_clock, actor=f"tui:{login}"
    )


def _row_text(app: SecagentApp, finding_id: int) -> str:
    """The row as drawn (the table's first line is its header)."""
    grid = app.screen_stack[0].query_one(FindingsTable)
    position = grid.ordered_ids().index(finding_id)
    return grid.render_line(1 + position - int(grid.scroll_y)).text


async def test_a_dismissal_and_a_presence_mark_reach_the_other_analyst(
    team_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_screen, "REFRESH_SECONDS", 3600.0)
    monkeypatch.setattr(finding_screen, "IDLE_POLL_SECONDS", 3600.0)
    alice, bob = _analyst(team_config, "alice"), _analyst(team_config, "bob")
    async with alice.run_test(size=SIZE) as pa, bob.run_test(size=SIZE) as pb:
        alice_grid, bob_grid = await loaded(pa), await loaded(pb)
        target = alice_grid.current_record()
        assert target is not None and target.state is AlertState.OPEN
        assert target.id in bob_grid.records and not bob_grid.viewers

        # Alice opens it: Bob's queue marks the row, with her login.
        await pa.press("enter")
        await wait_until(pa, lambda: isinstance(alice.screen, FindingScreen), what="view")
        await wait_until(
            pb, lambda: bob_grid.viewers.get(target.id) == ("alice",), BOUND, "presence"
        )
        assert VIEWED_MARK in _row_text(bob, target.id)[:3]
        assert not alice_grid.viewers  # nobody else: her own view is not shown to her

        # Bob opens it too: each view names the other; when Bob leaves, Alice's line goes.
        await pb.press("enter")
        await wait_until(pb, lambda: isinstance(bob.screen, FindingScreen), what="bob's view")
        bob_summary = bob.screen.query_one(FindingSummary)
        await wait_until(
            pb, lambda: "alice has this finding open" in str(bob_summary.render()), BOUND
        )
        alice_summary = alice.screen.query_one(FindingSummary)
        await wait_until(
            pa, lambda: "bob has this finding open" in str(alice_summary.render()), BOUND
        )
        await pb.press("escape")
        await wait_until(pb, lambda: isinstance(bob.screen, QueueScreen), what="bob back")
        await wait_until(
            pa, lambda: "has this finding open" not in str(alice_summary.render()), BOUND
        )

        # Alice closes her view: the mark goes from Bob's queue.
        await pa.press("escape")
        await wait_until(pa, lambda: isinstance(alice.screen, QueueScreen), what="alice back")
        await wait_until(pb, lambda: target.id not in bob_grid.viewers, BOUND, "mark cleared")
        assert VIEWED_MARK not in _row_text(bob, target.id)[:3]

        # Alice dismisses it from her queue: it leaves Bob's open queue.
        assert alice_grid.current_record() == target
        await pa.press("d")
        await wait_until(pa, lambda: isinstance(alice.screen, DismissDialog), what="dialog")
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: isinstance(alice.screen, ConfirmDialog), what="summary")
        await pa.press("y")
        await wait_until(pb, lambda: target.id not in bob_grid.records, BOUND, "dismissal")
        assert bob_grid.total == alice_grid.total
