"""The finding view's top lines: what, where, how bad, and the facts an analyst checks
first (CVSS, EPSS, CWEs, vulnerable range, patched version), and the finding's live job with
the key to its progress pane.

Compact (narrow terminals), it keeps to three lines cut at the edge instead of wrapping, so
the transcript below gets most of an 80x24 screen; the manifest, CWEs and version ranges it
leaves out are on the Advisory tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from secagent_tui.domain.decision import PushStatus, SnoozeState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.store.jobs import Job
from secagent_tui.tui.format import SEVERITY_STYLE, ago, column_cell


def facts(record: FindingRecord, *, compact: bool = False) -> Text:
    f = record.finding
    out = Text()
    parts: list[tuple[str, str]] = [
        ("CVSS", f"{f.cvss_score:.1f}" if f.cvss_score is not None else "—"),
        ("EPSS", f"{f.epss_percentage * 100:.3g}%" if f.epss_percentage is not None else "—"),
    ]
    if not compact:
        parts += [
            ("CWE", ", ".join(f.cwe_ids) or "—"),
            ("vulnerable", f.vulnerable_version_range or "—"),
            ("patched", f.patched_version or "none"),
        ]
    if record.assignees:  # the queue's Assignee column is in its widest set only
        parts.append(("assigned", ", ".join(record.assignees)))
    for i, (label, value) in enumerate(parts):
        if i:
            out.append("  ·  " if not compact else " · ", style="dim")
        out.append(f"{label} ", style="dim")
        out.append(value, style="bold")
    return out


def job_line(job: Job) -> Text:
    out = Text(f"job {job.id} {job.kind.value} {job.status.value}", style="bold yellow")
    out.append(" — p: progress", style="bold")
    return out


@dataclass(frozen=True, slots=True)
class _Shown:
    record: FindingRecord
    now: datetime
    days: SlaDays
    demo: bool


class FindingSummary(Static):
    DEFAULT_CSS = """
    FindingSummary {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    FindingSummary.-compact {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: _Shown | None = None
        self._job: Job | None = None
        self._viewers: tuple[str, ...] = ()

    @property
    def compact(self) -> bool:
        return self.has_class("-compact")

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.set_class(compact, "-compact")
            self._render_summary()

    def show_viewers(self, viewers: tuple[str, ...]) -> None:
        """Who else has this finding open right now (store/presence.py)."""
        if viewers != self._viewers:
            self._viewers = viewers
            self._render_summary()

    def show_job(self, job: Job | None) -> None:
        """The finding's queued or running job (None: there is none now)."""
        if job != self._job:
            self._job = job
            self._render_summary()

    def show(
        self, record: FindingRecord, now: datetime, days: SlaDays, *, demo: bool = False
    ) -> None:
        self._shown = _Shown(record, now, days, demo)
        self._render_summary()

    def _render_summary(self) -> None:
        if self._shown is None:
            return
        record, now, days = self._shown.record, self._shown.now, self._shown.days
        compact = self.compact
        out = Text(no_wrap=compact, overflow="ellipsis")
        out.append_text(_headline(record, demo=self._shown.demo))
        out.append("\n")
        out.append(record.finding.summary, style="italic")
        out.append("\n")
        out.append_text(_state_line(record, now, days, compact=compact))
        for line in (_push_line(record), _snooze_line(record)):
            if line is not None:
                out.append("\n")
                out.append_text(line)
        if not compact:
            out.append("\n")
            out.append_text(facts(record))
        if self._job is not None:
            out.append("\n")
            out.append_text(job_line(self._job))
        if self._viewers:
            out.append("\n")
            out.append_text(viewers_line(self._viewers))
        self.update(out)


def _headline(record: FindingRecord, *, demo: bool) -> Text:
    f = record.finding
    out = Text()
    if demo:
        out.append(" DEMO ", style="bold black on #ffaf00")
        out.append(" ")
    out.append(f" {f.severity.value.upper()} ", style=SEVERITY_STYLE[f.severity] + " reverse")
    out.append(f" {f.ref}", style="bold")
    out.append(f"  {f.package} ({f.ecosystem})")
    out.append(f"  {f.ghsa_id}", style="bold")
    if f.cve_id:
        out.append(f" / {f.cve_id}")
    return out


def _state_line(record: FindingRecord, now: datetime, days: SlaDays, *, compact: bool) -> Text:
    f = record.finding
    state_text, state_style, _ = column_cell("state", record, now, days)
    sla_text, sla_style, _ = column_cell("sla", record, now, days)
    sep = " · " if compact else "  ·  "
    out = Text()
    out.append("state ", style="dim")
    out.append(state_text, style=state_style)
    out.append(f"{sep}SLA ", style="dim")
    out.append(sla_text, style=sla_style)
    out.append(f"{sep}age {ago(f.created_at, now)}", style="dim")
    scope = f.scope.value if f.scope else "unknown scope"
    out.append(f"{sep}{scope}", style="dim")
    if compact:
        out.append(sep, style="dim")
        out.append_text(facts(record, compact=True))
    else:
        out.append(f"{sep}{f.manifest_path}", style="dim")
    if record.dismissed_reason:
        out.append(f"{sep}reason {record.dismissed_reason}", style="dim")
    return out


def _push_line(record: FindingRecord) -> Text | None:
    if record.push_status is PushStatus.RETRYING:
        return Text(f"push retrying: {record.push_error}", style="bold #ff8700")
    if record.push_status is PushStatus.REFUSED:
        return Text(f"GitHub refused the decision: {record.push_error}", style="bold red")
    return None


def _snooze_line(record: FindingRecord) -> Text | None:
    if record.snooze is SnoozeState.SNOOZED:
        return Text(
            "snoozed until a patch exists: a sync that sees one reopens it", style="#87afd7"
        )
    if record.snooze is SnoozeState.PATCH_AVAILABLE:
        patched = record.finding.patched_version or "a patched version"
        return Text(
            f"patch available: {patched} — reopened from its snooze; upgrade or decide again",
            style="bold #5fd75f",
        )
    return None


def viewers_line(viewers: tuple[str, ...]) -> Text:
    """Two analysts triaging one alert at once is the waste this line is there to stop."""
    names = ", ".join(viewers)
    verb = "has" if len(viewers) == 1 else "have"
    return Text(f"@ {names} {verb} this finding open right now", style="bold #ff5fd7")
