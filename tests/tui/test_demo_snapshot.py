"""What `secagent demo` shows first, pinned by SVG snapshots at 80x24 and 160x48: the app as
the demo command builds it (the demo session's config and token, `demo=True`, the background
runner, a sync on start) over the demo's local GitHub, once that first sync has filled the
queue. Stable: the session's dataset has its fixed seed and, here, a fixed clock
(`DemoSession(now=...)`), the app the same fixed clock, the sync reads one repository at a
time; the cursor is put on the first row and the sync's "Sync ok" toast is cleared, since
where the one ends and when the other expires depend on the machine.
Update with `--snapshot-update` and look at the pictures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from secagent_tui.demo.session import DemoSession
from secagent_tui.tui.app import SecagentApp

from .conftest import FIXED_NOW, fixed_clock
from .helpers import loaded, notifications, queue, wait_until


@pytest.fixture
def demo_session(tmp_path: Path) -> Iterator[DemoSession]:
    with DemoSession(tmp_path / "demo", now=FIXED_NOW) as session:
        yield session


def demo_app(session: DemoSession) -> SecagentApp:
    """The app as `secagent demo` starts it, with the tests' fixed clock and a sync that reads
    one repository at a time: the header's "rate N left" is the last response's, which with
    parallel reads depends on which thread answered last."""
    config = session.write_config({"sync": {"concurrency": 1}}, name="snapshot.toml")
    return SecagentApp(
        config, token=session.token, demo=True, sync_on_start=True, clock=fixed_clock
    )


async def first_sync_shown(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await loaded(pilot)
    await wait_until(
        pilot,
        lambda: any(n.startswith("Sync ok") for n in notifications(app)),
        timeout=30,
        what="the demo's first sync",
    )
    header = queue(app).query_one("#header")
    await wait_until(pilot, lambda: " ok (" in str(header.render()), what="the header's sync")
    # The cursor stays on its finding while the sync's rows arrive around it, so where it
    # ends depends on when the refreshes fell; home puts it on the first row every time.
    await pilot.press("home")
    app.clear_notifications()
    await pilot.pause()


def test_demo_first_screen_80x24(snap_compare: Any, demo_session: DemoSession) -> None:
    app = demo_app(demo_session)
    assert snap_compare(app, terminal_size=(80, 24), run_before=first_sync_shown)


def test_demo_first_screen_160x48(snap_compare: Any, demo_session: DemoSession) -> None:
    app = demo_app(demo_session)
    assert snap_compare(app, terminal_size=(160, 48), run_before=first_sync_shown)
