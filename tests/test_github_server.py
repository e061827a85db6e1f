"""The local GitHub server, driven by the real PyGithub client over real sockets.

These tests pin the protocol facts the rest of the project relies on (cursor-only pagination,
validation, rate limits, faults); if the server drifted from GitHub, sync and dismissal tests
built on it would prove nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from github import Auth, Github, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
    UnknownObjectException,
)

from secagent_tui.demo.github import (
    DISMISSED_REASONS,
    ECOSYSTEMS,
    STATES,
    Dataset,
    Fault,
    GitHubServer,
    generate_dataset,
    parse_iso,
)

# -- helpers ----------------------------------------------------------------------------------


def client(server: GitHubServer, *, token: str | None = None, **kwargs: Any) -> Github:
    """A real PyGithub client for the server, without PyGithub's default throttling (0.25 s
    between requests, 1 s between writes) so the suite stays fast."""
    options: dict[str, Any] = {
        "per_page": 100,
        "retry": None,
        "timeout": 5,
        "seconds_between_requests": None,
        "seconds_between_writes": None,
    }
    options.update(kwargs)
    return Github(auth=Auth.Token(token or server.token), base_url=server.base_url, **options)


def fast_retry(total: int = 3) -> GithubRetry:
    return GithubRetry(total=total, backoff_factor=0.001, secondary_rate_wait=0.01)


def raw(
    server: GitHubServer, path: str, *, method: str = "GET", auth: bool = True, **kwargs: Any
) -> requests.Response:
    headers = {"Authorization": f"token {server.token}"} if auth else {}
    return requests.request(method, server.base_url + path, headers=headers, timeout=5, **kwargs)


@pytest.fixture
def dataset() -> Dataset:
    return generate_dataset({"acme": 3}, {"jdoe": 2}, 12, seed=7)


@pytest.fixture
def server(dataset: Dataset) -> Iterator[GitHubServer]:
    with GitHubServer(dataset) as srv:
        yield srv
    assert srv.errors == []


@pytest.fixture
def big_server() -> Iterator[GitHubServer]:
    """An organization with 150 alerts: more than one page of 100."""
    with GitHubServer(generate_dataset({"acme": 3}, {}, 50, seed=3)) as srv:
        yield srv
    assert srv.errors == []


# -- pagination -------------------------------------------------------------------------------


def test_org_alerts_paginate_completely_through_link_cursors(big_server: GitHubServer) -> None:
    gh = client(big_server)
    alerts = list(gh.get_organization("acme").get_dependabot_alerts())

    keys = [(a.repository.full_name, a.number) for a in alerts]
    assert len(keys) == 150
    assert len(set(keys)) == 150
    created = [a.created_at for a in alerts]
    assert created == sorted(created, reverse=True)  # GitHub's default: created, desc
    pages = big_server.requests_matching("GET", r"^/orgs/acme/dependabot/alerts$")
    assert [r.status for r in pages] == [200, 200]
    assert "after" not in pages[0].query
    assert pages[1].query["after"] and pages[1].query["per_page"] == "100"
    assert not any("page" in r.query for r in pages)


def test_link_header_has_next_and_prev_cursors_only(big_server: GitHubServer) -> None:
    first = raw(big_server, "/orgs/acme/dependabot/alerts?per_page=40&state=open,fixed")
    link = first.headers["Link"]
    assert link.count("rel=") == 1 and 'rel="next"' in link
    next_url = link.split(";")[0].strip("<>")
    assert next_url.startswith(big_server.base_url + "/orgs/acme/dependabot/alerts?")
    params = parse_qs(urlsplit(next_url).query)
    assert params["after"] and "page" not in params
    assert params["state"] == ["open,fixed"] and params["per_page"] == ["40"]

    second = requests.get(next_url, headers={"Authorization": f"token {big_server.token}"})
    rels = {part.split('rel="')[1].rstrip('"') for part in second.headers["Link"].split(", ")}
    assert rels <= {"next", "prev"} and "prev" in rels
    prev_url = next(p for p in second.headers["Link"].split(", ") if 'rel="prev"' in p)
    back = requests.get(
        prev_url.split(";")[0].strip("<>"),
        headers={"Authorization": f"token {big_server.token}"},
    )
    assert [a["number"] for a in back.json()] == [a["number"] for a in first.json()]
    assert all(a["state"] in ("open", "fixed") for a in first.json() + second.json())


def test_cursor_is_stable_while_alerts_change(big_server: GitHubServer) -> None:
    ds = big_server.dataset
    before = {(a["repository"]["full_name"], a["number"]) for a in ds.alerts(owner="acme")}
    seen: list[tuple[str, int]] = []
    url = "/orgs/acme/dependabot/alerts?per_page=20"
    page_no = 0
    while url:
        resp = (
            raw(big_server, url)
            if url.startswith("/")
            else requests.get(url, headers={"Authorization": f"token {big_server.token}"})
        )
        seen += [(a["repository"]["full_name"], a["number"]) for a in resp.json()]
        page_no += 1
        if page_no == 1:
            # A new alert lands at the front, an old one changes state: with offsets one alert
            # would be served twice; with cursors nothing moves under the reader.
            ds.add_alert("acme/web", ecosystem="npm")
            victim = sorted(before)[-1]
            ds.mark_fixed(*victim)
        link = resp.headers.get("Link", "")
        nxt = [p for p in link.split(", ") if 'rel="next"' in p]
        url = nxt[0].split(";")[0].strip("<>") if nxt else ""
    assert len(seen) == len(set(seen)) == len(before)
    assert set(seen) == before


def test_repo_alert_filters_and_sorting(server: GitHubServer) -> None:
    ds = server.dataset
    repo = client(server).get_repo("acme/web")
    expected = [a for a in ds.alerts("acme/web") if a["state"] == "open"]

    got = list(repo.get_dependabot_alerts(state="open", sort="updated", direction="asc"))
    assert sorted(a.number for a in got) == sorted(a["number"] for a in expected)
    assert [a.updated_at for a in got] == sorted(a.updated_at for a in got)

    sev = ds.alerts("acme/web")[0]["security_advisory"]["severity"]
    by_sev = list(repo.get_dependabot_alerts(severity=sev))
    assert by_sev and all(a.security_advisory.severity == sev for a in by_sev)

    eco = ds.alerts("acme/web")[0]["dependency"]["package"]["ecosystem"]
    body = raw(server, f"/repos/acme/web/dependabot/alerts?state=open,dismissed&ecosystem={eco}")
    assert body.status_code == 200
    assert all(
        a["state"] in ("open", "dismissed") and a["dependency"]["package"]["ecosystem"] == eco
        for a in body.json()
    )
    assert all("repository" not in a for a in body.json())  # only the org endpoint adds it

    runtime = raw(server, "/repos/acme/web/dependabot/alerts?scope=runtime&sort=epss_percentage")
    assert all(a["dependency"]["scope"] == "runtime" for a in runtime.json())
    pct = [a["security_advisory"].get("epss", {}).get("percentage", -1) for a in runtime.json()]
    assert pct == sorted(pct, reverse=True)


def test_offset_pagination_is_refused_with_400(server: GitHubServer) -> None:
    for param in ("page=2", "first=10", "last=10"):
        resp = raw(server, f"/orgs/acme/dependabot/alerts?{param}")
        assert resp.status_code == 400
        assert "is not supported" in resp.json()["message"]
        assert resp.json()["documentation_url"].startswith("https://docs.github.com/")

    alerts = client(server).get_repo("acme/web").get_dependabot_alerts()
    with pytest.raises(GithubException) as exc:
        alerts.get_page(1)  # PyGithub's offset access sends page=2
    assert exc.value.status == 400


def test_per_page_above_100_is_422(server: GitHubServer) -> None:
    gh = client(server, per_page=101)
    with pytest.raises(GithubException) as exc:
        list(gh.get_organization("acme").get_dependabot_alerts())
    assert exc.value.status == 422
    assert raw(server, "/repos/acme/web/dependabot/alerts?per_page=100").status_code == 200


# -- PATCH ------------------------------------------------------------------------------------


def test_dismiss_and_reopen_through_pygithub(server: GitHubServer) -> None:
    ds = server.dataset
    number = next(a["number"] for a in ds.alerts("acme/web") if a["state"] == "open")
    old_updated = ds.alert("acme/web", number)["updated_at"]
    repo = client(server).get_repo("acme/web")

    alert = repo.update_dependabot_alert(number, "dismissed", "not_used", "only in tests")
    assert alert.state == "dismissed"
    assert alert.dismissed_reason == "not_used"
    assert alert.dismissed_comment == "only in tests"
    assert alert.dismissed_by.login == server.login
    assert alert.dismissed_at == alert.updated_at
    assert alert.raw_data["updated_at"] > old_updated
    assert ds.alert("acme/web", number)["state"] == "dismissed"

    alert = repo.update_dependabot_alert(number, "open")
    assert alert.state == "open"
    assert alert.dismissed_at is None and alert.dismissed_reason is None
    assert alert.dismissed_comment is None and alert.dismissed_by is None
    assert repo.get_dependabot_alert(number).state == "open"


def test_patch_validation_matches_github(server: GitHubServer) -> None:
    ds = server.dataset
    alerts = ds.alerts("acme/web")
    open_n = next(a["number"] for a in alerts if a["state"] == "open")
    repo = client(server).get_repo("acme/web")

    with pytest.raises(GithubException) as exc:
        repo.update_dependabot_alert(open_n, "dismissed", "not_used", "x" * 281)
    assert exc.value.status == 422
    assert ds.alert("acme/web", open_n)["state"] == "open"
    assert repo.update_dependabot_alert(open_n, "dismissed", "not_used", "y" * 280).state == (
        "dismissed"
    )

    def patch(body: Any, number: int = open_n) -> int:
        path = f"/repos/acme/web/dependabot/alerts/{number}"
        if isinstance(body, bytes):
            return raw(server, path, method="PATCH", data=body).status_code
        return raw(server, path, method="PATCH", json=body).status_code

    # Dismissing a dismissed alert again is a conflict on api.github.com.
    assert patch({"state": "dismissed", "dismissed_reason": "inaccurate"}) == 409
    assert patch({"state": "open", "dismissed_reason": "bogus"}) == 422
    assert patch({"state": "dismissed"}) == 422  # a reason is required
    assert patch({"state": "closed"}) == 422
    assert patch({"state": "open", "x": 1}) == 422  # no unknown keys
    assert patch({}) == 422
    assert patch(b'{"state": ') == 400
    assert patch(b"[1]") == 400
    fixed_n = next(a["number"] for a in ds.alerts("acme/web") if a["state"] == "fixed")
    assert patch({"state": "dismissed", "dismissed_reason": "not_used"}, fixed_n) == 409
    assert patch({"state": "open"}, 9999) == 404
    assert raw(server, "/repos/acme/web/dependabot/alerts/9999").status_code == 404


def test_assignees_are_set_returned_as_users_listed_and_cleared_as_github_does(
    server: GitHubServer,
) -> None:
    """PATCH `assignees` replaces the set and `[]` clears it (PyGithub has no parameter for
    it: the project sends it through PyGithub's requester); the answer, the alert and the
    listing carry user objects, as GitHub's do, and the change bumps `updated_at`."""
    ds = server.dataset
    number = next(a["number"] for a in ds.alerts("acme/web") if a["state"] == "open")
    path = f"/repos/acme/web/dependabot/alerts/{number}"
    before = ds.alert("acme/web", number)["updated_at"]
    requester = client(server).requester

    _, answer = requester.requestJsonAndCheck("PATCH", path, input={"assignees": ["alice", "bob"]})

    assert [u["login"] for u in answer["assignees"]] == ["alice", "bob"]
    assert all({"id", "type", "url", "html_url"} <= set(u) for u in answer["assignees"])
    assert answer["updated_at"] > before and answer["state"] == "open"
    listed = {a["number"]: a for a in raw(server, "/repos/acme/web/dependabot/alerts").json()}
    assert [u["login"] for u in listed[number]["assignees"]] == ["alice", "bob"]
    assert [u["login"] for u in raw(server, path).json()["assignees"]] == ["alice", "bob"]

    _, cleared = requester.requestJsonAndCheck("PATCH", path, input={"assignees": []})
    assert cleared["assignees"] == []

    for bad in ("alice", ["alice", 7], {"login": "alice"}):
        response = raw(server, path, method="PATCH", json={"assignees": bad})
        assert response.status_code == 422, bad
        assert "assignees" in response.json()["message"]
    assert ds.alert("acme/web", number)["assignees"] == []


def test_redismiss_can_be_allowed(dataset: Dataset) -> None:
    dataset.dismiss("acme/api", 1, "not_used")
    with GitHubServer(dataset, conflict_on_redismiss=False) as srv:
        n = 1
        a = (
            client(srv)
            .get_repo("acme/api")
            .update_dependabot_alert(n, "dismissed", "tolerable_risk", "changed")
        )
        assert a.dismissed_reason == "tolerable_risk" and a.dismissed_comment == "changed"


def test_a_token_without_write_permission_reads_but_its_patch_is_403(dataset: Dataset) -> None:
    reader = "github_pat_11READONLY000000000000000000"
    app = "ghs_readonly0000000000000000000000000000"
    with GitHubServer(dataset, read_only_tokens=[reader, app]) as srv:
        number = next(a["number"] for a in dataset.alerts("acme/web") if a["state"] == "open")
        repo = client(srv, token=reader).get_repo("acme/web")
        assert repo.get_dependabot_alert(number).state == "open"  # reading is allowed

        with pytest.raises(GithubException) as exc:
            repo.update_dependabot_alert(number, "dismissed", "not_used")
        assert exc.value.status == 403
        assert exc.value.data["message"] == "Resource not accessible by personal access token"
        assert exc.value.headers["x-accepted-github-permissions"] == ("vulnerability_alerts=write")
        assert "retry-after" not in exc.value.headers  # not a rate limit
        with pytest.raises(GithubException) as exc:
            client(srv, token=app).get_repo("acme/web").update_dependabot_alert(number, "open")
        assert exc.value.data["message"] == "Resource not accessible by integration"
        assert dataset.alert("acme/web", number)["state"] == "open"
        # The server's own token still writes.
        written = (
            client(srv)
            .get_repo("acme/web")
            .update_dependabot_alert(number, "dismissed", "not_used")
        )
        assert written.state == "dismissed"


def test_delegated_dismissal_refuses_a_direct_dismiss_but_not_a_reopen(
    server: GitHubServer,
) -> None:
    ds = server.dataset
    ds.set_delegated_dismissal("acme/web", True)
    open_n = next(a["number"] for a in ds.alerts("acme/web") if a["state"] == "open")
    dismissed_n = next(a["number"] for a in ds.alerts("acme/web") if a["state"] == "dismissed")
    repo = client(server).get_repo("acme/web")

    with pytest.raises(GithubException) as exc:
        repo.update_dependabot_alert(open_n, "dismissed", "tolerable_risk", "accepted")
    assert exc.value.status == 403
    assert exc.value.data["message"] == (
        "Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer."
    )
    assert ds.alert("acme/web", open_n)["state"] == "open"
    assert repo.update_dependabot_alert(dismissed_n, "open").state == "open"
    ds.set_delegated_dismissal("acme/web", False)
    assert repo.update_dependabot_alert(open_n, "dismissed", "not_used").state == "dismissed"


# -- auth and rate limits ---------------------------------------------------------------------


def test_bad_or_missing_token_is_401(server: GitHubServer) -> None:
    with pytest.raises(BadCredentialsException) as exc:
        client(server, token="ghp_wrong").get_organization("acme")
    assert exc.value.status == 401
    missing = raw(server, "/orgs/acme", auth=False)
    assert missing.status_code == 401
    assert missing.json()["message"] == "Requires authentication"
    bearer = requests.get(
        server.base_url + "/user", headers={"Authorization": f"Bearer {server.token}"}
    )
    assert bearer.status_code == 200 and bearer.json()["login"] == server.login


def test_rate_limit_headers_count_down_and_block(dataset: Dataset) -> None:
    with GitHubServer(dataset, rate_limit=10, rate_window=0.4) as srv:
        gh = client(srv)
        gh.get_organization("acme")
        assert gh.rate_limiting == (9, 10)
        gh.get_repo("acme/web")
        assert gh.rate_limiting == (8, 10)
        assert gh.rate_limiting_resettime >= int(time.time())
        core = gh.get_rate_limit().resources.core  # free, like on GitHub
        assert (core.remaining, core.limit) == (8, 10)

        resp = raw(srv, "/orgs/acme")
        assert resp.headers["x-ratelimit-used"] == "3"
        assert resp.headers["x-ratelimit-resource"] == "core"

        srv.set_rate_remaining(0)
        with pytest.raises(RateLimitExceededException) as exc:
            gh.get_repo("acme/web")
        assert exc.value.status == 403
        assert exc.value.headers["x-ratelimit-remaining"] == "0"
        time.sleep(0.45)  # the window resets
        gh.get_repo("acme/web")
        assert gh.rate_limiting == (9, 10)


# -- faults -----------------------------------------------------------------------------------


def test_server_error_fault_and_retry(server: GitHubServer) -> None:
    fault = server.add_fault(Fault.error(500, path=r"^/repos/acme/web$"))
    with pytest.raises(GithubException) as exc:
        client(server).get_repo("acme/web")
    assert exc.value.status == 500 and fault.hits == 1 and fault.exhausted

    server.add_fault(Fault.error(502, "Bad Gateway", path=r"^/repos/acme/web$", times=2))
    repo = client(server, retry=fast_retry()).get_repo("acme/web")
    assert repo.full_name == "acme/web"
    statuses = [r.status for r in server.requests_matching("GET", r"^/repos/acme/web$")]
    assert statuses == [500, 502, 502, 200]


def test_an_outage_answers_every_matching_request_until_it_ends(server: GitHubServer) -> None:
    number = next(a["number"] for a in server.dataset.alerts("acme/web") if a["state"] == "open")
    fault = server.add_fault(Fault.outage(0.6, method="PATCH"))
    repo = client(server).get_repo("acme/web")  # a GET: not part of the outage
    failed = 0
    while True:  # until the first answer that is not the outage's
        try:
            answer = repo.update_dependabot_alert(number, "dismissed", "not_used")
        except GithubException as exc:
            assert exc.status == 500
            failed += 1
            time.sleep(0.05)
            continue
        break
    # Checked after the answer, not before the request: on a busy machine a request sent
    # just before the end arrives after it (the loop used to expect a 500 for it).
    assert fault.exhausted and answer.state == "dismissed"
    assert failed >= 2 and fault.hits == failed
    patches = server.requests_matching("PATCH", rf"/alerts/{number}$")
    assert [p.status for p in patches] == [500] * failed + [200]
    # Each request's arrival time is logged, in order.
    stamps = [p.timestamp for p in patches]
    assert stamps == sorted(stamps) and stamps[-1] >= fault.until


def test_secondary_rate_limit_fault(server: GitHubServer) -> None:
    server.add_fault(Fault.secondary_rate_limit(retry_after=7, path="/dependabot/alerts"))
    with pytest.raises(RateLimitExceededException) as exc:
        list(client(server).get_organization("acme").get_dependabot_alerts())
    assert exc.value.status == 403
    assert exc.value.headers["retry-after"] == "7"
    assert exc.value.data["message"].startswith("You have exceeded a secondary rate limit")

    # GithubRetry honours it (retry-after 0 keeps the test fast).
    server.add_fault(Fault.secondary_rate_limit(retry_after=0, path="/dependabot/alerts"))
    got = list(client(server, retry=fast_retry()).get_organization("acme").get_dependabot_alerts())
    assert len(got) == 36


def test_malformed_json_fault(server: GitHubServer) -> None:
    server.add_fault(Fault.malformed_json(path=r"^/orgs/acme$"))
    with pytest.raises(json.JSONDecodeError):
        client(server).get_organization("acme")
    assert server.log[-1].status == 200


def test_dropped_connection_fault(server: GitHubServer) -> None:
    server.add_fault(Fault.drop_connection(method="GET", path=r"^/repos/acme/api$"))
    with pytest.raises(requests.exceptions.ConnectionError):
        client(server).get_repo("acme/api")
    assert server.log[-1].status == 0
    assert client(server).get_repo("acme/api").name == "api"


def test_fault_on_second_page_only(big_server: GitHubServer) -> None:
    big_server.add_fault(Fault.error(503, path="/dependabot/alerts", skip=1))
    with pytest.raises(GithubException) as exc:
        list(client(big_server).get_organization("acme").get_dependabot_alerts())
    assert exc.value.status == 503
    assert [r.status for r in big_server.requests_matching("GET", "/dependabot/alerts")] == [
        200,
        503,
    ]


def test_disabled_alerts_and_unknown_names(server: GitHubServer) -> None:
    ds = server.dataset
    ds.set_alerts_enabled("acme/api", False)
    gh = client(server)
    with pytest.raises(GithubException) as exc:
        list(gh.get_repo("acme/api").get_dependabot_alerts())
    assert exc.value.status == 403
    assert exc.value.data["message"] == "Dependabot alerts are disabled for this repository."
    org_alerts = list(gh.get_organization("acme").get_dependabot_alerts())
    assert {a.repository.full_name for a in org_alerts} == {"acme/web", "acme/payments"}

    with pytest.raises(UnknownObjectException):
        gh.get_repo("acme/nope")
    with pytest.raises(UnknownObjectException):
        gh.get_organization("nope")
    with pytest.raises(UnknownObjectException):
        gh.get_organization("jdoe")  # a user is not an organization
    with pytest.raises(UnknownObjectException):
        gh.get_repo("acme/web").get_dependabot_alert(999)
    server.add_fault(Fault.not_found(path=r"^/repos/acme/web$"))
    with pytest.raises(UnknownObjectException):
        gh.get_repo("acme/web")


def test_latency_and_concurrency_counters(server: GitHubServer) -> None:
    server.latency = 0.1
    server.add_fault(Fault.slow(0.05, path=r"^/repos/acme/web$"))
    server.reset_log()
    errors: list[BaseException] = []

    def one() -> None:
        try:
            client(server).get_repo("acme/web")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(8)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert errors == []
    assert 0.15 <= elapsed < 8 * 0.15  # each waited, in parallel
    assert server.max_in_flight >= 2 and server.in_flight == 0
    assert server.request_count == 8


# -- accounts and repositories ----------------------------------------------------------------


def test_user_repositories_like_github(dataset: Dataset) -> None:
    dataset.set_private("jdoe/blog", True)
    with GitHubServer(dataset, login="jdoe") as srv:
        gh = client(srv)
        user = gh.get_user("jdoe")
        assert user.type == "User"
        # /users/{user}/repos lists public repositories only, as on GitHub.
        assert [r.full_name for r in user.get_repos()] == ["jdoe/dotfiles"]
        mine = [r.full_name for r in gh.get_user().get_repos(affiliation="owner")]
        assert sorted(mine) == ["jdoe/blog", "jdoe/dotfiles"]
        org_repos = list(gh.get_organization("acme").get_repos())
        assert {r.full_name for r in org_repos} == {"acme/web", "acme/api", "acme/payments"}
        assert all(r.owner.type == "Organization" for r in org_repos)


def test_org_repos_paginate_by_page() -> None:
    with GitHubServer(generate_dataset({"big": 7}, {}, 0)) as srv:
        repos = list(client(srv, per_page=3).get_organization("big").get_repos())
        assert len(repos) == 7
        pages = srv.requests_matching("GET", "^/orgs/big/repos$")
        assert [r.query.get("page") for r in pages] == [None, "2", "3"]
        assert 'rel="last"' in raw(srv, "/orgs/big/repos?per_page=3").headers["Link"]


def test_ghes_prefix_and_id_links(dataset: Dataset) -> None:
    with GitHubServer(dataset, path_prefix="/api/v3", id_links=True) as srv:
        assert srv.base_url.endswith("/api/v3")
        org = client(srv, per_page=5).get_organization("acme")
        alerts = list(org.get_dependabot_alerts())
        assert len(alerts) == 36
        paths = {r.path for r in srv.requests_matching("GET", "/dependabot/alerts")}
        assert paths == {
            "/orgs/acme/dependabot/alerts",
            f"/organizations/{org.id}/dependabot/alerts",
        }
        assert alerts[0].url.startswith(srv.base_url + "/repos/")


def test_stop_closes_pooled_connections(dataset: Dataset) -> None:
    srv = GitHubServer(dataset).start()
    gh = client(srv)
    gh.get_organization("acme")
    srv.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        gh.get_repo("acme/web")


# -- dataset ----------------------------------------------------------------------------------


def test_dataset_covers_every_state_ecosystem_scope_and_edge_payload() -> None:
    ds = generate_dataset({"acme": 2}, {"jdoe": 1}, 6, seed=11)
    alerts = ds.alerts()
    assert len(alerts) == 18
    assert {a["state"] for a in alerts} == set(STATES)
    assert {a["dependency"]["package"]["ecosystem"] for a in alerts} == set(ECOSYSTEMS)
    assert {a["dependency"]["scope"] for a in alerts} == {"runtime", "development", None}
    advisories = [a["security_advisory"] for a in alerts]
    assert any("relationship" not in a["dependency"] for a in alerts)
    assert any("epss" not in s for s in advisories)
    assert any(isinstance(s.get("epss", {}).get("percentile"), str) for s in advisories)
    assert any(isinstance(s.get("epss", {}).get("percentile"), float) for s in advisories)
    assert any(s["cve_id"] is None for s in advisories)
    assert any(s["cvss"]["vector_string"] is None for s in advisories)
    assert any(s["cvss"]["score"] is None for s in advisories)
    assert any(len(s["cwes"]) == 0 for s in advisories)
    assert len({c["cwe_id"] for s in advisories for c in s["cwes"]}) >= 5
    assert any(a["security_vulnerability"]["first_patched_version"] is None for a in alerts)
    assert any("assignees" not in a for a in alerts)

    for repo in ds.repos():
        numbers = sorted(repo.alerts)
        assert numbers == list(range(1, len(numbers) + 1))
    updated = [a["updated_at"] for a in alerts]
    assert len(set(updated)) == len(updated)
    assert all(u.endswith("Z") and parse_iso(u) < ds.now for u in updated)

    for a in alerts:
        full = a["repository"]["full_name"]
        assert a["html_url"] == f"https://github.com/{full}/security/dependabot/{a['number']}"
        assert a["url"] == f"https://api.github.com/repos/{full}/dependabot/alerts/{a['number']}"
        assert a["repository"]["owner"]["type"] in ("Organization", "User")
        assert a["created_at"] <= a["updated_at"]
        state = a["state"]
        assert (a["dismissed_at"] is not None) == (state == "dismissed")
        assert (a["dismissed_reason"] in DISMISSED_REASONS) == (state == "dismissed")
        assert (a["dismissed_by"] is not None) == (state == "dismissed")
        assert (a["fixed_at"] is not None) == (state == "fixed")
        assert (a["auto_dismissed_at"] is not None) == (state == "auto_dismissed")
        if state != "open":
            closed_at = a["dismissed_at"] or a["fixed_at"] or a["auto_dismissed_at"]
            assert closed_at == a["updated_at"]


def test_dataset_is_deterministic() -> None:
    one = generate_dataset({"acme": 2}, {}, 5, seed=4)
    two = generate_dataset({"acme": 2}, {}, 5, seed=4)
    other = generate_dataset({"acme": 2}, {}, 5, seed=5)
    assert one.alerts() == two.alerts()
    assert one.alerts() != other.alerts()
    sized = generate_dataset({"acme": 3}, {}, lambda rng, name: len(name), seed=1)
    assert [len(r.alerts) for r in sized.repos()] == [8, 8, 13]


def test_pygithub_parses_every_generated_payload(server: GitHubServer) -> None:
    gh = client(server)
    alerts = list(gh.get_organization("acme").get_dependabot_alerts())
    for repo_name in ("jdoe/dotfiles", "jdoe/blog"):
        alerts += list(gh.get_repo(repo_name).get_dependabot_alerts())
    assert len(alerts) == 60
    for a in alerts:
        adv = a.security_advisory
        assert adv.severity in ("low", "medium", "high", "critical")
        _ = (adv.cvss.score, adv.cvss.vector_string, adv.cwes, adv.cve_id, adv.ghsa_id)
        _ = (a.dependency.package.ecosystem, a.dependency.manifest_path, a.dependency.scope)
        _ = (a.security_vulnerability.first_patched_version, a.dismissed_by, a.fixed_at)
        assert a.url.startswith(server.base_url + "/repos/")
        assert a.html_url.startswith("https://github.com/")
    org_alert = next(a for a in alerts if a.raw_data.get("repository"))
    assert org_alert.repository.owner.login == "acme"


def test_mutation_helpers_bump_updated_at(dataset: Dataset) -> None:
    def newest() -> str:
        return max(a["updated_at"] for a in dataset.alerts())

    added = dataset.add_alert("acme/web", ecosystem="pip", package="pyyaml", severity="high")
    assert added["number"] == 13 and added["state"] == "open"
    assert added["updated_at"] == newest() == added["created_at"]
    assert added["security_advisory"]["severity"] == "high"
    assert added["dependency"]["package"] == {"ecosystem": "pip", "name": "pyyaml"}

    steps = [
        lambda: dataset.set_severity("acme/web", 1, "critical"),
        lambda: dataset.mark_fixed("acme/web", 2),
        lambda: dataset.reopen("acme/web", 2),
        lambda: dataset.dismiss("acme/web", 3, "not_used", "dev only", by="mona"),
        lambda: dataset.auto_dismiss("acme/web", 4),
        lambda: dataset.set_scope("acme/web", 4, "runtime"),
    ]
    stamps = [added["updated_at"]]
    for step in steps:
        alert = step()
        assert alert["updated_at"] > stamps[-1]
        assert alert["updated_at"] == newest()
        stamps.append(alert["updated_at"])

    assert dataset.alert("acme/web", 1)["security_vulnerability"]["severity"] == "critical"
    reopened = dataset.alert("acme/web", 2)
    assert reopened["state"] == "open" and reopened["fixed_at"] is None
    dismissed = dataset.alert("acme/web", 3)
    assert dismissed["dismissed_by"]["login"] == "mona"
    assert dismissed["dismissed_at"] == dismissed["updated_at"]
    # An auto-dismissed alert whose dependency moves to runtime is reopened, as on GitHub.
    assert dataset.alert("acme/web", 4)["state"] == "open"


def test_mutations_are_served_and_sort_by_updated(server: GitHubServer) -> None:
    ds = server.dataset
    ds.reopen("acme/payments", 5)
    gh = client(server)
    latest = next(iter(gh.get_organization("acme").get_dependabot_alerts(sort="updated")))
    assert (latest.repository.full_name, latest.number) == ("acme/payments", 5)
    assert latest.state == "open"
    added = ds.add_alert("acme/payments")
    assert added["url"].startswith(server.base_url)  # built after the server rebased the data
    assert gh.get_repo("acme/payments").get_dependabot_alert(added["number"]).state == "open"
