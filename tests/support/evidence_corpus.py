"""Run the evidence pass over the real-code corpus in tests/data/evidence_corpus.

Each case is one Dependabot-style alert (ecosystem, package, manifest path) against a
trimmed excerpt of a real repository, labelled with the truth by reading the code.

    python -m tests.support.evidence_corpus

prints a Markdown table of per-ecosystem figures and lists every case that is not correct.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "evidence_corpus"
TREES = CORPUS / "trees"
CASES = CORPUS / "cases"
SOURCES = CORPUS / "SOURCES.md"

ECOSYSTEMS = ("npm", "pip", "maven", "go", "rubygems")
TRUTHS = ("used", "unused", "test_only", "manifest_gone")
RESULTS = ("not_used", "maybe_used", "used", "test_only", "manifest_gone")
# Results that would let automation dismiss the alert.
DISMISSING = frozenset({"not_used", "test_only", "manifest_gone"})
MISS_CLASSES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Case:
    id: str
    tree: str
    ecosystem: str
    package: str
    manifest_path: str
    truth: str
    classes: tuple[int, ...]
    why: str
    vulnerable_functions: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return TREES / self.tree


@dataclass
class Outcome:
    case: Case
    result: str
    reasons: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def correct(self) -> bool:
        truth = self.case.truth
        if truth == "unused":
            return self.result == "not_used"
        return self.result == truth

    @property
    def false_not_used(self) -> bool:
        """Would let automation dismiss an alert for a package the code uses."""
        return self.case.truth == "used" and self.result in DISMISSING

    @property
    def maybe_used_on_used(self) -> bool:
        return self.case.truth == "used" and self.result == "maybe_used"

    @property
    def false_maybe_used(self) -> bool:
        """A case that should settle (unused/test-only/gone) but stayed open."""
        truth, result = self.case.truth, self.result
        if truth == "unused":
            return result in {"maybe_used", "used"}
        if truth == "test_only":
            return result in {"maybe_used", "used"}
        if truth == "manifest_gone":
            return result not in {"manifest_gone", "not_used"}
        return False

    @property
    def settled_unused(self) -> bool:
        return self.case.truth != "used" and self.result in DISMISSING


def load_cases(cases_dir: Path = CASES) -> list[Case]:
    cases = []
    for path in sorted(cases_dir.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        cases.append(
            Case(
                id=path.stem,
                tree=data["tree"],
                ecosystem=data["ecosystem"],
                package=data["package"],
                manifest_path=data["manifest_path"],
                truth=data["truth"],
                classes=tuple(data.get("classes", ())),
                why=data["why"],
                vulnerable_functions=tuple(data.get("vulnerable_functions", ())),
            )
        )
    return cases


def run_case(case: Case) -> Outcome:
    from secagent_tui.pipeline.sandbox.evidence import collect_evidence

    try:
        ev = collect_evidence(
            case.root,
            case.ecosystem,
            case.package,
            case.vulnerable_functions,
            manifest_path=case.manifest_path,
        )
    except Exception as exc:  # report it; do not crash the whole run
        return Outcome(case, "error", [], f"{type(exc).__name__}: {exc}")
    return Outcome(case, ev.usage.value, list(ev.reasons))


def run_all(cases: Iterable[Case] | None = None) -> list[Outcome]:
    return [run_case(c) for c in (load_cases() if cases is None else cases)]


_COLUMNS = (
    "ecosystem",
    "cases",
    "correct",
    "false not_used",
    "false maybe_used",
    "maybe_used on used",
    "test_only",
    "settled unused",
)


def _row(name: str, outs: Sequence[Outcome]) -> list[str]:
    return [
        name,
        str(len(outs)),
        str(sum(o.correct for o in outs)),
        str(sum(o.false_not_used for o in outs)),
        str(sum(o.false_maybe_used for o in outs)),
        str(sum(o.maybe_used_on_used for o in outs)),
        str(sum(o.result == "test_only" for o in outs)),
        str(sum(o.settled_unused for o in outs)),
    ]


def table(outcomes: Sequence[Outcome]) -> str:
    rows = [list(_COLUMNS), ["---"] * len(_COLUMNS)]
    for eco in ECOSYSTEMS:
        outs = [o for o in outcomes if o.case.ecosystem == eco]
        if outs:
            rows.append(_row(eco, outs))
    rows.append(_row("**total**", outcomes))
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def incorrect_listing(outcomes: Sequence[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if o.correct:
            continue
        tag = (
            "FALSE NOT_USED"
            if o.false_not_used
            else "false maybe_used"
            if o.false_maybe_used
            else "maybe_used on used"
            if o.maybe_used_on_used
            else "settled"
            if o.settled_unused
            else "other"
        )
        first = o.error or (o.reasons[0] if o.reasons else "(no reason)")
        first = re.sub(r"\s+", " ", first)[:200]
        lines.append(f"- `{o.case.id}` [{tag}] truth={o.case.truth} result={o.result}: {first}")
    return "\n".join(lines)


def tree_sources() -> dict[str, tuple[str, str]]:
    """Map tree name -> (commit, licence) from SOURCES.md's table."""
    out: dict[str, tuple[str, str]] = {}
    if not SOURCES.exists():
        return out
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in {"tree", "---"}:
            continue
        out[cells[0]] = (cells[2], cells[3])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    outcomes = run_all()
    print(table(outcomes))
    listing = incorrect_listing(outcomes)
    if listing:
        print("\nCases not correct:\n")
        print(listing)
    return 1 if any(o.false_not_used for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
