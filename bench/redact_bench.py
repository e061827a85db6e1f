"""Redaction benchmark: milliseconds per megabyte of `logs.redact`, old patterns against new.

Why: `redact` runs on every log record (DEBUG logs whole advisory payloads) and every stored
error text, so its cost per byte is paid on text an attacker can write. The old userinfo
pattern could start a match inside any run of URL-scheme characters and scan the rest of the
run from each position: quadratic, 2.2 s on 40,000 letters. In one run and on one machine it
measures, per shape of text:
  * baseline — the old pattern list (copied below from the build before the fix), applied
    the way the old `redact` applied it, on small sizes only (it is quadratic: 10 MB would
    take hours), so its ms/MB grows with the size;
  * new      — `secagent_tui.logs.redact` on 1 MB and 10 MB, whose ms/MB stays flat.
Each size is timed `--runs` times and the median reported (stolen CPU time on a shared
machine moves single runs). The last line is one JSON object for tools to read.

Run: python bench/redact_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable

from secagent_tui.logs import _replace, redact

MB = 1_000_000

# The build before the fix, verbatim: the baseline measured in the same run.
_OLD: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"""(?P<key>authorization["']?\s*[:=]\s*["']?)"""
            r"""(?:(?P<scheme>bearer|token|basic)\s+)?"""
            r"""(?P<value>[^\s"',;]+)""",
            re.IGNORECASE,
        ),
        "__header__",
    ),
    (re.compile(r"\b(?P<scheme>bearer)\s+(?!\*\*\*)[^\s\"',;]+", re.IGNORECASE), "__bearer__"),
    (re.compile(r"gh[pousr]_[A-Za-z0-9_]+"), "***"),
    (re.compile(r"github_pat_[A-Za-z0-9_]+"), "***"),
    (re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s\"'<>]+@"), "__userinfo__"),
    (
        re.compile(r"(?P<key>\b(?:access_token|client_secret|refresh_token)=)[^&\s\"'#]+"),
        "__query__",
    ),
)


def old_redact(text: str) -> str:
    for pattern, how in _OLD:
        text = pattern.sub(lambda m, how=how: _replace(m, how), text)
    return text


# Text of about `size` characters of each shape: the realistic one and the hostile ones.
SHAPES: dict[str, Callable[[int], str]] = {
    "advisory prose": lambda n: (
        (
            "A crafted payload reaches parse() in lib/core.js; see https://example.com/advisory "
            "and upgrade to 4.17.21. "
        )
        * (n // 110)
    ),
    # An address and a URL: the userinfo gate passes, so its pattern scans the whole text.
    "prose with @ and URL": lambda n: (
        "Reported by security@example.com; fixed in https://example.com/commit/abc. " * (n // 74)
    ),
    "one long word": lambda n: "a" * n,
    "scheme, no @": lambda n: "a://" + "b" * n,
    "scheme characters": lambda n: "a+" * (n // 2),
}
OLD_SIZES = (20_000, 40_000)
NEW_SIZES = (MB, 10 * MB)


def _ms_per_mb(fn: Callable[[str], str], text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000 / (len(text) / MB)


def main(runs: int) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    for name, make in SHAPES.items():
        row: dict[str, float] = {}
        for size in OLD_SIZES:
            row[f"old_{size // 1000}KB"] = _ms_per_mb(old_redact, make(size), runs)
        for size in NEW_SIZES:
            row[f"new_{size // MB}MB"] = _ms_per_mb(redact, make(size), runs)
        figures[name] = row
        cells = "  ".join(f"{key} {value:,.0f}" for key, value in row.items())
        print(f"{name:<20} ms/MB  {cells}")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(main(args.runs)))
