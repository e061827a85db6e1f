"""One window of the findings list — what the analyst's queue (the TUI's main screen) shows:
filter, sort and cap in SQL, plus the total count. ("Queue" is the analyst's list; background
work is "jobs", store/jobs.py — docs/architecture.md, "Names".)

With tens of thousands of findings, loading every row to filter and sort in Python took
seconds per refresh; here the database does it with the same rules as `FindingFilter.matches`
and the same order as the table's columns, and only the visible window becomes objects.

The queue scrolls through every finding of a filter by keyset pagination (`finding_page`):
each row comes with its sort key, and the next window is the rows before or after a key
(a seek on the sort key and the id), never an OFFSET that re-reads everything above it and
shifts when rows come or go above the window. Every key is non-NULL by construction (the
order coalesces what may be missing, e.g. no scope sorts as ""), so a seek compares the same
values the order sorts by.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from secagent_tui.domain.filters import UNASSIGNED, FindingFilter
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.store.findings import LIST_COLUMNS, record_from_row
from secagent_tui.store.schema import SEVERITY_ORDER, findings
from secagent_tui.store.times import MICROS_PER_DAY

_STATE = findings.c.effective_state
_severity_order = findings.c.severity_order
_JOB = case(
    (findings.c.analysis_status == "running", 0),
    (findings.c.analysis_status == "queued", 1),
    (findings.c.analysis_status == "failed", 2),
    (findings.c.analysis_status == "completed", 3),
    else_=4,
)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _glob_to_like(glob: str) -> str:
    return _like(glob.lower()).replace("*", "%").replace("?", "_")


def overdue_condition(days: SlaDays, now: datetime) -> Any:
    """Open and past its SLA due date, as SQL (the rule of `FindingRecord.overdue`)."""
    return and_(
        AlertState.OPEN.value == _STATE,
        or_(
            *(
                and_(
                    _severity_order == SEVERITY_ORDER[s.value],
                    findings.c.created_at < now - timedelta(days=days.days_for(s)),
                )
                for s in Severity
            )
        ),
    )


def _exploitable(dialect: str) -> Any:
    """'true' or 'false' for a boolean verdict, anything else for "unknown" or none.

    JSON booleans must not be compared as SQL booleans: SQLite would read the string
    "unknown" as 0, i.e. false."""
    if dialect == "sqlite":
        return func.json_type(findings.c.verdict, "$.is_exploitable")
    return func.json_extract_path_text(findings.c.verdict, "is_exploitable")


def conditions(flt: FindingFilter, days: SlaDays, now: datetime, dialect: str) -> list[Any]:
    """`flt` as SQL; one condition per field that is set."""
    where = _alert_conditions(flt) + _work_conditions(flt, days, now, dialect)
    if flt.text:
        where.append(_text_condition(flt.text))
    return where


def _alert_conditions(flt: FindingFilter) -> list[Any]:
    """Conditions on what GitHub says of the alert: state, severity, package, scope, place."""
    where: list[Any] = []
    if flt.states and len(flt.states) < len(AlertState):
        where.append(_STATE.in_([s.value for s in flt.states]))
    if flt.severities:
        where.append(_severity_order.in_([SEVERITY_ORDER[s.value] for s in flt.severities]))
    if flt.min_severity is not None:
        # Severity order is most severe first: "at least high" is "order <= high's".
        where.append(_severity_order <= SEVERITY_ORDER[flt.min_severity.value])
    if flt.ecosystems:
        where.append(func.lower(findings.c.ecosystem).in_([e.lower() for e in flt.ecosystems]))
    if flt.scope is not None:
        where.append(findings.c.scope == flt.scope.value)
    if flt.repo_glob:
        where.append(findings.c.repo_key.like(_glob_to_like(flt.repo_glob), escape="\\"))
    if flt.owner:
        where.append(findings.c.owner == flt.owner.lower())
    return where


def _work_conditions(flt: FindingFilter, days: SlaDays, now: datetime, dialect: str) -> list[Any]:
    """Conditions on the work done or due: verdict, exploitability, SLA, a pending push, the
    assignees, a snooze."""
    where: list[Any] = []
    if flt.has_verdict is not None:
        has = findings.c.verdict.isnot(None)
        where.append(has if flt.has_verdict else not_(has))
    if flt.exploitable is not None:
        where.append(_exploitable(dialect) == ("true" if flt.exploitable else "false"))
    if flt.overdue is not None:
        overdue = overdue_condition(days, now)
        where.append(overdue if flt.overdue else not_(overdue))
    if flt.pending_push is not None:
        where.append(findings.c.pending_push.is_(flt.pending_push))
    if flt.assignee is not None:
        where.append(assignee_condition(flt.assignee))
    if flt.snooze is not None:
        where.append(findings.c.snooze_state == flt.snooze.value)
    return where


def assignee_condition(assignee: str) -> Any:
    """The effective assignees (the analyst's assignment, else GitHub's) hold `assignee`,
    or none for UNASSIGNED: a LIKE over the JSON list's text, which reads the same on both
    backends (a login is letters, digits and hyphens, so `"login"` can only match a whole
    element; the case is folded as GitHub folds logins)."""
    effective = func.lower(
        func.coalesce(cast(findings.c.intent_assignees, Text), cast(findings.c.assignees, Text))
    )
    if assignee == UNASSIGNED:
        return not_(effective.like('%"%'))
    return effective.like(f'%"{_like(assignee.lower())}"%', escape="\\")


def _text_condition(text: str) -> Any:
    """The search text, case-insensitive, anywhere in the repository, package, ids or summary."""
    pattern = f"%{_like(text.lower())}%"
    return or_(
        *(
            func.lower(func.coalesce(column, "")).like(pattern, escape="\\")
            for column in (
                findings.c.repo,
                findings.c.package,
                findings.c.ghsa_id,
                findings.c.cve_id,
                findings.c.summary,
            )
        )
    )


INDEX_STEER = _severity_order >= 0
"""Always true (the order is 0-3), but a condition on the first column of `ix_findings_queue`
is what makes SQLite scan that narrow index instead of the wide table (4x faster); add it to
a query only when the index holds every column the query reads."""


def _index_covers(flt: FindingFilter) -> bool:
    """Whether every condition of `flt` reads only columns of `ix_findings_queue`."""
    return not (
        flt.owner
        or flt.text
        or flt.has_verdict is not None
        or flt.exploitable is not None
        or flt.assignee is not None
        or flt.snooze is not None
    )


def _due_days(dialect: str, days: SlaDays) -> Any:
    """SLA due date as a number of days, comparable within one dialect."""
    offset = case(
        *((findings.c.severity == s.value, literal(days.days_for(s))) for s in Severity),
        else_=literal(days.low),
    )
    if dialect == "sqlite":
        # Integer microseconds since the epoch (`store.times`), divided as a float.
        return type_coerce(findings.c.created_at, Float) / MICROS_PER_DAY + offset
    return cast(func.extract("epoch", findings.c.created_at), Float) / 86400 + offset


def sort_keys(column: str, dialect: str, days: SlaDays) -> list[Any]:
    """The table column's order (see `tui/format.py`): its value, then repository, number."""

    def text(expr: Any) -> Any:
        # Python compares code points; PostgreSQL's default collation would not.
        return expr.collate("C") if dialect == "postgresql" else expr

    keys: dict[str, list[Any]] = {
        "severity": [_severity_order],
        "repo": [],
        "package": [text(func.lower(findings.c.package))],
        "advisory": [text(findings.c.ghsa_id)],
        "scope": [text(func.coalesce(findings.c.scope, ""))],
        "age": [findings.c.created_at],
        "sla": [
            case((AlertState.OPEN.value == _STATE, 0), else_=1),
            _due_days(dialect, days),
        ],
        "state": [text(_STATE), findings.c.pending_push],
        "triage": [text(func.coalesce(findings.c.triage["suggested_action"].as_string(), "~"))],
        "verdict": [
            case(
                (findings.c.verdict.is_(None), 3),
                (_exploitable(dialect) == "true", 0),
                (_exploitable(dialect) == "false", 2),
                else_=1,
            )
        ],
        "job": [_JOB],
    }
    # Code-point order on both backends; the id makes every key unique, so a seek never
    # skips or repeats a row (repository and number are unique already, in any case).
    tie = [findings.c.repo_key, findings.c.number, findings.c.id]
    return [*keys.get(column, keys["severity"]), *tie]


SortKey = tuple[Any, ...]
"""One row's values of `sort_keys`, in order: what a seek starts from."""

_COVERED_SORTS = frozenset({"severity", "repo", "scope", "age", "state"})
"""Sorts whose keys read only columns of `ix_findings_queue` (and the id)."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a window is read: from the top or the bottom of the order, around a sort key
    (the rows before it and the rows from it on; the key's row need not exist any more),
    around a finding (its key in this order, whatever the order was before), or around a
    position (a scrollbar drag far from anything read: the one positional lookup)."""

    kind: str = "top"
    key: SortKey | None = None
    finding_id: int | None = None
    position: int = 0

    @classmethod
    def top(cls) -> Anchor:
        return cls("top")

    @classmethod
    def bottom(cls) -> Anchor:
        return cls("bottom")

    @classmethod
    def at_key(cls, key: SortKey) -> Anchor:
        return cls("key", key=tuple(key))

    @classmethod
    def at_finding(cls, finding_id: int) -> Anchor:
        return cls("finding", finding_id=finding_id)

    @classmethod
    def at_position(cls, position: int) -> Anchor:
        return cls("position", position=max(0, position))


@dataclass(frozen=True, slots=True)
class FindingPage:
    """A window of a filter's order: `records[i]` is at position `start + i` of `total`,
    and `keys[i]` is its sort key. `marked` are the asked-for findings that the filter
    still selects, wherever they are in the order."""

    records: list[FindingRecord]
    keys: list[SortKey]
    start: int
    total: int
    marked: list[FindingRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """What a front end asks of `finding_page`: where, how many rows each side, and which
    marked findings to read back."""

    anchor: Anchor = field(default_factory=Anchor.top)
    before: int = 0
    after: int = 100
    marked: frozenset[int] = frozenset()


def _seek(keys: list[Any], values: SortKey, *, greater: bool, inclusive: bool) -> Any:
    """`keys` compared with `values` as a row, lexicographically, written out as ORs of
    equal prefixes: row-value comparisons lose the C collation on some backends, and this
    form is the same on both."""
    clauses = []
    last = len(keys) - 1
    # Bound with each key's type (a boolean, or a time stored as microseconds on SQLite).
    values = tuple(literal(v, type_=k.type) for k, v in zip(keys, values, strict=True))
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        if i == last and inclusive:
            cmp = key >= value if greater else key <= value
        else:
            cmp = key > value if greater else key < value
        clauses.append(and_(*(keys[j] == values[j] for j in range(i)), cmp))
    return or_(*clauses)


@dataclass(frozen=True, slots=True)
class _Query:
    """One filter in one order: the statements a page is read with."""

    where: list[Any]
    keys: list[Any]
    reverse: bool
    steer: bool

    def labeled(self) -> list[Any]:
        return [k.label(f"_sort{i}") for i, k in enumerate(self.keys)]

    def rows(self, limit: int, seek: SortKey | None, *, backward: bool = False) -> Any:
        """`limit` rows in the table's order from `seek` on (its row included), or with
        `backward` the `limit` rows before it, nearest first."""
        descending = self.reverse != backward
        stmt = select(*LIST_COLUMNS, *self.labeled()).where(*self.where)
        if seek is not None:
            stmt = stmt.where(self.seek(seek, backward=backward))
        ordered = [k.desc() if descending else k.asc() for k in self.keys]
        return stmt.order_by(*ordered).limit(limit)

    def seek(self, key: SortKey, *, backward: bool) -> Any:
        """The rows after `key` in the table's order (itself included), or before it."""
        return _seek(self.keys, key, greater=self.reverse == backward, inclusive=not backward)

    def count(self, before: SortKey | None = None) -> Any:
        """How many rows the filter selects and, with `before`, how many come before it."""
        where = [*self.where, INDEX_STEER] if self.steer else self.where
        figures = [func.count()]
        if before is not None:
            above = self.seek(before, backward=True)
            figures.append(func.coalesce(func.sum(case((above, 1), else_=0)), 0))
        return select(*figures).select_from(findings).where(*where)


async def finding_page(
    engine: AsyncEngine,
    flt: FindingFilter,
    *,
    days: SlaDays,
    now: datetime,
    sort: str = "severity",
    reverse: bool = False,
    anchor: Anchor | None = None,
    before: int = 0,
    after: int = 100,
    marked: Collection[int] = (),
) -> FindingPage:
    """Up to `before` rows before `anchor` and `after` from it on, in the table's order; the
    filter's total; and which of the `marked` findings the filter selects (their records)."""
    dialect = engine.dialect.name
    query = _Query(
        conditions(flt, days, now, dialect),
        sort_keys(sort, dialect, days),
        reverse,
        _index_covers(flt) and sort in _COVERED_SORTS,
    )
    anchor = anchor or Anchor.top()
    if anchor.kind == "finding":
        key = await _key_of(engine, query, anchor.finding_id)
        anchor = Anchor.at_key(key) if key is not None else Anchor.top()
    if anchor.kind == "top":
        rows, total, found = await _at_once(
            engine,
            _rows(engine, query.rows(after, None)),
            _counts(engine, query.count()),
            _marked(engine, query, marked),
        )
        return FindingPage(*rows, 0, total[0], found)
    if anchor.kind == "bottom":
        rows, total, found = await _at_once(
            engine,
            _rows(engine, query.rows(before, None, backward=True)),
            _counts(engine, query.count()),
            _marked(engine, query, marked),
        )
        records, keys = rows[0][::-1], rows[1][::-1]
        return FindingPage(records, keys, max(0, total[0] - len(records)), total[0], found)
    if anchor.kind == "position":
        return await _around_position(engine, query, anchor.position, before, after, marked)
    assert anchor.key is not None
    return await _around_key(engine, query, anchor.key, before, after, marked)


async def _around_key(
    engine: AsyncEngine,
    query: _Query,
    key: SortKey,
    before: int,
    after: int,
    marked: Collection[int],
) -> FindingPage:
    above, below, counts, found = await _at_once(
        engine,
        _rows(engine, query.rows(before, key, backward=True)),
        _rows(engine, query.rows(after, key)),
        _counts(engine, query.count(key)),
        _marked(engine, query, marked),
    )
    total, rank = counts
    return _joined(above, below, rank, total, found)


async def _around_position(
    engine: AsyncEngine,
    query: _Query,
    position: int,
    before: int,
    after: int,
    marked: Collection[int],
) -> FindingPage:
    """A window around a position: the key there, from the nearer end of the order, is the
    one OFFSET read (of the sort keys alone); the window itself is then a seek from it."""
    (total,) = await _counts(engine, query.count())
    if total == 0:
        return FindingPage([], [], 0, 0, [])
    position = min(position, total - 1)
    from_end = total - 1 - position
    backward = from_end < position
    descending = query.reverse != backward
    ordered = [k.desc() if descending else k.asc() for k in query.keys]
    stmt = (
        select(*query.labeled())
        .where(*query.where)
        .order_by(*ordered)
        .limit(1)
        .offset(from_end if backward else position)
    )
    async with engine.connect() as conn:
        key = tuple((await conn.execute(stmt)).one())
    above, below, found = await _at_once(
        engine,
        _rows(engine, query.rows(before, key, backward=True)),
        _rows(engine, query.rows(after, key)),
        _marked(engine, query, marked),
    )
    return _joined(above, below, position, total, found)


def _joined(
    above: tuple[list[FindingRecord], list[SortKey]],
    below: tuple[list[FindingRecord], list[SortKey]],
    rank: int,
    total: int,
    found: list[FindingRecord],
) -> FindingPage:
    """The rows before a key (nearest first, as read) and from it on, as one window. The
    reads ran on separate connections, so a write between them may leave the rank off by a
    row for one refresh; the start stays inside the total."""
    records = above[0][::-1] + below[0]
    keys = above[1][::-1] + below[1]
    start = max(0, min(rank - len(above[0]), total - len(records)))
    return FindingPage(records, keys, start, total, found)


async def _key_of(engine: AsyncEngine, query: _Query, finding_id: int | None) -> SortKey | None:
    """A finding's key in this order (whether or not the filter selects it)."""
    stmt = select(*query.labeled()).where(findings.c.id == finding_id)
    async with engine.connect() as conn:
        row = (await conn.execute(stmt)).first()
    return None if row is None else tuple(row)


async def _marked(engine: AsyncEngine, query: _Query, ids: Collection[int]) -> list[FindingRecord]:
    if not ids:
        return []
    stmt = select(*LIST_COLUMNS).where(*query.where, findings.c.id.in_(list(ids)))
    async with engine.connect() as conn:
        return [record_from_row(r) for r in await conn.execute(stmt)]


async def _at_once(engine: AsyncEngine, *reads: Coroutine[Any, Any, Any]) -> list[Any]:
    """The reads on their own connections at once (each backend releases the GIL / works
    server-side while it scans: the latency of the slowest, not of all), or in turn on the
    one shared connection of `:memory:`. The task group cancels and awaits the others if
    one fails, so nothing is left reading."""
    if isinstance(engine.pool, StaticPool):
        return [await read for read in reads]
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(read) for read in reads]
    return [task.result() for task in tasks]


async def finding_window(
    engine: AsyncEngine,
    flt: FindingFilter,
    *,
    days: SlaDays,
    now: datetime,
    sort: str = "severity",
    reverse: bool = False,
    limit: int = 1000,
) -> tuple[list[FindingRecord], int]:
    """The first `limit` findings `flt` selects in the table's order, and how many there are."""
    page = await finding_page(
        engine, flt, days=days, now=now, sort=sort, reverse=reverse, after=limit
    )
    return page.records, page.total


async def _rows(engine: AsyncEngine, stmt: Any) -> tuple[list[FindingRecord], list[SortKey]]:
    async with engine.connect() as conn:
        result = await conn.execute(stmt)
        width = len(result.keys()) - len(LIST_COLUMNS)
        rows = result.all()
    return [record_from_row(r) for r in rows], [tuple(r[-width:]) for r in rows]


async def _counts(engine: AsyncEngine, stmt: Any) -> tuple[int, ...]:
    async with engine.connect() as conn:
        return tuple(int(v) for v in (await conn.execute(stmt)).one())
