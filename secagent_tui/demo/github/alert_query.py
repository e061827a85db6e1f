"""The query of an alert list (filters, sort, page size, cursor), checked as GitHub checks it.

GitHub refuses ``page``/``first``/``last`` with 400, a ``per_page`` above 100 or an unknown
filter value with 422, and both ``before`` and ``after`` with 400; a client that sends any
of these against api.github.com fails, so the local server must fail the same way.
:func:`parse_alert_query` gives either a checked :class:`AlertQuery` or that answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cursors import SortKey, decode_cursor
from .responses import Response, error, validation_failed
from .vocabulary import ECOSYSTEMS, SEVERITIES, STATES

__all__ = ["AlertQuery", "parse_alert_query"]

_SORTS = ("created", "updated", "epss_percentage")
_ENUM_FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("state", STATES),
    ("severity", SEVERITIES),
    ("ecosystem", ECOSYSTEMS),
    ("scope", ("development", "runtime")),
)


@dataclass(frozen=True)
class AlertQuery:
    """A checked alert-list query; a None filter keeps every alert."""

    per_page: int
    sort: str
    descending: bool
    states: list[str] | None = None
    severities: list[str] | None = None
    ecosystems: list[str] | None = None
    scopes: list[str] | None = None
    packages: list[str] | None = None
    manifests: list[str] | None = None
    patched_only: bool = False
    after: SortKey | None = None
    before: SortKey | None = None

    def keeps(self, a: dict[str, Any]) -> bool:
        """Whether alert ``a`` passes every filter."""
        dep = a["dependency"]
        checks = (
            (self.states, a["state"]),
            (self.severities, a["security_advisory"]["severity"]),
            (self.ecosystems, dep["package"]["ecosystem"]),
            (self.scopes, dep.get("scope")),
            (self.packages, dep["package"]["name"]),
            (self.manifests, dep["manifest_path"]),
        )
        if any(wanted and value not in wanted for wanted, value in checks):
            return False
        return not (
            self.patched_only and a["security_vulnerability"]["first_patched_version"] is None
        )


def _csv(query: dict[str, str], name: str) -> list[str] | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    return [v.strip() for v in raw.split(",") if v.strip()]


class _Refused(Exception):
    """The query is refused with ``response``."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def parse_alert_query(
    query: dict[str, str], *, docs: str, repo_level: bool
) -> AlertQuery | Response:
    """The checked query, or GitHub's answer refusing it (``repo_level``: the repository
    endpoint, which also filters by ``manifest``)."""
    try:
        return _parse(query, docs, repo_level)
    except _Refused as refused:
        return refused.response


def _parse(query: dict[str, str], docs: str, repo_level: bool) -> AlertQuery:
    for removed in ("page", "first", "last"):
        if removed in query:
            msg = f"Pagination using the `{removed}` parameter is not supported."
            raise _Refused(error(400, msg, docs))
    per_page = _per_page(query)
    filters = {name: _enum_filter(query, name, allowed) for name, allowed in _ENUM_FILTERS}
    has = _csv(query, "has")
    if has is not None and any(h != "patch" for h in has):
        raise _Refused(validation_failed("DependabotAlert", "has", query["has"]))
    sort = query.get("sort") or "created"
    if sort not in _SORTS:
        raise _Refused(validation_failed("DependabotAlert", "sort", sort))
    direction = query.get("direction") or "desc"
    if direction not in ("asc", "desc"):
        raise _Refused(validation_failed("DependabotAlert", "direction", direction))
    after, before = _cursors(query, sort, docs)
    return AlertQuery(
        per_page=per_page,
        sort=sort,
        descending=direction == "desc",
        states=filters["state"],
        severities=filters["severity"],
        ecosystems=filters["ecosystem"],
        scopes=filters["scope"],
        packages=_csv(query, "package"),
        manifests=_csv(query, "manifest") if repo_level else None,
        patched_only=bool(has),
        after=after,
        before=before,
    )


def _per_page(query: dict[str, str]) -> int:
    raw = query.get("per_page") or "30"
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise _Refused(validation_failed("DependabotAlert", "per_page", raw))
    return int(raw)


def _enum_filter(query: dict[str, str], name: str, allowed: tuple[str, ...]) -> list[str] | None:
    values = _csv(query, name)
    if values is None:
        return None
    values = [v.lower() for v in values]
    bad = [v for v in values if v not in allowed]
    if bad or (name == "scope" and len(values) != 1):
        raise _Refused(validation_failed("DependabotAlert", name, query[name]))
    return values


def _cursors(query: dict[str, str], sort: str, docs: str) -> tuple[SortKey | None, SortKey | None]:
    after, before = query.get("after") or None, query.get("before") or None
    if after and before:
        raise _Refused(error(400, "Only one of `before` or `after` may be given.", docs))
    if not (after or before):
        return None, None
    cursor = decode_cursor(after or before or "", sort)
    if cursor is None:
        raise _Refused(error(400, f"Invalid `{'after' if after else 'before'}` cursor.", docs))
    return (cursor, None) if after else (None, cursor)
