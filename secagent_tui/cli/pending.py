"""Documented commands whose issues have not landed yet.

They take their documented options, so `--help` already shows the interface, and then say
plainly that nothing was done (exit 2) — a command must not pretend.
"""

from __future__ import annotations

import click

from secagent_tui.cli.errors import NotBuiltYet

TUI_ISSUE = "issue #5, analyst TUI"


@click.command()
def tui() -> None:
    """Open the terminal UI."""
    raise NotBuiltYet("(the TUI)", TUI_ISSUE)


@click.command()
def demo() -> None:
    """Open the TUI on built-in demo data (local demo servers); no token needed."""
    raise NotBuiltYet("demo", TUI_ISSUE)
