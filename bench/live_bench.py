"""How fast one analyst's change reaches another analyst's TUI on one PostgreSQL database.

Two apps (Textual's Pilot, one process, as two analysts' terminals would be two), on one
pgserver database seeded with the demo dataset. Each round Alice opens a finding (Bob's queue
should mark it `@`) and dismisses it from her queue (it should leave Bob's open queue);
measured from the keypress that commits to the moment Bob's table holds the change:

  * live: as shipped, LISTEN/NOTIFY with the screens' polling (2 s) as the fallback;
  * baseline, in the same run: the notifications turned off, so only that polling carries
    the change (what every TUI did before, and what SQLite still does).

Target: a change appears in the other TUI within a second (p95 < 1,000 ms).

    .venv/bin/python bench/live_bench.py [--rounds N]

Prints a table, then one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from secagent_tui.demo.github import DEFAULT_NOW  # noqa: E402
from secagent_tui.demo.seed import seed_demo_database  # noqa: E402
from secagent_tui.demo.stack import folder_sections, merged, owner_tables  # noqa: E402
from secagent_tui.demo.stack import write_config as write_stack_config  # noqa: E402
from secagent_tui.store import notify  # noqa: E402
from secagent_tui.tui.app import SecagentApp  # noqa: E402
from secagent_tui.tui.screens.confirm import ConfirmDialog  # noqa: E402
from secagent_tui.tui.screens.dismiss import DismissDialog  # noqa: E402
from secagent_tui.tui.screens.finding import FindingScreen  # noqa: E402
from secagent_tui.tui.screens.queue import QueueScreen  # noqa: E402
from secagent_tui.tui.widgets.findings_table import FindingsTable  # noqa: E402

SIZE = (100, 30)
BOUND = 30.0


def _now() -> Any:
    return DEFAULT_NOW


async def _until(
    pilot: Any, condition: Callable[[], bool], what: str, started: float | None = None
) -> float:
    """Seconds from `started` (now by default) until `condition` holds, pumping `pilot`'s
    app in small steps. Both apps share the event loop, so the other app runs meanwhile."""
    started = time.perf_counter() if started is None else started
    while not condition():
        if time.perf_counter() - started > BOUND:
            raise SystemExit(f"live_bench: timed out waiting for {what}")
        await pilot.pause(0.005)
    return time.perf_counter() - started


def _grid(app: SecagentApp) -> FindingsTable:
    return app.screen_stack[0].query_one(FindingsTable)


async def _rounds(config: Any, rounds: int) -> dict[str, list[float]]:
    alice = SecagentApp(config, token=None, run_pipeline=False, clock=_now, actor="tui:alice")
    bob = SecagentApp(config, token=None, run_pipeline=False, clock=_now, actor="tui:bob")
    times: dict[str, list[float]] = {"presence": [], "dismissal": []}
    async with alice.run_test(size=SIZE) as pa, bob.run_test(size=SIZE) as pb:
        a_grid, b_grid = _grid(alice), _grid(bob)
        await _until(pa, lambda: a_grid.loaded, "alice's queue")
        await _until(pb, lambda: b_grid.loaded, "bob's queue")
        for _ in range(rounds):
            record = a_grid.current_record()
            assert record is not None
            fid = record.id
            await _until(pb, lambda fid=fid: fid in b_grid.records, "the row in bob's queue")
            started = time.perf_counter()  # the keypress: Alice's commit is part of the time
            await pa.press("enter")
            seen = await _until(pb, lambda fid=fid: fid in b_grid.viewers, "presence", started)
            times["presence"].append(seen)
            await _until(pa, lambda: isinstance(alice.screen, FindingScreen), "alice's view")
            await pa.press("escape")
            await _until(pa, lambda: isinstance(alice.screen, QueueScreen), "alice's queue")
            await _until(pb, lambda fid=fid: fid not in b_grid.viewers, "presence cleared")
            await pa.press("d")
            await _until(pa, lambda: isinstance(alice.screen, DismissDialog), "the dialog")
            await pa.press("ctrl+s")
            await _until(pa, lambda: isinstance(alice.screen, ConfirmDialog), "the summary")
            started = time.perf_counter()
            await pa.press("y")
            gone = await _until(
                pb, lambda fid=fid: fid not in b_grid.records, "the dismissal", started
            )
            times["dismissal"].append(gone)
            await _until(pa, lambda fid=fid: fid not in a_grid.records, "alice's own queue")
    return times


def _pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0] * 1000
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1] * 1000


async def _main(rounds: int) -> dict[str, Any]:
    import pgserver  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="secagent-live-bench-") as folder:
        server = pgserver.get_server(folder, cleanup_mode="stop")
        try:
            socket_dir = server.get_uri().split("host=", 1)[1]
            figures: dict[str, Any] = {"rounds": rounds}
            for mode in ("live", "baseline"):
                name = f"bench_{mode}"
                server.psql(f"CREATE DATABASE {name};")
                url = f"postgresql+asyncpg://postgres@/{name}?host={socket_dir}"
                await seed_demo_database(url, DEFAULT_NOW)
                work = Path(folder) / mode
                config = write_stack_config(
                    work / "config.toml",
                    merged(
                        folder_sections(work, url),
                        {
                            "owners": owner_tables(orgs=["acme"], users=["jdoe"]),
                            "ui": {"sync_minutes": 0},
                            "observability": {"log_file": work / "secagent.log"},
                        },
                    ),
                )
                listens = notify.supported
                if mode == "baseline":
                    notify.supported = lambda engine: False  # type: ignore[assignment]
                try:
                    times = await _rounds(config, rounds)
                finally:
                    notify.supported = listens  # type: ignore[assignment]
                for kind, values in times.items():
                    figures[f"{mode}_{kind}_ms"] = {
                        "p50": round(_pct(values, 50)),
                        "p95": round(_pct(values, 95)),
                    }
        finally:
            server.cleanup()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    figures = asyncio.run(_main(args.rounds))
    print(f"{'what':<12}{'live p50':>10}{'live p95':>10}{'poll p50':>10}{'poll p95':>10}")
    for kind in ("presence", "dismissal"):
        live, base = figures[f"live_{kind}_ms"], figures[f"baseline_{kind}_ms"]
        print(f"{kind:<12}{live['p50']:>10}{live['p95']:>10}{base['p50']:>10}{base['p95']:>10}")
    for kind in ("presence", "dismissal"):
        live, base = figures[f"live_{kind}_ms"], figures[f"baseline_{kind}_ms"]
        figures[f"{kind}_p50_ratio"] = round(base["p50"] / max(live["p50"], 1), 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
