"""`--heartbeat-url`: tell an uptime monitor that a headless run happened, and whether
it failed, so a silent cron is noticed.

Success pings URL, failure pings URL/fail (the convention of healthchecks.io, Better Stack
and others). A monitor that is down must not fail the run it watches, so errors come back as
a line to print, not an exception. Only http(s) URLs with a host are pinged: httpx would
refuse the rest anyway, but only after the run, which is too late to say the option was bad.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from secagent_tui.domain.errors import SecagentError
from secagent_tui.logs import redact


class HeartbeatUrlError(ValueError, SecagentError):
    """A heartbeat URL that is not http(s) with a host; the message never repeats the URL,
    which may embed a check's secret id."""


def check_url(url: str) -> str:
    """`url` stripped, or HeartbeatUrlError: the same rule as observability.heartbeat_url."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise HeartbeatUrlError("heartbeat URL must be an http:// or https:// URL with a host")
    return text


def ping(url: str, ok: bool, timeout: float = 10.0) -> str | None:
    """Pings; returns None on success, else one line saying why the ping failed."""
    try:
        target = check_url(url).rstrip("/") + ("" if ok else "/fail")
    except HeartbeatUrlError as exc:
        return exc.one_line()
    try:
        response = httpx.get(target, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return redact(f"heartbeat {target} failed: {exc}")
    return None
