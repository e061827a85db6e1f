"""`--heartbeat-url`: tell an uptime monitor that a headless run happened, and whether
it failed, so a silent cron is noticed.

Success pings URL, failure pings URL/fail (the convention of healthchecks.io, Better Stack
and others). A monitor that is down must not fail the run it watches, so errors come back as
a line to print, not an exception.
"""

from __future__ import annotations

import httpx

from secagent_tui.logs import redact


def ping(url: str, ok: bool, timeout: float = 10.0) -> str | None:
    """Pings; returns None on success, else one line saying why the ping failed."""
    target = url.rstrip("/") + ("" if ok else "/fail")
    try:
        response = httpx.get(target, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return redact(f"heartbeat {target} failed: {exc}")
    return None
