"""Evidence benchmark: the deterministic evidence pass over a 500,000-line, 5,000-file clone.

Why these measurements: the pass reads *every* regular file of a clone as text (no folder or
suffix is skipped, by design), so its cost is bounded below by reading the tree. In one run
and on one machine it measures:
  * baseline   — merely reading the generated tree (open + read + UTF-8 decode of each file),
    the floor any full-coverage scan pays;
  * pass       — `collect_evidence` for one direct pip dependency that nothing uses (PyYAML,
    declared in pyproject.toml and locked in poetry.lock), so no early answer cuts the scan
    short and the result must come out `not_used` (checked: a generator bug that planted a
    name would otherwise bench a different code path);
  * real case  — the corpus case whose tree (tests/data/evidence_corpus/trees/) is largest.
Each is timed `--runs` times and the median reported: a shared machine's stolen CPU time moves
single runs by a fifth. The tree is generated in a temporary directory from a fixed seed, so
two runs bench the same bytes. The last line is one JSON object for tools to read.

Run: python bench/evidence_bench.py [--files N] [--lines N] [--runs N] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from secagent_tui.pipeline.sandbox.evidence import Usage, collect_evidence

PACKAGE = "PyYAML"
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "evidence_corpus"

# Share of files per kind; the rest of the generator turns each kind into plausible lines.
KINDS: tuple[tuple[str, float], ...] = (
    (".py", 0.26),
    (".js", 0.11),
    (".ts", 0.10),
    (".java", 0.12),
    (".go", 0.10),
    (".rb", 0.10),
    (".md", 0.09),
    (".json", 0.06),
    (".yml", 0.06),
)
# One string reads as vocabulary; a list literal would run to fifty lines.
_VOCABULARY = (
    "order customer invoice payment ledger account session token cache queue worker "
    "report export import_job shipment carrier tariff region store product price "
    "discount coupon basket review rating audit event metric trace span buffer stream "
    "chunk record batch window tenant profile address contact schedule retry backoff "
    "limit quota"
)
WORDS = tuple(_VOCABULARY.split())
# Other packages the code really imports: the pass must reject each without matching PyYAML.
PY_IMPORTS = ("requests", "flask", "sqlalchemy", "pydantic", "click", "attr", "jinja2", "boto3")
JS_IMPORTS = ("express", "lodash", "react", "axios", "moment", "zod", "chalk", "uuid")
JAVA_IMPORTS = (
    "org.springframework.web.bind.annotation.RestController",
    "com.fasterxml.jackson.databind.ObjectMapper",
    "org.slf4j.Logger",
    "com.google.common.collect.ImmutableList",
    "org.apache.commons.lang3.StringUtils",
)
GO_IMPORTS = ("github.com/gin-gonic/gin", "github.com/lib/pq", "go.uber.org/zap", "fmt", "strings")
RB_REQUIRES = ("json", "net/http", "nokogiri", "sidekiq", "active_support/core_ext")

PYPROJECT = """\
[project]
name = "synthetic-shop"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = ["requests>=2.31", "flask>=3.0", "sqlalchemy>=2.0", "pyyaml>=6.0"]
"""
POETRY_LOCK = (
    "".join(
        f'[[package]]\nname = "{name}"\nversion = "{version}"\noptional = false\n'
        'python-versions = ">=3.8"\n\n'
        for name, version in (
            ("requests", "2.31.0"),
            ("flask", "3.0.3"),
            ("sqlalchemy", "2.0.30"),
            ("pyyaml", "6.0.1"),
        )
    )
    + '[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "abc"\n'
)


def _fit(line: str, rng: random.Random) -> str:
    """Pad a code line with a trailing comment to 40-60 characters, as real lines run."""
    target = rng.randint(40, 60)
    if len(line) >= target:
        return line
    filler = " # " if not line.lstrip().startswith(("//", "#", "*")) else " "
    words = []
    while len(line) + len(filler) + len(" ".join(words)) < target:
        words.append(rng.choice(WORDS))
    return f"{line}{filler}{' '.join(words)}"[:60]


def _py(rng: random.Random, n: int) -> list[str]:
    head = [f"import {m}" for m in rng.sample(PY_IMPORTS, 3)]
    head.append(f"from {rng.choice(PY_IMPORTS)} import {rng.choice(WORDS)}")
    body = []
    while len(head) + len(body) < n:
        a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
        body += [
            f"def {a}_{b}({c}, limit=10):",
            f"    {a} = {c}.get('{b}', limit) or []",
            f"    return [x for x in {a} if x.{b}_id]",
            "",
        ]
    return [*head, "", *body[: n - len(head) - 1]]


def _js(rng: random.Random, n: int, ts: bool) -> list[str]:
    head = [f"import {m.replace('-', '_')} from '{m}';" for m in rng.sample(JS_IMPORTS, 3)]
    head.append(f"const {{ {rng.choice(WORDS)} }} = require('{rng.choice(JS_IMPORTS)}');")
    typ = ": number" if ts else ""
    body = []
    while len(head) + len(body) < n:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        body += [
            f"export function {a}{b.title()}(items{': any[]' if ts else ''}) {{",
            f"  const total{typ} = items.reduce((s, x) => s + x.{b}, 0);",
            f"  return {{ {a}: total, count: items.length }};",
            "}",
        ]
    return head + body[: n - len(head)]


def _java(rng: random.Random, n: int) -> list[str]:
    head = ["package com.acme.shop;", ""] + [f"import {m};" for m in rng.sample(JAVA_IMPORTS, 3)]
    head += ["", f"public class {rng.choice(WORDS).title()}Service {{"]
    body = []
    while len(head) + len(body) < n - 1:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        body += [
            f"    public List<String> {a}By{b.title()}(String id) {{",
            f"        return repository.find{b.title()}(id, {len(a)});",
            "    }",
        ]
    return head + body[: n - len(head) - 1] + ["}"]


def _go(rng: random.Random, n: int) -> list[str]:
    head = ["package shop", "", "import ("] + [f'\t"{m}"' for m in rng.sample(GO_IMPORTS, 3)]
    head += [")", ""]
    body = []
    while len(head) + len(body) < n:
        a, b = rng.choice(WORDS).title(), rng.choice(WORDS)
        body += [
            f"func {a}(ctx context.Context, {b} string) error {{",
            f'\tif err := store.Save(ctx, "{b}"); err != nil {{',
            f'\t\treturn fmt.Errorf("{a}: %w", err)',
            "\t}",
            "\treturn nil",
            "}",
        ]
    return head + body[: n - len(head)]


def _rb(rng: random.Random, n: int) -> list[str]:
    head = [f'require "{m}"' for m in rng.sample(RB_REQUIRES, 2)]
    head += ["", f"class {rng.choice(WORDS).title()}Job"]
    body = []
    while len(head) + len(body) < n - 1:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        body += [
            f"  def {a}_{b}(scope, limit: 25)",
            f"    scope.where({b}: params[:{a}]).limit(limit)",
            "  end",
        ]
    return head + body[: n - len(head) - 1] + ["end"]


def _md(rng: random.Random, n: int) -> list[str]:
    lines = [f"# The {rng.choice(WORDS)} service", ""]
    while len(lines) < n:
        words = " ".join(rng.choice(WORDS) for _ in range(7))
        lines.append(f"The {words} are kept for audit.")
    return lines[:n]


def _json(rng: random.Random, n: int) -> list[str]:
    lines = ["{"]
    for i in range(max(n - 2, 0)):
        comma = "," if i < n - 3 else ""
        lines.append(f'  "{rng.choice(WORDS)}_{i}": "{rng.choice(WORDS)}-{i * 7}"{comma}')
    return [*lines, "}"][:n]


def _yml(rng: random.Random, n: int) -> list[str]:
    lines = [f"{rng.choice(WORDS)}:"]
    while len(lines) < n:
        lines.append(f"  {rng.choice(WORDS)}_{len(lines)}: {rng.choice(WORDS)}-{len(lines)}")
    return lines[:n]


GENERATORS: dict[str, Callable[[random.Random, int], list[str]]] = {
    ".py": _py,
    ".js": lambda rng, n: _js(rng, n, ts=False),
    ".ts": lambda rng, n: _js(rng, n, ts=True),
    ".java": _java,
    ".go": _go,
    ".rb": _rb,
    ".md": _md,
    ".json": _json,
    ".yml": _yml,
}


def _line_counts(rng: random.Random, files: int, lines: int) -> list[int]:
    """Per-file line counts around the mean, summing to exactly `lines`."""
    mean = lines // files
    counts = [rng.randint(max(8, mean // 5), mean * 2 - max(8, mean // 5)) for _ in range(files)]
    diff = lines - sum(counts)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        if counts[i % files] + step >= 8:
            counts[i % files] += step
            diff -= step
        i += 1
    return counts


def generate(root: Path, files: int, lines: int, seed: int) -> tuple[int, int, int]:
    """Write the synthetic clone; returns (files, lines, bytes) of everything written."""
    rng = random.Random(seed)
    manifests = {"pyproject.toml": PYPROJECT, "poetry.lock": POETRY_LOCK}
    written_files, written_lines, written_bytes = 0, 0, 0
    for rel, text in manifests.items():
        data = text.encode()
        (root / rel).write_bytes(data)
        written_files += 1
        written_lines += text.count("\n")
        written_bytes += len(data)
    sources = files - len(manifests)
    budget = lines - written_lines
    kinds = [kind for kind, share in KINDS for _ in range(round(share * 1000))]
    dirs = [
        f"{top}/{rng.choice(WORDS)}_{i}"
        for i, top in enumerate(["src", "lib", "app", "services", "build", "vendor"] * 9)
    ]
    for i, count in enumerate(_line_counts(rng, sources, budget)):
        suffix = kinds[(i * 7919) % len(kinds)]
        body = GENERATORS[suffix](rng, count)
        body = [line if suffix in {".json", ".md"} else _fit(line, rng) for line in body]
        rel = f"{dirs[i % len(dirs)]}/{rng.choice(WORDS)}_{i}{suffix}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(body) + "\n").encode()
        path.write_bytes(data)
        written_files += 1
        written_lines += len(body)
        written_bytes += len(data)
    return written_files, written_lines, written_bytes


def read_all(root: Path) -> int:
    """The floor: open, read and decode every file once (what any full scan must pay)."""
    total = 0
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                total += len(handle.read().decode("utf-8"))
    return total


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def largest_real_case(runs: int) -> tuple[float | None, str]:
    """Median time of the corpus case whose tree holds the most bytes, or None without one."""
    cases_dir, trees_dir = CORPUS / "cases", CORPUS / "trees"
    if not cases_dir.is_dir() or not trees_dir.is_dir():
        return None, "no corpus at tests/data/evidence_corpus"
    cases = [
        (path.name, tomllib.loads(path.read_text("utf-8")))
        for path in sorted(cases_dir.glob("*.toml"))
    ]
    sizes: dict[str, int] = {}
    for _name, case in cases:
        tree = trees_dir / str(case.get("tree", ""))
        if case.get("tree") and tree.is_dir() and case["tree"] not in sizes:
            sizes[case["tree"]] = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
    if not sizes:
        return None, "no corpus case names an existing tree"
    biggest = max(sizes, key=lambda t: (sizes[t], t))
    name, case = next((n, c) for n, c in cases if c.get("tree") == biggest)
    median, _times, ev = timed(
        runs,
        lambda: collect_evidence(
            trees_dir / biggest,
            case["ecosystem"],
            case["package"],
            tuple(case.get("vulnerable_functions", ())),
            manifest_path=case.get("manifest_path"),
        ),
    )
    return median, (
        f"{name}: tree {biggest} ({sizes[biggest] / 1e6:.2f} MB, {ev.files_scanned} files), "
        f"{case['ecosystem']}/{case['package']} -> {ev.usage.value}"
    )


def main(files: int, lines: int, runs: int, seed: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="evidence-bench-") as folder:
        root = Path(folder)
        start = time.perf_counter()
        n_files, n_lines, n_bytes = generate(root, files, lines, seed)
        print(
            f"generated {n_files:,} files, {n_lines:,} lines, {n_bytes / 1e6:.1f} MB "
            f"(seed {seed}) in {time.perf_counter() - start:.1f}s"
        )
        read_all(root)  # warm the page cache so both timings read from memory
        base_s, base_times, _ = timed(runs, lambda: read_all(root))
        pass_s, pass_times, ev = timed(runs, lambda: collect_evidence(root, "pip", PACKAGE))
    if ev.usage is not Usage.NOT_USED or ev.files_scanned != n_files:
        raise SystemExit(f"the pass did not do a full not_used scan: {ev.usage} {ev.reasons}")
    real_s, real_what = largest_real_case(runs)
    mb_per_s = n_bytes / 1e6 / pass_s
    print(f"baseline read (open+read+decode): {', '.join(f'{t:.2f}s' for t in base_times)}")
    print(f"evidence pass ({PACKAGE}): {', '.join(f'{t:.2f}s' for t in pass_times)}")
    print(
        f"pass {pass_s:.2f}s = {mb_per_s:.1f} MB/s, {n_lines / pass_s:,.0f} lines/s; "
        f"baseline {base_s:.2f}s; pass/baseline {pass_s / base_s:.1f}x; "
        f"usage {ev.usage.value}, {ev.files_scanned} files scanned"
    )
    if real_s is None:
        print(f"largest real case: none ({real_what})")
    else:
        print(f"largest real case: {real_s:.3f}s, {real_what}")
    return {
        "bench": "evidence",
        "lines": n_lines,
        "files": n_files,
        "seconds": round(pass_s, 3),
        "mb_per_s": round(mb_per_s, 2),
        "largest_real_case_s": None if real_s is None else round(real_s, 3),
        "baseline_read_s": round(base_s, 3),
        "ratio": round(pass_s / base_s, 2),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    result = main(args.files, args.lines, args.runs, args.seed)
    print(json.dumps(result))
