"""How findings look in the queue: one cell per column, each with a sort key.

Pure presentation: labels, colours, relative times computed from the app's clock (so a fixed
clock gives fixed screenshots). What a state, an SLA or a verdict *means* comes from
`domain/`; this only decides how to draw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from secagent_tui.domain.decision import PushStatus, SnoozeState
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays, sla_due_at
from secagent_tui.domain.triage import Confidence
from secagent_tui.domain.verdict import Verdict

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold #ff5f5f",
    Severity.HIGH: "#ff8700",
    Severity.MEDIUM: "#d7af00",
    Severity.LOW: "#5f87af",
}
STATE_LABEL = {
    AlertState.OPEN: "open",
    AlertState.DISMISSED: "dismissed",
    AlertState.FIXED: "fixed",
    AlertState.AUTO_DISMISSED: "auto-dism",
}
STATE_STYLE = {
    AlertState.OPEN: "",
    AlertState.DISMISSED: "dim",
    AlertState.FIXED: "green",
    AlertState.AUTO_DISMISSED: "dim",
}
JOB_LABEL = {
    AnalysisStatus.NONE: ("—", "dim"),
    AnalysisStatus.QUEUED: ("queued", "#5fafff"),
    AnalysisStatus.RUNNING: ("running", "bold #5fafff"),
    AnalysisStatus.COMPLETED: ("done", "green"),
    AnalysisStatus.FAILED: ("failed", "bold red"),
}
_JOB_ORDER = {
    AnalysisStatus.RUNNING: 0,
    AnalysisStatus.QUEUED: 1,
    AnalysisStatus.FAILED: 2,
    AnalysisStatus.COMPLETED: 3,
    AnalysisStatus.NONE: 4,
}
TRIAGE_LABEL = {"dismiss": "dismiss", "analyze_codebase": "analyze", "manual_review": "review"}
MARK = "●"
PENDING_MARK = "*"
RETRY_MARK = "~"  # a push that failed for a transient reason and will be tried again
REFUSED_MARK = "!"  # GitHub refused the decision for good; the state is GitHub's again
SNOOZE_MARK = {
    SnoozeState.SNOOZED: "z",  # dismissed until a patch exists
    SnoozeState.PATCH_AVAILABLE: "+",  # reopened from a snooze: a patch exists now
}
PATCH_STYLE = "bold #5fd75f"


def since(then: datetime, now: datetime, *, relative: bool) -> str:
    """A moment as `ui.relative_times` asks: "12m ago", or the UTC date and minute."""
    if relative:
        return f"{ago(then, now)} ago"
    return then.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ago(then: datetime | None, now: datetime) -> str:
    """A short relative age: 45s, 12m, 5h, 3d, 4mo, 2y."""
    if then is None:
        return "—"
    seconds = max(0, int((now - then).total_seconds()))
    for limit, unit, size in (
        (60, "s", 1),
        (3600, "m", 60),
        (86400, "h", 3600),
        (86400 * 60, "d", 86400),
        (86400 * 730, "mo", 86400 * 30),
    ):
        if seconds < limit:
            return f"{seconds // size}{unit}"
    return f"{seconds // (86400 * 365)}y"


def confidence_initial(confidence: Confidence | None) -> str:
    return f"·{confidence.value[:1]}" if confidence else ""


def verdict_label(verdict: Verdict | None) -> tuple[str, str, int]:
    """(label, style, sort rank) of a verdict's exploitability."""
    if not verdict:
        return "—", "dim", 3
    value = verdict.is_exploitable
    conf = confidence_initial(verdict.confidence)
    if value is True:
        return f"exploit{conf}", "bold red", 0
    if value is False:
        return f"not-expl{conf}", "green", 2
    return f"unknown{conf}", "#d7af00", 1


CellData = tuple[str, str, Any]
"""One cell before it is drawn: text, style, and the value its column sorts by."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    label: str
    width: int
    data: Callable[[FindingRecord, datetime, SlaDays], CellData]


def _severity(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    sev = r.finding.severity
    return sev.value, SEVERITY_STYLE[sev], -sev.rank


def _repo(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    f = r.finding
    return f"{f.repo}#{f.number}", "", (f.repo.lower(), f.number)


def _package(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    return r.finding.package, "", r.finding.package.lower()


def _advisory(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    return r.finding.ghsa_id, "", r.finding.ghsa_id


def _scope(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    scope = r.finding.scope.value if r.finding.scope else ""
    label = {"development": "dev", "runtime": "runtime"}.get(scope, "—")
    return label, "" if scope else "dim", scope


def _age(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    return ago(r.finding.created_at, now), "", r.finding.created_at


def _sla(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    due = sla_due_at(r.finding.created_at, r.finding.severity, days)
    if r.state is not AlertState.OPEN:
        return "—", "dim", (1, due)
    left = (due - now).total_seconds() / 86400
    if r.overdue(days, now):
        return f"{int(-left) or 1}d late", "bold white on #870000", (0, due)
    return f"in {int(left)}d", "#d7af00" if left < 7 else "", (0, due)


def _state(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    label = STATE_LABEL[r.state] + (PENDING_MARK if r.pending_push else "")
    style = "bold #d7af00" if r.pending_push else STATE_STYLE[r.state]
    if r.snooze is not None:
        label += SNOOZE_MARK[r.snooze]
        if r.snooze is SnoozeState.PATCH_AVAILABLE and not r.pending_push:
            style = PATCH_STYLE
    if r.push_status is PushStatus.RETRYING:
        label, style = label + RETRY_MARK, "bold #ff8700"
    elif r.push_status is PushStatus.REFUSED:
        label, style = label + REFUSED_MARK, "bold red"
    return label, style, (r.state.value, r.pending_push)


def _triage(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    if not r.triage:
        return "—", "dim", "~"
    action = r.triage.suggested_action.value
    label = TRIAGE_LABEL.get(action, action) + confidence_initial(r.triage.confidence)
    style = {"dismiss": "green", "analyze_codebase": "#5fafff"}.get(action, "#d7af00")
    return label, style, action


def _verdict(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    return verdict_label(r.verdict)


def _job(r: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    label, style = JOB_LABEL[r.analysis_status]
    return label, style, _JOB_ORDER[r.analysis_status]


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("severity", "Severity", 8, _severity),
    ColumnSpec("repo", "Repository", 22, _repo),
    ColumnSpec("package", "Package", 18, _package),
    ColumnSpec("advisory", "Advisory", 19, _advisory),
    ColumnSpec("scope", "Scope", 7, _scope),
    ColumnSpec("age", "Age", 4, _age),
    ColumnSpec("sla", "SLA due", 9, _sla),
    ColumnSpec("state", "State", 10, _state),
    ColumnSpec("triage", "Triage", 9, _triage),
    ColumnSpec("verdict", "Verdict", 10, _verdict),
    ColumnSpec("job", "Job", 7, _job),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
COLUMN_LABELS = {c.key: c.label for c in COLUMNS}
_BY_KEY = {c.key: c for c in COLUMNS}


def row_data(record: FindingRecord, now: datetime, days: SlaDays) -> tuple[CellData, ...]:
    return tuple(spec.data(record, now, days) for spec in COLUMNS)


def column_cell(key: str, record: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    """One column's cell, for views that show a single figure the way the queue does."""
    return _BY_KEY[key].data(record, now, days)


def sort_records(
    records: list[FindingRecord], column: str, reverse: bool, now: datetime, days: SlaDays
) -> list[FindingRecord]:
    """The order the table shows: by `column`'s sort value, then repository and number —
    the same keys the table's cells carry, so a window of it sorts the same way."""
    spec = _BY_KEY.get(column, COLUMNS[0])
    return sorted(
        records,
        key=lambda r: (spec.data(r, now, days)[2], (r.finding.repo.lower(), r.finding.number)),
        reverse=reverse,
    )


def selection_summary(records: list[FindingRecord]) -> str:
    """`3 findings in 2 repositories`."""
    n, m = len(records), len({r.finding.repo for r in records})
    return f"{n} finding{'' if n == 1 else 's'} in {m} {'repository' if m == 1 else 'repositories'}"


def first_start_hint(*, owners: int, can_sync: bool, sync_minutes: int, config: str) -> str:
    """What to do on a database with no finding yet: the one next step that brings some."""
    if owners == 0:
        return f"No findings yet, and no owners to sync: add an [[owners]] table to {config}."
    if not can_sync:
        return (
            "No findings yet. Set GITHUB_TOKEN or run `secagent auth login`, then press R "
            "to sync (or try `secagent demo`)."
        )
    every = f"; one runs every {sync_minutes} min" if sync_minutes else ""
    return f"No findings yet. Press R to sync now{every}."
