"""`secagent assign REF... --to LOGIN | --clear`: set or clear the assignees of findings,
locally at once and on GitHub through the same outbox, write limiter and merge rule as a
dismissal (pipeline/assignments.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.pipeline_cmds import _cid, _parse_refs, push_now, report_pushes
from secagent_tui.pipeline.assignments import check_logins
from secagent_tui.pipeline.decisions import DecisionError
from secagent_tui.secrets import resolve_token
from secagent_tui.services.reads import UnknownFinding

if TYPE_CHECKING:
    from secagent_tui.services.analyst import AnalystServices


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option(
    "--to", "logins", multiple=True, help="A GitHub login to assign; give it again for more."
)
@click.option("--clear", is_flag=True, help="Remove every assignee.")
@click.option("--queue-only", is_flag=True, help="Record locally; leave the push to a worker.")
@pass_app
def assign(
    app: AppContext, refs: tuple[str, ...], logins: tuple[str, ...], clear: bool, queue_only: bool
) -> None:
    """Assign findings to GitHub logins (or clear them) locally and on GitHub."""
    if bool(logins) == clear:
        raise UserError("give --to LOGIN (once or more) or --clear, not both and not neither")
    parsed = _parse_refs(refs)
    try:
        wanted = check_logins(logins)
    except DecisionError as exc:
        raise UserError(str(exc)) from None
    if app.read_only:
        raise UserError("--read-only: assign would write to GitHub; nothing was changed")
    config = app.config
    token = resolve_token().token

    async def _run(services: AnalystServices) -> tuple[int, list[Any], bool]:
        try:
            records = await services.findings(parsed)
        except UnknownFinding as exc:
            raise UserError(str(exc)) from None
        cid = _cid()
        await services.assign(records, wanted, correlation_id=cid)
        if queue_only or token is None:
            return len(records), [], False
        return len(records), await push_now(services, config, token, cid, len(records)), True

    count, jobs, pushed = app.run_with_services(_run)
    what = f"assigned to {', '.join(wanted)}" if wanted else "cleared the assignees of"
    click.echo(f"{what}: {count} finding(s) locally")
    report_pushes(jobs, pushed, token)
