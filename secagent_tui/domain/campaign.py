"""Campaigns: the findings of one advisory across repositories, decided together.

Why: the same GHSA shows up in forty repositories and GitHub makes an analyst decide it
forty times; grouped, the analyst sees one row per advisory and package with how far the
evidence already got (used / not used / test-only), and acts on the group. A campaign is
keyed by (advisory, ecosystem, package): an advisory that names two packages is two
campaigns, because the evidence and the decision are per package.

The JSON document's keys (`ghsa_id`, `package`, `ecosystem`, `severity`, `repositories`,
`open`, `findings`) are a fixed interface other tools read (`secagent campaigns --format
json`); further keys may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from secagent_tui.domain.finding import Severity
from secagent_tui.domain.sla import SlaDays


@dataclass(frozen=True, slots=True)
class CampaignKey:
    ghsa_id: str
    ecosystem: str
    package: str


@dataclass(frozen=True, slots=True)
class CampaignCounts:
    """What the store counts per campaign (one grouped scan), before refs are attached."""

    key: CampaignKey
    severity: Severity
    """The most severe of its findings (one advisory has one severity, but a re-rated
    advisory can leave older alerts at the old one)."""
    findings: int
    repositories: int
    open: int
    with_verdict: int
    used: int
    maybe_used: int
    not_used: int
    test_only: int
    epss: float | None
    """The highest EPSS percentage among its findings, when GitHub gave one."""
    oldest_open: datetime | None
    """When GitHub created the oldest open finding: its SLA clock started first."""


@dataclass(frozen=True, slots=True)
class Campaign:
    counts: CampaignCounts
    refs: tuple[str, ...]
    sla_due: datetime | None

    @property
    def key(self) -> CampaignKey:
        return self.counts.key

    def risk_key(self) -> tuple[int, float, int, int, str, str, str]:
        """Riskiest first: severity, then EPSS, then how many open findings it holds."""
        c = self.counts
        return (
            -c.severity.rank,
            -(c.epss or 0.0),
            -c.open,
            -c.repositories,
            c.key.ghsa_id,
            c.key.ecosystem,
            c.key.package,
        )

    def as_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "ghsa_id": c.key.ghsa_id,
            "package": c.key.package,
            "ecosystem": c.key.ecosystem,
            "severity": c.severity.value,
            "repositories": c.repositories,
            "open": c.open,
            "findings": list(self.refs),
            "with_verdict": c.with_verdict,
            "evidence": {
                "used": c.used,
                "maybe_used": c.maybe_used,
                "not_used": c.not_used,
                "test_only": c.test_only,
            },
            "epss_percentage": c.epss,
            "sla_due_at": self.sla_due.isoformat() if self.sla_due else None,
        }


def campaign_of(counts: CampaignCounts, refs: tuple[str, ...], days: SlaDays) -> Campaign:
    due = None
    if counts.oldest_open is not None:
        due = counts.oldest_open + timedelta(days=days.days_for(counts.severity))
    return Campaign(counts, refs, due)


def by_risk(campaigns: list[Campaign]) -> list[Campaign]:
    return sorted(campaigns, key=Campaign.risk_key)
