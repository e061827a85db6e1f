"""Endpoints for Dependabot alerts: the organization and repository lists, one alert, and
its PATCH.

A repository that is archived or has alerts turned off answers 403 on every alert endpoint
and drops out of the organization list, as on GitHub; the lists filter, sort and cut one
cursor page under the dataset lock, so a page is one consistent view while tests change
alerts from other threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .alert_query import AlertQuery, parse_alert_query
from .alert_update import apply_update, conflict, parse_update
from .cursors import Window, page_links, sort_key
from .model import Repo
from .payloads import alert_payload
from .permissions import write_forbidden
from .repositories import find_repo
from .responses import (
    DOCS_ALERTS_ORG,
    DOCS_ALERTS_REPO,
    DOCS_GET_ALERT,
    Response,
    error,
    json_response,
    not_found,
)

if TYPE_CHECKING:
    from .server import GitHubServer

__all__ = ["get_alert", "list_org_alerts", "list_repo_alerts", "update_alert"]

_Pairs = list[tuple[Repo, dict[str, Any]]]


def _alerts_unavailable(repo: Repo) -> Response | None:
    """The 403 of a repository whose alerts cannot be read, or None."""
    if repo.archived:
        msg = "Dependabot alerts are not available for archived repositories."
        return error(403, msg, DOCS_ALERTS_REPO)
    if not repo.alerts_enabled:
        return error(403, "Dependabot alerts are disabled for this repository.", DOCS_ALERTS_REPO)
    return None


def list_org_alerts(
    server: GitHubServer,
    query: dict[str, str],
    org: str | None = None,
    org_id: str | None = None,
    **_: Any,
) -> Response:
    ds = server.dataset
    if org_id is not None:
        acct = next((a for a in ds.accounts() if a.id == int(org_id)), None)
    else:
        acct = ds.account(org or "")
    if acct is None or acct.type != "Organization":
        return not_found(DOCS_ALERTS_ORG)
    with ds.lock:
        pairs = [
            (r, a)
            for r in ds.repos(acct.login)
            if r.alerts_enabled and not r.archived
            for a in r.alerts.values()
        ]
        path = (
            f"/organizations/{acct.id}/dependabot/alerts"
            if server.id_links
            else f"/orgs/{acct.login}/dependabot/alerts"
        )
        return _alert_page(server, path, query, pairs, repo_level=False)


def list_repo_alerts(
    server: GitHubServer, query: dict[str, str], body: bytes, **ident: str
) -> Response:
    repo = find_repo(server, **ident)
    if repo is None:
        return not_found(DOCS_ALERTS_REPO)
    unavailable = _alerts_unavailable(repo)
    if unavailable is not None:
        return unavailable
    with server.dataset.lock:
        pairs = [(repo, a) for a in repo.alerts.values()]
        path = (
            f"/repositories/{repo.id}/dependabot/alerts"
            if server.id_links
            else f"/repos/{repo.full_name}/dependabot/alerts"
        )
        return _alert_page(server, path, query, pairs, repo_level=True)


def _alert_page(
    server: GitHubServer, path: str, query: dict[str, str], pairs: _Pairs, *, repo_level: bool
) -> Response:
    """Filter, sort and cut one cursor page; the caller holds the dataset lock. The
    organization list embeds each alert's repository, the repository list does not."""
    docs = DOCS_ALERTS_REPO if repo_level else DOCS_ALERTS_ORG
    checked = parse_alert_query(query, docs=docs, repo_level=repo_level)
    if isinstance(checked, Response):
        return checked
    rows = _sorted_rows(pairs, checked)
    keys = [t[:3] for t in rows]
    window = Window.cut(
        keys,
        checked.per_page,
        descending=checked.descending,
        after=checked.after,
        before=checked.before,
    )
    headers = page_links(f"{server.base_url}{path}", query, keys, window)
    payload = [
        alert_payload(t[3], with_repository=not repo_level) for t in rows[window.start : window.end]
    ]
    return json_response(200, payload, headers)


def _sorted_rows(pairs: _Pairs, q: AlertQuery) -> list[tuple[Any, int, int, dict[str, Any]]]:
    rows = [(sort_key(a, q.sort), r.id, a["number"], a) for r, a in pairs if q.keeps(a)]
    rows.sort(key=lambda t: t[:3], reverse=q.descending)
    return rows


def _alert_for(
    server: GitHubServer, owner: str, repo: str, number: str
) -> tuple[Repo, dict[str, Any]] | Response:
    r = find_repo(server, owner, repo)
    if r is None:
        return not_found(DOCS_GET_ALERT)
    unavailable = _alerts_unavailable(r)
    if unavailable is not None:
        return unavailable
    alert = r.alerts.get(int(number)) if number.isdigit() else None
    if alert is None:
        return not_found(DOCS_GET_ALERT)
    return r, alert


def get_alert(server: GitHubServer, owner: str, repo: str, number: str, **_: Any) -> Response:
    with server.dataset.lock:
        found = _alert_for(server, owner, repo, number)
        if isinstance(found, Response):
            return found
        return json_response(200, alert_payload(found[1], with_repository=False))


def update_alert(
    server: GitHubServer,
    owner: str,
    repo: str,
    number: str,
    body: bytes,
    token: str = "",
    **_: Any,
) -> Response:
    """Check in GitHub's order (alert, permission, body, state), then apply."""
    with server.dataset.lock:
        found = _alert_for(server, owner, repo, number)
        if isinstance(found, Response):
            return found
        r, alert = found
        refused = write_forbidden(
            token, owner_token=server.token, read_only=server.read_only_tokens
        )
        if refused is not None:
            return refused
        update = parse_update(body)
        if isinstance(update, Response):
            return update
        refused = conflict(update, r, alert, conflict_on_redismiss=server.conflict_on_redismiss)
        if refused is not None:
            return refused
        alert = apply_update(server.dataset, r, alert, update, by=server.login)
        return json_response(200, alert_payload(alert, with_repository=False))
