"""Generating a whole dataset from a seed: owners, repositories and their alerts.

A seeded :class:`random.Random` drives everything, so one seed always gives the same data
(the TUI snapshots and many tests depend on it). The first alerts follow a fixed *coverage
plan* so that even a small dataset (eleven alerts or more) holds every ecosystem, state,
scope and awkward payload GitHub sends; the rest are drawn with realistic weights.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from .alert_builder import MISSING, AlertOptions, build_alert
from .catalogue import CATALOGUE, weighted
from .model import Repo
from .store import Dataset
from .timestamps import DEFAULT_NOW
from .vocabulary import ECOSYSTEMS, SCOPES, SEVERITIES, STATES, AccountType

__all__ = ["COVERAGE_PLAN", "generate_dataset"]

#: Attributes forced on the first alerts of a dataset (in generation order) so even small
#: datasets cover every ecosystem, state, scope and awkward payload.
COVERAGE_PLAN: tuple[dict[str, Any], ...] = (
    # The documented example's corners: string percentile, direct relationship.
    {"percentile_as_string": True, "relationship": "direct"},
    # An older payload (PyGithub replay): no relationship, no epss, no assignees.
    {"relationship": MISSING, "epss": False, "assignees": False},
    {"cve": False, "percentile_as_string": True},
    # No CVSS at all: GitHub sends a null vector and a 0.0 score.
    {"cvss": "null_vector"},
    {"patched": False, "cwe_count": 2},
    # Defensive corner: both vector and score null.
    {"cvss": "null_both", "relationship": None},
    {"epss": False},
    {"cwe_count": 0, "relationship": "transitive"},
    {"relationship": MISSING},
    {"cve": False, "epss": False},
    {"percentile_as_string": True, "relationship": "unknown"},
    {"relationship": "inconclusive"},
)

AlertsPerRepo = int | Callable[[random.Random, str], int]
#: (repository, how many alerts it gets, its two ecosystems)
_RepoPlan = tuple[Repo, int, tuple[str, str]]


def _coverage_plan() -> Iterator[dict[str, Any]]:
    """The options of each alert in generation order: the plan's, then none forced."""
    for i, forced in enumerate(COVERAGE_PLAN):
        plan = dict(forced)
        plan.setdefault("ecosystem", ECOSYSTEMS[i % len(ECOSYSTEMS)])
        plan.setdefault("state", STATES[i % len(STATES)])
        plan.setdefault("scope", SCOPES[i % len(SCOPES)])
        plan.setdefault("severity", SEVERITIES[(i + 1) % len(SEVERITIES)])
        yield plan
    while True:
        yield {}


def generate_dataset(
    orgs: Mapping[str, int] | None = None,
    users: Mapping[str, int] | None = None,
    alerts_per_repo: AlertsPerRepo = 12,
    *,
    seed: int = 0,
    now: datetime | None = None,
    api_url: str = "https://api.github.com",
    private_ratio: float = 0.4,
    history_days: int = 400,
    live_clock: bool = False,
) -> Dataset:
    """Build a deterministic dataset.

    ``orgs`` and ``users`` map a login to its number of repositories (both None: one org
    ``acme`` with 4 repositories and one user ``jdoe`` with 2). ``alerts_per_repo`` is a count
    or ``f(rng, full_name) -> count``. Repository names are predictable: an org's repositories
    are ``web``, ``api``, ``payments``, ... and a user's ``dotfiles``, ``blog``, ... in that
    order (``-2``, ``-3`` suffixes beyond the lists). A user's first repository is always public
    (``GET /users/{user}/repos`` lists public repositories only).

    Alerts are created within the last ``history_days`` before ``now`` (default
    :data:`DEFAULT_NOW`), with distinct ``updated_at`` values all earlier than ``now``; the
    first alerts follow the coverage plan (every ecosystem, state, scope and edge payload once
    the dataset has eleven alerts or more).
    """
    if orgs is None and users is None:
        orgs, users = {"acme": 4}, {"jdoe": 2}
    ds = Dataset(seed=seed, now=now or DEFAULT_NOW, api_url=api_url, live_clock=live_clock)
    plans: list[_RepoPlan] = []
    for kind, owners, names in (
        ("Organization", orgs or {}, CATALOGUE.org_repo_names),
        ("User", users or {}, CATALOGUE.user_repo_names),
    ):
        for login, n_repos in owners.items():
            plans += _owner_repositories(
                ds, login, kind, n_repos, names, alerts_per_repo, private_ratio
            )
    _fill_alerts(ds, plans, history_days)
    return ds


def _owner_repositories(
    ds: Dataset,
    login: str,
    kind: AccountType,
    n_repos: int,
    names: tuple[str, ...],
    alerts_per_repo: AlertsPerRepo,
    private_ratio: float,
) -> list[_RepoPlan]:
    """Create the account and its repositories; how many alerts each will get."""
    rng = ds.rng
    ds.add_account(login, kind)
    plans: list[_RepoPlan] = []
    for i in range(n_repos):
        base = names[i % len(names)]
        name = base if i < len(names) else f"{base}-{i // len(names) + 1}"
        weights = CATALOGUE.ecosystem_weights
        first = weighted(rng, weights)
        second = weighted(rng, {e: w for e, w in weights.items() if e != first})
        private = (rng.random() < private_ratio) and not (kind == "User" and i == 0)
        repo = ds.add_repository(login, name, private=private, language=CATALOGUE.languages[first])
        count = (
            alerts_per_repo(rng, repo.full_name) if callable(alerts_per_repo) else alerts_per_repo
        )
        plans.append((repo, max(0, int(count)), (first, second)))
    return plans


def _fill_alerts(ds: Dataset, plans: list[_RepoPlan], history_days: int) -> None:
    """Give every repository its alerts, one repository after the other in turn, so the
    coverage plan spreads over several of them."""
    rng = ds.rng
    start = ds.now
    used_updates: set[datetime] = set()
    options = _coverage_plan()
    remaining = {repo.id: count for repo, count, _ in plans}
    while any(remaining.values()):
        for repo, _, stack in plans:
            if not remaining[repo.id]:
                continue
            remaining[repo.id] -= 1
            number = len(repo.alerts) + 1
            created, updated = _alert_times(rng, start, history_days, used_updates)
            opts = next(options)
            if "state" not in opts:
                opts["state"] = weighted(rng, CATALOGUE.state_weights)
            repo.alerts[number] = build_alert(
                ds,
                repo,
                number,
                created_at=created,
                updated_at=updated,
                options=AlertOptions(stack=stack, **opts),
            )


def _alert_times(
    rng: random.Random, start: datetime, history_days: int, used: set[datetime]
) -> tuple[datetime, datetime]:
    """(created, updated) within the history, ``updated`` distinct and before ``start``."""
    age = timedelta(seconds=rng.randint(3600, history_days * 86400))
    created = start - age
    updated = created + timedelta(seconds=rng.randint(0, int(age.total_seconds()) - 60))
    while updated in used or updated >= start:
        updated -= timedelta(seconds=1)
    used.add(updated)
    return min(created, updated), updated
