"""The long soak: the reliability suite at full scale (20 crash rounds per kind, three
minutes of five processes per backend, every injection phrasing), then the redaction
figures, written together into `reliability-report.md` at the repository root.

    .venv/bin/python bench/reliability_soak.py [extra pytest arguments]

The ordinary test command runs the same suite scaled down (one round, 12 s); this is how
the report's figures are made. Prints where the report went and, last, one JSON line:
pytest's exit status, the cases and the redaction figures. Exit status: pytest's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "reliability-report.md"
REDACT_BENCH = ROOT / "bench" / "redact_bench.py"


def run_suite(argv: list[str]) -> tuple[int, float]:
    env = {
        **os.environ,
        "SECAGENT_RELIABILITY_SCALE": "full",
        "SECAGENT_RELIABILITY_REPORT": str(REPORT),
    }
    started = time.monotonic()
    # One process (-n 0): the report's book is kept in the session that writes it.
    command = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-m", "reliability", *argv]
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    return code, time.monotonic() - started


def redaction_figures() -> dict[str, dict[str, float]]:
    """bench/redact_bench.py's last line: ms per MB per shape of text, old against new."""
    out = subprocess.run(
        [sys.executable, str(REDACT_BENCH)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def redaction_section(figures: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "## Redaction speed (`bench/redact_bench.py`)",
        "",
        "Milliseconds per MB of `logs.redact`, the build before the fix (quadratic: measured "
        "on 20 and 40 KB only) against now (1 and 10 MB), in the same run. Target: 10 MB in "
        "under 1 s.",
        "",
        "| text | old, 20 KB | old, 40 KB | new, 1 MB | new, 10 MB | 10 MB takes |",
        "|---|---|---|---|---|---|",
    ]
    for shape, row in figures.items():
        ten = row["new_10MB"] * 10 / 1000
        lines.append(
            f"| {shape} | {row['old_20KB']:,.0f} | {row['old_40KB']:,.0f} | "
            f"{row['new_1MB']:,.0f} | {row['new_10MB']:,.0f} | {ten:.2f} s |"
        )
    return [*lines, ""]


def main(argv: list[str]) -> int:
    code, seconds = run_suite(argv)
    figures = redaction_figures()
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Reliability report\n"
    REPORT.write_text(
        text.rstrip("\n") + "\n\n" + "\n".join(redaction_section(figures)) + "\n"
        f"The full-scale suite took {seconds / 60:.1f} minutes.\n",
        encoding="utf-8",
    )
    print(f"report: {REPORT}")
    print(json.dumps({"pytest": code, "suite_seconds": round(seconds), "redaction": figures}))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
