"""The evidence pass against real repository excerpts (tests/data/evidence_corpus).

Only a false `not_used` (a dismissing result for a package the code uses) fails a
case; unsettled results are reported by `python -m tests.support.evidence_corpus`.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from support.evidence_corpus import (
    ECOSYSTEMS,
    MISS_CLASSES,
    RESULTS,
    TRUTHS,
    load_cases,
    run_case,
    tree_sources,
)

CASES = load_cases()


def test_corpus_shape() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} cases"
    per_eco = Counter(c.ecosystem for c in CASES)
    for eco in ECOSYSTEMS:
        assert per_eco[eco] >= 5, f"{eco}: only {per_eco[eco]} cases"
    assert set(per_eco) <= set(ECOSYSTEMS), per_eco

    sources = tree_sources()
    for c in CASES:
        assert c.truth in TRUTHS, (c.id, c.truth)
        assert c.root.is_dir(), f"{c.id}: tree {c.tree!r} missing"
        assert c.why.strip(), c.id
        assert set(c.classes) <= set(MISS_CLASSES), (c.id, c.classes)
    for tree in {c.tree for c in CASES}:
        assert tree in sources, f"tree {tree!r} not listed in SOURCES.md"
        commit, licence = sources[tree]
        assert re.fullmatch(r"[0-9a-f]{40}", commit), (tree, commit)
        assert licence.strip(), f"{tree}: no licence"

    covered = Counter(k for c in CASES for k in c.classes)
    for k in MISS_CLASSES:
        assert covered[k] >= 1, f"miss class {k} not covered"
    assert sum(c.truth == "unused" for c in CASES) >= 6


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_false_not_used(case) -> None:
    out = run_case(case)
    assert out.error is None, f"{case.id}: collect_evidence raised {out.error}"
    assert out.result in RESULTS, f"{case.id}: unexpected result {out.result!r}"
    assert not out.false_not_used, (
        f"{case.id}: truth={case.truth} result={out.result} "
        f"(would let automation dismiss a used package); reasons={out.reasons}"
    )
