"""`secagent jobs`: the Jobs pane, headless — list every job in the database, cancel one,
retry one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.output import json_document
from secagent_tui.domain.durations import short_duration
from secagent_tui.domain.refs import MAX_NUMBER
from secagent_tui.domain.text import printable
from secagent_tui.store.jobs import (
    JOB_WINDOW,
    Job,
    JobListing,
    JobNotChangeable,
    JobStatus,
    UnknownJob,
)

if TYPE_CHECKING:
    from secagent_tui.services.analyst import AnalystServices

ERROR_CHARS = 60
"""How much of a job's last error the text listing shows (`--json` has all of it)."""


def parse_states(text: str) -> list[JobStatus] | None:
    """`queued,failed` → those; `all` → None (no filter). A bad word is one line, exit 2."""
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if not words:
        raise UserError("--state: expected a comma list of states, or all")
    if "all" in words:
        return None
    known = {s.value: s for s in JobStatus}
    bad = [w for w in words if w not in known]
    if bad:
        raise UserError(f"--state: unknown state {bad[0]!r}; expected {', '.join(known)} or all")
    return [known[w] for w in words]


def parse_job_id(text: str) -> int:
    try:
        job_id = int(text.strip())
    except ValueError:
        job_id = 0
    if job_id <= 0:
        raise UserError(f"bad job id {text!r}: expected a positive number, e.g. 12")
    if job_id > MAX_NUMBER:
        raise UserError(f"bad job id {text!r}: past {MAX_NUMBER}, the largest a job id can be")
    return job_id


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def job_json(listing: JobListing, now: datetime) -> dict[str, Any]:
    job = listing.job
    elapsed = job.elapsed(now)
    return {
        "id": job.id,
        "kind": job.kind.value,
        "finding": listing.finding_ref,
        "owner": job.owner,
        "state": job.status.value,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "elapsed_seconds": round(elapsed.total_seconds(), 3) if elapsed is not None else None,
        "last_error": job.last_error,
        "requested_by": job.requested_by,
        "claimed_by": job.claimed_by,
        "correlation_id": job.correlation_id,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "run_after": _iso(job.run_after),
    }


def _one_line(text: str | None, limit: int) -> str:
    flat = printable(" ".join((text or "").split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_jobs(listings: list[JobListing], now: datetime) -> str:
    """One line per job. The finding's ref and the last error quote GitHub's and the
    model's text, so every cell is made `printable` (see domain/text.py)."""
    if not listings:
        return "no jobs"
    rows = [("ID", "KIND", "FINDING", "STATE", "TRIES", "ELAPSED", "BY", "LAST ERROR")]
    for listing in listings:
        job = listing.job
        rows.append(
            (
                str(job.id),
                job.kind.value,
                printable(listing.finding_ref or "-"),
                job.status.value,
                f"{job.attempts}/{job.max_attempts}",
                short_duration(job.elapsed(now)),
                printable(job.requested_by or "-"),
                _one_line(job.last_error, ERROR_CHARS),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    ).rstrip()


def _summary(job: Job, verb: str) -> str:
    return f"job {job.id} ({job.kind.value}) {verb}: now {job.status.value}"


def _change(app: AppContext, work: Any, verb: str) -> None:
    async def _run(services: AnalystServices) -> Job:
        try:
            return await work(services)
        except (UnknownJob, JobNotChangeable) as exc:
            raise UserError.of(exc) from None

    click.echo(_summary(app.run_with_services(_run), verb))


@click.group(invoke_without_command=True)
@click.option(
    "--state",
    "states",
    default="all",
    show_default=True,
    help="Comma list of queued,running,done,failed,cancelled, or all.",
)
@click.option("--mine", is_flag=True, help="Only the jobs you asked for (TUI or CLI).")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=JOB_WINDOW,
    show_default=True,
    help="At most N jobs, the newest.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_app
@click.pass_context
def jobs(
    ctx: click.Context, app: AppContext, states: str, mine: bool, limit: int, as_json: bool
) -> None:
    """List every job in the database, newest first; `cancel ID` and `retry ID` change one.

    Every job is listed, whoever queued it: this machine, another analyst on the same
    database, `secagent worker`. `--mine` keeps the jobs you asked for, from the TUI or the
    CLI (jobs queued by a build older than this one have no requester and are no one's).
    """
    if ctx.invoked_subcommand is not None:
        return
    statuses = parse_states(states)

    async def _list(services: AnalystServices) -> list[JobListing]:
        return await services.jobs(
            statuses=statuses, mine_as=services.actor if mine else None, limit=limit
        )

    listings = app.run_with_services(_list)
    now = datetime.now(UTC)
    if as_json:
        click.echo(json_document({"jobs": [job_json(item, now) for item in listings]}))
    else:
        click.echo(render_jobs(listings, now))


@jobs.command("cancel")
@click.argument("job_id", metavar="ID")
@pass_app
def cancel(app: AppContext, job_id: str) -> None:
    """Cancel a queued or running job (an analysis it belongs to ends as failed; a push is
    paused and its decision stays pending). A local write: allowed with --read-only."""
    parsed = parse_job_id(job_id)
    _change(app, lambda services: services.cancel_job(parsed), "cancelled")


@jobs.command("retry")
@click.argument("job_id", metavar="ID")
@pass_app
def retry(app: AppContext, job_id: str) -> None:
    """Queue a failed or cancelled job again, with one more attempt (--read-only refuses a
    push, which would write to GitHub)."""
    parsed = parse_job_id(job_id)
    read_only = app.read_only
    _change(app, lambda services: services.retry_job(parsed, read_only=read_only), "retried")
