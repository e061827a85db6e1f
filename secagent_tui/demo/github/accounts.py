"""Endpoints for accounts: ``GET /user``, ``/users/{login}``, ``/orgs/{org}``.

PyGithub resolves every owner through these before it lists anything, so they answer the
dataset's organizations and users with GitHub's objects and 404 for anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .payloads import account_payload
from .responses import DOCS, Response, json_response, not_found

if TYPE_CHECKING:
    from .server import GitHubServer

__all__ = ["get_authenticated_user", "get_org", "get_user"]


def get_authenticated_user(server: GitHubServer, **_: Any) -> Response:
    ds = server.dataset
    acct = ds.account(server.login)
    if acct is None:
        payload = ds.user_payload(server.login)
        payload.update({"name": server.login, "public_repos": 0, "total_private_repos": 0})
    else:
        payload = account_payload(ds, acct, private=True)
    return json_response(200, payload)


def get_user(server: GitHubServer, login: str, **_: Any) -> Response:
    acct = server.dataset.account(login)
    if acct is None:
        return not_found(f"{DOCS}/users/users#get-a-user")
    return json_response(200, account_payload(server.dataset, acct))


def get_org(server: GitHubServer, org: str, **_: Any) -> Response:
    acct = server.dataset.account(org)
    if acct is None or acct.type != "Organization":
        return not_found(f"{DOCS}/orgs/orgs#get-an-organization")
    return json_response(200, account_payload(server.dataset, acct))
