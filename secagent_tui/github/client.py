"""PyGithub, configured for bulk Dependabot work and shared safely between threads.

PyGithub is synchronous and its `Github` object is not meant to be shared, so each thread
gets its own. Alert lists are read through `requester.requestJsonAndCheck` and
followed through `Link: rel="next"` ourselves: the alerts API paginates by cursor only, which
PyGithub's `PaginatedList` cannot count or stop early on, and we need each response's headers
(rate limits) and `raw` payloads (PyGithub's alert objects lack `epss`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from github import Auth, Github, GithubException, GithubRetry

from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.logs import add_secret

PER_PAGE = 100
ALL_STATES = "auto_dismissed,dismissed,fixed,open"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')

_thread_counts = threading.local()


def _count(name: str) -> None:
    setattr(_thread_counts, name, getattr(_thread_counts, name, 0) + 1)


def thread_requests() -> int:
    """Requests this thread has sent, retries included: per-repository figures read deltas."""
    return getattr(_thread_counts, "requests", 0) + getattr(_thread_counts, "retries", 0)


class _CountingRetry(GithubRetry):
    """GithubRetry (honours retry-after, waits out rate limits) that also counts its retries."""

    def increment(self, *args: Any, **kwargs: Any) -> Any:
        retry = super().increment(*args, **kwargs)
        _count("retries")
        return retry


@dataclass(frozen=True, slots=True)
class GitHubSettings:
    api_url: str
    token: str
    # Where the token came from ("env GITHUB_TOKEN", "keyring (…)"): named when GitHub
    # refuses it, so the analyst knows which one to replace. Never the token itself.
    token_source: str = "the configured token"
    timeout_seconds: float = 30.0
    max_retries: int = 5
    backoff_factor: float = 0.5
    secondary_rate_wait: float = 60.0


class TokenRefused(GithubException, SecagentError):
    """GitHub answered 401: the token is wrong, expired or revoked. One message that names
    where the token came from, never a rate-limit story; still a GithubException with its
    status, so callers that retry a 401 (the token may be rotated meanwhile) still can."""

    def __init__(self, cause: GithubException, source: str) -> None:
        super().__init__(cause.status, cause.data, cause.headers)
        message = cause.data.get("message") if isinstance(cause.data, dict) else None
        self.source = source
        self.text = (
            f"GitHub refused the token from {source} (401: {message or 'unauthorized'}); "
            "check it, or replace it with `secagent auth login` or GITHUB_TOKEN"
        )

    def __str__(self) -> str:
        return self.text


def next_link(headers: dict[str, Any]) -> str | None:
    for key, value in headers.items():
        if key.lower() == "link":
            match = _NEXT.search(value)
            return match.group(1) if match else None
    return None


def is_alerts_disabled(exc: GithubException) -> bool:
    message = exc.data.get("message", "") if isinstance(exc.data, dict) else str(exc.data)
    return exc.status == 403 and "disabled" in str(message).lower()


class GitHubApi:
    """The GitHub calls secagent makes, each through the shared rate governor."""

    def __init__(self, settings: GitHubSettings, governor: RateGovernor) -> None:
        # Every token that talks to GitHub passes here: from now on `redact` masks it in
        # logs, stored errors and terminal lines, whatever its shape (GitHub's answers may
        # quote it back).
        add_secret(settings.token)
        self._settings = settings
        self.governor = governor
        self._local = threading.local()
        self._clients: list[Github] = []
        self._lock = threading.Lock()

    def _github(self) -> Github:
        client = getattr(self._local, "client", None)
        if client is None:
            s = self._settings
            client = Github(
                auth=Auth.Token(s.token),
                base_url=s.api_url,
                per_page=PER_PAGE,
                timeout=int(max(s.timeout_seconds, 1)),
                retry=_CountingRetry(
                    total=s.max_retries,
                    backoff_factor=s.backoff_factor,
                    secondary_rate_wait=s.secondary_rate_wait,
                ),
                seconds_between_requests=None,
                seconds_between_writes=None,
            )
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def request(
        self, verb: str, url: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> tuple[dict[str, Any], Any]:
        requester = self._github().requester
        with self.governor.slot():
            _count("requests")
            try:
                headers, data = requester.requestJsonAndCheck(verb, url, params, input=body)
            except GithubException as exc:
                if exc.status == 401:
                    # A refused token is answered with the unauthenticated limit (60 an
                    # hour, often spent): that is no news about this token's own limit.
                    raise TokenRefused(exc, self._settings.token_source) from exc
                self.governor.observe(exc.headers or {})
                raise
        self.governor.observe(headers)
        return headers, data

    def pages(self, url: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Each page of a list endpoint, following `Link: rel="next"` until there is none."""
        next_url: str | None = url
        query: dict[str, Any] | None = {**params, "per_page": PER_PAGE}
        while next_url is not None:
            headers, data = self.request("GET", next_url, query)
            yield list(data or [])
            next_url, query = next_link(headers), None  # the next link carries the query

    def authenticated_login(self) -> str | None:
        try:
            _, data = self.request("GET", "/user")
        except GithubException:
            return None
        return str(data.get("login")) if isinstance(data, dict) else None

    def list_repositories(self, owner: Owner) -> list[dict[str, Any]]:
        """The owner's repositories. A user who is the token's owner is listed through
        `/user/repos` so that private repositories are included."""
        if owner.kind is OwnerKind.ORG:
            url, params = f"/orgs/{owner.name}/repos", {"type": "all"}
        elif (self.authenticated_login() or "").lower() == owner.name.lower():
            url, params = "/user/repos", {"affiliation": "owner"}
        else:
            url, params = f"/users/{owner.name}/repos", {"type": "owner"}
        return [repo for page in self.pages(url, params) for repo in page]

    def update_alert(self, repo: str, number: int, body: dict[str, Any]) -> dict[str, Any]:
        _, data = self.request("PATCH", f"/repos/{repo}/dependabot/alerts/{number}", body=body)
        return dict(data)

    def close(self) -> None:
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
