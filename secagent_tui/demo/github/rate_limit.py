"""GitHub's primary rate limit: a request budget per window, its headers and its 403.

The sync under test paces itself by these headers and must stop cleanly at the 403, so
the budget counts exactly as GitHub's does (``/rate_limit`` is free, unauthenticated
requests have their own budget of 60) and every answer carries the headers.
"""

from __future__ import annotations

import math
import threading
import time

from .responses import DOCS_RATE, Response, error_body, json_response

__all__ = ["RateBudget", "exceeded", "rate_headers", "rate_limit_resources"]

Headers = list[tuple[str, str]]


def rate_headers(limit: int, remaining: int, used: int, reset: int) -> Headers:
    return [
        ("x-ratelimit-limit", str(limit)),
        ("x-ratelimit-remaining", str(remaining)),
        ("x-ratelimit-reset", str(reset)),
        ("x-ratelimit-used", str(used)),
        ("x-ratelimit-resource", "core"),
    ]


class RateBudget:
    """``limit`` requests per ``window`` seconds; every method locks ``lock``."""

    def __init__(self, lock: threading.Lock, limit: int, window: float) -> None:
        self._lock = lock
        self.limit = limit
        self.window = window
        self._used = 0
        self._reset_at = time.time() + window
        self._unauth_used = 0

    def _state(self) -> tuple[int, int, int]:
        """(remaining, used, reset epoch); the caller holds the lock."""
        now = time.time()
        if now >= self._reset_at:
            self._used = 0
            self._reset_at = now + self.window
        used = min(self._used, self.limit)
        return self.limit - used, used, math.ceil(self._reset_at)

    def state(self) -> tuple[int, int, int]:
        """(remaining, used, reset epoch) now, counting nothing."""
        with self._lock:
            return self._state()

    def headers(self) -> Headers:
        """The headers of a request that is not counted (``GET /rate_limit``)."""
        return rate_headers(self.limit, *self.state())

    def consume(self) -> tuple[bool, Headers]:
        """Count one request; (allowed, rate-limit headers after counting it)."""
        with self._lock:
            remaining, _, _ = self._state()
            allowed = remaining > 0
            if allowed:
                self._used += 1
            remaining, used, reset = self._state()
        return allowed, rate_headers(self.limit, remaining, used, reset)

    def unauthenticated_headers(self) -> Headers:
        """Count a request without valid credentials against the budget of 60."""
        with self._lock:
            self._unauth_used += 1
            used = min(self._unauth_used, 60)
        return rate_headers(60, 60 - used, used, math.ceil(time.time() + 3600))

    def set_remaining(self, remaining: int) -> None:
        """Pretend ``limit - remaining`` requests were already made in this window."""
        with self._lock:
            self._state()
            self._used = max(0, self.limit - remaining)

    def reset(self, *, window: float | None = None) -> None:
        """Start a fresh window (optionally of a new length)."""
        with self._lock:
            if window is not None:
                self.window = window
            self._used = 0
            self._reset_at = time.time() + self.window


def exceeded(headers: Headers) -> Response:
    """GitHub's primary-limit 403."""
    message = (
        "API rate limit exceeded for user ID 1. If you reach out to GitHub Support "
        "for help, please include the request ID DEMO and timestamp "
        f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}."
    )
    return json_response(403, error_body(403, message, DOCS_RATE), headers)


def rate_limit_resources(limit: int, remaining: int, used: int, reset: int) -> Response:
    """``GET /rate_limit``: the core budget and GitHub's other resources (never spent)."""
    core = {"limit": limit, "used": used, "remaining": remaining, "reset": reset}
    hour = math.ceil(time.time() + 3600)
    minute = math.ceil(time.time() + 60)
    resources = {
        "core": core,
        "search": {"limit": 30, "used": 0, "remaining": 30, "reset": minute},
        "graphql": {"limit": 5000, "used": 0, "remaining": 5000, "reset": hour},
        "integration_manifest": {"limit": 5000, "used": 0, "remaining": 5000, "reset": hour},
        "code_scanning_upload": {"limit": 1000, "used": 0, "remaining": 1000, "reset": hour},
    }
    return json_response(200, {"resources": resources, "rate": core})
