"""One window of the findings list — what the analyst's queue (the TUI's main screen) shows:
filter, sort and cap in SQL, plus the total count. ("Queue" is the analyst's list; background
work is "jobs", store/jobs.py — docs/architecture.md, "Names".)

With tens of thousands of findings, loading every row to filter and sort in Python took
seconds per refresh; here the database does it with the same rules as `FindingFilter.matches`
and the same order as the table's columns, and only the visible window becomes objects.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, not_, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from secagent_tui.domain.filters import FindingFilter
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
    """Conditions on the work done or due: verdict, exploitability, SLA, a pending push."""
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
    return where


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
    return not (flt.owner or flt.text or flt.has_verdict is not None or flt.exploitable is not None)


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
    tie = [findings.c.repo_key, findings.c.number]  # code-point order on both backends
    return [*keys.get(column, keys["severity"]), *tie]


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
    where = conditions(flt, days, now, engine.dialect.name)
    keys = sort_keys(sort, engine.dialect.name, days)
    ordered = [k.desc() if reverse else k.asc() for k in keys]
    rows_stmt = select(*LIST_COLUMNS).where(*where).order_by(*ordered).limit(limit)
    count_where = list(where)
    if _index_covers(flt):
        count_where.append(INDEX_STEER)
    count_stmt = select(func.count()).select_from(findings).where(*count_where)
    if isinstance(engine.pool, StaticPool):  # one shared connection (`:memory:`): in turn
        return await _rows(engine, rows_stmt), await _count(engine, count_stmt)
    # Two connections, so the window and the count scan at once (each backend releases the
    # GIL / works server-side while it scans): the latency of the slower, not of both. The
    # task group cancels and awaits the other if one fails, so nothing is left reading.
    async with asyncio.TaskGroup() as group:
        rows = group.create_task(_rows(engine, rows_stmt))
        count = group.create_task(_count(engine, count_stmt))
    return rows.result(), count.result()


async def _rows(engine: AsyncEngine, stmt: Any) -> list[FindingRecord]:
    async with engine.connect() as conn:
        return [record_from_row(r) for r in await conn.execute(stmt)]


async def _count(engine: AsyncEngine, stmt: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(stmt)).scalar_one())
