"""CLI start benchmark: wall time of whole `secagent` processes, this tree against a baseline.

A temporary SQLite database of 10,000 open synthetic findings (no analyses, like the other
benches' data), and a second with the same findings each triaged by the LLM and every other
one with a verdict; each command runs as a fresh `python -m secagent_tui` process (the same
venv, an isolated HOME, a config naming the database) and is timed from start to exit.
Measured, median of `--runs` runs each:
  * `secagent --help`;
  * `secagent findings --format json` (all 10,000; stdout to /dev/null), on each database;
  * `secagent stats --json`.
Baseline in the same run: the commit this work started from (`--baseline`, default
BASELINE_COMMIT), exported with `git archive` into a temporary folder and run with
PYTHONPATH pointing there, against its own database seeded by its own code. Runs alternate
between the two trees so that a busy moment of a shared machine hits both alike. The two
trees' findings JSON is compared byte for byte. Without git (or the commit), it says so and
prints this tree's figures only. The last line is one JSON object.

Run: python bench/cli_bench.py [--findings N] [--runs N] [--baseline REV]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

BASELINE_COMMIT = "d767ebab2135b2197cc581d89a46aed1b02fc93b"
"""The tree before the lazy command table (issue 13 item 7): every command imported at start."""

TARGETS = {"help": 0.3, "findings_json": 1.0}
"""Seconds, per process (issue 13 item 7)."""

COMMANDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    # name: (database, arguments)
    "help": (None, ("--help",)),
    "findings_json": ("plain", ("findings", "--format", "json")),
    "findings_json_analysed": ("analysed", ("findings", "--format", "json")),
    "stats_json": ("plain", ("stats", "--json")),
}
DATABASES = ("plain", "analysed")

# Run by each tree's own code (PYTHONPATH), so that its database has that tree's schema.
SEED = """
import asyncio, dataclasses, sys
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import AlertState
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade

def open_finding(i):
    f = synthetic_finding(i)
    return dataclasses.replace(f, state=AlertState.OPEN, raw={**f.raw, "state": "open"})

TRIAGE = {
    "suggested_action": "analyze_codebase",
    "confidence": "medium",
    "needs_sandbox": True,
    "reasoning": "A runtime dependency; the advisory's parser may be reached. " * 3,
    "dismiss_reason": None,
    "source": "llm",
}
VERDICT = {
    "is_exploitable": False,
    "confidence": "high",
    "exploitability_reasoning": "No file imports the package. " * 5,
    "usage_locations": ["src/app.py:12"],
    "suggested_fix": "upgrade",
    "suggested_action": "dismiss",
    "summary": "not used",
}

async def seed(url, count, analysed):
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await upsert_findings(engine, [open_finding(i) for i in range(count)])
        if analysed:
            from secagent_tui.store.schema import findings
            async with engine.begin() as conn:
                await conn.execute(
                    findings.update().values(triage=TRIAGE, analysis_status="completed")
                )
                await conn.execute(
                    findings.update().where(findings.c.id % 2 == 0).values(verdict=VERDICT)
                )
    finally:
        await engine.dispose()

asyncio.run(seed(sys.argv[1], int(sys.argv[2]), sys.argv[3] == "analysed"))
"""

WHERE = "import secagent_tui, sys; sys.stdout.write(secagent_tui.__file__)"

CLEARED = ("GITHUB_TOKEN", "SECAGENT_CONFIG", "SECAGENT_DATABASE_URL", "OLLAMA_HOST")


@dataclass(frozen=True)
class Tree:
    """One copy of the package and the sandbox its processes run in."""

    name: str
    root: Path
    home: Path

    def config(self, database: str) -> Path:
        return self.home / f"{database}.toml"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_STATE_HOME=str(self.home / "state"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            PYTHONPATH=str(self.root),
        )
        return env

    def python(self, *args: str, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, *args],
            env=self.env(),
            cwd=self.home,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            timeout=600,
            check=False,
        )

    def secagent(
        self, database: str | None, args: tuple[str, ...], stdout: int | None = None
    ) -> float:
        """One process of `secagent ARGS` on `database`, timed from start to exit."""
        full = args if database is None else ("--config", str(self.config(database)), *args)
        start = time.perf_counter()
        proc = self.python("-m", "secagent_tui", *full, stdout=stdout)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{self.name}: secagent {' '.join(args)} failed:\n{proc.stderr!r}")
        return seconds

    def prepare(self, findings: int) -> None:
        self.home.mkdir(parents=True)
        where = self.python("-c", WHERE)
        if not Path(where.stdout.decode()).resolve().is_relative_to(self.root.resolve()):
            raise SystemExit(f"{self.name}: PYTHONPATH does not win: {where.stdout!r}")
        for database in DATABASES:
            db = self.home / f"{database}.db"
            self.config(database).write_text(
                f'[database]\nurl = "sqlite+aiosqlite:///{db}"\n'
                f'[observability]\nlog_file = "{self.home / "secagent.log"}"\n',
                encoding="utf-8",
            )
            url = f"sqlite+aiosqlite:///{db}"
            proc = self.python("-c", SEED, url, str(findings), database)
            if proc.returncode != 0:
                raise SystemExit(f"{self.name}: seeding failed:\n{proc.stderr.decode()}")
        for database, args in COMMANDS.values():  # warm-up: writes the tree's .pyc files
            self.secagent(database, args, stdout=subprocess.DEVNULL)

    def findings_json(self, database: str) -> bytes:
        config = str(self.config(database))
        return self.python(
            "-m", "secagent_tui", "--config", config, "findings", "--format", "json"
        ).stdout


def export_baseline(rev: str, into: Path) -> tuple[Path | None, str]:
    """The package at `rev`, from `git archive` (the repository itself is left untouched)."""
    if shutil.which("git") is None:
        return None, "git is not installed"
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if commit.returncode != 0:
        return None, f"git cannot find {rev}: {commit.stderr.strip()}"
    sha = commit.stdout.strip()
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", sha, "secagent_tui"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return None, f"git archive failed: {archive.stderr.decode().strip()}"
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into, sha


def measure(trees: list[Tree], runs: int) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {t.name: {c: [] for c in COMMANDS} for t in trees}
    for _ in range(runs):
        for command, (database, args) in COMMANDS.items():
            for tree in trees:
                seconds = tree.secagent(database, args, stdout=subprocess.DEVNULL)
                times[tree.name][command].append(seconds)
    return times


def main(findings: int, runs: int, baseline_rev: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="secagent-cli-bench-") as folder:
        base = Path(folder)
        current = Tree("current", REPO_ROOT, base / "current-home")
        trees = [current]
        baseline_root, baseline_what = export_baseline(baseline_rev, base / "baseline")
        if baseline_root is None:
            print(f"no baseline ({baseline_what}): this tree's figures only")
        else:
            trees.insert(0, Tree("baseline", baseline_root, base / "baseline-home"))
        for tree in trees:
            tree.prepare(findings)
        same_json = None
        if len(trees) == 2:
            same_json = all(
                trees[0].findings_json(db) == trees[1].findings_json(db) for db in DATABASES
            )
        times = measure(trees, runs)

    medians = {
        tree: {c: statistics.median(values) for c, values in by_command.items()}
        for tree, by_command in times.items()
    }
    print(
        f"{findings:,} open findings (analysed: each triaged, every other one with a verdict); "
        f"median of {runs} processes per command and tree"
    )
    if baseline_root is not None:
        print(f"baseline: {baseline_what[:12]} ({baseline_rev}); current: this working tree")
    result: dict[str, object] = {
        "bench": "cli",
        "findings": findings,
        "runs": runs,
        "baseline": baseline_what if baseline_root is not None else None,
        "current_s": {c: round(s, 3) for c, s in medians["current"].items()},
    }
    header = f"{'command':<45}{'baseline':>10}{'current':>10}{'ratio':>8}  target"
    print(header)
    ratios = {}
    for command, (database, args) in COMMANDS.items():
        now = medians["current"][command]
        before = medians.get("baseline", {}).get(command)
        ratio = before / now if before else None
        if ratio:
            ratios[command] = round(ratio, 1)
        target = TARGETS.get(command)
        verdict = ""
        if target is not None:
            verdict = f"<= {target} s: {'met' if now <= target else 'NOT met'}"
        on = " (analysed)" if database == "analysed" else ""
        print(
            f"{'secagent ' + ' '.join(args) + on:<45}"
            f"{(f'{before:.3f}s' if before else '-'):>10}{now:>9.3f}s"
            f"{(f'{ratio:.1f}x' if ratio else '-'):>8}  {verdict}"
        )
    for tree, by_command in times.items():
        for command, values in by_command.items():
            print(f"  {tree} {command}: " + ", ".join(f"{v:.3f}" for v in values))
    if same_json is not None:
        print(
            "findings JSON identical to the baseline's (both databases): "
            + ("yes" if same_json else "NO")
        )
    if "baseline" in medians:
        result["baseline_s"] = {c: round(s, 3) for c, s in medians["baseline"].items()}
        result["ratio"] = ratios
        result["same_findings_json"] = same_json
    result["targets_met"] = {c: medians["current"][c] <= t for c, t in TARGETS.items()}
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", default=BASELINE_COMMIT, help="git revision to compare")
    args = parser.parse_args()
    print(json.dumps(main(args.findings, args.runs, args.baseline)))
