"""`secagent auth login|status|logout`: the GitHub token in the OS keyring."""

from __future__ import annotations

import sys

import click

from secagent_tui.cli.errors import UserError
from secagent_tui.secrets import KeyringUnavailable, delete_token, resolve_token, store_token

_TOKEN_PREFIXES = ("ghp_", "github_pat_", "gho_", "ghu_", "ghs_", "ghr_")


@click.group()
def auth() -> None:
    """GitHub token in the OS keyring (GITHUB_TOKEN in the environment wins)."""


@auth.command("login")
@click.option("--with-token", is_flag=True, help="Read the token from standard input.")
def login(with_token: bool) -> None:
    """Store a GitHub token in the OS keyring. It is never echoed or logged."""
    if with_token:
        token = sys.stdin.readline().strip()
    else:
        token = click.prompt("GitHub token", hide_input=True, err=True).strip()
    if not token or any(ch.isspace() for ch in token):
        raise UserError("no token given (paste a GitHub token, e.g. one starting with ghp_)")
    try:
        backend = store_token(token)
    except KeyringUnavailable as exc:
        raise UserError(str(exc)) from None
    note = "" if token.startswith(_TOKEN_PREFIXES) else " (it does not look like a GitHub token)"
    click.echo(f"token stored in the OS keyring ({backend}){note}")


@auth.command("status")
def status() -> None:
    """Where the token comes from; the token itself is never shown."""
    source = resolve_token()
    if source.token is None:
        click.echo("no GitHub token: set GITHUB_TOKEN or run `secagent auth login`")
        raise SystemExit(1)
    click.echo(f"GitHub token from {source.where}: {source.masked}")


@auth.command("logout")
def logout() -> None:
    """Remove the token from the OS keyring."""
    try:
        removed = delete_token()
    except KeyringUnavailable as exc:
        raise UserError(str(exc)) from None
    click.echo("token removed from the OS keyring" if removed else "no token was stored")
