"""How the command line fails: one line on stderr and a non-zero exit, never a traceback for
something the user typed (DESIGN.md "Fixed interfaces")."""

from __future__ import annotations

import click


class UserError(click.ClickException):
    """Bad input: a ref, a reason, a model, an unknown finding. Exit code 2, nothing changed."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"secagent: {self.format_message()}", err=True)
