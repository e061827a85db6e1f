"""Advisories behind generated alerts: the shared pool, version ranges, texts and CVSS.

On GitHub one advisory (one GHSA) raises alerts in many repositories; the pool reuses an
advisory of the same package most of the time, so generated data has that shape too and
the TUI's grouping by advisory has something to group.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from .catalogue import CATALOGUE, Weakness, weighted
from .identifiers import ghsa_id
from .model import Advisory

__all__ = ["AdvisoryPool", "advisory_description", "set_cvss", "version_ranges"]


class AdvisoryPool:
    """Advisories per (ecosystem, package), with GHSA ids unique across the dataset."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pools: dict[tuple[str, str], list[Advisory]] = {}
        self._ghsa_seen: set[str] = set()

    def advisory(
        self,
        ecosystem: str,
        package: str,
        severity: str | None,
        *,
        now: datetime,
        fresh: bool = False,
    ) -> Advisory:
        """An advisory for the package: usually one already used elsewhere, sometimes (and
        always when ``fresh``) a new one published before ``now``."""
        rng = self.rng
        pool = self._pools.setdefault((ecosystem, package), [])
        candidates = [a for a in pool if severity is None or a.severity == severity]
        if candidates and not fresh and rng.random() < 0.7:
            return rng.choice(candidates)
        adv = self._new(ecosystem, severity, now)
        pool.append(adv)
        return adv

    def _new(self, ecosystem: str, severity: str | None, now: datetime) -> Advisory:
        rng = self.rng
        sev = severity or weighted(rng, CATALOGUE.severity_weights)
        ghsa = ghsa_id(rng)
        while ghsa in self._ghsa_seen:
            ghsa = ghsa_id(rng)
        self._ghsa_seen.add(ghsa)
        published = now - timedelta(days=rng.randint(400, 1800), minutes=rng.randint(0, 1439))
        cve = f"CVE-{published.year}-{rng.randint(1000, 49999)}"
        n_cwe = rng.choices((0, 1, 2), weights=(10, 75, 15))[0]
        cwes = rng.sample(CATALOGUE.weaknesses, n_cwe)
        return Advisory(ghsa, cve, cwes, sev, published, version_ranges(rng, ecosystem))


def version_ranges(rng: random.Random, ecosystem: str) -> list[tuple[str, str | None]]:
    """One or two vulnerable ranges with their first patched version."""
    major = rng.randint(0, 6)
    minor = rng.randint(0, 20)
    patch = rng.randint(1, 15)
    fixed = f"{major}.{minor}.{patch}"
    if ecosystem == "actions":
        fixed = f"{major + 1}.{minor}.{patch}"
    ranges: list[tuple[str, str | None]] = [(f">= {major}.0.0, < {fixed}", fixed)]
    if major > 0 and rng.random() < 0.4:
        older = f"{major - 1}.{rng.randint(0, 20)}.{rng.randint(1, 15)}"
        ranges.append((f"< {older}", older))
    return ranges


_IMPACT_LINES = (
    "An attacker who controls input passed to the affected function can exploit it.",
    "Applications that process untrusted data with the affected API are at risk.",
    "Exploitation requires the vulnerable code path to be reachable from user input.",
)


def advisory_description(rng: random.Random, pkg: str, cwes: list[Weakness], adv: Advisory) -> str:
    """A Markdown description in the sections GitHub's advisories use."""
    kind = cwes[0][1] if cwes else "a security weakness"
    first_fix = next((f for _, f in adv.ranges if f), None)
    lines = [
        f"### Impact\n\nAffected versions of `{pkg}` are vulnerable to {kind}.",
        rng.choice(_IMPACT_LINES),
    ]
    if first_fix:
        lines.append(f"### Patches\n\nUpgrade to `{pkg}` {first_fix} or later.")
    else:
        lines.append("### Patches\n\nNo patched version is available yet.")
    lines.append("### Workarounds\n\nValidate and sanitize untrusted input before use.")
    return "\n\n".join(lines)


def set_cvss(sa: dict[str, Any], rng: random.Random, sev: str, mode: str, *, v4: bool) -> None:
    """Write the advisory's ``cvss``/``cvss_severities`` for ``mode``: ``vector`` (a real
    vector of the severity), ``null_vector`` (what GitHub sends without CVSS) or
    ``null_both`` (a defensive corner: vector and score null)."""
    if mode == "vector":
        vector, score = rng.choice(CATALOGUE.cvss_v3[sev])
        sa["cvss"] = {"vector_string": vector, "score": score}
        v4v, v4s = CATALOGUE.cvss_v4[sev]
        sa["cvss_severities"] = {
            "cvss_v3": {"vector_string": vector, "score": score},
            "cvss_v4": {"vector_string": v4v, "score": v4s} if v4 else None,
        }
    elif mode == "null_vector":
        sa["cvss"] = {"vector_string": None, "score": 0.0}
        sa["cvss_severities"] = {
            "cvss_v3": {"vector_string": None, "score": 0.0},
            "cvss_v4": {"vector_string": None, "score": 0.0},
        }
    elif mode == "null_both":
        sa["cvss"] = {"vector_string": None, "score": None}
        sa["cvss_severities"] = None
    else:
        raise ValueError(f"unknown cvss mode {mode!r}")
