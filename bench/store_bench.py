"""Store benchmark: bulk upsert of 50,000 synthetic findings into SQLite.

Measures, in one run and on one machine:
  * baseline — how the reviewed system wrote: one upsert statement per row, a commit each
    (measured on a sample, since its rate does not depend on the table size here);
  * first pass — `upsert_findings` into an empty, migrated database;
  * re-pass — the same findings again with 1% changed (exact counts printed).
Both passes run `--runs` times, each into a fresh database, and the medians are reported: a
shared machine's stolen CPU time moves single runs by a fifth.
The last line is one JSON object for tools to read.

Run: python bench/store_bench.py [--rows N] [--baseline-rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from baseline import upsert_row_by_row

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import Finding, Severity
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import UpsertCounts, upsert_findings
from secagent_tui.store.migrate import upgrade


def _changed(f: Finding) -> Finding:
    """A remote change: severity raised and updated_at moved, as GitHub would send it."""
    severity = Severity.CRITICAL if f.severity is not Severity.CRITICAL else Severity.HIGH
    updated = f.updated_at + timedelta(hours=1)
    raw = {**f.raw, "updated_at": updated.isoformat()}
    raw["security_advisory"] = {**raw["security_advisory"], "severity": severity.value}
    return dataclasses.replace(f, severity=severity, updated_at=updated, raw=raw)


async def _baseline(url: str, batch: list[Finding]) -> float:
    engine = create_engine(url)
    await upgrade(engine)
    start = time.perf_counter()
    await upsert_row_by_row(engine, batch)
    seconds = time.perf_counter() - start
    await engine.dispose()
    return len(batch) / seconds


@dataclasses.dataclass(frozen=True)
class Passes:
    first: UpsertCounts
    first_s: float
    repass: UpsertCounts
    repass_s: float


async def _two_passes(url: str, batch: list[Finding], second: list[Finding]) -> Passes:
    engine = create_engine(url)
    await upgrade(engine)
    start = time.perf_counter()
    first = await upsert_findings(engine, batch)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    repass = await upsert_findings(engine, second)
    repass_s = time.perf_counter() - start
    await engine.dispose()
    return Passes(first, first_s, repass, repass_s)


async def main(rows: int, baseline_rows: int, runs: int) -> dict[str, object]:
    batch = [synthetic_finding(i) for i in range(rows)]
    changed_every = 100
    second = [_changed(f) if i % changed_every == 0 else f for i, f in enumerate(batch)]
    with tempfile.TemporaryDirectory() as folder:
        baseline = await _baseline(
            f"sqlite+aiosqlite:///{Path(folder) / 'base.db'}", batch[:baseline_rows]
        )
        passes = [
            await _two_passes(f"sqlite+aiosqlite:///{Path(folder) / f'bench{n}.db'}", batch, second)
            for n in range(runs)
        ]
    first_s = statistics.median(p.first_s for p in passes)
    repass_s = statistics.median(p.repass_s for p in passes)
    first, repass = passes[0].first, passes[0].repass
    if any((p.first, p.repass) != (first, repass) for p in passes):
        raise SystemExit(f"runs disagree on the counts: {passes}")
    first_rate = rows / first_s
    repass_rate = rows / repass_s
    print(
        f"{runs} runs, each into a fresh database; medians below. First passes: "
        + ", ".join(f"{p.first_s:.2f}s" for p in passes)
        + "; re-passes: "
        + ", ".join(f"{p.repass_s:.2f}s" for p in passes)
    )
    print(
        f"baseline (row per statement, commit each, {baseline_rows} rows): {baseline:,.0f} rows/s"
    )
    print(
        f"first pass:  {rows:,} rows in {first_s:.2f}s = {first_rate:,.0f} rows/s "
        f"(created {first.created}, updated {first.updated}, unchanged {first.unchanged})"
    )
    print(
        f"re-pass 1%:  {rows:,} rows in {repass_s:.2f}s = {repass_rate:,.0f} rows/s "
        f"(created {repass.created}, updated {repass.updated}, unchanged {repass.unchanged})"
    )
    print(f"speedup first pass vs baseline: {first_rate / baseline:.1f}x")
    return {
        "bench": "store",
        "rows": rows,
        "first_pass_rows_per_s": round(first_rate),
        "repass_rows_per_s": round(repass_rate),
        "baseline_rows_per_s": round(baseline),
        "speedup": round(first_rate / baseline, 1),
        "first_pass_counts": dataclasses.asdict(first),
        "repass_counts": dataclasses.asdict(repass),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = asyncio.run(main(args.rows, args.baseline_rows, args.runs))
    print(json.dumps(result))
