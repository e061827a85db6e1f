"""Faults a test puts on the local GitHub: error statuses, secondary rate limits, outages
that last some seconds, truncated JSON, dropped connections, slow answers.

A :class:`Fault` is a rule matched against each request; :class:`FaultRules` decides, under
one lock, which rules a request uses up, so concurrent requests never share one application
of a rule that should apply once.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .responses import DOCS, DOCS_RATE, Response, error_body, json_bytes, raw_json_response

__all__ = ["Fault", "FaultKind", "FaultRules"]

FaultKind = Literal["status", "malformed_json", "drop_connection", "delay"]


@dataclass
class Fault:
    """A rule that changes how matching requests are answered.

    A request matches when ``method`` (None = any) equals its method and the regular expression
    ``path`` is found (``re.search``) in its API path (no query string, no GHES prefix), e.g.
    ``r"/orgs/acme/dependabot/alerts$"``. The first ``skip`` matching requests pass untouched
    (to fail, say, the second page); after that the rule applies ``times`` times (None =
    forever), and not at all from the wall-clock time ``until`` on (None = no end), when
    given. ``hits`` counts applications.

    Kinds: ``status`` answers ``status`` with ``body`` (JSON when not bytes/str) and
    ``headers``; ``malformed_json`` answers 200 with the real body cut in half;
    ``drop_connection`` closes the socket without a response; ``delay`` sleeps ``delay``
    seconds and then answers normally (other rules still apply). Build them with the
    classmethods.
    """

    kind: FaultKind
    method: str | None = None
    path: str = ""
    times: int | None = 1
    skip: int = 0
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    until: float | None = None
    hits: int = 0
    seen: int = 0

    def __post_init__(self) -> None:
        self._regex = re.compile(self.path)
        if self.method is not None:
            self.method = self.method.upper()

    @property
    def exhausted(self) -> bool:
        if self.until is not None and time.time() >= self.until:
            return True
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self._regex.search(path))

    def status_response(self, rate_headers: list[tuple[str, str]]) -> Response:
        """The canned answer of a ``status`` rule (rate-limit headers included)."""
        payload = self.body
        if isinstance(payload, str):
            payload = payload.encode()
        raw = payload if isinstance(payload, bytes) else json_bytes(payload)
        return raw_json_response(self.status, raw, [*rate_headers, *self.headers.items()])

    # -- constructors ----------------------------------------------------------------------

    @classmethod
    def error(
        cls,
        status: int = 500,
        message: str = "Server Error",
        *,
        retry_after: float | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **match: Any,
    ) -> Fault:
        """Answer ``status`` with ``{"message": message, ...}`` (or ``body``)."""
        hdrs = dict(headers or {})
        if retry_after is not None:
            hdrs["retry-after"] = str(math.ceil(retry_after))
        if body is None:
            body = error_body(status, message, DOCS)
        return cls("status", status=status, body=body, headers=hdrs, **match)

    @classmethod
    def secondary_rate_limit(
        cls, retry_after: float | None = 60, *, status: int = 403, **match: Any
    ) -> Fault:
        """GitHub's secondary (abuse) rate limit answer, with ``retry-after`` unless None."""
        message = (
            "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again. If you reach out to GitHub Support for help, please include the "
            "request ID 0000:0000:0000000:0000000:00000000."
        )
        body = {
            "message": message,
            "documentation_url": f"{DOCS_RATE}#about-secondary-rate-limits",
            "status": str(status),
        }
        return cls.error(status, message, retry_after=retry_after, body=body, **match)

    @classmethod
    def outage(
        cls, seconds: float, status: int = 500, message: str = "Server Error", **match: Any
    ) -> Fault:
        """Every matching request answers ``status`` for ``seconds`` from now, then the
        server recovers (e.g. ``Fault.outage(60, method="PATCH")``)."""
        match.setdefault("times", None)
        return cls.error(status, message, until=time.time() + seconds, **match)

    @classmethod
    def not_found(cls, **match: Any) -> Fault:
        return cls.error(404, "Not Found", **match)

    @classmethod
    def alerts_disabled(cls, **match: Any) -> Fault:
        """The 403 a repository without Dependabot alerts gives (prefer the dataset flag)."""
        return cls.error(403, "Dependabot alerts are disabled for this repository.", **match)

    @classmethod
    def malformed_json(cls, **match: Any) -> Fault:
        return cls("malformed_json", **match)

    @classmethod
    def drop_connection(cls, **match: Any) -> Fault:
        return cls("drop_connection", **match)

    @classmethod
    def slow(cls, seconds: float, **match: Any) -> Fault:
        """Add ``seconds`` of latency to matching requests (default: every time)."""
        match.setdefault("times", None)
        return cls("delay", delay=seconds, **match)


class FaultRules:
    """The server's fault rules, tried in order; the first applicable non-delay rule wins."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._rules: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> tuple[float, Fault | None]:
        """Total extra delay of matching ``delay`` rules, and the first other rule that
        applies; counters advance here so concurrent requests never share one application."""
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            for f in self._rules:
                if (f.kind != "delay" and chosen is not None) or not _applies(f, method, path):
                    continue
                if f.kind == "delay":
                    delay += f.delay
                else:
                    chosen = f
        return delay, chosen


def _applies(f: Fault, method: str, path: str) -> bool:
    """Whether ``f`` applies to this request, counting it as seen (and hit) if so."""
    if f.exhausted or not f.matches(method, path):
        return False
    f.seen += 1
    if f.seen <= f.skip:
        return False
    f.hits += 1
    return True
