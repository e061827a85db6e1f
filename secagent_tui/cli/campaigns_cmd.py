"""`secagent campaigns`: findings grouped by advisory and package (domain/campaign.py),
riskiest first, from the database (no network)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.output import json_document
from secagent_tui.domain.campaign import Campaign
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState
from secagent_tui.services.reads import FindingReads

CSV_COLUMNS = (
    "ghsa_id",
    "package",
    "ecosystem",
    "severity",
    "repositories",
    "open",
    "findings",
    "with_verdict",
    "used",
    "maybe_used",
    "not_used",
    "test_only",
    "epss_percentage",
    "sla_due_at",
)
_TABLE_HEADER = ("ADVISORY", "PACKAGE", "SEVERITY", "REPOS", "OPEN", "VERDICTS", "EVIDENCE", "DUE")


@click.command()
@click.option("--state", default="open", show_default=True, help="Comma list of states, or all.")
@click.option("--owner", default=None, help="Only this owner's findings.")
@click.option("--repo", "repo_glob", default=None, help="Glob over owner/name, e.g. 'acme/web-*'.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_app
def campaigns(
    app: AppContext, state: str, owner: str | None, repo_glob: str | None, fmt: str
) -> None:
    """Findings grouped by advisory and package, riskiest first."""
    try:
        states = AlertState.parse_list(state)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    flt = FindingFilter(states=states, owner=owner, repo_glob=repo_glob)

    async def _list(reads: FindingReads) -> list[Campaign]:
        return await reads.campaigns(flt)

    found = app.run_with_reads(_list)
    if fmt == "json":
        click.echo(json_document([c.as_json() for c in found]))
    elif fmt == "csv":
        click.echo(render_csv(found), nl=False)
    else:
        click.echo(render_table(found, datetime.now(UTC)))


def _csv_row(campaign: Campaign) -> dict[str, object]:
    doc = campaign.as_json()
    evidence = doc.pop("evidence")
    doc["findings"] = " ".join(doc["findings"])
    return {**doc, **evidence}


def render_csv(found: list[Campaign]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for campaign in found:
        writer.writerow(_csv_row(campaign))
    return out.getvalue()


def _evidence(campaign: Campaign) -> str:
    c = campaign.counts
    return f"{c.used} used, {c.not_used} not, {c.test_only} test"


def render_table(found: list[Campaign], now: datetime) -> str:
    """Plain aligned text, like `secagent findings`: readable over SSH and in cron mail."""
    if not found:
        return "no campaigns match"
    rows = [_TABLE_HEADER]
    for campaign in found:
        c = campaign.counts
        due = campaign.sla_due.date().isoformat() if campaign.sla_due else "-"
        if campaign.sla_due and campaign.sla_due < now and c.open:
            due += " overdue"
        rows.append(
            (
                c.key.ghsa_id,
                f"{c.key.ecosystem}:{c.key.package}",
                c.severity.value,
                str(c.repositories),
                str(c.open),
                f"{c.with_verdict}/{c.findings}",
                _evidence(campaign),
                due,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(_TABLE_HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
