"""Building one alert payload: a copy of GitHub's example with every field drawn anew.

The steps run in a fixed order and each draws from the dataset's seeded generator, so the
order of the draws *is* the dataset: one seed gives the same alerts only while these steps
draw in the same order. Each step is its own function so that order reads top to bottom in
:func:`build_alert`.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .advisories import advisory_description, set_cvss
from .alert_states import apply_state
from .alert_template import ALERT_TEMPLATE
from .catalogue import CATALOGUE, Weakness, weighted
from .model import Advisory, Repo
from .timestamps import iso
from .vocabulary import DISMISSED_REASONS, ECOSYSTEMS, RELATIONSHIPS, SCOPES, SEVERITIES, STATES

if TYPE_CHECKING:
    from .store import Dataset

__all__ = ["MISSING", "RANDOM", "AlertOptions", "build_alert"]

#: Sentinels: ``MISSING`` drops a key from the payload, ``RANDOM`` lets the generator choose.
MISSING: Any = object()
RANDOM: Any = object()


@dataclass
class AlertOptions:
    """What a caller may force on a new alert; None (or a sentinel) lets the generator draw.

    See :meth:`Dataset.add_alert` for each option's meaning.
    """

    ecosystem: str | None = None
    package: str | None = None
    manifest_path: str | None = None
    severity: str | None = None
    state: str = "open"
    scope: Any = MISSING
    relationship: Any = RANDOM
    epss: bool | None = None
    percentile_as_string: bool | None = None
    cve: bool | None = None
    cvss: str | None = None
    patched: bool | None = None
    cwe_count: int | None = None
    assignees: bool | None = None
    dismissed_reason: str | None = None
    dismissed_comment: str | None = None
    dismissed_by: str | None = None
    stack: tuple[str, ...] = ()


def build_alert(
    ds: Dataset,
    repo: Repo,
    number: int,
    *,
    created_at: datetime,
    updated_at: datetime,
    options: AlertOptions,
) -> dict[str, Any]:
    """Alert ``number`` of ``repo``, its fields drawn from ``ds.rng`` (see module docstring)."""
    rng = ds.rng
    o = options
    ecosystem = _ecosystem(rng, o)
    _check(o)
    package = o.package or rng.choice(CATALOGUE.packages[ecosystem])
    adv, manifest = _advisory_and_manifest(ds, repo, ecosystem, package, o)
    a = copy.deepcopy(ALERT_TEMPLATE)
    a["number"] = number
    _fill_dependency(a["dependency"], rng, ecosystem, package, manifest, o)
    _fill_advisory(a, rng, adv, number, ecosystem, package, o)
    a["url"] = f"{ds.api_url}/repos/{repo.full_name}/dependabot/alerts/{number}"
    a["html_url"] = f"{repo.html_url}/security/dependabot/{number}"
    a["created_at"] = iso(created_at)
    a["updated_at"] = iso(updated_at)
    _fill_assignees(a, ds, o.assignees)
    a["repository"] = repo.simple
    apply_state(
        a,
        o.state,
        at=a["updated_at"],
        user_payload=ds.user_payload,
        reason=o.dismissed_reason or rng.choice(DISMISSED_REASONS),
        comment=(
            o.dismissed_comment
            if o.dismissed_comment is not None
            else rng.choice(CATALOGUE.dismissal_comments)
        ),
        by=o.dismissed_by or rng.choice(CATALOGUE.analysts),
    )
    return a


def _ecosystem(rng: random.Random, o: AlertOptions) -> str:
    """The forced ecosystem, else mostly one of the repository's stack."""
    ecosystem = o.ecosystem
    if ecosystem is None:
        if o.stack and rng.random() < 0.8:
            ecosystem = rng.choice(o.stack)
        else:
            ecosystem = weighted(rng, CATALOGUE.ecosystem_weights)
    if ecosystem not in ECOSYSTEMS:
        raise ValueError(f"unknown ecosystem {ecosystem!r}")
    return ecosystem


def _check(o: AlertOptions) -> None:
    if o.severity is not None and o.severity not in SEVERITIES:
        raise ValueError(f"unknown severity {o.severity!r}")
    if o.state not in STATES:
        raise ValueError(f"unknown state {o.state!r}")


def _advisory_and_manifest(
    ds: Dataset, repo: Repo, ecosystem: str, package: str, o: AlertOptions
) -> tuple[Advisory, str]:
    """An advisory and manifest pair the repository has no alert for yet: one alert per
    (advisory, manifest) in a repository, as on GitHub."""
    rng = ds.rng
    taken = {
        (a["security_advisory"]["ghsa_id"], a["dependency"]["manifest_path"])
        for a in repo.alerts.values()
    }
    manifest = o.manifest_path or rng.choice(CATALOGUE.manifests[ecosystem])
    adv = ds.advisories.advisory(ecosystem, package, o.severity, now=ds.now)
    tries = 0
    while (adv.ghsa_id, manifest) in taken:
        tries += 1
        adv = ds.advisories.advisory(ecosystem, package, o.severity, now=ds.now, fresh=tries > 3)
        if o.manifest_path is None:
            manifest = rng.choice(CATALOGUE.manifests[ecosystem])
    return adv, manifest


def _fill_dependency(
    dep: dict[str, Any],
    rng: random.Random,
    ecosystem: str,
    package: str,
    manifest: str,
    o: AlertOptions,
) -> None:
    dep["package"] = {"ecosystem": ecosystem, "name": package}
    dep["manifest_path"] = manifest
    scope = o.scope
    if scope is MISSING:
        scope = rng.choices(SCOPES, weights=(60, 30, 10))[0]
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    dep["scope"] = scope
    relationship = o.relationship
    if relationship is RANDOM:
        relationship = (
            MISSING
            if rng.random() < 0.1
            else rng.choices(RELATIONSHIPS, weights=(45, 40, 6, 3, 6))[0]
        )
    if relationship is MISSING:
        del dep["relationship"]
    else:
        dep["relationship"] = relationship


def _fill_advisory(
    a: dict[str, Any],
    rng: random.Random,
    adv: Advisory,
    number: int,
    ecosystem: str,
    package: str,
    o: AlertOptions,
) -> None:
    """``security_advisory`` and ``security_vulnerability`` (draws: CVE, description, patch,
    CVSS, EPSS, in that order)."""
    sa = a["security_advisory"]
    sa["ghsa_id"] = adv.ghsa_id
    has_cve = o.cve if o.cve is not None else rng.random() >= 0.1
    sa["cve_id"] = adv.cve_id if has_cve else None
    cwes = _weaknesses(adv, number, o.cwe_count)
    short = package.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    title = cwes[0][2] if cwes else "{pkg} contains a security vulnerability"
    sa["summary"] = title.format(pkg=short)
    sa["description"] = advisory_description(rng, short, cwes, adv)
    patched = o.patched if o.patched is not None else rng.random() >= 0.08
    vulns = _vulnerabilities(adv, ecosystem, package, patched)
    sa["vulnerabilities"] = vulns
    sa["severity"] = adv.severity
    cvss_mode = o.cvss or ("null_vector" if rng.random() < 0.08 else "vector")
    set_cvss(sa, rng, adv.severity, cvss_mode, v4=rng.random() < 0.5)
    _fill_epss(sa, rng, o)
    sa["cwes"] = [{"cwe_id": c[0], "name": c[1]} for c in cwes]
    _fill_identifiers(sa, adv)
    sa["updated_at"] = iso(adv.published_at + timedelta(days=3, hours=number % 24))
    sa["withdrawn_at"] = None
    a["security_vulnerability"] = copy.deepcopy(vulns[0])


def _weaknesses(adv: Advisory, number: int, cwe_count: int | None) -> list[Weakness]:
    """The advisory's CWEs, or ``cwe_count`` of the catalogue's (chosen by alert number)."""
    if cwe_count is None:
        return adv.cwes
    all_cwes = CATALOGUE.weaknesses
    cwes = list(all_cwes[number % len(all_cwes) : number % len(all_cwes) + cwe_count])
    if len(cwes) < cwe_count:
        cwes = list(all_cwes[:cwe_count])
    return cwes


def _vulnerabilities(
    adv: Advisory, ecosystem: str, package: str, patched: bool
) -> list[dict[str, Any]]:
    """One entry per vulnerable range; without a patch, one open-ended range."""
    vulns = [
        {
            "package": {"ecosystem": ecosystem, "name": package},
            "severity": adv.severity,
            "vulnerable_version_range": rng_text if patched else ">= 0",
            "first_patched_version": {"identifier": fixed} if (fixed and patched) else None,
        }
        for rng_text, fixed in adv.ranges
    ]
    return vulns if patched else vulns[:1]


def _fill_epss(sa: dict[str, Any], rng: random.Random, o: AlertOptions) -> None:
    """EPSS with a percentile that is sometimes a string, as GitHub sends it; or none."""
    epss = o.epss
    if epss is None:
        epss = rng.random() >= 0.1
    if not epss:
        del sa["epss"]
        return
    pct = round(rng.betavariate(0.4, 12), 5)
    percentile = round(min(0.99999, pct**0.25 + rng.random() * 0.05), 5)
    as_string = o.percentile_as_string
    if as_string is None:
        as_string = rng.random() < 0.2
    sa["epss"] = {"percentage": pct, "percentile": f"{percentile}e0" if as_string else percentile}


def _fill_identifiers(sa: dict[str, Any], adv: Advisory) -> None:
    sa["identifiers"] = [{"type": "GHSA", "value": adv.ghsa_id}]
    sa["references"] = []
    if sa["cve_id"]:
        sa["identifiers"].append({"type": "CVE", "value": sa["cve_id"]})
        sa["references"].append({"url": f"https://nvd.nist.gov/vuln/detail/{sa['cve_id']}"})
    sa["references"].append({"url": f"https://github.com/advisories/{adv.ghsa_id}"})
    sa["published_at"] = iso(adv.published_at)


def _fill_assignees(a: dict[str, Any], ds: Dataset, assignees: bool | None) -> None:
    """Mostly an empty list, sometimes one analyst; ``False`` drops the key (old payloads)."""
    rng = ds.rng
    if assignees is None:
        assignees = rng.random() >= 0.1
    if assignees:
        a["assignees"] = (
            [ds.user_payload(rng.choice(CATALOGUE.analysts))] if rng.random() < 0.1 else []
        )
    else:
        del a["assignees"]
