"""Documented commands whose issues have not landed yet.

They take their documented options, so `--help` already shows the interface, and then say
plainly that nothing was done (exit 2) — a command must not pretend.
"""

from __future__ import annotations

import click

from secagent_tui.cli.errors import NotBuiltYet

PIPELINE_ISSUE = "issue #4, durable analysis pipeline"
TUI_ISSUE = "issue #5, analyst TUI"


@click.command()
def tui() -> None:
    """Open the terminal UI."""
    raise NotBuiltYet("(the TUI)", TUI_ISSUE)


@click.command()
def demo() -> None:
    """Open the TUI on built-in demo data (local demo servers); no token needed."""
    raise NotBuiltYet("demo", TUI_ISSUE)


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--triage-only", is_flag=True, help="Stop after tier-1 triage.")
@click.option("--wait", is_flag=True, help="Run the queued jobs now and print the results.")
def analyze(refs: tuple[str, ...], triage_only: bool, wait: bool) -> None:
    """Queue the analysis pipeline for findings (REF is owner/repo#number)."""
    raise NotBuiltYet("analyze", PIPELINE_ISSUE)


@click.command()
@click.option("--once", is_flag=True, help="Run until no job is runnable, then exit 0.")
def worker(once: bool) -> None:
    """Run queued jobs headless."""
    raise NotBuiltYet("worker", PIPELINE_ISSUE)


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option(
    "--reason", required=True, help="fix_started|inaccurate|no_bandwidth|not_used|tolerable_risk"
)
@click.option("--comment", default=None, help="At most 280 characters.")
def dismiss(refs: tuple[str, ...], reason: str, comment: str | None) -> None:
    """Dismiss findings locally at once and on GitHub through the outbox."""
    raise NotBuiltYet("dismiss", PIPELINE_ISSUE)


@click.command()
@click.argument("refs", nargs=-1, required=True)
def reopen(refs: tuple[str, ...]) -> None:
    """Reopen findings locally at once and on GitHub through the outbox."""
    raise NotBuiltYet("reopen", PIPELINE_ISSUE)
