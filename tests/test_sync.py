"""Sync, end to end: the real `SyncService` and the real PyGithub against the local GitHub
server, into a real database (SQLite and PostgreSQL: every test taking `engine` runs on both).

What docs/architecture.md ("The merge rule", "The job model") promises of a sync is checked from
the outside: what is in the store afterwards, what the server was asked (its request log), what
the run recorded.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.cli import CliSandbox, root_logging_restored, stderr_line
from support.github_env import (
    FastApi,
    config_for,
    dataset_refs,
    newest_update,
    owner_entries,
    run_sync,
    sizes,
    stored,
)

from secagent_tui.demo.github import Dataset, Fault, GitHubServer, generate_dataset, parse_iso
from secagent_tui.demo.stack import config_text
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.record import FindingRecord
from secagent_tui.store import sync_state
from secagent_tui.store.metrics import collect_stats
from secagent_tui.store.schema import rate_limits, sync_runs

ACME = Owner(OwnerKind.ORG, "acme")
JDOE = Owner(OwnerKind.USER, "jdoe")
BOTH = (("org", "acme"), ("user", "jdoe"))
ORG_ONLY = (("org", "acme"),)
ORG_ALERTS = r"^/orgs/acme/dependabot/alerts$"


@pytest.fixture
def gh() -> Iterator[Callable[..., GitHubServer]]:
    """Starts local GitHub servers; stops them after the test."""
    servers: list[GitHubServer] = []

    def start(dataset: Dataset, **options: Any) -> GitHubServer:
        server = GitHubServer(dataset, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def repo_alerts(full_name: str) -> str:
    return rf"^/repos/{full_name}/dependabot/alerts$"


def small_dataset(**options: Any) -> Dataset:
    """acme: web, api, payments; jdoe: dotfiles, blog. A few alerts each."""
    options.setdefault("orgs", {"acme": 3})
    options.setdefault("users", {"jdoe": 2})
    options.setdefault("alerts_per_repo", 6)
    return generate_dataset(seed=options.pop("seed", 3), **options)


def expected_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """What a finding must hold for a GitHub payload, worked out from the payload alone."""
    dep = payload["dependency"]
    advisory = payload["security_advisory"]
    vulnerability = payload["security_vulnerability"]
    epss = advisory.get("epss")
    cvss = advisory["cvss"]
    patched = vulnerability["first_patched_version"]

    def when(key: str) -> datetime | None:
        return parse_iso(payload[key]) if payload.get(key) else None

    dismissed_at = when("dismissed_at")
    if payload["state"] == "auto_dismissed":
        dismissed_at = when("auto_dismissed_at")
    return {
        "number": payload["number"],
        "state": payload["state"],
        "severity": advisory["severity"],
        "package": dep["package"]["name"],
        "ecosystem": dep["package"]["ecosystem"],
        "manifest_path": dep["manifest_path"],
        "scope": dep["scope"],
        "relationship": dep.get("relationship"),
        "ghsa_id": advisory["ghsa_id"],
        "cve_id": advisory["cve_id"],
        "summary": advisory["summary"],
        "cvss_score": cvss["score"] if cvss["vector_string"] else None,
        "cvss_vector": cvss["vector_string"],
        "epss_percentage": float(epss["percentage"]) if epss else None,
        "epss_percentile": float(epss["percentile"]) if epss else None,
        "cwe_ids": [c["cwe_id"] for c in advisory["cwes"]],
        "vulnerable_version_range": vulnerability["vulnerable_version_range"],
        "patched_version": patched["identifier"] if patched else None,
        "html_url": payload["html_url"],
        "created_at": parse_iso(payload["created_at"]),
        "updated_at": parse_iso(payload["updated_at"]),
        "dismissed_at": dismissed_at,
        "fixed_at": when("fixed_at"),
        "dismissed_reason": payload["dismissed_reason"],
        "dismissed_comment": payload["dismissed_comment"],
    }


def actual_fields(record: FindingRecord) -> dict[str, Any]:
    f = record.finding
    fields = {key: getattr(f, key) for key in expected_fields_keys()}
    fields["state"] = f.state.value
    fields["severity"] = f.severity.value
    fields["scope"] = f.scope.value if f.scope else None
    return fields


def expected_fields_keys() -> tuple[str, ...]:
    return (
        "number",
        "state",
        "severity",
        "package",
        "ecosystem",
        "manifest_path",
        "scope",
        "relationship",
        "ghsa_id",
        "cve_id",
        "summary",
        "cvss_score",
        "cvss_vector",
        "epss_percentage",
        "epss_percentile",
        "cwe_ids",
        "vulnerable_version_range",
        "patched_version",
        "html_url",
        "created_at",
        "updated_at",
        "dismissed_at",
        "fixed_at",
        "dismissed_reason",
        "dismissed_comment",
    )


async def assert_store_matches(engine: AsyncEngine, dataset: Dataset, *owners: str) -> None:
    """The store holds exactly the owners' alerts, each equal to GitHub's current payload."""
    records = await stored(engine)
    expected = {ref: a for owner in owners for ref, a in dataset_refs(dataset, owner).items()}
    assert sorted(records) == sorted(expected)
    for ref, payload in expected.items():
        assert actual_fields(records[ref]) == expected_fields(payload), ref


def alert_where(dataset: Dataset, repo: str, **wanted: Any) -> dict[str, Any]:
    """The first alert of `repo` whose top-level/advisory fields match."""
    for alert in dataset.alerts(repo):
        if all(
            alert.get(k) == v or alert["security_advisory"].get(k) == v for k, v in wanted.items()
        ):
            return alert
    raise LookupError(f"no alert in {repo} with {wanted}")


# ------------------------------------------------------------------------------ full sync


async def test_full_sync_stores_every_alert_of_an_org_and_a_user_once_with_payload_fields(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = generate_dataset(
        orgs={"acme": 3},
        users={"jdoe": 3},
        alerts_per_repo=sizes({"acme/web": 230, "acme/api": 12}, default=7),
        seed=11,
    )
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, BOTH)

    outcomes = await run_sync(engine, config, FastApi(server))

    assert set(outcomes) == {"acme", "jdoe"}
    for name in ("acme", "jdoe"):
        o = outcomes[name]
        total = len(ds.alerts(owner=name))
        assert o.ok and o.full and not o.page_guard_hit and o.error is None
        assert (o.created, o.updated, o.unchanged, o.errors) == (total, 0, 0, 0)
        assert sorted(r.repo for r in o.repos) == sorted(r.full_name for r in ds.repos(name))
        for r in o.repos:
            assert r.status == "ok" and r.errors == 0 and r.error is None
            assert r.created == len(ds.alerts(r.repo))
        assert sum(r.requests for r in o.repos) < o.requests  # plus the repository listing
    web = next(r for r in outcomes["acme"].repos if r.repo == "acme/web")
    assert web.requests == 3  # 230 alerts: three cursor pages of 100
    assert len(server.requests_matching("GET", repo_alerts("acme/web"))) == 3
    assert sum(o.requests for o in outcomes.values()) == server.request_count
    assert server.errors == []

    # Every alert once, every field as GitHub sent it (the edge payloads included).
    await assert_store_matches(engine, ds, "acme", "jdoe")
    payloads = [a for _, a in ds.iter_alerts()]
    sa = [a["security_advisory"] for a in payloads]
    assert any(isinstance(s.get("epss", {}).get("percentile"), str) for s in sa)
    assert any("epss" not in s for s in sa)
    assert any(s["cve_id"] is None for s in sa)
    assert any(s["cvss"]["vector_string"] is None for s in sa)
    assert any(a["dependency"]["scope"] is None for a in payloads)
    assert any(a["security_vulnerability"]["first_patched_version"] is None for a in payloads)
    assert {a["state"] for a in payloads} == {"open", "dismissed", "fixed", "auto_dismissed"}

    # The run is recorded with the same figures, per repository too.
    async with engine.connect() as conn:
        rows = {r.owner_name: r for r in (await conn.execute(select(sync_runs))).all()}
    assert set(rows) == {"acme", "jdoe"}
    for name, row in rows.items():
        o = outcomes[name]
        assert row.ok is True and row.full is True and row.page_guard_hit is False
        assert row.finished_at is not None and row.error is None
        assert (row.created, row.updated, row.unchanged, row.errors, row.requests) == (
            o.created,
            o.updated,
            o.unchanged,
            o.errors,
            o.requests,
        )
        assert sorted((r["repo"], r["created"]) for r in row.repos) == sorted(
            (r.repo, r.created) for r in o.repos
        )
    # The watermark is the newest alert each owner has.
    assert await sync_state.get_watermark(engine, ACME) == newest_update(ds, "acme")
    assert await sync_state.get_watermark(engine, JDOE) == newest_update(ds, "jdoe")


async def test_stored_raw_payload_is_githubs_document(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    from secagent_tui.domain.refs import FindingRef
    from secagent_tui.store.findings import get_finding

    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY)
    await run_sync(engine, config, FastApi(server))
    for payload in ds.alerts("acme/web")[:4]:
        record = await get_finding(engine, FindingRef("acme", "web", payload["number"]))
        assert record is not None
        assert record.finding.raw == {k: v for k, v in payload.items() if k != "repository"}
        assert record.finding.description == payload["security_advisory"]["description"]


async def test_sync_logs_its_figures_at_info_level(
    engine: AsyncEngine,
    database_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="secagent.sync")
    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert acme.ok
    done = [r for r in caplog.records if r.name == "secagent.sync" and r.levelno == logging.INFO]
    assert [r.getMessage() for r in done] == ["sync acme ok"]


# ------------------------------------------------------------------------------ incremental


async def test_incremental_sync_picks_up_every_remote_change_with_one_org_request(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    # acme/web has more than a page of alerts: reading it all again would take several.
    ds = small_dataset(alerts_per_repo=sizes({"acme/web": 150}, default=6), seed=5)
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, BOTH)
    api = FastApi(server)
    await run_sync(engine, config, api)

    # Remote changes, each stamping a new updated_at.
    ds.add_alert("acme/api", severity="high")
    ds.add_alert("jdoe/blog", severity="low")
    rescored = alert_where(ds, "acme/web", state="open", severity="medium")
    ds.set_severity("acme/web", rescored["number"], "critical")
    fixed = next(a for a in ds.alerts("acme/payments") if a["state"] == "open")
    ds.mark_fixed("acme/payments", fixed["number"])
    reopened = next(a for a in ds.alerts(owner="acme") if a["state"] == "dismissed")
    reopened_repo = reopened["repository"]["full_name"]
    ds.reopen(reopened_repo, reopened["number"])
    user_fixed = next(a for a in ds.alerts("jdoe/dotfiles") if a["state"] == "open")
    ds.mark_fixed("jdoe/dotfiles", user_fixed["number"])
    server.reset_log()

    outcomes = await run_sync(engine, config, api)

    acme, jdoe = outcomes["acme"], outcomes["jdoe"]
    assert acme.ok and jdoe.ok
    assert not acme.full and not jdoe.full
    assert (acme.created, acme.updated, acme.errors) == (1, 3, 0)
    assert (jdoe.created, jdoe.updated, jdoe.errors) == (1, 1, 0)
    # The org: one request to its alert list and nothing else; no repository listing and no
    # per-repository alert list.
    org_requests = server.requests_matching("GET", ORG_ALERTS)
    assert len(org_requests) == 1
    assert org_requests[0].query["sort"] == "updated"
    assert org_requests[0].query["direction"] == "desc"
    assert server.requests_matching(None, r"^/repos/acme/") == []
    assert server.requests_matching(None, r"^/orgs/acme/repos") == []
    assert acme.requests == 1
    # The user: each repository read newest first.
    user_lists = server.requests_matching("GET", r"^/repos/jdoe/[^/]+/dependabot/alerts$")
    assert len(user_lists) == 2
    assert all(r.query.get("sort") == "updated" for r in user_lists)

    records = await stored(engine)
    assert records[f"acme/web#{rescored['number']}"].finding.severity.value == "critical"
    assert records[f"acme/payments#{fixed['number']}"].finding.state.value == "fixed"
    assert records[f"{reopened_repo}#{reopened['number']}"].finding.state.value == "open"
    assert records[f"{reopened_repo}#{reopened['number']}"].finding.dismissed_reason is None
    assert records[f"jdoe/dotfiles#{user_fixed['number']}"].finding.state.value == "fixed"
    await assert_store_matches(engine, ds, "acme", "jdoe")
    assert await sync_state.get_watermark(engine, ACME) == newest_update(ds, "acme")
    assert await sync_state.get_watermark(engine, JDOE) == newest_update(ds, "jdoe")

    # Nothing changed since: nothing created or updated, still one org request.
    server.reset_log()
    quiet = await run_sync(engine, config, api)
    for o in quiet.values():
        assert o.ok and (o.created, o.updated, o.errors) == (0, 0, 0)
    assert len(server.requests_matching("GET", ORG_ALERTS)) == 1
    assert quiet["acme"].requests == 1


async def test_full_flag_rereads_everything_and_finds_nothing_changed(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset()
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, BOTH)
    api = FastApi(server)
    await run_sync(engine, config, api)
    server.reset_log()

    outcomes = await run_sync(engine, config, api, full=True)

    for name, o in outcomes.items():
        assert o.ok and o.full
        assert (o.created, o.updated, o.unchanged) == (0, 0, len(ds.alerts(owner=name)))
    assert server.requests_matching("GET", ORG_ALERTS) == []
    assert len(server.requests_matching("GET", r"^/repos/acme/[^/]+/dependabot/alerts$")) == 3


async def test_sync_of_one_named_owner_leaves_the_others_alone(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset()
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, BOTH)
    outcomes = await run_sync(engine, config, FastApi(server), "JDOE")
    assert list(outcomes) == ["jdoe"]
    assert {r.finding.owner_name for r in (await stored(engine)).values()} == {"jdoe"}
    assert server.requests_matching(None, r"acme") == []


async def test_full_sync_reads_only_the_repos_of_the_allow_list(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, (("org", "acme", "acme/w*"),))

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert acme.ok and [r.repo for r in acme.repos] == ["acme/web"]
    assert server.requests_matching("GET", r"^/repos/acme/(api|payments)/") == []
    assert {ref.split("#")[0] for ref in await stored(engine)} == {"acme/web"}


async def test_incremental_org_sync_honours_the_allow_list(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, (("org", "acme", "acme/web"),))
    api = FastApi(server)
    await run_sync(engine, config, api)
    ds.add_alert("acme/api")
    web = ds.add_alert("acme/web")

    acme = (await run_sync(engine, config, api))["acme"]

    assert acme.ok and acme.created == 1
    refs = set(await stored(engine))
    assert f"acme/web#{web['number']}" in refs
    assert {ref.split("#")[0] for ref in refs} == {"acme/web"}
    assert {r.repo for r in acme.repos} <= {"acme/web", "acme/*"}


# ------------------------------------------------------------------------------ faults


async def test_server_error_on_a_repo_alert_list_is_retried_and_nothing_is_lost(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset()
    server = gh(ds)
    fault = server.add_fault(Fault.error(500, method="GET", path=repo_alerts("acme/api")))
    config = config_for(tmp_path, server, database_url, BOTH)

    outcomes = await run_sync(engine, config, FastApi(server))

    assert fault.hits == 1
    assert [r.status for r in server.requests_matching("GET", repo_alerts("acme/api"))] == [
        500,
        200,
    ]
    assert all(o.ok for o in outcomes.values())
    api_repo = next(r for r in outcomes["acme"].repos if r.repo == "acme/api")
    assert api_repo.status == "ok" and api_repo.requests == 2  # the retry is counted
    assert sum(o.requests for o in outcomes.values()) == server.request_count
    await assert_store_matches(engine, ds, "acme", "jdoe")


async def test_secondary_rate_limit_with_retry_after_is_waited_out(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    server.add_fault(Fault.secondary_rate_limit(retry_after=1, path=repo_alerts("acme/web")))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    outcomes = await run_sync(engine, config, FastApi(server))

    limited, retried = server.requests_matching("GET", repo_alerts("acme/web"))
    assert (limited.status, retried.status) == (403, 200)
    assert retried.timestamp - limited.timestamp >= 0.9  # retry-after: 1 was honoured
    assert outcomes["acme"].ok and outcomes["acme"].errors == 0
    await assert_store_matches(engine, ds, "acme")


async def test_repo_with_alerts_disabled_is_an_outcome_not_a_failure(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    ds.set_alerts_enabled("acme/api", False)
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    statuses = {r.repo: r.status for r in acme.repos}
    assert statuses == {"acme/web": "ok", "acme/api": "alerts_disabled", "acme/payments": "ok"}
    assert acme.ok and acme.errors == 0
    records = await stored(engine)
    assert not any(ref.startswith("acme/api#") for ref in records)
    expected = {ref for ref in dataset_refs(ds, "acme") if not ref.startswith("acme/api#")}
    assert set(records) == expected


async def test_missing_repo_is_reported_not_found_and_the_rest_synced(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    server.add_fault(Fault.not_found(path=repo_alerts("acme/payments"), times=None))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    statuses = {r.repo: r.status for r in acme.repos}
    assert statuses == {"acme/web": "ok", "acme/api": "ok", "acme/payments": "not_found"}
    assert acme.ok
    assert {ref.split("#")[0] for ref in await stored(engine)} == {"acme/web", "acme/api"}


async def test_malformed_page_fails_that_repo_only_and_keeps_the_watermark(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY, overlap_seconds=0)
    api = FastApi(server)
    await run_sync(engine, config, api)
    first_watermark = await sync_state.get_watermark(engine, ACME)
    assert first_watermark == newest_update(ds, "acme")

    # Two remote changes; the older one lives in the repository that will fail to read.
    changed = alert_where(ds, "acme/api", state="open")
    new_severity = "low" if changed["security_advisory"]["severity"] != "low" else "high"
    ds.set_severity("acme/api", changed["number"], new_severity)
    ds.add_alert("acme/web")
    server.add_fault(Fault.malformed_json(path=repo_alerts("acme/api")))

    broken = (await run_sync(engine, config, api, full=True))["acme"]

    statuses = {r.repo: r.status for r in broken.repos}
    assert statuses == {"acme/web": "ok", "acme/api": "error", "acme/payments": "ok"}
    api_repo = next(r for r in broken.repos if r.repo == "acme/api")
    assert api_repo.errors == 1 and api_repo.error
    assert not broken.ok and broken.errors >= 1
    assert broken.created == 1  # the other repositories were read completely
    assert await sync_state.get_watermark(engine, ACME) == first_watermark
    async with engine.connect() as conn:
        last = (await conn.execute(select(sync_runs).order_by(sync_runs.c.id.desc()))).first()
    assert last is not None and last.ok is False and last.errors >= 1

    # The next run still sees the change the failed run could not read, and duplicates nothing.
    healed = (await run_sync(engine, config, api))["acme"]
    assert healed.ok and healed.created == 0 and healed.updated == 1
    await assert_store_matches(engine, ds, "acme")
    assert await sync_state.get_watermark(engine, ACME) == newest_update(ds, "acme")


async def test_repo_whose_retries_run_out_fails_alone(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    server.add_fault(Fault.error(502, path=repo_alerts("acme/api"), times=None))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server, max_retries=2)))["acme"]

    assert len(server.requests_matching("GET", repo_alerts("acme/api"))) == 3
    statuses = {r.repo: r.status for r in acme.repos}
    assert statuses == {"acme/web": "ok", "acme/api": "error", "acme/payments": "ok"}
    assert not acme.ok and acme.errors == 1
    assert await sync_state.get_watermark(engine, ACME) is None
    expected = {ref for ref in dataset_refs(ds, "acme") if not ref.startswith("acme/api#")}
    assert set(await stored(engine)) == expected


async def test_failed_repos_count_every_request_they_made(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={}, alerts_per_repo=sizes({"acme/web": 230}, default=4))
    server = gh(ds)
    server.add_fault(Fault.error(500, path=repo_alerts("acme/api"), times=None))
    server.add_fault(Fault.malformed_json(path=repo_alerts("acme/web"), skip=1))  # page 2
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server, max_retries=3)))["acme"]

    assert {r.repo: r.status for r in acme.repos}["acme/web"] == "error"
    sent = {r.repo: r.requests for r in acme.repos}
    assert sent == {"acme/api": 4, "acme/web": 2, "acme/payments": 1}
    assert acme.requests == server.request_count


async def test_unreadable_alert_is_an_error_and_the_rest_of_its_page_is_kept(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    good = {k: v for k, v in ds.alerts("acme/api")[0].items() if k != "repository"}
    bad = {**good, "number": 99, "state": "mystery"}
    server.add_fault(Fault.error(200, body=[bad, good], path=repo_alerts("acme/api")))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    api_repo = next(r for r in acme.repos if r.repo == "acme/api")
    assert api_repo.errors == 1 and api_repo.created == 1
    assert "mystery" in (api_repo.error or "")
    assert not acme.ok and acme.errors == 1
    refs = set(await stored(engine))
    assert f"acme/api#{good['number']}" in refs and "acme/api#99" not in refs
    assert await sync_state.get_watermark(engine, ACME) is None


async def test_dropped_connection_is_retried(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    server.add_fault(Fault.drop_connection(path=repo_alerts("acme/web")))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert [r.status for r in server.requests_matching("GET", repo_alerts("acme/web"))] == [0, 200]
    assert acme.ok and all(r.status == "ok" for r in acme.repos)
    await assert_store_matches(engine, ds, "acme")


async def test_unknown_org_fails_that_owner_and_not_the_others(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset()
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, (("org", "ghost"), *BOTH))

    outcomes = await run_sync(engine, config, FastApi(server))

    assert not outcomes["ghost"].ok and "404" in (outcomes["ghost"].error or "")
    assert outcomes["acme"].ok and outcomes["jdoe"].ok
    await assert_store_matches(engine, ds, "acme", "jdoe")


# ------------------------------------------------------------------------------ page guard


async def test_page_guard_stops_the_run_says_so_and_keeps_the_watermark(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={}, alerts_per_repo=sizes({"acme/web": 230}, default=4))
    server = gh(ds)
    guarded = config_for(tmp_path, server, database_url, ORG_ONLY, max_pages_per_run=2)
    api = FastApi(server)

    acme = (await run_sync(engine, guarded, api))["acme"]

    assert acme.page_guard_hit
    assert "page_guard" in {r.status for r in acme.repos}
    assert len(server.requests_matching("GET", r"/dependabot/alerts$")) == 2
    assert len(await stored(engine)) < len(ds.alerts(owner="acme"))
    assert await sync_state.get_watermark(engine, ACME) is None
    async with engine.connect() as conn:
        row = (await conn.execute(select(sync_runs))).one()
    assert row.page_guard_hit is True

    roomy = config_for(tmp_path, server, database_url, ORG_ONLY, name="roomy.toml")
    done = (await run_sync(engine, roomy, api))["acme"]
    assert done.ok and not done.page_guard_hit and done.full
    await assert_store_matches(engine, ds, "acme")
    assert await sync_state.get_watermark(engine, ACME) == newest_update(ds, "acme")


async def test_page_guard_in_an_incremental_run_never_moves_the_watermark_past_unread_alerts(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    api = FastApi(server)
    roomy = config_for(tmp_path, server, database_url, ORG_ONLY, overlap_seconds=0)
    await run_sync(engine, roomy, api)
    watermark = await sync_state.get_watermark(engine, ACME)
    for _ in range(150):  # a page and a half of new alerts on the org endpoint
        ds.add_alert("acme/web")

    guarded = config_for(
        tmp_path, server, database_url, ORG_ONLY, name="g.toml", overlap_seconds=0,
        max_pages_per_run=1,
    )  # fmt: skip
    acme = (await run_sync(engine, guarded, api))["acme"]

    assert acme.page_guard_hit and acme.created == 100
    assert await sync_state.get_watermark(engine, ACME) == watermark
    caught_up = (await run_sync(engine, roomy, api))["acme"]
    assert caught_up.ok and not caught_up.page_guard_hit and caught_up.created == 50
    await assert_store_matches(engine, ds, "acme")


async def test_page_guard_equal_to_the_pages_needed_completes_the_run(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    # Five single-page repositories: five pages in all. (Regression: the guard used to be
    # asked once more per list, after its last page, so this run stopped after three pages.)
    ds = generate_dataset(orgs={"acme": 5}, users={}, alerts_per_repo=3, seed=2)
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY, max_pages_per_run=5)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert len(server.requests_matching("GET", r"/dependabot/alerts$")) == 5
    assert not acme.page_guard_hit
    await assert_store_matches(engine, ds, "acme")


# ------------------------------------------------------------------------------ pacing


async def test_parallel_repo_reads_stay_within_the_concurrency_bound(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = generate_dataset(orgs={"acme": 20}, users={}, alerts_per_repo=2, seed=4)
    server = gh(ds, latency=0.05)
    config = config_for(tmp_path, server, database_url, ORG_ONLY, concurrency=4)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert acme.ok and len(acme.repos) == 20
    assert 1 < server.max_in_flight <= 4
    await assert_store_matches(engine, ds, "acme")


async def test_low_rate_limit_is_waited_out_before_github_refuses(
    engine: AsyncEngine, database_url: str, tmp_path: Path, gh: Callable[..., GitHubServer]
) -> None:
    ds = small_dataset(users={})
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY, rate_limit_floor=50)
    api = FastApi(server)
    server.reset_rate_limit(window=1.0)  # the budget resets about a second from now
    server.set_rate_remaining(2)  # and only two requests are left; the sync needs four

    acme = (await run_sync(engine, config, api))["acme"]

    assert acme.ok
    assert [r for r in server.log if r.status == 403] == []
    assert server.request_count == 4
    assert api.governors[0].waited_seconds > 0
    async with engine.connect() as conn:
        row = (await conn.execute(select(rate_limits))).one()
    assert (row.resource, row.limit) == ("core", 5000)
    assert row.remaining > 50  # the last response came from the fresh window
    stats = (await collect_stats(engine, config.sla.days(), datetime.now(UTC))).as_json()
    assert stats["github_rate_limit"]["core"]["limit"] == 5000


# ------------------------------------------------------------------------------ the command


@pytest.fixture
def heartbeat() -> Iterator[tuple[str, list[str]]]:
    """A tiny monitor: (base URL, paths it was pinged on)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/ping/check-1", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def cli_env(
    tmp_path: Path, gh: Callable[..., GitHubServer]
) -> Iterator[tuple[CliSandbox, GitHubServer, Callable[..., Path]]]:
    sandbox = CliSandbox(tmp_path / "cli")
    server = gh(small_dataset())

    def config(owners: tuple[tuple[str, str], ...] = BOTH) -> Path:
        return sandbox.write_config(
            config_text(
                {
                    "github": {"api_url": server.base_url},
                    "owners": owner_entries(owners),
                    "database": {"url": sandbox.db_url},
                }
            )
        )

    with root_logging_restored():
        yield sandbox, server, config


def test_sync_command_prints_a_summary_per_owner(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    result = sandbox.invoke("--config", str(config()), "sync", env={"GITHUB_TOKEN": server.token})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    acme_total = len(server.dataset.alerts(owner="acme"))
    assert lines[0].startswith("org acme: ok (full)")
    assert f"created {acme_total}," in lines[0] and "errors 0" in lines[0]
    assert "repositories 3" in lines[0]
    assert lines[1].startswith("user jdoe: ok (full)")
    again = sandbox.invoke("--config", str(config()), "sync", env={"GITHUB_TOKEN": server.token})
    assert again.exit_code == 0
    assert "(incremental)" in again.stdout and "created 0, updated 0" in again.stdout


def test_sync_command_json_document_has_the_contract_shape(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    result = sandbox.invoke(
        "--config", str(config()), "sync", "--json", env={"GITHUB_TOKEN": server.token}
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] is True
    assert [o["owner"] for o in doc["owners"]] == ["acme", "jdoe"]
    for owner in doc["owners"]:
        keys = {"owner", "created", "updated", "unchanged", "errors", "requests", "seconds"}
        assert keys | {"repos"} <= set(owner)
        assert owner["created"] == len(server.dataset.alerts(owner=owner["owner"]))
        assert isinstance(owner["seconds"], float) and owner["requests"] > 0
        assert {r["repo"] for r in owner["repos"]} == {
            r.full_name for r in server.dataset.repos(owner["owner"])
        }
        assert all(r["status"] == "ok" for r in owner["repos"])


def test_sync_command_exits_1_when_an_owner_failed(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    result = sandbox.invoke(
        "--config",
        str(config((("org", "ghost"), *BOTH))),
        "sync",
        "--json",
        env={"GITHUB_TOKEN": server.token},
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    by_owner = {o["owner"]: o for o in doc["owners"]}
    assert by_owner["ghost"]["ok"] is False and by_owner["ghost"]["error"]
    assert by_owner["acme"]["ok"] is True and by_owner["jdoe"]["ok"] is True


def test_sync_command_refuses_an_unknown_owner_in_one_line(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    result = sandbox.invoke(
        "--config", str(config()), "sync", "--owner", "nobody", env={"GITHUB_TOKEN": server.token}
    )
    assert result.exit_code == 2
    assert "'nobody'" in stderr_line(result.stderr)
    assert server.request_count == 0
    assert not sandbox.db_path.exists()


def test_sync_command_without_a_token_says_so_in_one_line(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    result = sandbox.invoke("--config", str(config()), "sync")
    assert result.exit_code == 2
    assert "GITHUB_TOKEN" in stderr_line(result.stderr)
    assert server.request_count == 0


def test_sync_command_heartbeat_pings_url_on_success_and_url_fail_on_failure(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
    heartbeat: tuple[str, list[str]],
) -> None:
    sandbox, server, config = cli_env
    url, hits = heartbeat
    env = {"GITHUB_TOKEN": server.token}
    ok = sandbox.invoke("--config", str(config()), "sync", "--heartbeat-url", url, env=env)
    assert ok.exit_code == 0, ok.output
    assert hits == ["/ping/check-1"]

    failing = config((("org", "ghost"),))
    failed = sandbox.invoke("--config", str(failing), "sync", "--heartbeat-url", url, env=env)
    assert failed.exit_code == 1
    assert hits == ["/ping/check-1", "/ping/check-1/fail"]


def test_sync_command_honours_owner_and_counts_requests(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]],
) -> None:
    sandbox, server, config = cli_env
    started = time.perf_counter()
    result = sandbox.invoke(
        "--config", str(config()), "sync", "--owner", "jdoe", "--json",
        env={"GITHUB_TOKEN": server.token},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [o["owner"] for o in doc["owners"]] == ["jdoe"]
    assert doc["owners"][0]["requests"] == server.request_count
    assert doc["owners"][0]["seconds"] <= time.perf_counter() - started


class _Monitor:
    """An uptime monitor: answers 200 to every GET and remembers the paths."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen = self.paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/check-1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def monitor() -> Iterator[_Monitor]:
    found = _Monitor()
    yield found
    found.close()


def _config_with_monitor(sandbox: CliSandbox, server: GitHubServer, url: str) -> Path:
    return sandbox.write_config(
        config_text(
            {
                "github": {"api_url": server.base_url},
                "owners": owner_entries(BOTH),
                "database": {"url": sandbox.db_url},
                "observability": {"heartbeat_url": url},
            }
        ),
        "monitored.toml",
    )


def test_the_configured_heartbeat_url_is_pinged_after_a_sync(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]], monitor: _Monitor
) -> None:
    sandbox, server, _ = cli_env
    config = _config_with_monitor(sandbox, server, monitor.url)
    ok = sandbox.invoke("--config", str(config), "sync", env={"GITHUB_TOKEN": server.token})
    assert ok.exit_code == 0, ok.output
    failed = sandbox.invoke("--config", str(config), "sync", env={"GITHUB_TOKEN": "ghp_wrong"})
    assert failed.exit_code == 1
    assert monitor.paths == ["/check-1", "/check-1/fail"]


def test_the_heartbeat_option_wins_over_the_config(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]], monitor: _Monitor
) -> None:
    sandbox, server, _ = cli_env
    config = _config_with_monitor(sandbox, server, "http://127.0.0.1:9/never")
    result = sandbox.invoke(
        "--config",
        str(config),
        "sync",
        "--heartbeat-url",
        monitor.url,
        env={"GITHUB_TOKEN": server.token},
    )
    assert result.exit_code == 0, result.output
    assert monitor.paths == ["/check-1"]


def test_a_worker_run_once_pings_the_monitor_when_it_ends(
    cli_env: tuple[CliSandbox, GitHubServer, Callable[..., Path]], monitor: _Monitor
) -> None:
    sandbox, server, _ = cli_env
    config = _config_with_monitor(sandbox, server, monitor.url)
    result = sandbox.invoke("--config", str(config), "worker", "--once", env={"GITHUB_TOKEN": None})
    assert result.exit_code == 0, result.output
    assert "jobs done 0" in result.stdout
    assert monitor.paths == ["/check-1"]
