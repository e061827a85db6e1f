"""TUI benchmark: a database of 50,000 findings.

In one run: time from app start to the first painted table; filter change to updated table
(p50/p95 over 50 changes); search keystroke to updated table (p95); peak RSS. Baseline in the
same run: a plain Textual `DataTable` given all 50,000 rows with `add_rows`. Headless (the
Textual test driver): "painted" means the table holds its rows and the screen has been
rendered after that (`wait_for_refresh`, the next frame).
The last line is one JSON object.

Run: python bench/tui_bench.py [--rows N] [--changes N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable

from secagent_tui.config import load_config
from secagent_tui.demo.stack import folder_sections, merged, write_config
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable

SIZE = (160, 48)
_LAST_TIMES: list[float] = []


async def _seed_async(url: str, rows: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await upsert_findings(engine, (synthetic_finding(i) for i in range(rows)))
    await engine.dispose()


def _seed(url: str, rows: int) -> None:
    """In a child process, so that the peak RSS measured here is the app's alone."""
    asyncio.run(_seed_async(url, rows))


async def _until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Poll from the bench's own task (the app runs in another), without Pilot's idle waits:
    `pilot.pause()` sleeps until the whole process looks idle, which would count the
    harness's settling time (and any background query) as the table's latency."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the table did not update in time")
        await asyncio.sleep(0.001)


async def _painted(table: Widget, condition: Callable[[], bool]) -> None:
    """Until `condition` holds and the table has been painted after it (the next frame)."""
    await _until(condition)
    await table.wait_for_refresh()


def _pct(values: list[float], pct: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000, 1)


class _Baseline(App[None]):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("severity", "repository", "package", "advisory", "scope", "state")
        table.add_rows(self._rows)


async def _baseline(rows: int) -> float:
    data = [
        (f.severity.value, f.ref, f.package, f.ghsa_id, "runtime", f.state.value)
        for f in (synthetic_finding(i) for i in range(rows))
    ]
    start = time.perf_counter()
    app = _Baseline(data)
    async with app.run_test(size=SIZE):
        await _until(lambda: bool(app.query(DataTable)))
        table = app.query_one(DataTable)
        await _painted(table, lambda: table.row_count == rows)
        return time.perf_counter() - start


async def _measure(config_path: Path, changes: int) -> dict[str, float]:
    config = load_config(config_path, {})
    start = time.perf_counter()
    app = SecagentApp(config, token=None, run_pipeline=False)
    async with app.run_test(size=SIZE) as pilot:
        await _until(
            lambda: isinstance(app.screen, QueueScreen) and bool(app.screen.query(FindingsTable))
        )
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        table = screen.query_one(FindingsTable)
        await _painted(table, lambda: table.row_count > 0)
        first_paint = time.perf_counter() - start

        filters = [
            FindingFilter(),
            FindingFilter(min_severity=Severity.HIGH),
            FindingFilter(states=list(AlertState)),
            FindingFilter(ecosystems=("npm",)),
        ]
        filter_times: list[float] = []
        for i in range(changes):
            before = screen._records
            started = time.perf_counter()
            screen.set_filter(filters[i % len(filters)].with_changes(text=""))
            await _painted(table, lambda b=before: screen._records is not b)
            filter_times.append(time.perf_counter() - started)

        search_times: list[float] = []
        await pilot.press("slash")
        for key in "repo-00":
            before = screen._records
            started = time.perf_counter()
            await pilot.press(key)
            await _painted(table, lambda b=before: screen._records is not b)
            search_times.append(time.perf_counter() - started)
        await pilot.press("escape")
    _LAST_TIMES[:] = filter_times
    return {
        "first_paint_s": round(first_paint, 3),
        "filter_p50_ms": _pct(filter_times, 50),
        "filter_p95_ms": _pct(filter_times, 95),
        "search_p95_ms": _pct(search_times, 95),
    }


async def main(rows: int, changes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pool.apply(_seed, (url, rows))
        config_path = folder / "config.toml"
        write_config(config_path, merged(folder_sections(folder, url), {"ui": {"sync_minutes": 0}}))
        figures = await _measure(config_path, changes)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        baseline = await _baseline(rows)
    print(f"rows: {rows:,}")
    print(
        f"first paint: {figures['first_paint_s']:.2f}s "
        f"(baseline DataTable.add_rows: {baseline:.2f}s)"
    )
    print(f"filter change: p50 {figures['filter_p50_ms']} ms, p95 {figures['filter_p95_ms']} ms")
    print(f"search keystroke: p95 {figures['search_p95_ms']} ms")
    print(f"peak RSS (app run, before the baseline): {rss_mb:.0f} MB")
    return {
        "bench": "tui",
        "rows": rows,
        "first_paint_s": figures["first_paint_s"],
        "baseline_first_paint_s": round(baseline, 3),
        "filter_p50_ms": figures["filter_p50_ms"],
        "filter_p95_ms": figures["filter_p95_ms"],
        "search_p95_ms": figures["search_p95_ms"],
        "rss_mb": round(rss_mb),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.rows, args.changes))))
