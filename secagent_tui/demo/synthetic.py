"""Synthetic findings in bulk, for benchmarks and storage tests that need volume, not realism
of every field (the demo dataset covers realism)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from secagent_tui.domain.finding import AlertState, Finding, Scope, Severity

_ECOSYSTEMS = ("npm", "pip", "maven", "go", "rubygems", "nuget", "composer", "rust")
_STATES = (AlertState.OPEN,) * 6 + (
    AlertState.DISMISSED,
    AlertState.FIXED,
    AlertState.AUTO_DISMISSED,
)
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def _ghsa(rng: random.Random) -> str:
    return f"GHSA-{rng.randrange(16**4):04x}-{rng.randrange(16**4):04x}-{rng.randrange(16**4):04x}"


def shared_advisory(ecosystem: str, rank: int, seed: int = 0) -> tuple[str, str, Severity]:
    """The `rank`-th advisory of `ecosystem`'s pool: its GHSA id, package and severity, the
    same for every finding that draws it."""
    rng = random.Random(f"{seed}:{ecosystem}:{rank}")
    package = f"{ecosystem}-package-{rng.randrange(2000)}"
    severity = rng.choice(tuple(Severity))
    return _ghsa(rng), package, severity


def synthetic_finding(
    index: int,
    *,
    owner: str = "acme",
    repos: int = 300,
    seed: int = 0,
    advisories: int | None = None,
) -> Finding:
    """The `index`-th finding of a deterministic population spread over `repos` repositories.

    By default each finding has an advisory of its own. With `advisories`, findings draw
    from a pool of about that many (each ecosystem its share), skewed the way real alerts
    are: the first advisories of a pool turn up in hundreds of repositories, the last in a
    handful, so 50,000 findings group into realistic campaigns (issue 16's campaign view)."""
    rng = random.Random(seed * 1_000_003 + index)
    repo = f"{owner}/repo-{index % repos:04d}"
    number = index // repos + 1
    ecosystem = _ECOSYSTEMS[index % len(_ECOSYSTEMS)]
    package = f"{ecosystem}-package-{rng.randrange(2000)}"
    severity = rng.choice(tuple(Severity))
    state = rng.choice(_STATES)
    ghsa = _ghsa(rng)
    if advisories is not None:
        # The ecosystem by round over the repositories, not by index: by index, one
        # ecosystem's findings fall in every fourth repository only.
        ecosystem = _ECOSYSTEMS[(index // repos) % len(_ECOSYSTEMS)]
        pool = max(1, advisories // len(_ECOSYSTEMS))
        rank = min(pool - 1, int(pool * rng.random() ** 2))  # density falls as 1/sqrt(rank)
        ghsa, package, severity = shared_advisory(ecosystem, rank, seed)
    created = _EPOCH + timedelta(minutes=index)
    updated = created + timedelta(hours=rng.randrange(1, 500))
    summary = f"Vulnerability {index} in {package}"
    raw = {
        "number": number,
        "state": state.value,
        "dependency": {
            "package": {"ecosystem": ecosystem, "name": package},
            "manifest_path": "package-lock.json",
            "scope": "runtime",
            "relationship": "direct",
        },
        "security_advisory": {
            "ghsa_id": ghsa,
            "cve_id": f"CVE-2025-{index:05d}",
            "summary": summary,
            "description": "An attacker can do harm. " * 20,
            "severity": severity.value,
            "cvss": {"vector_string": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "score": 9.8},
            "epss": {"percentage": 0.0042, "percentile": 0.61},
            "cwes": [{"cwe_id": "CWE-79", "name": "Cross-site Scripting"}],
        },
        "security_vulnerability": {
            "package": {"ecosystem": ecosystem, "name": package},
            "severity": severity.value,
            "vulnerable_version_range": "< 1.2.3",
            "first_patched_version": {"identifier": "1.2.3"},
        },
        "html_url": f"https://github.com/{repo}/security/dependabot/{number}",
        "created_at": created.isoformat(),
        "updated_at": updated.isoformat(),
    }
    return Finding(
        repo=repo,
        number=number,
        state=state,
        severity=severity,
        package=package,
        ecosystem=ecosystem,
        manifest_path="package-lock.json",
        scope=Scope.RUNTIME,
        relationship="direct",
        ghsa_id=ghsa,
        cve_id=f"CVE-2025-{index:05d}",
        summary=summary,
        cvss_score=9.8,
        cvss_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        epss_percentage=0.0042,
        epss_percentile=0.61,
        cwe_ids=["CWE-79"],
        vulnerable_version_range="< 1.2.3",
        patched_version="1.2.3",
        html_url=str(raw["html_url"]),
        created_at=created,
        updated_at=updated,
        raw=raw,
    )
