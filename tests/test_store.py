"""The store on a real database: migrations, the sync upsert and its merge rule, the reads.

Every test that takes `engine` or `database_url` runs on SQLite and on PostgreSQL (see
conftest.py); the SQLite-specific tests at the end open their own file.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import gc
import hashlib
import importlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from support.analysis_docs import a_triage, a_verdict, as_json

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Finding, Severity
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.record import finding_json
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.sla import SlaDays
from secagent_tui.store import findings as findings_store
from secagent_tui.store import schema
from secagent_tui.store.analyses import create_analysis, get_analysis, update_analysis
from secagent_tui.store.bulk_sql import ROW_COLUMNS, FindingBulkSql
from secagent_tui.store.db import create_engine, write_transaction
from secagent_tui.store.findings import (
    FindingFilter,
    UpsertCounts,
    count_findings,
    get_finding,
    list_findings,
    upsert_findings,
)
from secagent_tui.store.migrate import current_revision, downgrade, head_revision, upgrade
from secagent_tui.store.sync_state import get_watermark
from secagent_tui.store.times import to_micros

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

EXPLOITABLE = a_verdict(True)
NOT_EXPLOITABLE = a_verdict(False)


def make(
    index: int,
    *,
    repo: str | None = None,
    number: int | None = None,
    state: AlertState | None = None,
    severity: Severity | None = None,
    updated_at: datetime | None = None,
) -> Finding:
    """A synthetic finding with some fields overridden, its `raw` payload kept consistent.

    The store decides "changed" from the raw payload (GitHub's document), so every change is
    made in both places, as the parser would.
    """
    finding = synthetic_finding(index)
    raw = copy.deepcopy(finding.raw)
    changes: dict[str, Any] = {"raw": raw}
    if repo is not None:
        changes["repo"] = repo
        changes["html_url"] = raw["html_url"] = (
            f"https://github.com/{repo}/security/dependabot/{number or finding.number}"
        )
    if number is not None:
        changes["number"] = raw["number"] = number
    if state is not None:
        changes["state"] = state
        raw["state"] = state.value
    if severity is not None:
        changes["severity"] = severity
        raw["security_advisory"]["severity"] = severity.value
        raw["security_vulnerability"]["severity"] = severity.value
    if updated_at is not None:
        changes["updated_at"] = updated_at
        raw["updated_at"] = updated_at.isoformat()
    return dataclasses.replace(finding, **changes)


def changed(finding: Finding, *, updated_at: datetime | None = None) -> Finding:
    """The same alert as GitHub reports it after someone changed its severity and state."""
    severity = Severity.LOW if finding.severity is not Severity.LOW else Severity.CRITICAL
    state = AlertState.FIXED if finding.state is not AlertState.FIXED else AlertState.OPEN
    raw = copy.deepcopy(finding.raw)
    raw["state"] = state.value
    raw["security_advisory"]["severity"] = severity.value
    raw["security_vulnerability"]["severity"] = severity.value
    updated_at = updated_at or finding.updated_at + timedelta(hours=1)
    raw["updated_at"] = updated_at.isoformat()
    return dataclasses.replace(
        finding, state=state, severity=severity, updated_at=updated_at, raw=raw
    )


def batch(indices: Iterable[int]) -> list[Finding]:
    return [synthetic_finding(i) for i in indices]


async def row_of(engine: AsyncEngine, finding: Finding) -> Any:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(schema.findings).where(
                schema.findings.c.repo == finding.repo,
                schema.findings.c.number == finding.number,
            )
        )
        return result.one()


async def set_columns(engine: AsyncEngine, finding: Finding, **values: Any) -> None:
    async with engine.begin() as conn:
        result = await conn.execute(
            update(schema.findings)
            .where(
                schema.findings.c.repo == finding.repo,
                schema.findings.c.number == finding.number,
            )
            .values(**values)
        )
        assert result.rowcount == 1


def ref_of(finding: Finding) -> FindingRef:
    return FindingRef.parse(finding.ref)


# --- Migrations ---------------------------------------------------------------------------


async def test_migration_from_empty_reaches_head_and_a_second_upgrade_is_a_no_op(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert head_revision() is not None
        assert await current_revision(engine) == head_revision()

        await upsert_findings(engine, batch(range(3)))
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        assert sum((await count_findings(engine)).values()) == 3
    finally:
        await engine.dispose()


async def test_upgrade_from_0001_derives_the_queue_columns_of_existing_rows(
    database_url: str,
) -> None:
    """0002 adds generated columns to a table that already holds findings: existing rows
    must get them, and an intent set later must move the effective state."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0001")
        first = make(1, repo="Acme/API", number=1, state=AlertState.OPEN, severity=Severity.MEDIUM)
        second = make(
            2, repo="acme/web", number=2, state=AlertState.OPEN, severity=Severity.CRITICAL
        )
        await _insert_before_0008(engine, [first, second])
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        await set_columns(engine, second, intent_state=AlertState.DISMISSED.value)

        columns = schema.findings.c
        query = select(
            columns.repo, columns.effective_state, columns.severity_order, columns.repo_key
        ).order_by(columns.repo)
        async with engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        assert [tuple(r) for r in rows] == [
            ("Acme/API", "open", 2, "acme/api"),
            ("acme/web", "dismissed", 0, "acme/web"),
        ]
    finally:
        await engine.dispose()


async def _insert_before_0008(engine: AsyncEngine, alerts: list[Finding]) -> None:
    """New rows as the sync's insert wrote them before migration 0008, whose `assignees`
    (the last of the sync's columns) an older schema does not have yet."""
    sql = FindingBulkSql(engine.dialect.name)
    columns = ROW_COLUMNS[:-1]
    assert ROW_COLUMNS[-1] == "assignees"
    mark = "?" if engine.dialect.name == "sqlite" else "$"
    marks = ", ".join(f"{mark}{i}" for i in range(1, len(columns) + 1))
    synced = sql.synced_at(datetime.now(UTC))
    async with engine.begin() as conn:
        await conn.exec_driver_sql(
            f"INSERT INTO findings ({', '.join(columns)}) VALUES ({marks})",
            [sql.values(f, synced)[:-1] for f in alerts],
        )


async def _set_hashes(engine: AsyncEngine, digest: Any) -> None:
    """Every stored content hash replaced by `digest` of the stored payload."""
    table = schema.findings
    async with engine.begin() as conn:
        rows = (await conn.execute(select(table.c.id, table.c.raw_json))).all()
        for row in rows:
            await conn.execute(
                update(table)
                .where(table.c.id == row.id)
                .values(content_hash=digest(row.raw_json.encode()))
            )


async def _stored_hashes(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set((await conn.execute(select(schema.findings.c.content_hash))).scalars())


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


async def test_after_upgrading_from_sha1_hashes_a_sync_finds_its_alerts_unchanged(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0003")
        alerts = batch(range(5))
        await _insert_before_0008(engine, alerts)
        await _set_hashes(engine, _sha1)  # as the version before 0004 stored them

        await upgrade(engine)
        assert await upsert_findings(engine, alerts) == UpsertCounts(unchanged=5)
        await downgrade(engine, "0003")
        assert await _stored_hashes(engine) == {_sha1(orjson.dumps(f.raw)) for f in alerts}
    finally:
        await engine.dispose()


async def test_migrated_database_matches_the_schema_metadata(engine: AsyncEngine) -> None:
    def diff(sync_conn: Any) -> list[Any]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, schema.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []


# --- Upsert counts ------------------------------------------------------------------------


async def test_upsert_counts_created_then_unchanged_then_exactly_the_changed(
    engine: AsyncEngine,
) -> None:
    n, k = 20, 6
    findings = batch(range(n))
    assert await upsert_findings(engine, findings) == UpsertCounts(created=n)
    assert await upsert_findings(engine, findings) == UpsertCounts(unchanged=n)

    third = [changed(f) if i < k else f for i, f in enumerate(findings)]
    assert await upsert_findings(engine, third) == UpsertCounts(updated=k, unchanged=n - k)

    for before, after in zip(findings[:k], third[:k], strict=True):
        stored = await get_finding(engine, ref_of(before))
        assert stored is not None
        assert stored.finding.severity is after.severity
        assert stored.finding.state is after.state
        assert stored.finding.raw == after.raw
    # Once stored, the changed versions are themselves unchanged.
    assert await upsert_findings(engine, third) == UpsertCounts(unchanged=n)


async def test_upsert_counts_a_mixed_batch_exactly(engine: AsyncEngine) -> None:
    stored = batch(range(10))
    await upsert_findings(engine, stored)
    mixed = (
        [changed(f) for f in stored[:4]]  # 4 changed
        + stored[4:]  # 6 the same
        + batch(range(10, 13))  # 3 new
    )
    counts = await upsert_findings(engine, reversed(mixed))
    assert counts == UpsertCounts(created=3, updated=4, unchanged=6)
    assert counts.total == 13
    assert sum((await count_findings(engine)).values()) == 13


async def test_an_alert_given_twice_in_one_batch_is_one_row_with_the_last_version(
    engine: AsyncEngine,
) -> None:
    first = make(7, severity=Severity.LOW)
    last = make(7, severity=Severity.CRITICAL, updated_at=first.updated_at + timedelta(hours=1))
    counts = await upsert_findings(engine, [first, make(8), last])
    assert counts == UpsertCounts(created=2)
    stored = await get_finding(engine, ref_of(first))
    assert stored is not None
    assert stored.finding.severity is Severity.CRITICAL
    assert stored.finding.raw["security_advisory"]["severity"] == "critical"


async def test_upsert_of_an_empty_batch_does_nothing(engine: AsyncEngine) -> None:
    assert await upsert_findings(engine, []) == UpsertCounts()
    assert await count_findings(engine) == {}


async def test_upsert_never_touches_analysis_columns(engine: AsyncEngine) -> None:
    finding = synthetic_finding(1)
    await upsert_findings(engine, [finding])
    analysed_at = T0 + timedelta(minutes=5)
    analysis = {
        "analysis_status": "completed",
        "triage": as_json(a_triage("analyze_codebase", "low")),
        "verdict": as_json(a_verdict("unknown", "low")),
        "evidence": {"imports": ["src/app.js:3"], "complete": True},
        "analysis_error": "an earlier attempt failed",
        "analysis_updated_at": analysed_at,
    }
    await set_columns(engine, finding, **analysis)

    newer = changed(finding)
    assert await upsert_findings(engine, [newer]) == UpsertCounts(updated=1)

    row = await row_of(engine, finding)
    assert {name: getattr(row, name) for name in analysis} == analysis
    assert (row.severity, row.state) == (newer.severity.value, newer.state.value)
    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    assert record.analysis_status.value == "completed"
    assert record.triage == a_triage("analyze_codebase", "low")
    assert record.verdict == a_verdict("unknown", "low")
    assert record.analysis_error == "an earlier attempt failed"


async def test_a_new_run_never_shows_beside_the_previous_runs_verdict(
    engine: AsyncEngine,
) -> None:
    """One analysis run is one record: a failed re-run shows its own triage and error, not
    the triage of one run beside the verdict of another."""
    finding = synthetic_finding(1)
    await upsert_findings(engine, [finding])
    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    first = await create_analysis(engine, record.id, "run-1", "m")
    await update_analysis(
        engine,
        first,
        triage=a_triage("analyze_codebase"),
        verdict=NOT_EXPLOITABLE,
        status=AnalysisStatus.COMPLETED,
    )
    second = await create_analysis(engine, record.id, "run-2", "m")
    await update_analysis(engine, second, triage=a_triage("manual_review"))
    await update_analysis(engine, second, status=AnalysisStatus.FAILED, error="sandbox: boom")

    again = await get_finding(engine, ref_of(finding))
    assert again is not None
    assert again.analysis_status is AnalysisStatus.FAILED
    assert again.triage == a_triage("manual_review")
    assert again.verdict is None and again.analysis_error == "sandbox: boom"
    # The first run is kept whole, for the history.
    assert (await get_analysis(engine, first)).verdict == NOT_EXPLOITABLE
    # ... and its verdict is shown as the previous run's, in the JSON too.
    assert again.previous_verdict == NOT_EXPLOITABLE
    assert again.previous_verdict_at is not None
    doc = finding_json(again, SlaDays())["analysis"]
    assert doc["verdict"] is None
    assert doc["previous_run"]["verdict"] == as_json(NOT_EXPLOITABLE)
    assert doc["previous_run"]["finished_at"].endswith("Z")


async def test_the_previous_verdict_passes_over_failed_runs_until_a_run_reaches_its_own(
    engine: AsyncEngine,
) -> None:
    finding = synthetic_finding(1)
    await upsert_findings(engine, [finding])
    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    first = await create_analysis(engine, record.id, "run-1", "m")
    await update_analysis(engine, first, verdict=EXPLOITABLE, status=AnalysisStatus.COMPLETED)
    for n in (2, 3):
        failed = await create_analysis(engine, record.id, f"run-{n}", "m")
        await update_analysis(engine, failed, status=AnalysisStatus.FAILED, error=f"boom {n}")
    after_failures = await get_finding(engine, ref_of(finding))
    assert after_failures is not None
    assert after_failures.previous_verdict == EXPLOITABLE

    fourth = await create_analysis(engine, record.id, "run-4", "m")
    queued = await get_finding(engine, ref_of(finding))
    assert queued is not None and queued.previous_verdict == EXPLOITABLE
    await update_analysis(engine, fourth, verdict=NOT_EXPLOITABLE, status=AnalysisStatus.COMPLETED)
    done = await get_finding(engine, ref_of(finding))
    assert done is not None
    assert done.verdict == NOT_EXPLOITABLE
    assert done.previous_verdict is None and done.previous_verdict_at is None
    assert finding_json(done, SlaDays())["analysis"]["previous_run"] is None


# --- Merge rule ---------------------------------------------------------------------------


async def _dismiss_locally(engine: AsyncEngine, finding: Finding, at: datetime) -> None:
    await set_columns(
        engine,
        finding,
        intent_state="dismissed",
        intent_reason="not_used",
        intent_comment="dev tooling only",
        intent_at=at,
        pending_push=True,
    )


@pytest.mark.parametrize("remote_delta", [timedelta(0), timedelta(hours=-1)])
async def test_older_or_equal_remote_change_keeps_a_pending_intent(
    engine: AsyncEngine, remote_delta: timedelta
) -> None:
    finding = make(1, state=AlertState.OPEN, updated_at=T0 - timedelta(days=1))
    await upsert_findings(engine, [finding])
    intent_at = T0 + timedelta(microseconds=250_000)
    await _dismiss_locally(engine, finding, intent_at)

    remote = make(
        1,
        state=AlertState.FIXED,
        severity=Severity.CRITICAL,
        updated_at=intent_at + remote_delta,
    )
    assert await upsert_findings(engine, [remote]) == UpsertCounts(updated=1)

    row = await row_of(engine, finding)
    assert row.state == "fixed"  # GitHub's own column is truthful
    assert row.severity == "critical"
    assert (row.intent_state, row.intent_reason, row.intent_comment) == (
        "dismissed",
        "not_used",
        "dev tooling only",
    )
    assert row.intent_at == intent_at
    assert row.pending_push is True

    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    assert record.state is AlertState.DISMISSED
    assert record.finding.state is AlertState.FIXED
    assert record.dismissed_reason == "not_used"
    assert record.pending_push is True
    listed = await list_findings(engine, FindingFilter(states=[AlertState.DISMISSED]))
    assert [r.finding.ref for r in listed] == [finding.ref]
    assert await list_findings(engine, FindingFilter(states=[AlertState.FIXED])) == []


async def test_older_remote_change_in_another_zone_keeps_the_intent(engine: AsyncEngine) -> None:
    """An instant before the intent, written with a +02:00 offset (wall clock after it)."""
    finding = make(1, state=AlertState.OPEN, updated_at=T0 - timedelta(days=1))
    await upsert_findings(engine, [finding])
    await _dismiss_locally(engine, finding, T0)

    plus_two = timezone(timedelta(hours=2))
    earlier = (T0 - timedelta(minutes=30)).astimezone(plus_two)
    assert earlier.replace(tzinfo=None) > T0.replace(tzinfo=None)
    await upsert_findings(engine, [make(1, state=AlertState.OPEN, updated_at=earlier)])

    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    assert record.state is AlertState.DISMISSED
    assert record.pending_push is True
    assert record.finding.updated_at == earlier
    assert record.finding.updated_at.tzinfo == UTC


@pytest.mark.parametrize("remote_delta", [timedelta(microseconds=1), timedelta(hours=1)])
async def test_newer_remote_change_clears_the_intent(
    engine: AsyncEngine, remote_delta: timedelta
) -> None:
    finding = make(1, state=AlertState.DISMISSED, updated_at=T0 - timedelta(days=1))
    await upsert_findings(engine, [finding])
    intent_at = T0 + timedelta(microseconds=250_000)
    await set_columns(engine, finding, intent_state="open", intent_at=intent_at, pending_push=True)
    assert (await count_findings(engine)) == {"open": 1}

    remote = make(1, state=AlertState.DISMISSED, updated_at=intent_at + remote_delta)
    assert await upsert_findings(engine, [remote]) == UpsertCounts(updated=1)

    row = await row_of(engine, finding)
    assert (row.intent_state, row.intent_reason, row.intent_comment, row.intent_at) == (
        None,
        None,
        None,
        None,
    )
    assert row.pending_push is False
    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    assert record.state is AlertState.DISMISSED
    assert record.pending_push is False
    assert await count_findings(engine) == {"dismissed": 1}


async def test_unchanged_remote_keeps_the_intent(engine: AsyncEngine) -> None:
    finding = make(1, state=AlertState.OPEN)
    await upsert_findings(engine, [finding])
    await _dismiss_locally(engine, finding, finding.updated_at - timedelta(days=1))
    assert await upsert_findings(engine, [finding]) == UpsertCounts(unchanged=1)
    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    assert (record.state, record.pending_push) == (AlertState.DISMISSED, True)


# --- Datetimes ----------------------------------------------------------------------------


async def test_datetimes_come_back_utc_aware(engine: AsyncEngine) -> None:
    plus_five = timezone(timedelta(hours=5, minutes=30))
    created = datetime(2025, 2, 3, 4, 5, 6, 789_000, tzinfo=plus_five)
    finding = dataclasses.replace(
        synthetic_finding(1),
        created_at=created,
        updated_at=created + timedelta(days=2),
        dismissed_at=created + timedelta(days=3),
    )
    await upsert_findings(engine, [finding], now=T0)

    record = await get_finding(engine, ref_of(finding))
    assert record is not None
    for value, expected in [
        (record.finding.created_at, created),
        (record.finding.updated_at, created + timedelta(days=2)),
        (record.finding.dismissed_at, created + timedelta(days=3)),
    ]:
        assert value is not None
        assert value.tzinfo == UTC
        assert value == expected
    assert record.finding.fixed_at is None
    row = await row_of(engine, finding)
    assert row.synced_at == T0
    assert row.synced_at.tzinfo == UTC
    (listed,) = await list_findings(engine, FindingFilter(states=()))
    assert listed.finding.created_at.tzinfo == UTC


async def test_a_naive_datetime_is_refused_and_nothing_is_written(engine: AsyncEngine) -> None:
    naive = dataclasses.replace(synthetic_finding(1), created_at=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="naive datetime"):
        await upsert_findings(engine, [synthetic_finding(2), naive])
    assert await count_findings(engine) == {}
    assert gc.isenabled(), "the collector paused for the rows must be running again"


async def test_the_collector_runs_again_after_an_upsert(engine: AsyncEngine) -> None:
    assert gc.isenabled()
    await upsert_findings(engine, batch(range(5)))
    assert gc.isenabled()


# --- Reads --------------------------------------------------------------------------------

CATALOGUE = [
    make(0, repo="acme/web", number=1, state=AlertState.OPEN, severity=Severity.CRITICAL),
    make(1, repo="acme/web", number=2, state=AlertState.DISMISSED, severity=Severity.HIGH),
    make(2, repo="acme/web-admin", number=1, state=AlertState.OPEN, severity=Severity.LOW),
    make(3, repo="Acme/Web-Legacy", number=5, state=AlertState.FIXED, severity=Severity.HIGH),
    make(4, repo="acme/api", number=3, state=AlertState.OPEN, severity=Severity.MEDIUM),
    make(5, repo="octo/web", number=9, state=AlertState.AUTO_DISMISSED, severity=Severity.LOW),
    make(6, repo="octo/tools", number=4, state=AlertState.OPEN, severity=Severity.HIGH),
]


def refs(records: Iterable[Any]) -> list[str]:
    return [r.finding.ref for r in records]


@pytest.fixture
async def catalogue(engine: AsyncEngine) -> AsyncEngine:
    assert await upsert_findings(engine, CATALOGUE) == UpsertCounts(created=len(CATALOGUE))
    return engine


async def test_default_filter_lists_only_effectively_open_findings(
    catalogue: AsyncEngine,
) -> None:
    assert refs(await list_findings(catalogue, FindingFilter())) == [
        "acme/api#3",
        "acme/web#1",
        "acme/web-admin#1",
        "octo/tools#4",
    ]
    # A local dismissal hides an open finding; a local reopen shows a dismissed one.
    await _dismiss_locally(catalogue, CATALOGUE[0], T0)
    await set_columns(catalogue, CATALOGUE[1], intent_state="open", intent_at=T0)
    assert refs(await list_findings(catalogue, FindingFilter())) == [
        "acme/api#3",
        "acme/web#2",
        "acme/web-admin#1",
        "octo/tools#4",
    ]


async def test_filter_by_states(catalogue: AsyncEngine) -> None:
    flt = FindingFilter(states=[AlertState.FIXED, AlertState.AUTO_DISMISSED])
    assert refs(await list_findings(catalogue, flt)) == ["Acme/Web-Legacy#5", "octo/web#9"]
    everything = await list_findings(catalogue, FindingFilter(states=list(AlertState)))
    assert len(everything) == len(CATALOGUE)
    assert len(await list_findings(catalogue, FindingFilter(states=()))) == len(CATALOGUE)


async def test_filter_by_severities(catalogue: AsyncEngine) -> None:
    flt = FindingFilter(states=list(AlertState), severities=[Severity.HIGH, Severity.CRITICAL])
    assert refs(await list_findings(catalogue, flt)) == [
        "Acme/Web-Legacy#5",
        "acme/web#1",
        "acme/web#2",
        "octo/tools#4",
    ]
    open_high = FindingFilter(severities=[Severity.HIGH])
    assert refs(await list_findings(catalogue, open_high)) == ["octo/tools#4"]


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("acme/web", ["acme/web#1", "acme/web#2"]),
        ("ACME/WEB*", ["Acme/Web-Legacy#5", "acme/web#1", "acme/web#2", "acme/web-admin#1"]),
        ("*/web", ["acme/web#1", "acme/web#2", "octo/web#9"]),
        ("octo/*", ["octo/tools#4", "octo/web#9"]),
        ("acme/w?b-*", ["Acme/Web-Legacy#5", "acme/web-admin#1"]),
        ("nobody/*", []),
    ],
)
async def test_filter_by_repo_glob_is_case_insensitive(
    catalogue: AsyncEngine, glob: str, expected: list[str]
) -> None:
    flt = FindingFilter(states=list(AlertState), repo_glob=glob)
    assert refs(await list_findings(catalogue, flt)) == expected


async def test_filter_by_owner_is_case_insensitive(catalogue: AsyncEngine) -> None:
    flt = FindingFilter(states=list(AlertState), owner="ACME")
    assert refs(await list_findings(catalogue, flt)) == [
        "Acme/Web-Legacy#5",
        "acme/api#3",
        "acme/web#1",
        "acme/web#2",
        "acme/web-admin#1",
    ]
    assert refs(await list_findings(catalogue, FindingFilter(owner="octo"))) == ["octo/tools#4"]


async def test_limit_caps_the_list_after_filtering(catalogue: AsyncEngine) -> None:
    assert refs(await list_findings(catalogue, FindingFilter(limit=2))) == [
        "acme/api#3",
        "acme/web#1",
    ]
    flt = FindingFilter(states=list(AlertState), repo_glob="*/web", limit=2)
    assert refs(await list_findings(catalogue, flt)) == ["acme/web#1", "acme/web#2"]


async def test_listed_records_leave_out_raw_payload(catalogue: AsyncEngine) -> None:
    (record, *_) = await list_findings(catalogue, FindingFilter(states=list(AlertState)))
    assert record.finding.raw == {}
    assert record.finding.description == ""


async def test_get_finding_returns_raw_and_description_case_insensitively(
    catalogue: AsyncEngine,
) -> None:
    original = CATALOGUE[3]
    record = await get_finding(catalogue, FindingRef.parse("acme/web-legacy#5"))
    assert record is not None
    assert record.finding.ref == "Acme/Web-Legacy#5"
    assert record.finding.raw == original.raw
    assert record.finding.description == original.raw["security_advisory"]["description"]
    assert record.finding.description.startswith("An attacker can do harm.")
    assert record.finding.severity is Severity.HIGH
    assert record.finding.cwe_ids == ["CWE-79"]
    assert record.finding.epss_percentage == pytest.approx(0.0042)

    upper = await get_finding(catalogue, FindingRef.parse("ACME/WEB#2"))
    assert upper is not None
    assert upper.finding.ref == "acme/web#2"


@pytest.mark.parametrize("ref", ["acme/web#3", "acme/nothing#1", "other/web#1"])
async def test_get_finding_of_an_unknown_ref_is_none(catalogue: AsyncEngine, ref: str) -> None:
    assert await get_finding(catalogue, FindingRef.parse(ref)) is None


async def test_count_findings_per_effective_state(catalogue: AsyncEngine) -> None:
    assert await count_findings(catalogue) == {
        "open": 4,
        "dismissed": 1,
        "fixed": 1,
        "auto_dismissed": 1,
    }
    await _dismiss_locally(catalogue, CATALOGUE[0], T0)
    await _dismiss_locally(catalogue, CATALOGUE[4], T0)
    assert await count_findings(catalogue) == {
        "open": 2,
        "dismissed": 3,
        "fixed": 1,
        "auto_dismissed": 1,
    }


# --- Volume -------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [None, 700], ids=["store-chunk", "chunk-700"])
async def test_upsert_of_3000_findings_chunks_with_exact_counts(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    """Seven repositories, so chunk boundaries fall inside a repository's span of numbers;
    once with the store's own CHUNK, once with a size that leaves several boundaries."""
    if chunk is not None:
        monkeypatch.setattr(findings_store, "CHUNK", chunk)
    total = 3000
    assert total > findings_store.CHUNK

    def population(indices: Iterable[int]) -> list[Finding]:
        return [synthetic_finding(i, repos=7) for i in indices]

    first = population(range(total))
    assert await upsert_findings(engine, first) == UpsertCounts(created=total)
    assert sum((await count_findings(engine)).values()) == total

    # One call: 1,000 new, 2,000 stored of which every 97th changed, interleaved by repo.
    second = population(range(1000, total + 1000))
    stored = {f.ref for f in first[1000:]}
    k = 0
    for i, finding in enumerate(second):
        if finding.ref in stored and i % 97 == 0:
            second[i] = changed(finding)
            k += 1
    assert k > 10
    counts = await upsert_findings(engine, second)
    assert counts == UpsertCounts(created=1000, updated=k, unchanged=2000 - k)
    assert sum((await count_findings(engine)).values()) == total + 1000


# --- SQLite specifics ---------------------------------------------------------------------


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'secagent.db'}"


async def test_sqlite_runs_in_wal_mode_with_large_pages(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path))
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
            timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one()
            page_size = (await conn.exec_driver_sql("PRAGMA page_size")).scalar_one()
        assert mode == "wal"
        assert timeout == 30000
        assert page_size == 65536
        assert (tmp_path / "nested" / "secagent.db").exists()
    finally:
        await engine.dispose()


async def test_sqlite_write_transactions_on_two_engines_serialise(tmp_path: Path) -> None:
    """Both read a counter and write it back plus one: with the write lock taken at BEGIN the
    second waits for the first to commit, then reads its value; nothing fails."""
    url = sqlite_url(tmp_path)
    first, second = create_engine(url), create_engine(url)
    try:
        async with first.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
            await conn.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")

        log: list[str] = []
        first_holds, second_entered, release = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def increment(engine: AsyncEngine, name: str) -> None:
            async with write_transaction(engine) as conn:
                log.append(f"{name} in")
                if name == "second":
                    second_entered.set()
                n = (await conn.exec_driver_sql("SELECT n FROM counter")).scalar_one()
                if name == "first":
                    first_holds.set()
                    await release.wait()
                await conn.exec_driver_sql(f"UPDATE counter SET n = {n + 1}")
            log.append(f"{name} out")

        async def second_after_first() -> None:
            await first_holds.wait()
            log.append("second begins")
            await increment(second, "second")

        tasks = [
            asyncio.create_task(increment(first, "first")),
            asyncio.create_task(second_after_first()),
        ]
        await asyncio.wait_for(first_holds.wait(), 10)
        # The second transaction is blocked in BEGIN IMMEDIATE while the first holds the lock.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.shield(second_entered.wait()), 0.5)
        assert log == ["first in", "second begins"]
        release.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)

        assert log == ["first in", "second begins", "first out", "second in", "second out"]
        async with first.connect() as conn:
            assert (await conn.exec_driver_sql("SELECT n FROM counter")).scalar_one() == 2
    finally:
        await first.dispose()
        await second.dispose()


async def test_sqlite_stores_utc_as_integer_microseconds_that_sort_by_time(
    tmp_path: Path,
) -> None:
    engine = create_engine(sqlite_url(tmp_path))
    try:
        await upgrade(engine)
        plus_two = timezone(timedelta(hours=2))
        # Wall clock says b > a, but a is the later instant.
        a = make(1, updated_at=datetime(2025, 1, 1, 12, 0, 0, 5, tzinfo=UTC))
        b = make(2, updated_at=datetime(2025, 1, 1, 13, 0, tzinfo=plus_two))
        await upsert_findings(engine, [a, b])
        async with engine.connect() as conn:
            latest = (
                await conn.execute(select(func.max(schema.findings.c.updated_at)))
            ).scalar_one()
            stored = (
                await conn.exec_driver_sql("SELECT updated_at FROM findings ORDER BY number")
            ).scalars()
            values = list(stored)
        assert latest == a.updated_at
        assert values == [1_735_732_800_000_005, 1_735_729_200_000_000]
    finally:
        await engine.dispose()


_TEXT_TIME_ROWS = [
    ("2025-01-02 03:04:05.678901", datetime(2025, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC)),
    ("1969-12-31 23:59:59.500000", datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)),
]
"""Times as SQLAlchemy wrote them on SQLite before revision 0003, and what they mean."""


async def _insert_text_time_watermarks(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for n, (text, _) in enumerate(_TEXT_TIME_ROWS):
            await conn.exec_driver_sql(
                "INSERT INTO sync_watermarks (owner_kind, owner_name, watermark, advanced_at)"
                " VALUES ('org', ?, ?, ?)",
                (f"owner{n}", text, text),
            )


async def _stored_watermarks(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(
            "SELECT watermark, advanced_at FROM sync_watermarks ORDER BY owner_name"
        )
        return [tuple(row) for row in result]


async def test_upgrade_to_0003_turns_sqlite_text_times_into_the_same_instants(
    tmp_path: Path,
) -> None:
    engine = create_engine(sqlite_url(tmp_path))
    try:
        await upgrade(engine, "0002")
        await _insert_text_time_watermarks(engine)
        await upgrade(engine)
        for n, (_, instant) in enumerate(_TEXT_TIME_ROWS):
            owner = Owner(OwnerKind.ORG, f"owner{n}")
            assert await get_watermark(engine, owner) == instant
        assert await _stored_watermarks(engine) == [
            (to_micros(instant), to_micros(instant)) for _, instant in _TEXT_TIME_ROWS
        ]
    finally:
        await engine.dispose()


def test_0003_converts_every_time_column_of_the_schema() -> None:
    """A time column missing from the migration's list would keep text among integers."""
    migration = importlib.import_module(
        "secagent_tui.store.migrations.versions.0003_sqlite_times_as_integers"
    )
    in_schema = {
        (table.name, column.name)
        for table in schema.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, schema.UtcDateTime)
    }
    converted = {
        (table, column) for table, columns in migration.TIME_COLUMNS.items() for column in columns
    }
    # Created by later migrations as integer times from the start.
    later = {
        ("findings", "auto_pinned_at"),
        ("intents", "next_attempt_at"),
        ("write_limits", "next_at"),
        ("findings", "previous_verdict_at"),
        ("findings", "intent_assignees_at"),
        ("findings", "snoozed_at"),
        ("presence", "expires_at"),
    }
    assert converted == in_schema - later


async def test_downgrade_from_0003_gives_back_the_text_it_converted(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path))
    try:
        await upgrade(engine, "0002")
        await _insert_text_time_watermarks(engine)
        await upgrade(engine)
        await downgrade(engine, "0002")
        assert await _stored_watermarks(engine) == [(t, t) for t, _ in _TEXT_TIME_ROWS]
    finally:
        await engine.dispose()
