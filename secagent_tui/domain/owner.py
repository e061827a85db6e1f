"""One value for every owner of repositories, so no code path is written twice for users and
organizations (docs/architecture.md, "The review, item by item", #3 and #6).

Owner names and repository names end up inside GitHub URLs (`/orgs/NAME/...`,
`/repos/OWNER/NAME/...`) and clone URLs, so they are held to GitHub's own naming rules here:
`..` would walk up a path, `?` or `#` would start a query or a fragment, and spaces or
bidirectional controls would make a config line read differently from what it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_LOGIN_CHARS = 39
MAX_REPO_NAME_CHARS = 100

# ASCII letters and digits, single hyphens between them (GitHub's rule for user and
# organization logins).
_LOGIN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
"""A github.com login: letters, digits, single inner hyphens (an organization's name too)."""
_MANAGED_LOGIN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:_[A-Za-z0-9]+)?")
"""A user login, which may carry the `_shortcode` suffix of an Enterprise Managed User
(`mona_acme`): their alerts' assignees and their own accounts have it; organizations don't."""
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]+")


class OwnerKind(StrEnum):
    ORG = "org"
    USER = "user"


def login_problem(name: str, *, user: bool = True) -> str | None:
    """Why `name` is not a GitHub user login (`user=False`: organization login), or None
    when it is one."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty GitHub login"
    if "/" in name:
        return "must be a GitHub login, not owner/repo; list repositories in repos"
    pattern = _MANAGED_LOGIN if user else _LOGIN
    if len(name) > MAX_LOGIN_CHARS or not pattern.fullmatch(name):
        managed = " (a managed user's _shortcode suffix allowed)" if user else ""
        return (
            "must be a GitHub login: letters, digits and single hyphens, not starting or "
            f"ending with a hyphen{managed}, at most {MAX_LOGIN_CHARS} characters"
        )
    return None


def repo_name_problem(name: str) -> str | None:
    """Why `name` is not a GitHub repository name (the part after `owner/`), or None."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty repository name"
    if name in (".", "..") or len(name) > MAX_REPO_NAME_CHARS or not _REPO_NAME.fullmatch(name):
        return (
            "must be a GitHub repository name: letters, digits, '.', '_' and '-', not '.' or "
            f"'..', at most {MAX_REPO_NAME_CHARS} characters"
        )
    return None


@dataclass(frozen=True, slots=True)
class Owner:
    """A GitHub organization or user whose repositories' alerts are synced.

    The kind only decides how alerts are listed (one org endpoint, or the user's repositories);
    everything downstream treats both the same.
    """

    kind: OwnerKind
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", OwnerKind(self.kind))
        problem = login_problem(self.name)
        if problem is not None:
            raise ValueError(f"invalid owner name {self.name!r}: {problem}")

    def __str__(self) -> str:
        return self.name

    def owns(self, repo: str) -> bool:
        """Whether `owner/name` belongs to this owner (GitHub logins are case-insensitive)."""
        owner, slash, name = repo.partition("/")
        return bool(slash and name) and owner.lower() == self.name.lower()
