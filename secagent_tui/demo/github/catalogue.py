"""The generated dataset's catalogue, read from ``demo/data/catalogue.json``.

Package names, manifest paths, weaknesses, CVSS vectors, repository names and the weights
of the random draws are data, not code: they are edited as data and read once at import.
Their order matters (a seeded generator draws from them by position), so the JSON keeps
the order the generator has always seen, and one seed keeps giving the same dataset.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["CATALOGUE", "Catalogue", "Weakness", "weighted"]

#: (cwe_id, name, summary template); the summary reads like a real advisory title.
Weakness = tuple[str, str, str]


@dataclass(frozen=True)
class Catalogue:
    """What the generator draws from (see the module docstring for why it is data)."""

    #: Package names per ecosystem, spelled as GitHub's advisory database spells them.
    packages: dict[str, tuple[str, ...]]
    #: Manifest paths Dependabot reports per ecosystem (lockfiles and manifests alike).
    manifests: dict[str, tuple[str, ...]]
    #: A repository's main language, from its first ecosystem.
    languages: dict[str, str | None]
    weaknesses: tuple[Weakness, ...]
    #: Real CVSS 3.1 vectors with their real base scores, per advisory severity.
    cvss_v3: dict[str, tuple[tuple[str, float], ...]]
    #: One CVSS 4.0 vector and score per advisory severity.
    cvss_v4: dict[str, tuple[str, float]]
    org_repo_names: tuple[str, ...]
    user_repo_names: tuple[str, ...]
    #: Logins of the people who dismiss alerts in generated data (``dismissed_by``).
    analysts: tuple[str, ...]
    dismissal_comments: tuple[str | None, ...]
    state_weights: dict[str, int]
    severity_weights: dict[str, int]
    ecosystem_weights: dict[str, int]


def _tuples(mapping: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {key: tuple(values) for key, values in mapping.items()}


def load_catalogue() -> Catalogue:
    """Read the packaged JSON into typed, immutable sequences."""
    text = resources.files("secagent_tui.demo").joinpath("data/catalogue.json").read_text("utf-8")
    raw = json.loads(text)
    return Catalogue(
        packages=_tuples(raw["packages"]),
        manifests=_tuples(raw["manifests"]),
        languages=dict(raw["languages"]),
        weaknesses=tuple((c[0], c[1], c[2]) for c in raw["cwes"]),
        cvss_v3={k: tuple((v[0], float(v[1])) for v in vs) for k, vs in raw["cvss_v3"].items()},
        cvss_v4={k: (v[0], float(v[1])) for k, v in raw["cvss_v4"].items()},
        org_repo_names=tuple(raw["org_repo_names"]),
        user_repo_names=tuple(raw["user_repo_names"]),
        analysts=tuple(raw["analysts"]),
        dismissal_comments=tuple(raw["dismissal_comments"]),
        state_weights=dict(raw["state_weights"]),
        severity_weights=dict(raw["severity_weights"]),
        ecosystem_weights=dict(raw["ecosystem_weights"]),
    )


#: The catalogue, read once.
CATALOGUE = load_catalogue()


def weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    """One key of ``weights``, drawn with its weight (the catalogue's draws)."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]
