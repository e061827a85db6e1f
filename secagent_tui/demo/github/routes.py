"""The route table: which endpoint answers which method and API path.

Both URL forms GitHub uses are routed (``/repos/{owner}/{repo}`` and
``/repositories/{id}``, ``/orgs/{org}`` and ``/organizations/{id}``), because GitHub's own
``Link`` headers sometimes switch to the numeric form and the client must follow either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import accounts, alerts, repositories
from .responses import Response

if TYPE_CHECKING:
    from .server import GitHubServer

__all__ = ["Endpoint", "Route", "match_route"]

Endpoint = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern[str]
    endpoint: Endpoint


_OWN = r"(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_TABLE: tuple[tuple[str, str, Endpoint], ...] = (
    ("GET", r"/user", accounts.get_authenticated_user),
    ("GET", r"/user/repos", repositories.list_authenticated_user_repos),
    ("GET", r"/users/(?P<login>[^/]+)", accounts.get_user),
    ("GET", r"/users/(?P<login>[^/]+)/repos", repositories.list_user_repos),
    ("GET", r"/orgs/(?P<org>[^/]+)", accounts.get_org),
    ("GET", r"/orgs/(?P<org>[^/]+)/repos", repositories.list_org_repos),
    ("GET", r"/orgs/(?P<org>[^/]+)/dependabot/alerts", alerts.list_org_alerts),
    ("GET", r"/organizations/(?P<org_id>\d+)/dependabot/alerts", alerts.list_org_alerts),
    ("GET", rf"/repos/{_OWN}", repositories.get_repo),
    ("GET", r"/repositories/(?P<repo_id>\d+)", repositories.get_repo),
    ("GET", rf"/repos/{_OWN}/dependabot/alerts", alerts.list_repo_alerts),
    ("GET", r"/repositories/(?P<repo_id>\d+)/dependabot/alerts", alerts.list_repo_alerts),
    ("GET", rf"/repos/{_OWN}/dependabot/alerts/(?P<number>[^/]+)", alerts.get_alert),
    ("PATCH", rf"/repos/{_OWN}/dependabot/alerts/(?P<number>[^/]+)", alerts.update_alert),
)
ROUTES: tuple[Route, ...] = tuple(Route(m, re.compile(f"^{p}/?$"), e) for m, p, e in _TABLE)


def match_route(
    server: GitHubServer,
    method: str,
    path: str,
    query: dict[str, str],
    body: bytes,
    credential: str,
) -> Response | None:
    """The endpoint's answer, or None when no route matches. Writes also get the token,
    to check its permission."""
    for route in ROUTES:
        m = route.regex.match(path)
        if m and route.method == method:
            params: dict[str, Any] = {k: unquote(v) for k, v in m.groupdict().items()}
            if method != "GET":
                params["token"] = credential
            return route.endpoint(server, query=query, body=body, **params)
    return None
