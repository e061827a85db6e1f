"""One bad alert is rejected alone (issue 15): an alert whose number or fields do not fit the
store (2**70 as its number aborted the owner's whole sync with "Integer exceeds 64-bit range",
11 of 17 repositories reported) is an error of its own repository, logged with its repository
and number, while every other alert and repository completes.

Through the local GitHub server, the real PyGithub and the real SyncService, into SQLite and
PostgreSQL (every test taking `engine` runs on both).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.github_env import FastApi, config_for, dataset_refs, run_sync, stored

from secagent_tui.demo.github import Dataset, Fault, GitHubServer, generate_dataset
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.github.parser import AlertParseError, parse_alert
from secagent_tui.store import sync_state

ACME = Owner(OwnerKind.ORG, "acme")
ORG_ONLY = (("org", "acme"),)
HUGE = 2**70


@pytest.fixture
def gh() -> Iterator[Callable[..., GitHubServer]]:
    servers: list[GitHubServer] = []

    def start(dataset: Dataset, **options: Any) -> GitHubServer:
        server = GitHubServer(dataset, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def dataset(repos: int = 6) -> Dataset:
    return generate_dataset(seed=5, orgs={"acme": repos}, users={}, alerts_per_repo=4)


def repo_alerts(full_name: str) -> str:
    return rf"^/repos/{full_name}/dependabot/alerts$"


def sync_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "secagent.sync" and r.levelno >= logging.WARNING
    ]


async def test_an_alert_number_beyond_the_store_range_is_rejected_alone(
    engine: AsyncEngine,
    database_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="secagent.sync")
    ds = dataset()
    repos = [r.full_name for r in ds.repos("acme")]
    bad_repo = repos[2]
    ds.add_alert(bad_repo, number=HUGE)
    server = gh(ds)
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert sorted(r.repo for r in acme.repos) == sorted(repos)
    by_repo = {r.repo: r for r in acme.repos}
    assert by_repo[bad_repo].errors == 1 and str(HUGE) in (by_repo[bad_repo].error or "")
    assert all(r.errors == 0 and r.status == "ok" for n, r in by_repo.items() if n != bad_repo)
    assert acme.error is None and acme.errors == 1 and not acme.ok
    expected = {ref for ref in dataset_refs(ds, "acme") if not ref.endswith(f"#{HUGE}")}
    assert set(await stored(engine)) == expected
    assert any(bad_repo in line and str(HUGE) in line for line in sync_warnings(caplog))
    assert await sync_state.get_watermark(engine, ACME) is None


def _set(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = payload
    *parents, last = path.split(".")
    for key in parents:
        node = node[key]
    node[last] = value
    return payload


# Values no store can hold, put into one alert of a page whose other alert is good. Some the
# parser refuses, some only the store notices (an integer anywhere in the kept payload).
UNSTORABLE = {
    "number_2_63": ("number", 2**63),
    "number_2_31": ("number", 2**31),
    "epss_huge_int": ("security_advisory.epss", {"percentage": HUGE, "percentile": 0.5}),
    "patched_huge_int": (
        "security_vulnerability.first_patched_version",
        {"identifier": "1.0", "n": HUGE},
    ),
    "nested_huge_int": ("dependency.extra", {"deep": [HUGE]}),
    "package_too_long": ("dependency.package.name", "p" * 5000),
    "ecosystem_too_long": ("dependency.package.ecosystem", "e" * 500),
    "package_with_nul": ("dependency.package.name", "left\x00pad"),
    "package_lone_surrogate": ("dependency.package.name", "bad\ud800name"),
    "description_lone_surrogate": ("security_advisory.description", "x\udfffy"),
    "repo_traversal": ("repository.full_name", "acme/.."),
}


@pytest.mark.parametrize("case", sorted(UNSTORABLE))
async def test_an_unstorable_alert_is_an_error_of_its_repository_and_the_page_is_kept(
    engine: AsyncEngine,
    database_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    caplog: pytest.LogCaptureFixture,
    case: str,
) -> None:
    caplog.set_level(logging.INFO, logger="secagent.sync")
    ds = dataset(repos=3)
    server = gh(ds)
    first, second = (copy.deepcopy(a) for a in ds.alerts("acme/api")[:2])

    bad = _set(copy.deepcopy(first), *UNSTORABLE[case])
    server.add_fault(Fault.error(200, body=[bad, second], path=repo_alerts("acme/api")))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    by_repo = {r.repo: r for r in acme.repos}
    assert sorted(by_repo) == ["acme/api", "acme/payments", "acme/web"]
    assert by_repo["acme/api"].errors == 1, by_repo["acme/api"]
    assert by_repo["acme/api"].created == 1
    assert acme.error is None and acme.errors == 1
    assert by_repo["acme/web"].status == "ok" and by_repo["acme/web"].errors == 0
    refs = set(await stored(engine))
    assert f"acme/api#{second['number']}" in refs
    assert f"acme/api#{first['number']}" not in refs
    assert {ref for ref in dataset_refs(ds, "acme") if ref.startswith("acme/web#")} <= refs
    assert any("acme/api" in line for line in sync_warnings(caplog))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("number", 2**31),
        ("number", 0),
        ("number", True),
        ("number", 1.0),
        ("dependency.package.name", "p" * 301),
        ("dependency.package.name", "a\x00b"),
        ("dependency.package.ecosystem", "e" * 31),
        ("repository.full_name", "acme/.."),
        ("repository.full_name", "../web"),
    ],
)
def test_the_parser_refuses_required_fields_the_store_cannot_hold(path: str, value: Any) -> None:
    ds = dataset(repos=1)
    raw = _set(copy.deepcopy(ds.alerts()[0]), path, value)
    with pytest.raises(AlertParseError):
        parse_alert(raw)


@pytest.mark.parametrize(
    ("path", "value", "attribute"),
    [
        ("security_advisory.cvss.score", 1e308, "cvss_score"),
        ("security_advisory.cvss.score", -1.0, "cvss_score"),
        ("security_advisory.cvss.score", HUGE, "cvss_score"),
        ("security_advisory.epss.percentage", 7.5, "epss_percentage"),
        ("security_advisory.epss.percentile", "1e400", "epss_percentile"),
        ("security_advisory.cve_id", "CVE-" + "9" * 100, "cve_id"),
        ("security_advisory.ghsa_id", "G" * 41, "ghsa_id"),
        ("security_vulnerability.vulnerable_version_range", "<" * 201, "vulnerable_version_range"),
        ("security_vulnerability.first_patched_version.identifier", "1" * 101, "patched_version"),
        ("dependency.relationship", "r" * 21, "relationship"),
        ("dismissed_reason", "x" * 31, "dismissed_reason"),
        ("security_advisory.summary", "a\x00b", "summary"),
    ],
)
def test_optional_fields_out_of_the_store_range_are_read_as_absent(
    path: str, value: Any, attribute: str
) -> None:
    ds = dataset(repos=1)
    raw = copy.deepcopy(ds.alerts()[0])
    if path.endswith("first_patched_version.identifier"):
        raw["security_vulnerability"]["first_patched_version"] = {"identifier": "x"}
    if path.startswith("security_advisory.cvss."):
        raw["security_advisory"]["cvss"] = {"score": 1.0, "vector_string": "CVSS:3.1/AV:N"}
    if path.startswith("security_advisory.epss."):
        raw["security_advisory"]["epss"] = {"percentage": 0.1, "percentile": 0.5}
    finding = parse_alert(_set(raw, path, value))
    assert getattr(finding, attribute) in (None, "")


async def test_an_owner_that_fails_as_a_whole_leaves_its_traceback_in_the_log(
    engine: AsyncEngine,
    database_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="secagent.sync")
    server = gh(dataset(repos=1))
    config = config_for(tmp_path, server, database_url, (("org", "ghost"),))

    ghost = (await run_sync(engine, config, FastApi(server)))["ghost"]

    assert not ghost.ok
    failed = [r for r in caplog.records if r.name == "secagent.sync" and "ghost" in r.getMessage()]
    assert any(r.exc_info is not None for r in failed)


@pytest.mark.parametrize("bad_name", ["acme/..", "acme/web?per_page=1", "../acme", None])
async def test_a_listed_repository_name_that_is_not_owner_name_is_an_error_and_never_read(
    engine: AsyncEngine,
    database_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    bad_name: str | None,
) -> None:
    ds = dataset(repos=2)
    server = gh(ds)
    listed = [copy.deepcopy(r.simple) for r in ds.repos("acme")]
    listed.append({**copy.deepcopy(listed[0]), "full_name": bad_name})
    server.add_fault(Fault.error(200, body=listed, path=r"^/orgs/acme/repos$"))
    config = config_for(tmp_path, server, database_url, ORG_ONLY)

    acme = (await run_sync(engine, config, FastApi(server)))["acme"]

    assert acme.errors == 1 and acme.error is None
    bad = [r for r in acme.repos if r.status == "error"]
    assert len(bad) == 1 and "not owner/name" in (bad[0].error or "")
    assert {r.repo for r in acme.repos if r.status == "ok"} == {
        r.full_name for r in ds.repos("acme")
    }
    alert_paths = {r.path for r in server.requests_matching("GET", r"/dependabot/alerts$")}
    assert alert_paths == {f"/repos/{r.full_name}/dependabot/alerts" for r in ds.repos("acme")}
    assert set(await stored(engine)) == set(dataset_refs(ds, "acme"))
