"""GitHub-shaped JSON objects built from the dataset: users, organizations, repositories.

Each builder mirrors one component of GitHub's REST schema (``simple-user``,
``organization-full``, ``simple-repository``, ``full-repository``), field for field, so
PyGithub parses what the server sends exactly as it parses api.github.com's answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .identifiers import node_id
from .model import Account, Repo
from .vocabulary import AccountType

if TYPE_CHECKING:
    from .store import Dataset

__all__ = [
    "account_payload",
    "alert_payload",
    "repo_payload",
    "simple_repository",
    "simple_user",
]


def simple_user(api_url: str, login: str, type_: AccountType, id_: int) -> dict[str, Any]:
    """GitHub's ``simple-user`` object (users and organizations alike)."""
    base = f"{api_url}/users/{login}"
    return {
        "login": login,
        "id": id_,
        "node_id": ("U_" if type_ == "User" else "O_") + node_id(id_),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{id_}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": type_,
        "user_view_type": "public",
        "site_admin": False,
    }


def simple_repository(api_url: str, repo: Repo, owner: dict[str, Any]) -> dict[str, Any]:
    """GitHub's ``simple-repository`` object, as embedded in every alert."""
    base = f"{api_url}/repos/{repo.full_name}"
    return {
        "id": repo.id,
        "node_id": "R_" + node_id(repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": owner,
        "private": repo.private,
        "html_url": repo.html_url,
        "description": repo.description,
        "fork": False,
        "url": base,
        "hooks_url": f"{base}/hooks",
        "issues_url": f"{base}/issues{{/number}}",
        "pulls_url": f"{base}/pulls{{/number}}",
        "contents_url": f"{base}/contents/{{+path}}",
        "languages_url": f"{base}/languages",
    }


def account_payload(ds: Dataset, acct: Account, *, private: bool = False) -> dict[str, Any]:
    """``GET /orgs/{org}``, ``GET /users/{user}`` or (``private``) ``GET /user``."""
    if acct.type == "Organization":
        return _organization(ds, acct)
    return _user(ds, acct, private=private)


def _repo_counts(ds: Dataset, acct: Account) -> tuple[int, int]:
    """(public, private) repositories of the account."""
    repos = ds.repos(acct.login)
    public = sum(1 for r in repos if not r.private)
    return public, len(repos) - public


def _organization(ds: Dataset, acct: Account) -> dict[str, Any]:
    public, private = _repo_counts(ds, acct)
    base = f"{ds.api_url}/orgs/{acct.login}"
    return {
        "login": acct.login,
        "id": acct.id,
        "node_id": ds.user_payload(acct.login)["node_id"],
        "url": base,
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events",
        "hooks_url": f"{base}/hooks",
        "issues_url": f"{base}/issues",
        "members_url": f"{base}/members{{/member}}",
        "public_members_url": f"{base}/public_members{{/member}}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{acct.id}?v=4",
        "description": f"{acct.name} engineering",
        "name": acct.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "twitter_username": None,
        "is_verified": False,
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": public,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "html_url": f"https://github.com/{acct.login}",
        "created_at": acct.created_at,
        "updated_at": acct.created_at,
        "archived_at": None,
        "type": "Organization",
        "total_private_repos": private,
        "owned_private_repos": private,
    }


def _user(ds: Dataset, acct: Account, *, private: bool) -> dict[str, Any]:
    public, private_count = _repo_counts(ds, acct)
    out = ds.user_payload(acct.login)
    out.update(
        {
            "name": acct.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": public,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": acct.created_at,
            "updated_at": acct.created_at,
        }
    )
    if private:
        out.update(
            {
                "private_gists": 0,
                "total_private_repos": private_count,
                "owned_private_repos": private_count,
                "disk_usage": 0,
                "collaborators": 0,
                "two_factor_authentication": True,
            }
        )
    return out


def repo_payload(repo: Repo) -> dict[str, Any]:
    """GitHub's ``full-repository`` object (the demo user may do everything)."""
    out = dict(repo.simple)
    full = repo.full_name
    out.update(
        {
            "archived": repo.archived,
            "disabled": False,
            "visibility": "private" if repo.private else "public",
            "default_branch": "main",
            "created_at": repo.created_at,
            "updated_at": repo.created_at,
            "pushed_at": repo.created_at,
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "clone_url": f"https://github.com/{full}.git",
            "svn_url": f"https://github.com/{full}",
            "homepage": None,
            "size": 1024,
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": repo.language,
            "has_issues": True,
            "has_projects": True,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "mirror_url": None,
            "open_issues_count": 0,
            "license": None,
            "allow_forking": True,
            "is_template": False,
            "topics": [],
            "forks": 0,
            "open_issues": 0,
            "watchers": 0,
            "permissions": {
                "admin": True,
                "maintain": True,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }
    )
    return out


def alert_payload(alert: dict[str, Any], *, with_repository: bool) -> dict[str, Any]:
    """An alert as an endpoint sends it: the organization list embeds ``repository``, the
    repository endpoints do not."""
    if with_repository:
        return alert
    return {k: v for k, v in alert.items() if k != "repository"}
