"""The uptime monitor of a headless run (`--heartbeat-url`, `observability.heartbeat_url`)."""

from __future__ import annotations

import click

from secagent_tui.cli.errors import UserError


def heartbeat_url_option(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """`--heartbeat-url` checked before the command runs: a URL that can never be pinged
    (file://, no host) is bad input, one line and exit 2 with nothing done, rather than a
    complaint printed after the sync or the jobs it was meant to report on."""
    if value is None:
        return None
    from secagent_tui.heartbeat import HeartbeatUrlError, check_url

    try:
        return check_url(value)
    except HeartbeatUrlError as exc:
        raise UserError(f"--heartbeat-url: {exc.one_line()}") from None


def heartbeat(url: str | None, ok: bool) -> None:
    """Tells the monitor, if one is configured, how the run ended. A monitor that cannot be
    reached is reported on stderr and never fails the run it watches."""
    if not url:
        return
    from secagent_tui.heartbeat import ping  # httpx loads only when there is a monitor

    problem = ping(url, ok)
    if problem:
        click.echo(f"secagent: {problem}", err=True)
