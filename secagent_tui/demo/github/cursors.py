"""Cursor pagination of the Dependabot alert lists, as GitHub does it.

GitHub's alert endpoints page by cursor only: ``after``/``before`` name one alert by its
sort key and identity, so the next page starts right after that alert even when alerts were
added or changed meanwhile (offset pagination skips or repeats rows then, the defect a sync
must not have). The page links are ``rel="next"``/``rel="prev"``, never first or last.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

__all__ = ["SortKey", "Window", "decode_cursor", "encode_cursor", "page_links", "sort_key"]

_CURSOR_PREFIX = b"cursor:v2:"

#: (value of the sort field, repository id, alert number): unique and totally ordered.
SortKey = tuple[Any, int, int]


def sort_key(alert: dict[str, Any], sort: str) -> Any:
    """The value ``sort`` orders by (alerts without EPSS sort lowest)."""
    if sort == "created":
        return alert["created_at"]
    if sort == "updated":
        return alert["updated_at"]
    epss = alert["security_advisory"].get("epss") or {}
    value = epss.get("percentage")
    return float(value) if value is not None else -1.0


def encode_cursor(key: SortKey) -> str:
    """Opaque, URL-safe cursor naming one alert by its sort key and identity."""
    raw = _CURSOR_PREFIX + json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unpack(cursor: str) -> Any:
    """The JSON inside a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_CURSOR_PREFIX):
        return None
    try:
        return json.loads(raw[len(_CURSOR_PREFIX) :])
    except ValueError:
        return None


def decode_cursor(cursor: str, sort: str) -> SortKey | None:
    """The key a cursor names, or None when it is malformed or made for another sort."""
    try:
        key, repo_id, number = _unpack(cursor)
    except (ValueError, TypeError):
        return None
    expected = (int, float) if sort == "epss_percentage" else str
    if (
        not isinstance(key, expected)
        or isinstance(key, bool)
        or not isinstance(repo_id, int)
        or not isinstance(number, int)
    ):
        return None
    if sort == "epss_percentage":
        key = float(key)
    return key, repo_id, number


@dataclass(frozen=True)
class Window:
    """Rows ``start:end`` of the sorted keys make the page."""

    start: int
    end: int

    @classmethod
    def cut(
        cls,
        keys: list[SortKey],
        per_page: int,
        *,
        descending: bool,
        after: SortKey | None = None,
        before: SortKey | None = None,
    ) -> Window:
        """The page after ``after``, before ``before``, or the first one."""

        def is_after(k: SortKey, c: SortKey) -> bool:
            return k < c if descending else k > c

        if after is not None:
            start = next((i for i, k in enumerate(keys) if is_after(k, after)), len(keys))
            return cls(start, min(len(keys), start + per_page))
        if before is not None:
            end = next((i for i, k in enumerate(keys) if not is_after(before, k)), len(keys))
            return cls(max(0, end - per_page), end)
        return cls(0, min(len(keys), per_page))


def page_links(
    url: str, query: dict[str, str], keys: list[SortKey], window: Window
) -> list[tuple[str, str]]:
    """The ``Link`` header of a page (none when it is the only one or empty)."""
    links = []
    base_query = {k: v for k, v in query.items() if k not in ("after", "before")}
    if window.end > window.start and window.start > 0:
        q = {**base_query, "before": encode_cursor(keys[window.start])}
        links.append(f'<{url}?{urlencode(q)}>; rel="prev"')
    if window.end > window.start and window.end < len(keys):
        q = {**base_query, "after": encode_cursor(keys[window.end - 1])}
        links.append(f'<{url}?{urlencode(q)}>; rel="next"')
    return [("Link", ", ".join(links))] if links else []
