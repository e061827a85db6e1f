"""The local GitHub REST server: lifecycle, the request pipeline, the log and counters.

Each request goes through latency, authentication, the rate limit, faults and then its
endpoint, in that order, so a fault rule is only used up by a request that reached it (as
a real outage is only seen by requests that got through the rate limit). The endpoints
live in :mod:`.accounts`, :mod:`.repositories` and :mod:`.alerts`; this module only runs
the pipeline and records what happened.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable
from email.message import Message
from urllib.parse import parse_qs, urlsplit

from secagent_tui.demo.local_server import LocalHandler, LocalHttpServer, block_until_interrupted

from .faults import Fault, FaultRules
from .generate import generate_dataset
from .rate_limit import Headers, RateBudget, exceeded, rate_limit_resources
from .request_log import RequestRecord
from .responses import Response, error, not_found
from .routes import match_route
from .store import Dataset
from .vocabulary import API_VERSION

__all__ = ["DEMO_TOKEN", "GitHubServer", "RequestRecord", "main"]

#: The token the server accepts unless told otherwise (shaped like a classic PAT).
DEMO_TOKEN = "ghp_demo000000000000000000000000000000000"

#: The scopes a classic token with access to Dependabot alerts reports.
_OAUTH_SCOPES = ("x-oauth-scopes", "repo, security_events")


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
        self._rate = RateBudget(self._lock, rate_limit, rate_window)
        self._faults = FaultRules(self._lock)
        self._request_ids = itertools.count(1)

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
        return self._faults.add(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        return self._faults.all()

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

    @property
    def rate_limit(self) -> int:
        """Requests per window (``x-ratelimit-limit``); change it at any time."""
        return self._rate.limit

    @rate_limit.setter
    def rate_limit(self, limit: int) -> None:
        self._rate.limit = limit

    @property
    def rate_window(self) -> float:
        """Seconds a window lasts (the next one starts with this length)."""
        return self._rate.window

    @rate_window.setter
    def rate_window(self, window: float) -> None:
        self._rate.window = window

    @property
    def rate_remaining(self) -> int:
        return self._rate.state()[0]

    def set_rate_remaining(self, remaining: int) -> None:
        """Pretend ``limit - remaining`` requests were already made in this window."""
        self._rate.set_remaining(remaining)

    def reset_rate_limit(self, *, window: float | None = None) -> None:
        """Start a fresh window (optionally of a new length)."""
        self._rate.reset(window=window)

    # -- request handling --------------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        """Answer one request, stamp GitHub's headers on it and log it."""
        started = time.time()
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path, api_path = self._api_path(parts.path)
        self._flight_begins()
        try:
            resp = self._dispatch(method, api_path, query, headers, body)
        except Exception:
            self._record_error()
            resp = error(500, "Server Error")
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

    def _api_path(self, path: str) -> tuple[str, str | None]:
        """(the path to log, the API path without the GHES prefix or None outside it)."""
        if not self.path_prefix:
            return path, path
        if path == self.path_prefix or path.startswith(self.path_prefix + "/"):
            api_path = path[len(self.path_prefix) :] or "/"
            return api_path, api_path
        return path, None  # outside the API prefix: 404

    def _dispatch(
        self, method: str, path: str | None, query: dict[str, str], headers: Message, body: bytes
    ) -> Response:
        """Latency, authentication, rate limit, faults, then the endpoint — in that order, so
        a fault rule is only used up by a request that reached it."""
        if self.latency > 0:
            time.sleep(self.latency)
        credential = self._authenticate(headers.get("Authorization") or "")
        if isinstance(credential, Response):
            return credential
        if path is None:
            return not_found()
        free = method == "GET" and path.rstrip("/") == "/rate_limit"
        rate = self._charge(free)
        if isinstance(rate, Response):
            return rate
        delay, fault = self._faults.take(method, path)
        if delay > 0:
            time.sleep(delay)
        if fault is not None and fault.kind == "drop_connection":
            return Response(0, drop=True)
        if fault is not None and fault.kind == "status":
            return fault.status_response(rate)
        resp = self._answer(free, method, path, query, body, credential)
        resp.headers += rate
        resp.headers.append(_OAUTH_SCOPES)
        if fault is not None and fault.kind == "malformed_json":
            resp.status = 200
            resp.body = resp.body[: max(1, len(resp.body) // 2)]
        return resp

    def _authenticate(self, authorization: str) -> str | Response:
        """The request's token, or the 401 of a missing or unknown one."""
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() not in ("token", "bearer") or not credential.strip():
            return self._unauthorized("Requires authentication")
        credential = credential.strip()
        if credential != self.token and credential not in self.read_only_tokens:
            return self._unauthorized("Bad credentials")
        return credential

    def _unauthorized(self, message: str) -> Response:
        return error(401, message, headers=self._rate.unauthenticated_headers())

    def _charge(self, free: bool) -> Headers | Response:
        """The rate-limit headers of this request, counting it unless ``free`` (GitHub does
        not count ``GET /rate_limit``); the primary-limit 403 once the budget is spent."""
        if free:
            return self._rate.headers()
        allowed, headers = self._rate.consume()
        return headers if allowed else exceeded(headers)

    def _answer(
        self,
        free: bool,
        method: str,
        path: str,
        query: dict[str, str],
        body: bytes,
        credential: str,
    ) -> Response:
        """The endpoint's answer (``GET /rate_limit`` when ``free``), 404 for no route."""
        if free:
            return rate_limit_resources(self.rate_limit, *self._rate.state())
        resp = match_route(self, method, path, query, body, credential)
        return resp if resp is not None else not_found()


def main() -> None:  # pragma: no cover - manual use
    """Serve the default demo dataset until interrupted (``python -m secagent_tui.demo.github``)."""
    with GitHubServer() as server:
        print(f"GitHub demo API at {server.base_url}  token {server.token}", flush=True)
        block_until_interrupted()
