"""`analyze`, `worker`, `dismiss`, `reopen`, `snooze`: the pipeline, headless."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.monitor import heartbeat, heartbeat_url_option
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.finding import MAX_COMMENT_CHARS
from secagent_tui.domain.record import FindingRecord, finding_json
from secagent_tui.domain.refs import FindingRef, RefError
from secagent_tui.domain.text import printable
from secagent_tui.logs import correlation_id
from secagent_tui.pipeline.decisions import DecisionError, check_dismissal, fit_comment
from secagent_tui.secrets import resolve_token
from secagent_tui.store.jobs import JobStatus

if TYPE_CHECKING:
    from secagent_tui.config import Config
    from secagent_tui.services.analyst import AnalystServices

# The runner (PyGithub, the Ollama client, the sandbox) is loaded by the services when a
# command runs jobs: queueing an analysis or recording a decision for a worker needs none.


def _parse_refs(refs: tuple[str, ...]) -> list[FindingRef]:
    try:
        return [FindingRef.parse(r) for r in refs]
    except RefError as exc:
        raise UserError(str(exc)) from None


PUSH_WAIT_SECONDS = 30.0
"""How long `dismiss` / `reopen` wait for GitHub beyond one write slot per decision."""


def _cid() -> str:
    cid = correlation_id()
    assert cid is not None  # run() always opens a correlation
    return cid


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--triage-only", is_flag=True, help="Stop after tier-1 triage.")
@click.option("--full", is_flag=True, help="Run all three tiers, whatever triage suggests.")
@click.option("--wait", is_flag=True, help="Run the queued jobs now and print the results.")
@pass_app
def analyze(
    app: AppContext, refs: tuple[str, ...], triage_only: bool, full: bool, wait: bool
) -> None:
    """Queue the analysis pipeline for findings (REF is owner/repo#number)."""
    parsed = _parse_refs(refs)
    if triage_only and full:
        raise UserError("--triage-only and --full cannot be used together")
    config = app.config

    async def _run(services: AnalystServices) -> tuple[list[FindingRecord], list[Any]]:
        records = await services.findings(parsed)
        cid = _cid()
        await services.enqueue_analyses(
            records, triage_only=triage_only, full=full, correlation_id=cid
        )
        if not wait:
            return records, []
        await services.run_jobs(resolve_token().token, read_only=app.read_only, correlation_id=cid)
        return await services.findings(parsed), await services.jobs_of(cid)

    records, jobs = app.run_with_services(_run)
    if not wait:
        click.echo(
            f"queued analysis of {len(records)} finding(s); run `secagent worker` to process"
        )
        return
    days = config.sla.days()
    click.echo(json.dumps([finding_json(r, days) for r in records], indent=2))
    failed = [j for j in jobs if j.status is JobStatus.FAILED]
    for job in failed:
        # GitHub's or the model's words: shown escaped, never interpreted (domain/text.py).
        error = printable(job.last_error or "")
        click.echo(f"secagent: job {job.id} ({job.kind}) failed: {error}", err=True)
    if failed:
        raise SystemExit(1)


@click.command()
@click.option("--once", is_flag=True, help="Run until no job is runnable, then exit 0.")
@click.option(
    "--heartbeat-url",
    callback=heartbeat_url_option,
    help="With --once: ping URL when the run ends, URL/fail if a job failed "
    "(default: observability.heartbeat_url).",
)
@pass_app
def worker(app: AppContext, once: bool, heartbeat_url: str | None) -> None:
    """Run queued jobs headless (several workers may share one database)."""

    async def _run(services: AnalystServices) -> Any:
        return await services.run_jobs(
            resolve_token().token, read_only=app.read_only, until_idle=once
        )

    summary = app.run_with_services(_run)
    click.echo(
        f"jobs done {summary.done}, retried {summary.retried}, failed {summary.failed}, "
        f"given up {summary.lost}"
    )
    if once:
        heartbeat(
            heartbeat_url or app.config.observability.heartbeat_url,
            summary.failed == 0 and summary.lost == 0,
        )


Record = Callable[["AnalystServices", list[FindingRecord], str], Awaitable[object]]
"""What a command records for the findings (a decision, a snooze) under one correlation."""


def _decide(
    app: AppContext, refs: tuple[str, ...], verb: str, record: Record, queue_only: bool
) -> None:
    """Records `record` for the findings of `refs`, then pushes them here (bounded) unless
    told not to; shared by dismiss, reopen and snooze."""
    parsed = _parse_refs(refs)
    if app.read_only:
        raise UserError(f"--read-only: {verb} would write to GitHub; nothing was changed")
    config = app.config
    token = resolve_token().token

    async def _run(services: AnalystServices) -> tuple[int, list[Any], bool]:
        records = await services.findings(parsed)
        cid = _cid()
        await record(services, records, cid)
        if queue_only or token is None:
            return len(records), [], False
        return len(records), await push_now(services, config, token, cid, len(records)), True

    count, jobs, pushed = app.run_with_services(_run)
    click.echo(f"{verb} {count} finding(s) locally")
    report_pushes(jobs, pushed, token)


def _decision(action: DecisionAction, reason: str | None, comment: str | None) -> Record:
    async def record(services: AnalystServices, records: list[FindingRecord], cid: str) -> object:
        return await services.decide(
            records, action, reason=reason, comment=comment, correlation_id=cid
        )

    return record


async def push_now(
    services: AnalystServices, config: Config, token: str, cid: str, count: int
) -> list[Any]:
    """Runs the pushes of `cid` here, then returns their jobs. A push retries for as long as
    its intent is pending (a GitHub outage): the command waits a bounded time, then leaves
    what is left to `secagent worker`. Shared by dismiss, reopen and assign."""
    stop = asyncio.Event()
    timer = asyncio.get_running_loop().call_later(
        PUSH_WAIT_SECONDS + count / config.analysis.dismiss_writes_per_second, stop.set
    )
    try:
        await services.run_jobs(token, correlation_id=cid, stop=stop)
    finally:
        timer.cancel()
    return await services.jobs_of(cid)


def report_pushes(jobs: list[Any], pushed: bool, token: str | None) -> None:
    """What GitHub made of the pushes: confirmed, left to retry, refused (each refusal as
    its own escaped line on stderr, and exit 1)."""
    if not pushed:
        why = "no GitHub token" if token is None else "--queue-only"
        click.echo(f"pushes queued ({why}); `secagent worker` sends them to GitHub")
        return
    done = sum(j.status is JobStatus.DONE for j in jobs)
    failed = [j for j in jobs if j.status is JobStatus.FAILED]
    waiting = len(jobs) - done - len(failed)
    click.echo(f"GitHub: {done} confirmed, {waiting} to retry, {len(failed)} refused")
    if waiting:
        click.echo("pushes left to retry are sent by `secagent worker`")
    for job in failed:
        click.echo(f"secagent: {printable(job.last_error or '')}", err=True)
    if failed:
        raise SystemExit(1)


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option(
    "--reason",
    required=True,
    help="fix_started | inaccurate | no_bandwidth | not_used | tolerable_risk",
)
@click.option("--comment", default=None, help=f"At most {MAX_COMMENT_CHARS} characters.")
@click.option("--queue-only", is_flag=True, help="Record locally; leave the push to a worker.")
@pass_app
def dismiss(
    app: AppContext, refs: tuple[str, ...], reason: str, comment: str | None, queue_only: bool
) -> None:
    """Dismiss findings locally at once and on GitHub through the outbox."""
    try:
        parsed_reason = check_dismissal(reason)
    except DecisionError as exc:
        raise UserError(str(exc)) from None
    fitted, cut = fit_comment(comment)
    if cut:
        # An analyst's own words are never cut behind their back (automatic comments are:
        # pipeline/decisions.fit_comment); they shorten it, nothing was recorded.
        raise UserError(
            f"--comment has {len(comment or '')} characters; GitHub takes at most "
            f"{MAX_COMMENT_CHARS}. Nothing was recorded."
        )
    decision = _decision(DecisionAction.DISMISS, parsed_reason.value, fitted)
    _decide(app, refs, "dismissed", decision, queue_only)


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--queue-only", is_flag=True, help="Record locally; leave the push to a worker.")
@pass_app
def reopen(app: AppContext, refs: tuple[str, ...], queue_only: bool) -> None:
    """Reopen findings locally at once and on GitHub through the outbox."""
    _decide(app, refs, "reopened", _decision(DecisionAction.REOPEN, None, None), queue_only)


async def _snooze(services: AnalystServices, records: list[FindingRecord], cid: str) -> object:
    try:
        return await services.snooze(records, correlation_id=cid)
    except DecisionError as exc:  # a finding with a patch already: nothing was recorded
        raise UserError(str(exc)) from None


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--queue-only", is_flag=True, help="Record locally; leave the push to a worker.")
@pass_app
def snooze(app: AppContext, refs: tuple[str, ...], queue_only: bool) -> None:
    """Dismiss findings until a patched version exists; a sync that sees one reopens them."""
    _decide(app, refs, "snoozed", _snooze, queue_only)
