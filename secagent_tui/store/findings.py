"""Findings: the bulk upsert a sync uses, and the reads the CLI and TUI use.

The upsert classifies each incoming alert against what is stored (one SELECT per chunk),
inserts the new ones and updates only the changed ones, all with `executemany`. That gives
exact created/updated/unchanged counts and writes nothing for unchanged rows.
It writes GitHub's columns only: analysis columns are never in its SET clause, and an
analyst's intent survives unless GitHub reports a change newer than the intent (merge rule).
"""

from __future__ import annotations

import gc
import json
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Result, Row
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.decision import PushStatus, SnoozeState
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Finding, Scope, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.triage import StoredTriage
from secagent_tui.domain.verdict import Verdict
from secagent_tui.store.bulk_sql import HASH_INDEX, FindingBulkSql
from secagent_tui.store.db import write_transaction
from secagent_tui.store.documents import typed_doc
from secagent_tui.store.schema import findings

CHUNK = 2000
_row_key = itemgetter(0, 1)
"""A built row's (repo, number)."""


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


async def upsert_findings(
    engine: AsyncEngine, batch: Iterable[Finding], *, now: datetime | None = None
) -> UpsertCounts:
    """Upsert in chunks of CHUNK rows, one write transaction each."""
    sql = FindingBulkSql(engine.dialect.name)
    synced = sql.synced_at(now or datetime.now(UTC))
    # Every value is built (and checked) before the first write, so a bad finding changes
    # nothing. Rows are built in the order given, which is the order the findings were
    # allocated in: walking their payloads in key order instead missed the CPU cache on
    # every row and took about 1.5x as long.
    counts = UpsertCounts()
    with collector_paused():
        built = {_row_key(row): row for row in (sql.values(f, synced) for f in batch)}
        # One row per alert (the last one given wins), sorted so that a chunk covers few
        # repositories, each a contiguous span of numbers. The rows themselves are compared:
        # each begins with its unique (repo, number), so that decides, and no key is built.
        rows = sorted(built.values())
        del built
        for start in range(0, len(rows), CHUNK):
            counts += await _write_chunk(engine, sql, rows[start : start + CHUNK])
        del rows
    return counts


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects that form no cycle exist: a
    batch's rows here, an export's records and documents in `secagent findings`.

    Each row is a new tuple, so tens of thousands of them set off collections that walk every
    object the process holds (a sync holds all its parsed alerts): a third of the upsert's
    time. The pause lasts until the rows are freed, since the first collection after it would
    still walk every row once. The rows hold only strings and numbers, so they form no cycle;
    other tasks that run during the writes (about a second per 50,000 rows) only have their
    cycles collected a little later.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _write_chunk(
    engine: AsyncEngine, sql: FindingBulkSql, rows: list[tuple[Any, ...]]
) -> UpsertCounts:
    async with write_transaction(engine) as conn:
        spans = _spans_of(rows)
        result = await conn.exec_driver_sql(
            sql.stored_sql(len(spans)), tuple(v for span in spans for v in span)
        )
        stored = {(repo, number): digest for repo, number, digest in result.all()}
        new, changed = _classify(rows, stored)
        if new:
            await conn.exec_driver_sql(sql.insert_sql, new)
        if changed:
            await conn.exec_driver_sql(sql.update_sql, changed)
    return UpsertCounts(len(new), len(changed), len(rows) - len(new) - len(changed))


def _classify(
    rows: list[tuple[Any, ...]], stored: dict[tuple[str, int], str]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(new rows, changed rows): unknown keys, and known keys whose content hash differs."""
    if not stored:
        return rows, []
    new, changed = [], []
    for row in rows:
        digest = stored.get(_row_key(row))
        if digest is None:
            new.append(row)
        elif digest != row[HASH_INDEX]:
            changed.append(row)
    return new, changed


def _spans_of(rows: Sequence[tuple[Any, ...]]) -> list[tuple[str, int, int]]:
    """(repo, lowest, highest number) per repository of a sorted chunk."""
    spans: dict[str, list[int]] = {}
    for row in rows:
        repo, number = row[0], row[1]
        span = spans.get(repo)
        if span is None:
            spans[repo] = [number, number]
        else:
            span[1] = number
    return [(repo, low, high) for repo, (low, high) in spans.items()]


_EFFECTIVE_STATE = findings.c.effective_state

LIST_COLUMNS = [
    c
    for c in findings.c
    # A record reads none of these; the evidence document (kilobytes once a finding has been
    # analysed) would be decoded for every row of a list only to be dropped, and SQLite
    # would compute the campaign index's derived columns for every row.
    if c.name
    not in (
        "raw_json",
        "content_hash",
        "severity_order",
        "repo_key",
        "evidence",
        "has_verdict",
        "evidence_usage",
    )
]


async def list_findings(
    engine: AsyncEngine,
    flt: FindingFilter,
    *,
    days: SlaDays | None = None,
    now: datetime | None = None,
) -> list[FindingRecord]:
    """States, severities and owner narrow the query in SQL; the rest of the filter (which
    needs the SLA days and the time for `overdue`) is applied to the rows."""
    stmt = select(*LIST_COLUMNS).order_by(findings.c.repo, findings.c.number)
    if flt.states and len(flt.states) < len(AlertState):
        stmt = stmt.where(_EFFECTIVE_STATE.in_([s.value for s in flt.states]))
    if flt.severities:
        stmt = stmt.where(findings.c.severity.in_([s.value for s in flt.severities]))
    if flt.owner:
        stmt = stmt.where(findings.c.owner == flt.owner.lower())
    async with engine.connect() as conn:
        result = await conn.execute(stmt)
        records = records_from_result(result)
    days, now = days or SlaDays(), now or datetime.now(UTC)
    records = [r for r in records if flt.matches(r, days, now)]
    return records[: flt.limit] if flt.limit else records


_EVIDENCE_CHUNK = 1000


async def evidence_of(engine: AsyncEngine, ids: Sequence[int]) -> dict[int, Any]:
    """The evidence documents of these findings (those that have one), by id: what a list
    leaves out (kilobytes each) for the one export that needs them, SARIF's usage
    locations. Read in chunks, so that no statement binds more parameters than a driver
    takes."""
    found: dict[int, Any] = {}
    async with engine.connect() as conn:
        for start in range(0, len(ids), _EVIDENCE_CHUNK):
            stmt = select(findings.c.id, findings.c.evidence).where(
                findings.c.id.in_(ids[start : start + _EVIDENCE_CHUNK]),
                findings.c.evidence.is_not(None),
            )
            found.update((row.id, row.evidence) for row in await conn.execute(stmt))
    return found


async def get_finding(engine: AsyncEngine, ref: FindingRef) -> FindingRecord | None:
    return await _get_one(
        engine,
        select(findings).where(
            func.lower(findings.c.repo) == ref.repo.lower(), findings.c.number == ref.number
        ),
    )


async def get_finding_by_id(engine: AsyncEngine, finding_id: int) -> FindingRecord | None:
    return await _get_one(engine, select(findings).where(findings.c.id == finding_id))


async def _get_one(engine: AsyncEngine, stmt: Any) -> FindingRecord | None:
    """One finding with its full payload (description, references) for a detailed view."""
    async with engine.connect() as conn:
        row = (await conn.execute(stmt)).first()
    if row is None:
        return None
    record = record_from_row(row)
    record.finding.raw = json.loads(row.raw_json)
    record.finding.description = record.finding.raw.get("security_advisory", {}).get(
        "description", ""
    )
    return record


async def distinct_ecosystems(engine: AsyncEngine) -> list[str]:
    """Every ecosystem the stored findings name (the filter menu offers each)."""
    stmt = select(findings.c.ecosystem).distinct()
    async with engine.connect() as conn:
        return sorted(str(e) for e in (await conn.scalars(stmt)).all() if e)


async def count_findings(engine: AsyncEngine) -> dict[str, int]:
    """Findings per effective state, for `stats` and the TUI header."""
    stmt = select(_EFFECTIVE_STATE, func.count()).group_by(_EFFECTIVE_STATE)
    async with engine.connect() as conn:
        return {state: n for state, n in (await conn.execute(stmt)).all()}


def record_from_row(row: Row[Any]) -> FindingRecord:
    return _record_at(row, _positions(row._fields))


def records_from_result(result: Result[Any]) -> list[FindingRecord]:
    """Every row of `result` as a record, the columns' positions looked up once for all."""
    at = _positions(result.keys())
    return [_record_at(row, at) for row in result]


_Positions = namedtuple(
    "_Positions",
    """
    repo number state severity package ecosystem manifest_path scope relationship
    ghsa_id cve_id summary cvss_score cvss_vector epss_percentage epss_percentile
    cwe_ids vulnerable_version_range patched_version html_url created_at updated_at
    dismissed_at fixed_at dismissed_reason dismissed_comment id intent_state
    intent_reason intent_comment pending_push analysis_status triage verdict
    analysis_error auto_pinned_at push_status push_error previous_verdict
    previous_verdict_at assignees intent_assignees intent_assignees_at snooze_state
    """,
)
"""Where each column a record is made of sits among a result's columns."""


def _positions(keys: Iterable[str]) -> _Positions:
    index = {name: i for i, name in enumerate(keys)}
    return _Positions(*(index[name] for name in _Positions._fields))


# Members by stored word: a dict lookup is a tenth of the Enum call it stands in for; a word
# no member has still goes through the call, which refuses it as before.
_ALERT_STATES = {member.value: member for member in AlertState}
_SEVERITIES = {member.value: member for member in Severity}
_ANALYSIS_STATUSES = {member.value: member for member in AnalysisStatus}


def _record_at(row: Sequence[Any], at: _Positions) -> FindingRecord:
    """A record from one row's values, each read at its column's position: reading a
    SQLAlchemy `Row` by attribute (~0.6 µs a column), or making a dict of it first, was half
    of a 10,000-finding export."""
    finding = Finding(
        repo=row[at.repo],
        number=row[at.number],
        state=_ALERT_STATES.get(row[at.state]) or AlertState(row[at.state]),
        severity=_SEVERITIES.get(row[at.severity]) or Severity(row[at.severity]),
        package=row[at.package],
        ecosystem=row[at.ecosystem],
        manifest_path=row[at.manifest_path],
        scope=Scope(row[at.scope]) if row[at.scope] else None,
        relationship=row[at.relationship],
        ghsa_id=row[at.ghsa_id],
        cve_id=row[at.cve_id],
        summary=row[at.summary],
        cvss_score=row[at.cvss_score],
        cvss_vector=row[at.cvss_vector],
        epss_percentage=row[at.epss_percentage],
        epss_percentile=row[at.epss_percentile],
        cwe_ids=list(row[at.cwe_ids] or []),
        vulnerable_version_range=row[at.vulnerable_version_range],
        patched_version=row[at.patched_version],
        html_url=row[at.html_url],
        created_at=row[at.created_at],
        updated_at=row[at.updated_at],
        dismissed_at=row[at.dismissed_at],
        fixed_at=row[at.fixed_at],
        dismissed_reason=row[at.dismissed_reason],
        dismissed_comment=row[at.dismissed_comment],
        assignees=tuple(row[at.assignees] or ()),
    )
    return FindingRecord(
        id=row[at.id],
        finding=finding,
        intent_state=AlertState(row[at.intent_state]) if row[at.intent_state] else None,
        intent_reason=row[at.intent_reason],
        intent_comment=row[at.intent_comment],
        pending_push=bool(row[at.pending_push]),
        analysis_status=_ANALYSIS_STATUSES.get(row[at.analysis_status])
        or AnalysisStatus(row[at.analysis_status]),
        triage=typed_doc(StoredTriage, row[at.triage]),
        verdict=typed_doc(Verdict, row[at.verdict]),
        analysis_error=row[at.analysis_error],
        auto_pinned_at=row[at.auto_pinned_at],
        push_status=PushStatus(row[at.push_status]) if row[at.push_status] else None,
        push_error=row[at.push_error],
        previous_verdict=typed_doc(Verdict, row[at.previous_verdict]),
        previous_verdict_at=row[at.previous_verdict_at],
        intent_assignees=_logins(row[at.intent_assignees]),
        intent_assignees_at=row[at.intent_assignees_at],
        snooze=SnoozeState(row[at.snooze_state]) if row[at.snooze_state] else None,
    )


def _logins(value: Any) -> tuple[str, ...] | None:
    """A stored assignment (NULL: none; `[]`: the analyst cleared the assignees)."""
    return None if value is None else tuple(value)
