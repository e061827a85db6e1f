"""The TUI queue's SQL read must select exactly what the Python rules select: the same
filter (`FindingFilter.matches`) and the same order as the table's columns; and its keyset
pages, read forward or backward from any key, must add up to exactly that order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from support.analysis_docs import a_triage, a_verdict, as_json

from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Scope, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.analyses import create_analysis
from secagent_tui.store.finding_window import Anchor, FindingPage, finding_page, finding_window
from secagent_tui.store.findings import list_findings, upsert_findings
from secagent_tui.store.schema import findings
from secagent_tui.tui.format import COLUMNS, sort_records

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAYS = SlaDays()

FILTERS = {
    "default": FindingFilter(),
    "all": FindingFilter(states=list(AlertState)),
    "high_plus": FindingFilter(states=list(AlertState), min_severity=Severity.HIGH),
    "npm_pip": FindingFilter(ecosystems=("NPM", "pip")),
    "runtime": FindingFilter(scope=Scope.RUNTIME),
    "repo_glob": FindingFilter(states=list(AlertState), repo_glob="ACME/w*"),
    "overdue": FindingFilter(overdue=True),
    "not_overdue": FindingFilter(states=list(AlertState), overdue=False),
    "verdict": FindingFilter(states=list(AlertState), has_verdict=True),
    "no_verdict": FindingFilter(states=list(AlertState), has_verdict=False),
    "exploitable": FindingFilter(states=list(AlertState), exploitable=True),
    "not_exploitable": FindingFilter(states=list(AlertState), exploitable=False),
    "pending": FindingFilter(states=list(AlertState), pending_push=True),
    "text": FindingFilter(states=list(AlertState), text="lod"),
    "text_underscore": FindingFilter(states=list(AlertState), text="_"),
    "snoozed": FindingFilter(states=list(AlertState), snooze=SnoozeState.SNOOZED),
    "patch_available": FindingFilter(snooze=SnoozeState.PATCH_AVAILABLE),
}


@pytest.fixture
async def seeded(engine: AsyncEngine) -> AsyncEngine:
    ds = generate_dataset({"acme": 5}, {"jdoe": 2}, 25, seed=3, now=NOW)
    await upsert_findings(engine, [parse_alert(a) for _, a in ds.iter_alerts()])
    verdicts = [
        as_json(a_verdict(True, "high")),
        as_json(a_verdict(False, "medium")),
        as_json(a_verdict("unknown", "low")),
    ]
    async with engine.begin() as conn:
        for i in range(1, 60, 4):
            await conn.execute(
                update(findings)
                .where(findings.c.id == i)
                .values(
                    verdict=verdicts[i % 3],
                    triage=as_json(a_triage(["dismiss", "analyze_codebase"][i % 2])),
                    analysis_status=["completed", "running", "failed", "queued"][i % 4],
                )
            )
        await conn.execute(
            update(findings)
            .where(findings.c.id.in_([2, 7, 11]))
            .values(intent_state="dismissed", intent_at=NOW, pending_push=True)
        )
        await conn.execute(
            update(findings).where(findings.c.id.in_([3, 7])).values(snooze_state="snoozed")
        )
        await conn.execute(
            update(findings).where(findings.c.id.in_([4, 8])).values(snooze_state="patch_available")
        )
    # Re-runs through the real path: a new run clears the verdict it replaces, which must
    # read as "no verdict" in SQL too (it was stored as the JSON text null once).
    for finding_id in (5, 9, 13):
        await create_analysis(engine, finding_id, f"rerun-{finding_id}", "m")
    return engine


@pytest.mark.parametrize("name", list(FILTERS))
async def test_sql_filter_selects_what_the_python_filter_selects(
    seeded: AsyncEngine, name: str
) -> None:
    flt = FILTERS[name]
    expected = {r.id for r in await list_findings(seeded, flt, days=DAYS, now=NOW)}
    records, total = await finding_window(seeded, flt, days=DAYS, now=NOW, limit=10_000)
    assert {r.id for r in records} == expected
    assert total == len(expected)


@pytest.mark.parametrize("reverse", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", [c.key for c in COLUMNS])
async def test_sql_order_is_the_table_order(
    seeded: AsyncEngine, column: str, reverse: bool
) -> None:
    flt = FindingFilter(states=list(AlertState))
    every = await list_findings(seeded, flt, days=DAYS, now=NOW)
    expected = [r.id for r in sort_records(every, column, reverse, NOW, DAYS)][:40]
    records, total = await finding_window(
        seeded, flt, days=DAYS, now=NOW, sort=column, reverse=reverse, limit=40
    )
    assert [r.id for r in records] == expected
    assert total == len(every)


PAGE = 5
PAGED_FILTERS = ["all", "default", "verdict", "runtime"]


async def _full_order(
    engine: AsyncEngine, flt: FindingFilter, column: str, reverse: bool
) -> list[int]:
    records, _ = await finding_window(
        engine, flt, days=DAYS, now=NOW, sort=column, reverse=reverse, limit=100_000
    )
    return [r.id for r in records]


async def _page(
    engine: AsyncEngine, flt: FindingFilter, column: str, reverse: bool, **how: Any
) -> FindingPage:
    return await finding_page(engine, flt, days=DAYS, now=NOW, sort=column, reverse=reverse, **how)


@pytest.mark.parametrize("reverse", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", [c.key for c in COLUMNS])
async def test_paging_forward_and_backward_by_keys_gives_the_whole_order(
    seeded: AsyncEngine, column: str, reverse: bool
) -> None:
    for name in PAGED_FILTERS:
        await _pages_add_up(seeded, FILTERS[name], column, reverse)


async def _pages_add_up(
    seeded: AsyncEngine, flt: FindingFilter, column: str, reverse: bool
) -> None:
    expected = await _full_order(seeded, flt, column, reverse)
    assert len(expected) > 2 * PAGE

    page = await _page(seeded, flt, column, reverse, after=PAGE)
    forward, keys = [r.id for r in page.records], list(page.keys)
    assert (page.start, page.total) == (0, len(expected))
    while len(forward) < page.total:
        # From the last row read, itself included: the rows after it.
        page = await _page(
            seeded, flt, column, reverse, anchor=Anchor.at_key(keys[-1]), after=PAGE + 1
        )
        assert page.start == len(forward) - 1 and page.records[0].id == forward[-1]
        forward += [r.id for r in page.records[1:]]
        keys += page.keys[1:]
    assert forward == expected

    page = await _page(seeded, flt, column, reverse, anchor=Anchor.bottom(), before=PAGE, after=0)
    backward, first = [r.id for r in page.records], page.keys[0]
    assert page.start == len(expected) - PAGE
    while page.start > 0:
        page = await _page(
            seeded, flt, column, reverse, anchor=Anchor.at_key(first), before=PAGE, after=0
        )
        assert page.start + len(page.records) == len(expected) - len(backward)
        backward = [r.id for r in page.records] + backward
        first = page.keys[0]
    assert backward == expected


@pytest.mark.parametrize("reverse", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", ["severity", "sla", "verdict"])
async def test_a_window_around_a_position_or_a_finding_is_that_slice_of_the_order(
    seeded: AsyncEngine, column: str, reverse: bool
) -> None:
    flt = FILTERS["all"]
    expected = await _full_order(seeded, flt, column, reverse)
    for position in (0, 3, len(expected) // 2, len(expected) - 4, len(expected) - 1):
        page = await _page(
            seeded, flt, column, reverse, anchor=Anchor.at_position(position), before=3, after=5
        )
        assert page.start == max(0, position - 3)
        assert [r.id for r in page.records] == expected[page.start : position + 5]
    target = expected[len(expected) // 3]
    page = await _page(
        seeded, flt, column, reverse, anchor=Anchor.at_finding(target), before=2, after=2
    )
    at = expected.index(target)
    assert [r.id for r in page.records] == expected[at - 2 : at + 2]
    assert page.start == at - 2


async def test_a_window_keeps_its_place_when_its_anchor_leaves_the_filter(
    seeded: AsyncEngine,
) -> None:
    """The key of a row that no longer matches still seeks: the next row takes its place."""
    flt = FILTERS["default"]
    expected = await _full_order(seeded, flt, "severity", False)
    page = await _page(seeded, flt, "severity", False, after=len(expected))
    gone = 10
    async with seeded.begin() as conn:
        await conn.execute(
            update(findings).where(findings.c.id == expected[gone]).values(intent_state="dismissed")
        )
    page = await _page(
        seeded, flt, "severity", False, anchor=Anchor.at_key(page.keys[gone]), before=2, after=3
    )
    assert [r.id for r in page.records] == expected[gone - 2 : gone] + expected[gone + 1 : gone + 4]
    assert (page.start, page.total) == (gone - 2, len(expected) - 1)


async def test_marked_findings_outside_the_window_come_back_while_the_filter_selects_them(
    seeded: AsyncEngine,
) -> None:
    flt = FILTERS["default"]
    expected = await _full_order(seeded, flt, "severity", False)
    others = await _full_order(seeded, FILTERS["all"], "severity", False)
    outside = next(i for i in others if i not in expected)
    marked = {expected[-1], expected[-2], outside}
    page = await _page(seeded, flt, "severity", False, after=3, marked=marked)
    assert {r.id for r in page.marked} == {expected[-1], expected[-2]}
    assert not {r.id for r in page.records} & marked
