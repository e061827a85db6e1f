"""A local GitHub (the demo server over a generated dataset) wired to a real `SyncService`.

The sync under test talks to the server through the real PyGithub, over real sockets; only
the retry pacing is shortened (`fast_api_factory`) so that fault tests take milliseconds, not
PyGithub's production backoffs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.demo.github import Dataset, GitHubServer, parse_iso
from secagent_tui.demo.stack import write_config
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.github.client import GitHubApi, GitHubSettings
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.pipeline.sync import OwnerOutcome, SyncService
from secagent_tui.store.findings import FindingFilter, list_findings

ALL_STATES = FindingFilter(states=tuple(AlertState))


def sizes(per_repo: Mapping[str, int], default: int) -> Callable[[random.Random, str], int]:
    """`alerts_per_repo` for `generate_dataset`: a count per `owner/name`, else `default`."""
    return lambda _rng, full_name: per_repo.get(full_name, default)


@contextmanager
def running(dataset: Dataset, **options: Any) -> Iterator[GitHubServer]:
    with GitHubServer(dataset, **options) as server:
        yield server


@dataclass
class FastApi:
    """An api_factory with short retry pacing; remembers every governor it was given."""

    server: GitHubServer
    max_retries: int = 3
    governors: list[RateGovernor] = field(default_factory=list)

    def __call__(self, governor: RateGovernor) -> GitHubApi:
        self.governors.append(governor)
        settings = GitHubSettings(
            api_url=self.server.base_url,
            token=self.server.token,
            max_retries=self.max_retries,
            backoff_factor=0.01,
            secondary_rate_wait=0.1,
        )
        return GitHubApi(settings, governor)


Owners = Sequence[tuple[str, ...]]
"""`(kind, name)` or `(kind, name, repo_glob, ...)` per `[[owners]]` entry."""


def owner_entries(owners: Owners) -> list[dict[str, Any]]:
    """`[[owners]]` tables, as the config writer takes them."""
    return [
        {"kind": kind, "name": name, **({"repos": list(repos)} if repos else {})}
        for kind, name, *repos in owners
    ]


def config_for(
    tmp_path: Path,
    server: GitHubServer,
    database_url: str,
    owners: Owners,
    name: str = "config.toml",
    **sync: int,
) -> Config:
    """A config naming the server, the owners, the database and `[sync]` settings."""
    settings = {"concurrency": 4, "max_pages_per_run": 500, "overlap_seconds": 60, **sync}
    sections = {
        "github": {"api_url": server.base_url},
        "owners": owner_entries(owners),
        "database": {"url": database_url},
        "sync": settings,
    }
    return write_config(tmp_path / name, sections)


async def run_sync(
    engine: AsyncEngine,
    config: Config,
    api: FastApi,
    owner: str | None = None,
    *,
    full: bool = False,
) -> dict[str, OwnerOutcome]:
    outcomes = await SyncService(engine, config, api).sync(owner, full=full)
    return {o.owner: o for o in outcomes}


async def stored(engine: AsyncEngine) -> dict[str, FindingRecord]:
    """Every finding in the store, by ref (fails on a duplicate ref)."""
    records = await list_findings(engine, ALL_STATES)
    by_ref = {r.finding.ref: r for r in records}
    assert len(by_ref) == len(records), "duplicate refs in the store"
    return by_ref


def ref_of(payload: Mapping[str, Any], repo: str) -> str:
    return f"{repo}#{payload['number']}"


def dataset_refs(dataset: Dataset, owner: str) -> dict[str, dict[str, Any]]:
    """Every alert payload of `owner`, by ref."""
    return {
        ref_of(a, r.full_name): a for r in dataset.repos(owner) for _, a in sorted(r.alerts.items())
    }


def newest_update(dataset: Dataset, owner: str) -> datetime:
    return max(parse_iso(a["updated_at"]) for a in dataset.alerts(owner=owner))
