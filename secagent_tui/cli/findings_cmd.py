"""`secagent findings`: list and export findings from the database (no network)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.output import json_document
from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.filters import UNASSIGNED, FindingFilter, resolve_assignee
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.domain.owner import login_problem
from secagent_tui.domain.record import FindingRecord, finding_json
from secagent_tui.domain.sarif import sarif_log
from secagent_tui.domain.sla import SlaDays, sla_due_at
from secagent_tui.domain.text import printable
from secagent_tui.services.reads import FindingReads, login_of
from secagent_tui.store.findings import collector_paused

CSV_COLUMNS = (
    "ref",
    "repo",
    "number",
    "state",
    "severity",
    "package",
    "ecosystem",
    "manifest_path",
    "scope",
    "ghsa_id",
    "cve_id",
    "summary",
    "cvss_score",
    "epss_percentage",
    "cwe_ids",
    "vulnerable_version_range",
    "patched_version",
    "html_url",
    "created_at",
    "updated_at",
    "sla_due_at",
    "dismissed_reason",
    "dismissed_comment",
    "pending_push",
    "analysis_status",
    "triage_action",
    "verdict_exploitable",
)


def _parse_severities(text: str | None) -> list[Severity]:
    if not text:
        return []
    try:
        return [Severity.parse(word) for word in text.split(",") if word.strip()]
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _parse_assignee(word: str | None) -> str | None:
    """`mine` is the login this analyst acts as (services/reads.login_of), as in `jobs
    --mine`; `none` finds the findings nobody is assigned to."""
    if word is None:
        return None
    from secagent_tui.services.analyst import default_actor

    resolved = resolve_assignee(word, login_of(default_actor("cli")))
    if resolved != UNASSIGNED and (problem := login_problem(resolved)):
        raise UserError(f"--assignee {word!r}: {problem} (or mine, none)")
    return resolved


def _parse_states(text: str) -> list[AlertState]:
    try:
        return AlertState.parse_list(text)
    except ValueError as exc:
        raise UserError(str(exc)) from None


@click.command()
@click.option("--state", default="open", show_default=True, help="Comma list of states, or all.")
@click.option("--severity", default=None, help="Comma list: low,medium,high,critical.")
@click.option("--repo", "repo_glob", default=None, help="Glob over owner/name, e.g. 'acme/web-*'.")
@click.option("--owner", default=None, help="Only this owner.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N findings.")
@click.option("--assignee", default=None, help="mine, a GitHub login, or none (nobody assigned).")
@click.option(
    "--snooze",
    type=click.Choice([s.value for s in SnoozeState]),
    default=None,
    help="Only findings snoozed until a patch, or reopened because one exists.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "sarif"]),
    default="table",
    show_default=True,
)
@pass_app
def findings(
    app: AppContext,
    state: str,
    severity: str | None,
    repo_glob: str | None,
    owner: str | None,
    limit: int | None,
    assignee: str | None,
    snooze: str | None,
    fmt: str,
) -> None:
    """List or export findings (open ones by default)."""
    flt = FindingFilter(
        assignee=_parse_assignee(assignee),
        snooze=SnoozeState(snooze) if snooze else None,
        states=_parse_states(state),
        severities=_parse_severities(severity),
        repo_glob=repo_glob,
        owner=owner,
        limit=limit,
    )

    async def _list(reads: FindingReads) -> tuple[list[FindingRecord], Evidence]:
        records = await reads.export(flt)
        evidence = await reads.evidence_of([r.id for r in records]) if fmt == "sarif" else {}
        return records, evidence

    # No cyclic collection while the records and their documents are built: an export
    # frees nothing until it is written, and those objects form no cycle.
    with collector_paused():
        records, evidence = app.run_with_reads(_list)
        output = _render(fmt, records, evidence, app.config.sla.days())
        del records, evidence
    click.echo(output, nl=fmt != "csv")


Evidence = dict[int, Mapping[str, Any] | None]
"""Evidence documents by finding id (only SARIF reads them)."""


def _render(
    fmt: str, records: list[FindingRecord], evidence: Evidence, days: SlaDays
) -> bytes | str:
    if fmt == "sarif":
        return json_document(sarif_log(records, days, _tool_version(), evidence))
    if fmt == "json":
        return json_document([finding_json(r, days) for r in records])
    if fmt == "csv":
        # Bytes, as the JSON is: click strips what looks like an ANSI escape from text
        # it writes to a pipe or file, which would change the data of a field with ESC.
        return render_csv(records, days).encode()
    return render_table(records, days, datetime.now(UTC))


def _tool_version() -> str:
    from secagent_tui import __version__

    return __version__


def _csv_row(record: FindingRecord, days: SlaDays) -> dict[str, Any]:
    doc = finding_json(record, days)
    analysis = doc.pop("analysis")
    doc["cwe_ids"] = " ".join(doc["cwe_ids"])
    doc["analysis_status"] = analysis["status"]
    doc["triage_action"] = (analysis["triage"] or {}).get("suggested_action")
    doc["verdict_exploitable"] = (analysis["verdict"] or {}).get("is_exploitable")
    return doc


def render_csv(records: list[FindingRecord], days: SlaDays) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(_csv_row(record, days))
    return out.getvalue()


_TABLE_HEADER = ("REF", "SEVERITY", "STATE", "PACKAGE", "SCOPE", "SLA DUE", "ANALYSIS")


def render_table(records: list[FindingRecord], days: SlaDays, now: datetime) -> str:
    """Plain aligned text: readable over SSH and in cron mail, no terminal features needed.
    Cells quote payloads (repository and package names), so each is made `printable`: a
    control character in a package name shows as an escape instead of driving the terminal,
    and a newline in it cannot split its row. JSON and CSV keep the data exact."""
    if not records:
        return "no findings match"
    rows = [_TABLE_HEADER]
    for r in records:
        f = r.finding
        due = sla_due_at(f.created_at, f.severity, days).date().isoformat()
        cells = (
            f.ref,
            f.severity.value,
            r.state.value + ("*" if r.pending_push else ""),
            f"{f.ecosystem}:{f.package}",
            f.scope.value if f.scope else "-",
            due + (" OVERDUE" if r.overdue(days, now) else ""),
            r.analysis_status.value,
        )
        rows.append(tuple(printable(cell) for cell in cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(_TABLE_HEADER))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    footer = f"{len(records)} finding(s)"
    if any(r.pending_push for r in records):
        footer += "; * = local change not yet confirmed by GitHub"
    return "\n".join([*lines, footer])
