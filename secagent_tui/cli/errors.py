"""How the command line fails: one line on stderr and a non-zero exit, never a traceback for
something the user typed (docs/architecture.md, "Errors")."""

from __future__ import annotations

import click

from secagent_tui.domain.errors import SecagentError


class UserError(click.ClickException, SecagentError):
    """Bad input: a ref, a reason, a model, an unknown finding. Exit code 2, nothing changed."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"secagent: {self.format_message()}", err=True)

    @classmethod
    def of(cls, error: SecagentError) -> UserError:
        """The project's error as the CLI's: the same one line the TUI shows."""
        return cls(error.one_line())
