"""`secagent` (the TUI) and `secagent demo` (the TUI on local demo servers, offline)."""

from __future__ import annotations

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.logs import setup_logging
from secagent_tui.secrets import resolve_token


@click.command()
@click.option("--read-only", is_flag=True, help="Refuse every write to GitHub.")
@pass_app
def tui(app: AppContext, read_only: bool) -> None:
    """Open the terminal UI."""
    from secagent_tui.tui.app import SecagentApp  # Textual loads only when a UI is wanted

    read_only = read_only or app.read_only
    source = resolve_token()
    SecagentApp(
        app.config, token=source.token, token_source=source.where, read_only=read_only
    ).run()


@click.command()
@click.option("--read-only", is_flag=True, help="Refuse every write to (demo) GitHub.")
@pass_app
def demo(app: AppContext, read_only: bool) -> None:
    """Open the TUI on built-in demo data (local demo servers); no token, no Ollama."""
    from secagent_tui.demo.session import DemoSession
    from secagent_tui.tui.app import SecagentApp

    click.echo("starting the demo: local GitHub and Ollama servers, demo repositories…", err=True)
    with DemoSession() as session:
        setup_logging(session.config.observability.log_file, "INFO")
        SecagentApp(
            session.config,
            token=session.token,
            read_only=read_only or app.read_only,
            demo=True,
            sync_on_start=True,
        ).run()
