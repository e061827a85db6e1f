"""`secagent config check`: validate the config, then reach GitHub and Ollama."""

from __future__ import annotations

import click

from secagent_tui.cli.context import AppContext, pass_app


@click.group("config")
def config_group() -> None:
    """Configuration."""


@config_group.command("check")
@click.option("--offline", is_flag=True, help="Validate only; do not contact GitHub or Ollama.")
@pass_app
def check(app: AppContext, offline: bool) -> None:
    """Validate the config; reach GitHub and Ollama; check the model. Exit 1 if a check fails."""
    config = app.config
    where = config.source or "built-in defaults (no config file)"
    owners = ", ".join(f"{o.kind.value}:{o.name}" for o in config.owners) or "none configured"
    click.echo(f"ok   config: {where}; owners: {owners}")
    if offline:
        return
    # The checks' clients (PyGithub, the Ollama client) load only when they are used.
    from secagent_tui.health import check_github, check_ollama
    from secagent_tui.secrets import resolve_token

    checks = [check_github(config, resolve_token().token), check_ollama(config)]
    for result in checks:
        click.echo(result.line())
    if not all(c.ok for c in checks):
        raise SystemExit(1)
