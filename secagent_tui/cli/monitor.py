"""The uptime monitor of a headless run (`--heartbeat-url`, `observability.heartbeat_url`)."""

from __future__ import annotations

import click


def heartbeat(url: str | None, ok: bool) -> None:
    """Tells the monitor, if one is configured, how the run ended. A monitor that cannot be
    reached is reported on stderr and never fails the run it watches."""
    if not url:
        return
    from secagent_tui.heartbeat import ping  # httpx loads only when there is a monitor

    problem = ping(url, ok)
    if problem:
        click.echo(f"secagent: {problem}", err=True)
