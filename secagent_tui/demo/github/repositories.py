"""Endpoints for repositories: one repository, and the lists of an org, a user, or "me".

Unlike the alert lists, GitHub pages these by page number (``page``, with ``prev``,
``next``, ``last`` and ``first`` links), and ``/users/{user}/repos`` lists public
repositories only; a sync that lists an owner's repositories meets both, so both are here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .model import Repo
from .payloads import repo_payload
from .responses import DOCS, Response, error, json_response, not_found, validation_failed

if TYPE_CHECKING:
    from .server import GitHubServer

__all__ = [
    "find_repo",
    "get_repo",
    "list_authenticated_user_repos",
    "list_org_repos",
    "list_user_repos",
]

_SORT_KEYS: dict[str, Callable[[Repo], Any]] = {
    "full_name": lambda r: r.full_name.lower(),
    "created": lambda r: (r.created_at, r.id),
    "updated": lambda r: (r.created_at, r.id),
    "pushed": lambda r: (r.created_at, r.id),
}


def find_repo(
    server: GitHubServer,
    owner: str | None = None,
    repo: str | None = None,
    repo_id: str | None = None,
) -> Repo | None:
    """The repository named ``owner/repo`` or numbered ``repo_id`` (both URL forms)."""
    if repo_id is not None:
        return server.dataset.repo_by_id(int(repo_id))
    return server.dataset.repo(f"{owner}/{repo}")


def get_repo(server: GitHubServer, query: dict[str, str], body: bytes, **ident: str) -> Response:
    repo = find_repo(server, **ident)
    if repo is None:
        return not_found(f"{DOCS}/repos/repos#get-a-repository")
    with server.dataset.lock:
        return json_response(200, repo_payload(repo))


def _page_links(url: Callable[[int], str], page: int, last: int) -> list[tuple[str, str]]:
    links = []
    if page > 1:
        links += [f'<{url(page - 1)}>; rel="prev"']
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links += [f'<{url(1)}>; rel="first"']
    return [("Link", ", ".join(links))] if links else []


def page_list(
    server: GitHubServer, path: str, query: dict[str, str], repos: list[Repo], default_sort: str
) -> Response:
    """One page of ``repos``, sorted and paged as GitHub's repository lists are."""
    sort = query.get("sort") or default_sort
    if sort not in _SORT_KEYS:
        return validation_failed("Repository", "sort", sort)
    direction = query.get("direction") or ("asc" if sort == "full_name" else "desc")
    if direction not in ("asc", "desc"):
        return validation_failed("Repository", "direction", direction)
    repos = sorted(repos, key=_SORT_KEYS[sort], reverse=direction == "desc")
    try:
        per_page = min(100, max(1, int(query.get("per_page") or 30)))
        page = max(1, int(query.get("page") or 1))
    except ValueError:
        return error(400, "Invalid pagination parameters")
    last = max(1, math.ceil(len(repos) / per_page))
    chunk = repos[(page - 1) * per_page : page * per_page]

    def url(p: int) -> str:
        q = {k: v for k, v in query.items() if k != "page"}
        q["page"] = str(p)
        return f"{server.base_url}{path}?{urlencode(q)}"

    headers = _page_links(url, page, last)
    with server.dataset.lock:
        return json_response(200, [repo_payload(r) for r in chunk], headers)


def list_org_repos(server: GitHubServer, org: str, query: dict[str, str], **_: Any) -> Response:
    acct = server.dataset.account(org)
    if acct is None or acct.type != "Organization":
        return not_found(f"{DOCS}/repos/repos#list-organization-repositories")
    repos = server.dataset.repos(acct.login)
    kind = query.get("type", "all")
    if kind == "public":
        repos = [r for r in repos if not r.private]
    elif kind == "private":
        repos = [r for r in repos if r.private]
    elif kind == "forks":
        repos = []
    elif kind not in ("all", "sources", "member"):
        return validation_failed("Repository", "type", kind)
    return page_list(server, f"/orgs/{acct.login}/repos", query, repos, "created")


def list_user_repos(server: GitHubServer, login: str, query: dict[str, str], **_: Any) -> Response:
    acct = server.dataset.account(login)
    if acct is None:
        return not_found(f"{DOCS}/repos/repos#list-repositories-for-a-user")
    repos = server.dataset.repos(acct.login)
    if server.user_repos_public_only:
        repos = [r for r in repos if not r.private]
    if query.get("type", "owner") == "member":
        repos = []
    return page_list(server, f"/users/{acct.login}/repos", query, repos, "full_name")


def list_authenticated_user_repos(
    server: GitHubServer, query: dict[str, str], **_: Any
) -> Response:
    """``GET /user/repos``: own repositories (private included) and those of every
    organization in the dataset (the demo user is a member of all of them)."""
    if "type" in query and ("visibility" in query or "affiliation" in query):
        return error(
            422,
            "If you specify visibility or affiliation, you cannot specify type.",
            f"{DOCS}/repos/repos#list-repositories-for-the-authenticated-user",
        )
    kind = query.get("type")
    affiliation = {"owner": "owner", "member": "organization_member"}.get(
        kind or "", query.get("affiliation") or "owner,collaborator,organization_member"
    )
    wanted = {a.strip() for a in affiliation.split(",")}
    visibility = query.get("visibility") or {"public": "public", "private": "private"}.get(
        kind or "", "all"
    )
    repos = [r for r in server.dataset.repos() if _affiliated(server, r, wanted)]
    if visibility != "all":
        repos = [r for r in repos if r.private == (visibility == "private")]
    return page_list(server, "/user/repos", query, repos, "full_name")


def _affiliated(server: GitHubServer, r: Repo, wanted: set[str]) -> bool:
    own = r.owner.login.lower() == server.login.lower()
    return (own and "owner" in wanted) or (
        r.owner.type == "Organization" and "organization_member" in wanted
    )
