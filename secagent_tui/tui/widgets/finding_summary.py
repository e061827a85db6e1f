"""The finding view's top lines: what, where, how bad, and the facts an analyst checks
first (CVSS, EPSS, CWEs, vulnerable range, patched version)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from secagent_tui.domain.decision import PushStatus
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.tui.format import SEVERITY_STYLE, ago, column_cell


def facts(record: FindingRecord) -> Text:
    f = record.finding
    out = Text()
    parts: list[tuple[str, str]] = [
        ("CVSS", f"{f.cvss_score:.1f}" if f.cvss_score is not None else "—"),
        ("EPSS", f"{f.epss_percentage * 100:.3g}%" if f.epss_percentage is not None else "—"),
        ("CWE", ", ".join(f.cwe_ids) or "—"),
        ("vulnerable", f.vulnerable_version_range or "—"),
        ("patched", f.patched_version or "none"),
    ]
    for i, (label, value) in enumerate(parts):
        if i:
            out.append("  ·  ", style="dim")
        out.append(f"{label} ", style="dim")
        out.append(value, style="bold")
    return out


class FindingSummary(Static):
    DEFAULT_CSS = """
    FindingSummary {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    """

    def show(
        self, record: FindingRecord, now: datetime, days: SlaDays, *, demo: bool = False
    ) -> None:
        f = record.finding
        state_text, state_style, _ = column_cell("state", record, now, days)
        sla_text, sla_style, _ = column_cell("sla", record, now, days)
        out = Text(no_wrap=False)
        if demo:
            out.append(" DEMO ", style="bold black on #ffaf00")
            out.append(" ")
        out.append(f" {f.severity.value.upper()} ", style=SEVERITY_STYLE[f.severity] + " reverse")
        out.append(f" {f.ref}", style="bold")
        out.append(f"  {f.package} ({f.ecosystem})")
        out.append(f"  {f.ghsa_id}", style="bold")
        if f.cve_id:
            out.append(f" / {f.cve_id}")
        out.append("\n")
        out.append(f.summary, style="italic")
        out.append("\n")
        out.append("state ", style="dim")
        out.append(state_text, style=state_style)
        out.append("  ·  SLA ", style="dim")
        out.append(sla_text, style=sla_style)
        out.append(f"  ·  age {ago(f.created_at, now)}", style="dim")
        scope = f.scope.value if f.scope else "unknown scope"
        out.append(f"  ·  {scope}  ·  {f.manifest_path}", style="dim")
        if record.dismissed_reason:
            out.append(f"  ·  reason {record.dismissed_reason}", style="dim")
        if record.push_status is PushStatus.RETRYING:
            out.append(f"\npush retrying: {record.push_error}", style="bold #ff8700")
        elif record.push_status is PushStatus.REFUSED:
            out.append(f"\nGitHub refused the decision: {record.push_error}", style="bold red")
        out.append("\n")
        out.append_text(facts(record))
        self.update(out)
