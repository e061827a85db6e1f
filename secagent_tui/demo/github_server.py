"""A protocol-faithful local GitHub REST server for tests, benchmarks and ``secagent demo``.

The real PyGithub client talks to it over real sockets on 127.0.0.1, so everything between
our code and the wire (PyGithub's URL handling, its Link parser, urllib3 retries, requests'
connection pool) runs exactly as it does against api.github.com. That is the whole point: a
mock at the Python level would have hidden the defects this project exists to fix (offset
pagination, ignored rate limits, unchecked comment lengths).

What it follows from GitHub (API version 2022-11-28; facts in the design's reference notes):

* Dependabot alert endpoints paginate by cursor only: a ``Link`` header with ``rel="next"``
  (``after=``) and ``rel="prev"`` (``before=``), never ``rel="last"``/``"first"``; ``page``,
  ``first`` and ``last`` are refused with 400, ``per_page`` above 100 with 422. Cursors encode
  the sort key and the alert's identity, so they stay valid while alerts change.
* ``GET /orgs/{org}/repos`` and ``/users/{user}/repos`` paginate by page number, as GitHub's
  do; ``/users/{user}/repos`` lists public repositories only (use ``/user/repos`` for the
  authenticated user's private ones), as on GitHub.
* PATCH validation: ``state`` dismissed|open, a ``dismissed_reason`` from the five when
  dismissing, ``dismissed_comment`` of at most 280 characters, no unknown keys; 400 for bad
  JSON; 409 when dismissing an alert that is already dismissed or changing a fixed one.
* Authentication (``Authorization: token X`` or ``Bearer X``), rate-limit headers on every
  response, and the primary-limit 403 once the budget is spent.
* Permissions: a token without write access to Dependabot alerts (``read_only_tokens``) may
  read, and a PATCH answers 403 "Resource not accessible by personal access token" ("… by
  integration" for a GitHub App's ``ghs_`` token) with ``x-accepted-github-permissions:
  vulnerability_alerts=write``, as GitHub answers fine-grained tokens.
* Delegated alert dismissal (a repository flag): a direct PATCH that dismisses answers 403
  "Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer."
  — the wording GitHub documents for the same 403 of the secret scanning alert PATCH; its
  Dependabot reference names no separate answer, so this one is our best reading of it.

Tests steer it with :class:`Fault` rules (status codes, secondary rate limits with
``retry-after``, outages that last some seconds, truncated JSON, dropped connections, slow
responses), a global ``latency``,
per-repository flags on the :class:`~secagent_tui.demo.dataset.Dataset`, and read back what
happened from the request log and the concurrency counters.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from secagent_tui.demo.dataset import (
    DISMISSED_REASONS,
    ECOSYSTEMS,
    SEVERITIES,
    STATES,
    Account,
    Dataset,
    Repo,
    generate_dataset,
)
from secagent_tui.demo.local_server import LocalHandler, LocalHttpServer, block_until_interrupted

__all__ = [
    "DEMO_TOKEN",
    "Fault",
    "GitHubServer",
    "RequestRecord",
]

#: The token the server accepts unless told otherwise (shaped like a classic PAT).
DEMO_TOKEN = "ghp_demo000000000000000000000000000000000"

API_VERSION = "2022-11-28"
MAX_COMMENT = 280
_DOCS = "https://docs.github.com/rest"
_DOCS_ALERTS_REPO = f"{_DOCS}/dependabot/alerts#list-dependabot-alerts-for-a-repository"
_DOCS_ALERTS_ORG = f"{_DOCS}/dependabot/alerts#list-dependabot-alerts-for-an-organization"
_DOCS_UPDATE = f"{_DOCS}/dependabot/alerts#update-a-dependabot-alert"
_DOCS_RATE = f"{_DOCS}/overview/rate-limits-for-the-rest-api"
_CURSOR_PREFIX = b"cursor:v2:"
_SORTS = ("created", "updated", "epss_percentage")
_PATCH_KEYS = ("state", "dismissed_reason", "dismissed_comment", "assignees")

FaultKind = Literal["status", "malformed_json", "drop_connection", "delay"]


# --------------------------------------------------------------------------------------------
# Public helpers: faults and the request log
# --------------------------------------------------------------------------------------------


@dataclass
class Fault:
    """A rule that changes how matching requests are answered.

    A request matches when ``method`` (None = any) equals its method and the regular expression
    ``path`` is found (``re.search``) in its API path (no query string, no GHES prefix), e.g.
    ``r"/orgs/acme/dependabot/alerts$"``. The first ``skip`` matching requests pass untouched
    (to fail, say, the second page); after that the rule applies ``times`` times (None =
    forever), and not at all from the wall-clock time ``until`` on (None = no end), when
    given. ``hits`` counts applications.

    Kinds: ``status`` answers ``status`` with ``body`` (JSON when not bytes/str) and
    ``headers``; ``malformed_json`` answers 200 with the real body cut in half;
    ``drop_connection`` closes the socket without a response; ``delay`` sleeps ``delay``
    seconds and then answers normally (other rules still apply). Build them with the
    classmethods.
    """

    kind: FaultKind
    method: str | None = None
    path: str = ""
    times: int | None = 1
    skip: int = 0
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    until: float | None = None
    hits: int = 0
    seen: int = 0

    def __post_init__(self) -> None:
        self._regex = re.compile(self.path)
        if self.method is not None:
            self.method = self.method.upper()

    @property
    def exhausted(self) -> bool:
        if self.until is not None and time.time() >= self.until:
            return True
        return self.times is not None and self.hits >= self.times

    def _matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self._regex.search(path))

    # -- constructors ----------------------------------------------------------------------

    @classmethod
    def error(
        cls,
        status: int = 500,
        message: str = "Server Error",
        *,
        retry_after: float | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **match: Any,
    ) -> Fault:
        """Answer ``status`` with ``{"message": message, ...}`` (or ``body``)."""
        hdrs = dict(headers or {})
        if retry_after is not None:
            hdrs["retry-after"] = str(math.ceil(retry_after))
        if body is None:
            body = _error_body(status, message, _DOCS)
        return cls("status", status=status, body=body, headers=hdrs, **match)

    @classmethod
    def secondary_rate_limit(
        cls, retry_after: float | None = 60, *, status: int = 403, **match: Any
    ) -> Fault:
        """GitHub's secondary (abuse) rate limit answer, with ``retry-after`` unless None."""
        message = (
            "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again. If you reach out to GitHub Support for help, please include the "
            "request ID 0000:0000:0000000:0000000:00000000."
        )
        body = {
            "message": message,
            "documentation_url": f"{_DOCS_RATE}#about-secondary-rate-limits",
            "status": str(status),
        }
        return cls.error(status, message, retry_after=retry_after, body=body, **match)

    @classmethod
    def outage(
        cls, seconds: float, status: int = 500, message: str = "Server Error", **match: Any
    ) -> Fault:
        """Every matching request answers ``status`` for ``seconds`` from now, then the
        server recovers (e.g. ``Fault.outage(60, method="PATCH")``)."""
        match.setdefault("times", None)
        return cls.error(status, message, until=time.time() + seconds, **match)

    @classmethod
    def not_found(cls, **match: Any) -> Fault:
        return cls.error(404, "Not Found", **match)

    @classmethod
    def alerts_disabled(cls, **match: Any) -> Fault:
        """The 403 a repository without Dependabot alerts gives (prefer the dataset flag)."""
        return cls.error(403, "Dependabot alerts are disabled for this repository.", **match)

    @classmethod
    def malformed_json(cls, **match: Any) -> Fault:
        return cls("malformed_json", **match)

    @classmethod
    def drop_connection(cls, **match: Any) -> Fault:
        return cls("drop_connection", **match)

    @classmethod
    def slow(cls, seconds: float, **match: Any) -> Fault:
        """Add ``seconds`` of latency to matching requests (default: every time)."""
        match.setdefault("times", None)
        return cls("delay", delay=seconds, **match)


class RequestRecord(NamedTuple):
    """One request as the server saw it. ``status`` 0 means the connection was dropped;
    ``timestamp`` is the wall-clock arrival time (``time.time()``)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    timestamp: float


@dataclass
class _Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    drop: bool = False


def _error_body(status: int, message: str, docs: str = _DOCS, **extra: Any) -> dict[str, Any]:
    return {"message": message, "documentation_url": docs, "status": str(status), **extra}


def _json(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Handler(LocalHandler):
    # HTTP/1.1 keep-alive (from LocalHandler), like api.github.com; requests pools sockets.
    server_version = "GitHub.com"
    app: GitHubServer

    def _serve(self) -> None:
        resp = self.app._handle(self.command, self.path, self.headers, self.read_body())
        if resp.drop:
            self.close_connection = True
            return
        self.send_response(resp.status)
        for name, value in resp.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


_Route = tuple[str, re.Pattern[str], str]


def _routes() -> list[_Route]:
    own = r"(?P<owner>[^/]+)/(?P<repo>[^/]+)"
    table = [
        ("GET", r"/user", "_get_authenticated_user"),
        ("GET", r"/user/repos", "_list_authenticated_user_repos"),
        ("GET", r"/users/(?P<login>[^/]+)", "_get_user"),
        ("GET", r"/users/(?P<login>[^/]+)/repos", "_list_user_repos"),
        ("GET", r"/orgs/(?P<org>[^/]+)", "_get_org"),
        ("GET", r"/orgs/(?P<org>[^/]+)/repos", "_list_org_repos"),
        ("GET", r"/orgs/(?P<org>[^/]+)/dependabot/alerts", "_list_org_alerts"),
        ("GET", r"/organizations/(?P<org_id>\d+)/dependabot/alerts", "_list_org_alerts"),
        ("GET", rf"/repos/{own}", "_get_repo"),
        ("GET", r"/repositories/(?P<repo_id>\d+)", "_get_repo"),
        ("GET", rf"/repos/{own}/dependabot/alerts", "_list_repo_alerts"),
        ("GET", r"/repositories/(?P<repo_id>\d+)/dependabot/alerts", "_list_repo_alerts"),
        ("GET", rf"/repos/{own}/dependabot/alerts/(?P<number>[^/]+)", "_get_alert"),
        ("PATCH", rf"/repos/{own}/dependabot/alerts/(?P<number>[^/]+)", "_update_alert"),
    ]
    return [(m, re.compile(f"^{p}/?$"), h) for m, p, h in table]


class GitHubServer(LocalHttpServer[RequestRecord]):
    """Local GitHub REST API over a :class:`Dataset`, on ``127.0.0.1`` and a free port.

    Use as a context manager (``with GitHubServer(ds) as gh: ... gh.base_url``) or call
    :meth:`start`/:meth:`stop`. Point PyGithub at it with
    ``Github(auth=Auth.Token(server.token), base_url=server.base_url)``. :meth:`start`
    rebases the dataset's API URLs onto :attr:`base_url`, in place, so a dataset serves one
    server at a time.
    """

    handler_class = _Handler
    thread_name = "github-server"

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        token: str = DEMO_TOKEN,
        login: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: int = 5000,
        rate_window: float = 3600.0,
        latency: float = 0.0,
        path_prefix: str = "",
        id_links: bool = False,
        conflict_on_redismiss: bool = True,
        user_repos_public_only: bool = True,
        read_only_tokens: Iterable[str] = (),
    ) -> None:
        """
        :param dataset: the data to serve (default: ``generate_dataset()``).
        :param token: the only accepted token.
        :param login: the authenticated user (``GET /user``, ``dismissed_by``); default the
            dataset's first user account, else ``octocat``.
        :param rate_limit: requests per window (``x-ratelimit-limit``).
        :param rate_window: seconds until the budget resets (GitHub: one hour).
        :param latency: seconds added to every request (settable later: ``server.latency``).
        :param path_prefix: e.g. ``"/api/v3"`` to look like GitHub Enterprise Server.
        :param id_links: write ``Link`` URLs as ``/repositories/{id}/...`` and
            ``/organizations/{id}/...``, a form api.github.com also uses; both forms are
            always routed.
        :param conflict_on_redismiss: answer 409 "Alert N is already dismissed." when a
            dismissed alert is dismissed again (observed on api.github.com); False answers
            200 and updates reason/comment.
        :param user_repos_public_only: ``GET /users/{user}/repos`` lists public repositories
            only, as on GitHub.
        :param read_only_tokens: further accepted tokens (the same user) that may read but
            not write Dependabot alerts: their PATCH answers 403 (settable later:
            ``server.read_only_tokens``).
        """
        super().__init__(host=host, port=port)
        self.dataset = dataset if dataset is not None else generate_dataset()
        self.token = token
        users = [a for a in self.dataset.accounts() if a.type == "User"]
        self.login = login or (users[0].login if users else "octocat")
        self.path_prefix = path_prefix.rstrip("/")
        self.id_links = id_links
        self.conflict_on_redismiss = conflict_on_redismiss
        self.user_repos_public_only = user_repos_public_only
        #: Tokens accepted for reading only (see :meth:`__init__`); change it at any time.
        self.read_only_tokens: set[str] = set(read_only_tokens)
        #: Seconds of sleep added to every request; change it at any time.
        self.latency = latency
        self.rate_limit = rate_limit
        self.rate_window = rate_window

        self._faults: list[Fault] = []
        self._request_ids = itertools.count(1)
        self._rate_used = 0
        self._rate_reset_at = time.time() + rate_window
        self._unauth_used = 0
        self._routes = _routes()

    # -- lifecycle -------------------------------------------------------------------------

    def _on_start(self) -> None:
        """Rebase the dataset's API URLs onto :attr:`base_url` (in place: a dataset serves
        one server at a time)."""
        self.dataset.rebase(self.base_url)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (plus the GHES prefix, if any): PyGithub's ``base_url``."""
        return f"http://{self.host}:{self._port}{self.path_prefix}"

    # -- faults ----------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        """Append a rule (rules are tried in order; the first applicable one wins)."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def _take_faults(self, method: str, path: str) -> tuple[float, Fault | None]:
        """Total extra delay of matching ``delay`` rules, and the first other rule that
        applies; counters advance here so concurrent requests never share one application."""
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            for f in self._faults:
                if f.kind != "delay" and chosen is not None:
                    continue
                if f.exhausted or not f._matches(method, path):
                    continue
                f.seen += 1
                if f.seen <= f.skip:
                    continue
                f.hits += 1
                if f.kind == "delay":
                    delay += f.delay
                else:
                    chosen = f
        return delay, chosen

    # -- request log and counters ------------------------------------------------------------

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._log)

    def requests_matching(
        self, method: str | None = None, path_regex: str = ""
    ) -> list[RequestRecord]:
        """Logged requests whose method equals ``method`` (None: any) and whose API path
        contains a match of ``path_regex``."""
        rx = re.compile(path_regex)
        return [
            r
            for r in self.log
            if (method is None or r.method == method.upper()) and rx.search(r.path)
        ]

    def reset_log(self) -> None:
        """Forget logged requests and the concurrency high-water mark."""
        with self._lock:
            self._log.clear()
            self._max_in_flight = self._in_flight

    @property
    def in_flight(self) -> int:
        """Requests being handled right now."""
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        """Most requests handled at once since start or :meth:`reset_log`."""
        with self._lock:
            return self._max_in_flight

    # -- rate limit --------------------------------------------------------------------------

    def _rate_state(self) -> tuple[int, int, int]:
        """(remaining, used, reset epoch) — caller holds the lock."""
        now = time.time()
        if now >= self._rate_reset_at:
            self._rate_used = 0
            self._rate_reset_at = now + self.rate_window
        used = min(self._rate_used, self.rate_limit)
        return self.rate_limit - used, used, math.ceil(self._rate_reset_at)

    def _consume_rate(self) -> tuple[bool, list[tuple[str, str]]]:
        """Count one request; (allowed, rate-limit headers after counting it)."""
        with self._lock:
            remaining, _, _ = self._rate_state()
            allowed = remaining > 0
            if allowed:
                self._rate_used += 1
            remaining, used, reset = self._rate_state()
        return allowed, self._rate_headers(self.rate_limit, remaining, used, reset)

    @staticmethod
    def _rate_headers(limit: int, remaining: int, used: int, reset: int) -> list[tuple[str, str]]:
        return [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", str(reset)),
            ("x-ratelimit-used", str(used)),
            ("x-ratelimit-resource", "core"),
        ]

    @property
    def rate_remaining(self) -> int:
        with self._lock:
            return self._rate_state()[0]

    def set_rate_remaining(self, remaining: int) -> None:
        """Pretend ``limit - remaining`` requests were already made in this window."""
        with self._lock:
            self._rate_state()
            self._rate_used = max(0, self.rate_limit - remaining)

    def reset_rate_limit(self, *, window: float | None = None) -> None:
        """Start a fresh window (optionally of a new length)."""
        with self._lock:
            if window is not None:
                self.rate_window = window
            self._rate_used = 0
            self._rate_reset_at = time.time() + self.rate_window

    # -- request handling --------------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> _Response:
        started = time.time()
        parts = urlsplit(raw_path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        api_path: str | None = path
        if self.path_prefix:
            if path == self.path_prefix or path.startswith(self.path_prefix + "/"):
                api_path = path = path[len(self.path_prefix) :] or "/"
            else:
                api_path = None  # outside the API prefix: 404
        self._flight_begins()
        try:
            resp = self._dispatch(method, api_path, query, headers, body)
        except Exception:
            self._record_error()
            resp = self._json_response(500, _error_body(500, "Server Error"))
        finally:
            with self._lock:
                self._in_flight -= 1
        rid = next(self._request_ids)
        resp.headers += [
            ("x-github-api-version-selected", API_VERSION),
            ("x-github-media-type", "github.v3; format=json"),
            ("x-github-request-id", f"DEMO:{rid:05X}:{int(started * 1000) % 0xFFFFFF:06X}"),
        ]
        with self._lock:
            self._log.append(
                RequestRecord(method, path, query, 0 if resp.drop else resp.status, started)
            )
        return resp

    @staticmethod
    def _json_response(status: int, obj: Any, headers: Iterable[tuple[str, str]] = ()) -> _Response:
        return _Response(
            status,
            _json(obj),
            [("Content-Type", "application/json; charset=utf-8"), *headers],
        )

    def _dispatch(
        self, method: str, path: str | None, query: dict[str, str], headers: Any, body: bytes
    ) -> _Response:
        """Latency, authentication, rate limit, faults, then the endpoint — in that order, so
        a fault rule is only used up by a request that reached it."""
        if self.latency > 0:
            time.sleep(self.latency)

        auth = headers.get("Authorization") or ""
        scheme, _, credential = auth.partition(" ")
        if scheme.lower() not in ("token", "bearer") or not credential.strip():
            return self._unauthorized("Requires authentication")
        credential = credential.strip()
        if credential != self.token and credential not in self.read_only_tokens:
            return self._unauthorized("Bad credentials")
        if path is None:
            return self._not_found()

        free = method == "GET" and path.rstrip("/") == "/rate_limit"
        if free:
            # GitHub does not count this endpoint against the limit.
            with self._lock:
                remaining, used, reset = self._rate_state()
            rate_headers = self._rate_headers(self.rate_limit, remaining, used, reset)
        else:
            allowed, rate_headers = self._consume_rate()
            if not allowed:
                message = (
                    "API rate limit exceeded for user ID 1. If you reach out to GitHub Support "
                    "for help, please include the request ID DEMO and timestamp "
                    f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}."
                )
                body403 = _error_body(403, message, _DOCS_RATE)
                return self._json_response(403, body403, rate_headers)

        delay, fault = self._take_faults(method, path)
        if delay > 0:
            time.sleep(delay)
        if fault is not None and fault.kind == "drop_connection":
            return _Response(0, drop=True)
        if fault is not None and fault.kind == "status":
            payload = fault.body
            if isinstance(payload, str):
                payload = payload.encode()
            raw = payload if isinstance(payload, bytes) else _json(payload)
            return _Response(
                fault.status,
                raw,
                [
                    ("Content-Type", "application/json; charset=utf-8"),
                    *rate_headers,
                    *fault.headers.items(),
                ],
            )

        if free:
            with self._lock:
                remaining, used, reset = self._rate_state()
            resp = self._get_rate_limit(remaining, used, reset, [])
        else:
            resp = self._route(method, path, query, body, credential)
        resp.headers += rate_headers
        resp.headers.append(("x-oauth-scopes", "repo, security_events"))
        if fault is not None and fault.kind == "malformed_json":
            resp.status = 200
            resp.body = resp.body[: max(1, len(resp.body) // 2)]
        return resp

    def _unauthorized(self, message: str) -> _Response:
        with self._lock:
            self._unauth_used += 1
            used = min(self._unauth_used, 60)
        headers = self._rate_headers(60, 60 - used, used, math.ceil(time.time() + 3600))
        return self._json_response(401, _error_body(401, message), headers)

    def _route(
        self, method: str, path: str, query: dict[str, str], body: bytes, credential: str
    ) -> _Response:
        for route_method, regex, handler in self._routes:
            m = regex.match(path)
            if m and route_method == method:
                params = {k: unquote(v) for k, v in m.groupdict().items()}
                fn: Callable[..., _Response] = getattr(self, handler)
                if method != "GET":
                    params["token"] = credential  # writes check the token's permission
                return fn(query=query, body=body, **params)
        return self._not_found()

    def _write_forbidden(self, token: str) -> _Response | None:
        """GitHub's 403 for a token that may read alerts but not write them, or None."""
        if token not in self.read_only_tokens or token == self.token:
            return None
        who = "integration" if token.startswith("ghs_") else "personal access token"
        return self._json_response(
            403,
            _error_body(403, f"Resource not accessible by {who}", _DOCS_UPDATE),
            [("x-accepted-github-permissions", "vulnerability_alerts=write")],
        )

    def _not_found(self, docs: str = _DOCS) -> _Response:
        return self._json_response(404, _error_body(404, "Not Found", docs))

    # -- payloads ----------------------------------------------------------------------------

    def _account_payload(self, acct: Account, *, private: bool = False) -> dict[str, Any]:
        ds = self.dataset
        repos = ds.repos(acct.login)
        public = sum(1 for r in repos if not r.private)
        if acct.type == "Organization":
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
                "total_private_repos": len(repos) - public,
                "owned_private_repos": len(repos) - public,
            }
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
                    "total_private_repos": len(repos) - public,
                    "owned_private_repos": len(repos) - public,
                    "disk_usage": 0,
                    "collaborators": 0,
                    "two_factor_authentication": True,
                }
            )
        return out

    def _repo_payload(self, repo: Repo) -> dict[str, Any]:
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

    @staticmethod
    def _alert_payload(alert: dict[str, Any], *, with_repository: bool) -> dict[str, Any]:
        if with_repository:
            return alert
        return {k: v for k, v in alert.items() if k != "repository"}

    # -- simple resources ----------------------------------------------------------------------

    def _get_rate_limit(
        self, remaining: int, used: int, reset: int, headers: list[tuple[str, str]]
    ) -> _Response:
        core = {"limit": self.rate_limit, "used": used, "remaining": remaining, "reset": reset}
        hour = math.ceil(time.time() + 3600)
        minute = math.ceil(time.time() + 60)
        resources = {
            "core": core,
            "search": {"limit": 30, "used": 0, "remaining": 30, "reset": minute},
            "graphql": {"limit": 5000, "used": 0, "remaining": 5000, "reset": hour},
            "integration_manifest": {"limit": 5000, "used": 0, "remaining": 5000, "reset": hour},
            "code_scanning_upload": {"limit": 1000, "used": 0, "remaining": 1000, "reset": hour},
        }
        return self._json_response(200, {"resources": resources, "rate": core}, headers)

    def _get_authenticated_user(self, **_: Any) -> _Response:
        acct = self.dataset.account(self.login)
        if acct is None:
            payload = self.dataset.user_payload(self.login)
            payload.update({"name": self.login, "public_repos": 0, "total_private_repos": 0})
        else:
            payload = self._account_payload(acct, private=True)
        return self._json_response(200, payload)

    def _get_user(self, login: str, **_: Any) -> _Response:
        acct = self.dataset.account(login)
        if acct is None:
            return self._not_found(f"{_DOCS}/users/users#get-a-user")
        return self._json_response(200, self._account_payload(acct))

    def _get_org(self, org: str, **_: Any) -> _Response:
        acct = self.dataset.account(org)
        if acct is None or acct.type != "Organization":
            return self._not_found(f"{_DOCS}/orgs/orgs#get-an-organization")
        return self._json_response(200, self._account_payload(acct))

    def _find_repo(
        self, owner: str | None = None, repo: str | None = None, repo_id: str | None = None
    ) -> Repo | None:
        if repo_id is not None:
            return self.dataset.repo_by_id(int(repo_id))
        return self.dataset.repo(f"{owner}/{repo}")

    def _get_repo(self, query: dict[str, str], body: bytes, **ident: str) -> _Response:
        repo = self._find_repo(**ident)
        if repo is None:
            return self._not_found(f"{_DOCS}/repos/repos#get-a-repository")
        with self.dataset.lock:
            return self._json_response(200, self._repo_payload(repo))

    # -- repository lists (page-number pagination, like GitHub's) ------------------------------

    def _page_list(
        self, path: str, query: dict[str, str], repos: list[Repo], default_sort: str
    ) -> _Response:
        sort = query.get("sort") or default_sort
        keyfn: dict[str, Callable[[Repo], Any]] = {
            "full_name": lambda r: r.full_name.lower(),
            "created": lambda r: (r.created_at, r.id),
            "updated": lambda r: (r.created_at, r.id),
            "pushed": lambda r: (r.created_at, r.id),
        }
        if sort not in keyfn:
            return self._validation_failed("Repository", "sort", sort)
        direction = query.get("direction") or ("asc" if sort == "full_name" else "desc")
        if direction not in ("asc", "desc"):
            return self._validation_failed("Repository", "direction", direction)
        repos = sorted(repos, key=keyfn[sort], reverse=direction == "desc")
        try:
            per_page = min(100, max(1, int(query.get("per_page") or 30)))
            page = max(1, int(query.get("page") or 1))
        except ValueError:
            return self._json_response(400, _error_body(400, "Invalid pagination parameters"))
        last = max(1, math.ceil(len(repos) / per_page))
        chunk = repos[(page - 1) * per_page : page * per_page]
        links = []

        def url(p: int) -> str:
            q = {k: v for k, v in query.items() if k != "page"}
            q["page"] = str(p)
            return f"{self.base_url}{path}?{urlencode(q)}"

        if page > 1:
            links += [f'<{url(page - 1)}>; rel="prev"']
        if page < last:
            links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            links += [f'<{url(1)}>; rel="first"']
        headers = [("Link", ", ".join(links))] if links else []
        with self.dataset.lock:
            payload = [self._repo_payload(r) for r in chunk]
            return self._json_response(200, payload, headers)

    def _list_org_repos(self, org: str, query: dict[str, str], **_: Any) -> _Response:
        acct = self.dataset.account(org)
        if acct is None or acct.type != "Organization":
            return self._not_found(f"{_DOCS}/repos/repos#list-organization-repositories")
        repos = self.dataset.repos(acct.login)
        kind = query.get("type", "all")
        if kind == "public":
            repos = [r for r in repos if not r.private]
        elif kind == "private":
            repos = [r for r in repos if r.private]
        elif kind == "forks":
            repos = []
        elif kind not in ("all", "sources", "member"):
            return self._validation_failed("Repository", "type", kind)
        return self._page_list(f"/orgs/{acct.login}/repos", query, repos, "created")

    def _list_user_repos(self, login: str, query: dict[str, str], **_: Any) -> _Response:
        acct = self.dataset.account(login)
        if acct is None:
            return self._not_found(f"{_DOCS}/repos/repos#list-repositories-for-a-user")
        repos = self.dataset.repos(acct.login)
        if self.user_repos_public_only:
            repos = [r for r in repos if not r.private]
        if query.get("type", "owner") == "member":
            repos = []
        return self._page_list(f"/users/{acct.login}/repos", query, repos, "full_name")

    def _list_authenticated_user_repos(self, query: dict[str, str], **_: Any) -> _Response:
        """``GET /user/repos``: own repositories (private included) and those of every
        organization in the dataset (the demo user is a member of all of them)."""
        if "type" in query and ("visibility" in query or "affiliation" in query):
            return self._json_response(
                422,
                _error_body(
                    422,
                    "If you specify visibility or affiliation, you cannot specify type.",
                    f"{_DOCS}/repos/repos#list-repositories-for-the-authenticated-user",
                ),
            )
        kind = query.get("type")
        affiliation = {"owner": "owner", "member": "organization_member"}.get(
            kind or "", query.get("affiliation") or "owner,collaborator,organization_member"
        )
        wanted = {a.strip() for a in affiliation.split(",")}
        visibility = query.get("visibility") or {"public": "public", "private": "private"}.get(
            kind or "", "all"
        )
        repos: list[Repo] = []
        for r in self.dataset.repos():
            own = r.owner.login.lower() == self.login.lower()
            if (own and "owner" in wanted) or (
                r.owner.type == "Organization" and "organization_member" in wanted
            ):
                repos.append(r)
        if visibility != "all":
            repos = [r for r in repos if r.private == (visibility == "private")]
        return self._page_list("/user/repos", query, repos, "full_name")

    # -- Dependabot alerts ----------------------------------------------------------------------

    def _validation_failed(self, resource: str, field_name: str, value: Any) -> _Response:
        body = _error_body(
            422,
            "Validation Failed",
            _DOCS,
            errors=[{"resource": resource, "field": field_name, "code": "invalid", "value": value}],
        )
        return self._json_response(422, body)

    def _alerts_unavailable(self, repo: Repo) -> _Response | None:
        """The 403 of a repository whose alerts cannot be read, or None."""
        if repo.archived:
            msg = "Dependabot alerts are not available for archived repositories."
            return self._json_response(403, _error_body(403, msg, _DOCS_ALERTS_REPO))
        if not repo.alerts_enabled:
            msg = "Dependabot alerts are disabled for this repository."
            return self._json_response(403, _error_body(403, msg, _DOCS_ALERTS_REPO))
        return None

    def _list_org_alerts(
        self, query: dict[str, str], org: str | None = None, org_id: str | None = None, **_: Any
    ) -> _Response:
        ds = self.dataset
        if org_id is not None:
            acct = next((a for a in ds.accounts() if a.id == int(org_id)), None)
        else:
            acct = ds.account(org or "")
        if acct is None or acct.type != "Organization":
            return self._not_found(_DOCS_ALERTS_ORG)
        with ds.lock:
            pairs = [
                (r, a)
                for r in ds.repos(acct.login)
                if r.alerts_enabled and not r.archived
                for a in r.alerts.values()
            ]
            path = (
                f"/organizations/{acct.id}/dependabot/alerts"
                if self.id_links
                else f"/orgs/{acct.login}/dependabot/alerts"
            )
            return self._alert_page(path, query, pairs, with_repository=True, docs=_DOCS_ALERTS_ORG)

    def _list_repo_alerts(self, query: dict[str, str], body: bytes, **ident: str) -> _Response:
        ds = self.dataset
        repo = self._find_repo(**ident)
        if repo is None:
            return self._not_found(_DOCS_ALERTS_REPO)
        unavailable = self._alerts_unavailable(repo)
        if unavailable is not None:
            return unavailable
        with ds.lock:
            pairs = [(repo, a) for a in repo.alerts.values()]
            path = (
                f"/repositories/{repo.id}/dependabot/alerts"
                if self.id_links
                else f"/repos/{repo.full_name}/dependabot/alerts"
            )
            return self._alert_page(
                path, query, pairs, with_repository=False, docs=_DOCS_ALERTS_REPO, repo_level=True
            )

    def _alert_page(
        self,
        path: str,
        query: dict[str, str],
        pairs: list[tuple[Repo, dict[str, Any]]],
        *,
        with_repository: bool,
        docs: str,
        repo_level: bool = False,
    ) -> _Response:
        """Filter, sort and cut one cursor page; the caller holds the dataset lock."""
        for removed in ("page", "first", "last"):
            if removed in query:
                msg = f"Pagination using the `{removed}` parameter is not supported."
                return self._json_response(400, _error_body(400, msg, docs))

        per_page_raw = query.get("per_page") or "30"
        if not per_page_raw.isdigit() or not 1 <= int(per_page_raw) <= 100:
            return self._validation_failed("DependabotAlert", "per_page", per_page_raw)
        per_page = int(per_page_raw)

        def csv(name: str) -> list[str] | None:
            raw = query.get(name)
            if raw is None or raw == "":
                return None
            return [v.strip() for v in raw.split(",") if v.strip()]

        filters: dict[str, list[str] | None] = {}
        for name, allowed in (
            ("state", STATES),
            ("severity", SEVERITIES),
            ("ecosystem", ECOSYSTEMS),
            ("scope", ("development", "runtime")),
        ):
            values = csv(name)
            if values is not None:
                values = [v.lower() for v in values]
                bad = [v for v in values if v not in allowed]
                if bad or (name == "scope" and len(values) != 1):
                    return self._validation_failed("DependabotAlert", name, query[name])
            filters[name] = values
        packages = csv("package")
        manifests = csv("manifest") if repo_level else None
        has = csv("has")
        if has is not None and any(h != "patch" for h in has):
            return self._validation_failed("DependabotAlert", "has", query["has"])

        sort = query.get("sort") or "created"
        if sort not in _SORTS:
            return self._validation_failed("DependabotAlert", "sort", sort)
        direction = query.get("direction") or "desc"
        if direction not in ("asc", "desc"):
            return self._validation_failed("DependabotAlert", "direction", direction)

        after, before = query.get("after") or None, query.get("before") or None
        if after and before:
            msg = "Only one of `before` or `after` may be given."
            return self._json_response(400, _error_body(400, msg, docs))
        cursor: tuple[Any, int, int] | None = None
        if after or before:
            cursor = _decode_cursor(after or before or "", sort)
            if cursor is None:
                msg = f"Invalid `{'after' if after else 'before'}` cursor."
                return self._json_response(400, _error_body(400, msg, docs))

        def keep(a: dict[str, Any]) -> bool:
            dep = a["dependency"]
            if filters["state"] and a["state"] not in filters["state"]:
                return False
            if (
                filters["severity"]
                and a["security_advisory"]["severity"] not in filters["severity"]
            ):
                return False
            if filters["ecosystem"] and dep["package"]["ecosystem"] not in filters["ecosystem"]:
                return False
            if filters["scope"] and dep.get("scope") not in filters["scope"]:
                return False
            if packages and dep["package"]["name"] not in packages:
                return False
            if manifests and dep["manifest_path"] not in manifests:
                return False
            return not (has and a["security_vulnerability"]["first_patched_version"] is None)

        rows = [(_sort_key(a, sort), r.id, a["number"], a) for r, a in pairs if keep(a)]
        rows.sort(key=lambda t: t[:3], reverse=direction == "desc")
        keys = [t[:3] for t in rows]

        def is_after(k: tuple[Any, int, int], c: tuple[Any, int, int]) -> bool:
            return k < c if direction == "desc" else k > c

        if cursor is None:
            start = 0
            end = min(len(rows), per_page)
        elif after:
            start = next((i for i, k in enumerate(keys) if is_after(k, cursor)), len(rows))
            end = min(len(rows), start + per_page)
        else:
            end = next((i for i, k in enumerate(keys) if not is_after(cursor, k)), len(rows))
            start = max(0, end - per_page)
        page = rows[start:end]

        links = []
        base_query = {k: v for k, v in query.items() if k not in ("after", "before")}
        if page and start > 0:
            q = {**base_query, "before": _encode_cursor(keys[start])}
            links.append(f'<{self.base_url}{path}?{urlencode(q)}>; rel="prev"')
        if page and end < len(rows):
            q = {**base_query, "after": _encode_cursor(keys[end - 1])}
            links.append(f'<{self.base_url}{path}?{urlencode(q)}>; rel="next"')
        headers = [("Link", ", ".join(links))] if links else []
        payload = [self._alert_payload(t[3], with_repository=with_repository) for t in page]
        return self._json_response(200, payload, headers)

    def _alert_for(
        self, owner: str, repo: str, number: str
    ) -> tuple[Repo, dict[str, Any]] | _Response:
        r = self._find_repo(owner, repo)
        if r is None:
            return self._not_found(f"{_DOCS}/dependabot/alerts#get-a-dependabot-alert")
        unavailable = self._alerts_unavailable(r)
        if unavailable is not None:
            return unavailable
        alert = r.alerts.get(int(number)) if number.isdigit() else None
        if alert is None:
            return self._not_found(f"{_DOCS}/dependabot/alerts#get-a-dependabot-alert")
        return r, alert

    def _get_alert(self, owner: str, repo: str, number: str, **_: Any) -> _Response:
        with self.dataset.lock:
            found = self._alert_for(owner, repo, number)
            if isinstance(found, _Response):
                return found
            return self._json_response(200, self._alert_payload(found[1], with_repository=False))

    def _update_alert(
        self, owner: str, repo: str, number: str, body: bytes, token: str = "", **_: Any
    ) -> _Response:
        ds = self.dataset

        def invalid(detail: str) -> _Response:
            return self._json_response(
                422, _error_body(422, f"Invalid request.\n\n{detail}", _DOCS_UPDATE)
            )

        with ds.lock:
            found = self._alert_for(owner, repo, number)
            if isinstance(found, _Response):
                return found
            r, alert = found
            forbidden = self._write_forbidden(token)
            if forbidden is not None:
                return forbidden
            try:
                data = json.loads(body or b"null")
            except (ValueError, UnicodeDecodeError):
                return self._json_response(
                    400, _error_body(400, "Problems parsing JSON", _DOCS_UPDATE)
                )
            if not isinstance(data, dict):
                return self._json_response(
                    400, _error_body(400, "Body should be a JSON object", _DOCS_UPDATE)
                )
            for key in data:
                if key not in _PATCH_KEYS:
                    return invalid(f'"{key}" is not a permitted key.')
            state = data.get("state")
            reason = data.get("dismissed_reason")
            comment = data.get("dismissed_comment")
            assignees = data.get("assignees")
            if state is None and assignees is None:
                return invalid('No subschema in "anyOf" matched.\n"state" wasn\'t supplied.')
            if state is not None and state not in ("dismissed", "open"):
                return invalid(
                    f"For 'properties/state', {json.dumps(state)} is not a member of enum."
                )
            if reason is not None and reason not in DISMISSED_REASONS:
                return invalid(
                    f"For 'properties/dismissed_reason', {json.dumps(reason)} "
                    "is not a member of enum."
                )
            if comment is not None and not isinstance(comment, str):
                return invalid(
                    f"For 'properties/dismissed_comment', {json.dumps(comment)} is not a string."
                )
            if isinstance(comment, str) and len(comment) > MAX_COMMENT:
                return invalid(
                    f"For 'properties/dismissed_comment', the string is too long "
                    f"({len(comment)} characters, maximum is {MAX_COMMENT})."
                )
            if assignees is not None and (
                not isinstance(assignees, list) or not all(isinstance(x, str) for x in assignees)
            ):
                return invalid("For 'properties/assignees', must be an array of strings.")
            if state == "dismissed" and reason is None:
                return invalid('"dismissed_reason" is required when "state" is "dismissed".')
            if state == "dismissed" and r.delegated_dismissal:
                msg = (
                    "Delegated alert dismissal is enabled and the authenticated user is not a "
                    "valid reviewer."
                )
                return self._json_response(403, _error_body(403, msg, _DOCS_UPDATE))
            if state is not None and alert["state"] == "fixed":
                msg = f"Alert {alert['number']} is fixed and its state cannot be changed."
                return self._json_response(409, _error_body(409, msg, _DOCS_UPDATE))
            if (
                state == "dismissed"
                and alert["state"] == "dismissed"
                and self.conflict_on_redismiss
            ):
                msg = f"Alert {alert['number']} is already dismissed."
                return self._json_response(409, _error_body(409, msg, _DOCS_UPDATE))

            if assignees is not None:
                alert = ds.set_assignees(r.full_name, alert["number"], assignees)
            if state == "dismissed":
                alert = ds.dismiss(r.full_name, alert["number"], reason, comment, by=self.login)
            elif state == "open" and alert["state"] != "open":
                alert = ds.reopen(r.full_name, alert["number"])
            return self._json_response(200, self._alert_payload(alert, with_repository=False))


# --------------------------------------------------------------------------------------------
# Cursors
# --------------------------------------------------------------------------------------------


def _sort_key(alert: dict[str, Any], sort: str) -> Any:
    if sort == "created":
        return alert["created_at"]
    if sort == "updated":
        return alert["updated_at"]
    epss = alert["security_advisory"].get("epss") or {}
    value = epss.get("percentage")
    return float(value) if value is not None else -1.0


def _encode_cursor(key: tuple[Any, int, int]) -> str:
    """Opaque, URL-safe cursor naming one alert by its sort key and identity, so the next page
    starts after that alert even if alerts were added or changed meanwhile."""
    raw = _CURSOR_PREFIX + json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_CURSOR_PREFIX):
        return None
    try:
        key, repo_id, number = json.loads(raw[len(_CURSOR_PREFIX) :])
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


def main() -> None:  # pragma: no cover - manual use
    """Serve the default demo dataset until interrupted (``python -m ...github_server``)."""
    with GitHubServer() as server:
        print(f"GitHub demo API at {server.base_url}  token {server.token}", flush=True)
        block_until_interrupted()


if __name__ == "__main__":  # pragma: no cover
    main()
