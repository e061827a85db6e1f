"""`secagent sync`: headless sync for cron and scripts."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.monitor import heartbeat, heartbeat_url_option
from secagent_tui.domain.text import printable
from secagent_tui.pipeline.sync import OwnerOutcome, RepoOutcome
from secagent_tui.secrets import resolve_token

if TYPE_CHECKING:
    from secagent_tui.services.analyst import AnalystServices


@click.command()
@click.option("--owner", "owner_name", help="Only this configured owner.")
@click.option(
    "--full", is_flag=True, help="Re-read every alert instead of stopping at the watermark."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--heartbeat-url",
    callback=heartbeat_url_option,
    help="Ping URL on success and URL/fail on failure (default: observability.heartbeat_url).",
)
@pass_app
def sync(
    app: AppContext, owner_name: str | None, full: bool, as_json: bool, heartbeat_url: str | None
) -> None:
    """Sync alerts of the configured owners; exit 1 if any owner failed."""
    config = app.config
    if not config.owners:
        raise UserError("no owners configured: add an [[owners]] table to the config")
    if owner_name is not None and config.owner_config(owner_name) is None:
        known = ", ".join(o.name for o in config.owners)
        raise UserError(f"owner {owner_name!r} is not configured (configured: {known})")
    source = resolve_token()
    token = source.token
    if token is None:
        raise UserError("no GitHub token: set GITHUB_TOKEN or run `secagent auth login`")
    progress = _Progress(enabled=not as_json and sys.stderr.isatty())

    async def _sync(services: AnalystServices) -> list[OwnerOutcome]:
        return await services.sync(
            token,
            source.where,
            owner=owner_name,
            full=full,
            on_repo_done=progress.tick,
            read_only=app.read_only,
        )

    outcomes = app.run_with_services(_sync)
    progress.close()
    ok = all(o.ok for o in outcomes)
    if as_json:
        click.echo(json.dumps({"ok": ok, "owners": [o.as_json() for o in outcomes]}, indent=2))
    else:
        click.echo(render_summary(outcomes))
    heartbeat(heartbeat_url or config.observability.heartbeat_url, ok)
    if not ok:
        raise SystemExit(1)


class _Progress:
    """A repository counter on stderr when it is a terminal; silent under cron."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.done = 0

    def tick(self, repo: RepoOutcome) -> None:
        if self.enabled:
            self.done += 1
            click.echo(
                f"\rsynced {self.done} repositories (last: {printable(repo.repo)})\033[K",
                err=True,
                nl=False,
            )

    def close(self) -> None:
        if self.enabled and self.done:
            click.echo("", err=True)


def render_summary(outcomes: list[OwnerOutcome]) -> str:
    """One line per owner and per repository that did not sync. Repository names and
    GitHub's error messages are payload text: each is made `printable` (domain/text.py)."""
    lines = []
    for o in outcomes:
        status = "ok" if o.ok else "FAILED"
        mode = "full" if o.full else "incremental"
        lines.append(
            f"{o.kind} {printable(o.owner)}: {status} ({mode}) in {o.seconds:.1f}s — "
            f"created {o.created}, "
            f"updated {o.updated}, unchanged {o.unchanged}, errors {o.errors}, "
            f"requests {o.requests}, repositories {len(o.repos)}"
        )
        if o.error:
            lines.append(f"  error: {printable(o.error)}")
        if o.page_guard_hit:
            lines.append("  page guard hit: not everything was read; the watermark was kept")
        for r in o.repos:
            if r.status != "ok":
                lines.append(
                    f"  {printable(r.repo)}: {r.status.replace('_', ' ')}"
                    + (f" — {printable(r.error)}" if r.error else "")
                )
    return "\n".join(lines)
