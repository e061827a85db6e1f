"""One record per request the local GitHub served, for tests to read back what happened.

Tests assert on traffic (how many pages a sync fetched, whether a PATCH was retried, when a
request arrived after a ``retry-after``), so each record keeps the method, API path, query,
status and arrival time; a dropped connection is logged with status 0.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["RequestRecord"]


class RequestRecord(NamedTuple):
    """One request as the server saw it. ``status`` 0 means the connection was dropped;
    ``timestamp`` is the wall-clock arrival time (``time.time()``)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    timestamp: float
