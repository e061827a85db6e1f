"""The TUI queue's SQL read must select exactly what the Python rules select: the same
filter (`FindingFilter.matches`) and the same order as the table's columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from support.analysis_docs import a_triage, a_verdict, as_json

from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Scope, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.analyses import create_analysis
from secagent_tui.store.finding_window import finding_window
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
