"""TUI benchmark: a database of 50,000 findings, and a transcript of 100,000 lines.

In one run: time from app start to the first painted table; filter change to updated table
(p50/p95 over 50 changes); search keystroke to updated table (p95); `G` from the top of all
50,000 findings to the last row painted (`scroll_to_end_ms`, p50/p95 over 20 jumps, each
reading the bottom window from the database); a `TranscriptView` given 100,000 lines: the
append, then a page down and a jump to the end, each painted (`transcript_scroll_ms`, p50/p95
per page over 50 pages, and the end); `C` from the queue over every finding of a second
database of 50,000, whose advisories come from a shared pool of 1,500 (about 1,500
campaigns, the commonest in most repositories), to the campaign table painted with its rows
(`campaigns_ms`, p50/p95 over 10 opens); peak RSS. Baselines in the same run: a plain Textual
`DataTable` given all 50,000 rows with `add_rows` (its first paint and its `ctrl+end` to the
last row), a Textual `Log` given the same 100,000 lines (its pages and its end), and the
campaigns grouped in Python from a plain SELECT of the same findings and given to a
`DataTable` (`baseline_campaigns_ms`, the same opens). Headless
(the Textual test driver): "painted" means the widget holds what it should and the screen
has been rendered after that (`wait_for_refresh`, the next frame).
The last line is one JSON object.

Run: python bench/tui_bench.py [--rows N] [--changes N] [--lines N] [--advisories N]
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Log

from secagent_tui.config import load_config
from secagent_tui.demo.stack import folder_sections, merged, write_config
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.store.analyses import TranscriptEntry
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import findings
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.transcript import TranscriptView

SIZE = (160, 48)
ENDS = 20
PAGES = 50
OPENS = 10
_LAST_TIMES: list[float] = []


async def _seed_async(url: str, rows: int, advisories: int | None) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    population = (synthetic_finding(i, advisories=advisories) for i in range(rows))
    await upsert_findings(engine, population)
    await engine.dispose()


def _seed(url: str, rows: int, advisories: int | None = None) -> None:
    """In a child process, so that the peak RSS measured here is the app's alone."""
    asyncio.run(_seed_async(url, rows, advisories))


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


async def _baseline(rows: int) -> tuple[float, list[float]]:
    """The DataTable's first paint, and its `ctrl+end` (cursor to the last row) times."""
    data = [
        (f.severity.value, f.ref, f.package, f.ghsa_id, "runtime", f.state.value)
        for f in (synthetic_finding(i) for i in range(rows))
    ]
    start = time.perf_counter()
    app = _Baseline(data)
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: bool(app.query(DataTable)))
        table = app.query_one(DataTable)
        await _painted(table, lambda: table.row_count == rows)
        first_paint = time.perf_counter() - start
        ends: list[float] = []
        for _ in range(ENDS):
            await pilot.press("ctrl+home")
            await _painted(table, lambda: table.cursor_row == 0 and table.scroll_y == 0)
            started = time.perf_counter()
            await pilot.press("ctrl+end")
            await _painted(table, lambda: table.cursor_row == rows - 1)
            ends.append(time.perf_counter() - started)
        return first_paint, ends


async def _scroll_to_end(
    pilot: Pilot[Any], screen: QueueScreen, table: FindingsTable
) -> list[float]:
    """`G` from the top of every finding (all states) to the last row painted."""
    before = screen.loads
    screen.set_filter(FindingFilter(states=list(AlertState)))
    await _painted(table, lambda: screen.loads > before and table.current_record() is not None)
    times: list[float] = []
    for _ in range(ENDS):
        await pilot.press("g")
        await _painted(table, lambda: table.window.start == 0 and table.cursor_row == 0)
        started = time.perf_counter()
        await pilot.press("G")
        await _painted(
            table,
            lambda: table.cursor_row == table.row_count - 1 and table.current_record() is not None,
        )
        times.append(time.perf_counter() - started)
    return times


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
            before = screen.loads
            started = time.perf_counter()
            screen.set_filter(filters[i % len(filters)].with_changes(text=""))
            await _painted(table, lambda b=before: screen.loads > b)
            filter_times.append(time.perf_counter() - started)

        search_times: list[float] = []
        await pilot.press("slash")
        for key in "repo-00":
            before = screen.loads
            started = time.perf_counter()
            await pilot.press(key)
            await _painted(table, lambda b=before: screen.loads > b)
            search_times.append(time.perf_counter() - started)
        await pilot.press("escape")
        table.focus()
        end_times = await _scroll_to_end(pilot, screen, table)
    _LAST_TIMES[:] = filter_times
    return {
        "first_paint_s": round(first_paint, 3),
        "filter_p50_ms": _pct(filter_times, 50),
        "filter_p95_ms": _pct(filter_times, 95),
        "search_p95_ms": _pct(search_times, 95),
        "scroll_to_end_p50_ms": _pct(end_times, 50),
        "scroll_to_end_p95_ms": _pct(end_times, 95),
    }


async def _open_campaigns(pilot: Pilot[Any], queue: QueueScreen) -> CampaignsScreen:
    """`C` in the queue, until the campaign table holds every campaign and is painted."""
    app = pilot.app
    await pilot.press("C")
    await _until(lambda: isinstance(app.screen, CampaignsScreen))
    screen = app.screen
    assert isinstance(screen, CampaignsScreen)
    table = screen.table
    await _painted(
        table,
        lambda: screen.loads > 0 and table.row_count == len(screen.campaigns or []) > 0,
    )
    return screen


async def _campaigns(config_path: Path) -> tuple[list[float], int]:
    """`C` from the queue over every finding to the campaign table painted, `OPENS` times
    (each open reads the grouped scan anew); the times and the campaigns listed."""
    config = load_config(config_path, {})
    app = SecagentApp(config, token=None, run_pipeline=False)
    async with app.run_test(size=SIZE) as pilot:
        await _until(
            lambda: isinstance(app.screen, QueueScreen) and bool(app.screen.query(FindingsTable))
        )
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        grid = queue.query_one(FindingsTable)
        before = queue.loads
        queue.set_filter(FindingFilter(states=list(AlertState)))
        await _painted(grid, lambda: queue.loads > before and grid.current_record() is not None)
        times: list[float] = []
        listed = 0
        for _ in range(OPENS):
            started = time.perf_counter()
            screen = await _open_campaigns(pilot, queue)
            times.append(time.perf_counter() - started)
            listed = len(screen.campaigns or [])
            await pilot.press("escape")
            await _painted(grid, lambda: app.screen is queue)
    return times, listed


class _GroupedBaseline(App[None]):
    """A plain DataTable of the campaigns, grouped in Python from a plain SELECT."""

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "advisory", "package", "severity", "repos", "open", "findings"
        )


_RANK = {s.value: i for i, s in enumerate(reversed(Severity))}
"""Riskiest first: critical 0 … low 3."""


def _group(rows: list[Any]) -> list[tuple[str, ...]]:
    """The campaign rows the naive way: every finding into Python, one dict per campaign."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ghsa, ecosystem, package, repo, state, severity in rows:
        group = groups.setdefault(
            (ghsa, ecosystem, package),
            {"repos": set(), "open": 0, "findings": 0, "severity": severity},
        )
        group["repos"].add(repo)
        group["open"] += state == AlertState.OPEN.value
        group["findings"] += 1
        if _RANK[severity] < _RANK[group["severity"]]:
            group["severity"] = severity
    ordered = sorted(groups.items(), key=lambda kv: (_RANK[kv[1]["severity"]], -kv[1]["open"]))
    return [
        (k[0], k[2], g["severity"], str(len(g["repos"])), str(g["open"]), str(g["findings"]))
        for k, g in ordered
    ]


async def _campaigns_baseline(url: str) -> list[float]:
    """The same opens the naive way: SELECT every finding, group in Python, `add_rows`."""
    engine = create_engine(url)
    query = select(
        findings.c.ghsa_id,
        findings.c.ecosystem,
        findings.c.package,
        findings.c.repo,
        findings.c.state,
        findings.c.severity,
    )
    app = _GroupedBaseline()
    times: list[float] = []
    try:
        async with app.run_test(size=SIZE):
            table = app.query_one(DataTable)
            await _painted(table, lambda: len(table.columns) > 0)
            for _ in range(OPENS):
                table.clear()
                await table.wait_for_refresh()
                started = time.perf_counter()
                async with engine.connect() as conn:
                    rows = (await conn.execute(query)).all()
                grouped = _group(list(rows))
                table.add_rows(grouped)
                count = len(grouped)
                await _painted(table, lambda n=count: table.row_count == n)
                times.append(time.perf_counter() - started)
    finally:
        await engine.dispose()
    return times


class _Scroller(App[None]):
    """One scrolling widget filling the screen: ours or the baseline."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self._widget = widget
        # Pages scroll without their animation, which would count its ~1 s of easing as
        # the widget's latency (Pilot waits for scheduled animations after each key).
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield self._widget


def _transcript(lines: int) -> list[TranscriptEntry]:
    """Entries of one header and three text lines each: `lines` screen lines in all."""
    at = datetime.now(UTC)
    roles = ("assistant", "tool", "user")
    return [
        TranscriptEntry(
            i,
            roles[i % 3],
            f"step {i}: read src/module_{i % 97}.py\n"
            f"  def handler_{i}(request): return render(request, 'page_{i}.html')\n"
            f"  no call of the vulnerable function in this file ({i} of {lines // 4})",
            at,
        )
        for i in range(lines // 4)
    ]


async def _scrolling(
    widget: Widget, fill: Callable[[], None], count: Callable[[], int], lines: int
) -> dict[str, Any]:
    """Fill `widget` with `lines` lines, then page down from the top and jump to the end,
    each painted: the append, p50/p95 per page, and the end."""
    app = _Scroller(widget)
    async with app.run_test(size=SIZE) as pilot:
        widget.focus()
        await _painted(widget, lambda: widget.size.height > 0)
        started = time.perf_counter()
        fill()
        await _painted(widget, lambda: count() >= lines)
        append = time.perf_counter() - started
        await pilot.press("home")
        await _painted(widget, lambda: widget.scroll_y == 0)
        pages: list[float] = []
        for _ in range(PAGES):
            before = widget.scroll_y
            started = time.perf_counter()
            await pilot.press("pagedown")
            await _painted(widget, lambda b=before: widget.scroll_y > b)
            pages.append(time.perf_counter() - started)
        started = time.perf_counter()
        await pilot.press("end")
        await _painted(widget, lambda: widget.scroll_y >= widget.max_scroll_y > 0)
        end = time.perf_counter() - started
    return {
        "append_ms": round(append * 1000, 1),
        "page_p50_ms": _pct(pages, 50),
        "page_p95_ms": _pct(pages, 95),
        "end_ms": round(end * 1000, 1),
    }


async def _transcript_figures(lines: int) -> tuple[dict[str, Any], dict[str, Any]]:
    entries = _transcript(lines)
    ours = TranscriptView()
    figures = await _scrolling(ours, lambda: ours.append(entries), lambda: ours.line_count, lines)
    text = [line for e in entries for line in (f"── {e.role} #{e.seq} ", *e.content.split("\n"))]
    log = Log()
    baseline = await _scrolling(log, lambda: log.write_lines(text), lambda: log.line_count, lines)
    return figures, baseline


def _config(folder: Path, url: str) -> Path:
    path = folder / "config.toml"
    write_config(path, merged(folder_sections(folder, url), {"ui": {"sync_minutes": 0}}))
    return path


async def main(rows: int, changes: int, lines: int, advisories: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        grouped_folder = folder / "campaigns"
        grouped_folder.mkdir()
        grouped_url = f"sqlite+aiosqlite:///{grouped_folder / 'bench.db'}"
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            seeded = [
                pool.apply_async(_seed, (url, rows)),
                pool.apply_async(_seed, (grouped_url, rows, advisories)),
            ]
            for result in seeded:
                result.get()
        figures = await _measure(_config(folder, url), changes)
        campaign_times, campaigns = await _campaigns(_config(grouped_folder, grouped_url))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        baseline, baseline_ends = await _baseline(rows)
        campaign_baseline = await _campaigns_baseline(grouped_url)
    transcript, transcript_baseline = await _transcript_figures(lines)
    print(f"rows: {rows:,}")
    print(
        f"first paint: {figures['first_paint_s']:.2f}s "
        f"(baseline DataTable.add_rows: {baseline:.2f}s)"
    )
    print(f"filter change: p50 {figures['filter_p50_ms']} ms, p95 {figures['filter_p95_ms']} ms")
    print(f"search keystroke: p95 {figures['search_p95_ms']} ms")
    print(
        f"G to the last of {rows:,}, painted: p50 {figures['scroll_to_end_p50_ms']} ms, "
        f"p95 {figures['scroll_to_end_p95_ms']} ms (baseline DataTable ctrl+end: "
        f"p50 {_pct(baseline_ends, 50)} ms, p95 {_pct(baseline_ends, 95)} ms)"
    )
    for name, got in (("TranscriptView", transcript), ("baseline Log", transcript_baseline)):
        print(
            f"{name}, {lines:,} lines: append {got['append_ms']} ms, page p50 "
            f"{got['page_p50_ms']} ms / p95 {got['page_p95_ms']} ms, end {got['end_ms']} ms"
        )
    print(
        f"C to {campaigns:,} campaigns of {rows:,} findings, painted: "
        f"p50 {_pct(campaign_times, 50)} ms, p95 {_pct(campaign_times, 95)} ms "
        f"(baseline SELECT + group in Python + DataTable: p50 {_pct(campaign_baseline, 50)} ms, "
        f"p95 {_pct(campaign_baseline, 95)} ms)"
    )
    print(f"peak RSS (app runs, before the baselines): {rss_mb:.0f} MB")
    return {
        "bench": "tui",
        "rows": rows,
        "first_paint_s": figures["first_paint_s"],
        "baseline_first_paint_s": round(baseline, 3),
        "filter_p50_ms": figures["filter_p50_ms"],
        "filter_p95_ms": figures["filter_p95_ms"],
        "search_p95_ms": figures["search_p95_ms"],
        "scroll_to_end_ms": {
            "p50": figures["scroll_to_end_p50_ms"],
            "p95": figures["scroll_to_end_p95_ms"],
        },
        "baseline_scroll_to_end_ms": {
            "p50": _pct(baseline_ends, 50),
            "p95": _pct(baseline_ends, 95),
        },
        "transcript_lines": lines,
        "transcript_scroll_ms": {
            "p50": transcript["page_p50_ms"],
            "p95": transcript["page_p95_ms"],
            "end": transcript["end_ms"],
            "append": transcript["append_ms"],
        },
        "baseline_transcript_scroll_ms": {
            "p50": transcript_baseline["page_p50_ms"],
            "p95": transcript_baseline["page_p95_ms"],
            "end": transcript_baseline["end_ms"],
            "append": transcript_baseline["append_ms"],
        },
        "campaigns": campaigns,
        "campaigns_ms": {"p50": _pct(campaign_times, 50), "p95": _pct(campaign_times, 95)},
        "baseline_campaigns_ms": {
            "p50": _pct(campaign_baseline, 50),
            "p95": _pct(campaign_baseline, 95),
        },
        "rss_mb": round(rss_mb),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--advisories", type=int, default=1_500)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.rows, args.changes, args.lines, args.advisories))))
