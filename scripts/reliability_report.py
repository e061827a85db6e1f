"""Runs the reliability suite at full scale and writes `reliability-report.md` at the
repository root from the cases it ran (tests/reliability/report.py).

    .venv/bin/python scripts/reliability_report.py [extra pytest arguments]

The ordinary test command runs the same suite scaled down (fewer rounds, shorter runs); this
script is how the report's figures are made. Its exit status is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    env = {
        **os.environ,
        "SECAGENT_RELIABILITY_SCALE": "full",
        "SECAGENT_RELIABILITY_REPORT": str(ROOT / "reliability-report.md"),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-m", "reliability", *argv]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
