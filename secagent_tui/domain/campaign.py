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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from secagent_tui.domain.finding import AlertState, DismissReason, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.usage import Usage


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


# ---------------------------------------------------------------------- a campaign's findings

TEST_ONLY_COMMENT = (
    "Test-only: the evidence pass found this package used only under test paths, so the "
    "vulnerable code does not run in production."
)
"""GitHub has no test-only reason; `tolerable_risk` with this comment says why, on GitHub."""

_SETTLED_BY = {
    Usage.NOT_USED: (DismissReason.NOT_USED, None),
    Usage.TEST_ONLY: (DismissReason.TOLERABLE_RISK, TEST_ONLY_COMMENT),
}
"""The evidence words a campaign-wide dismissal acts on, and what each is dismissed as.
`manifest_gone` is left out: it says the alert is stale, which an analyst checks alone."""

_STATE_ORDER = {
    AlertState.OPEN: 0,
    AlertState.DISMISSED: 1,
    AlertState.AUTO_DISMISSED: 2,
    AlertState.FIXED: 3,
}


@dataclass(frozen=True, slots=True)
class CampaignMember:
    """One finding of a campaign with its evidence document, which a finding record does
    not carry (it is kilobytes, and a list of findings never needs it)."""

    record: FindingRecord
    evidence: Mapping[str, Any] | None

    @property
    def usage(self) -> Usage | None:
        return Usage.parse(self.evidence.get("usage")) if self.evidence else None


@dataclass(frozen=True, slots=True)
class DismissalGroup:
    """The findings one dismissal covers: one reason and comment, so one `decide` call."""

    reason: DismissReason
    comment: str | None
    records: tuple[FindingRecord, ...]


@dataclass(frozen=True, slots=True)
class CampaignDismissal:
    """What "dismiss the campaign" writes, and what it leaves alone and why, so the
    analyst's one question can say both."""

    groups: tuple[DismissalGroup, ...]
    unsettled: int
    """Open findings whose evidence does not say the code never runs (used, maybe used,
    manifest gone, or no evidence yet): they need an analyst's look, not a bulk decision."""
    pinned: int
    """Open findings the evidence settles but an analyst reopened: that reopen was a
    decision about this one finding, which a decision about the group does not undo."""

    @property
    def records(self) -> list[FindingRecord]:
        return [r for group in self.groups for r in group.records]

    @property
    def repositories(self) -> int:
        return len({r.finding.repo for r in self.records})


def campaign_dismissal(members: Iterable[CampaignMember]) -> CampaignDismissal:
    """The campaign's open findings the evidence settles, grouped by the reason each gets:
    `not_used` evidence as GitHub's `not_used`, `test_only` as `tolerable_risk` with a
    comment saying test-only (GitHub has no such reason)."""
    chosen: dict[Usage, list[FindingRecord]] = {usage: [] for usage in _SETTLED_BY}
    unsettled = pinned = 0
    for member in members:
        if member.record.state is not AlertState.OPEN:
            continue
        usage = member.usage
        if usage not in chosen:
            unsettled += 1
        elif member.record.pinned:
            pinned += 1
        else:
            chosen[usage].append(member.record)
    groups = tuple(
        DismissalGroup(_SETTLED_BY[usage][0], _SETTLED_BY[usage][1], tuple(records))
        for usage, records in chosen.items()
        if records
    )
    return CampaignDismissal(groups, unsettled, pinned)


def open_records(members: Iterable[CampaignMember]) -> list[FindingRecord]:
    """What "analyse the campaign" queues: every open finding (a decided one needs none)."""
    return [m.record for m in members if m.record.state is AlertState.OPEN]


def reopenable_records(members: Iterable[CampaignMember]) -> list[FindingRecord]:
    """What "reopen the campaign" covers: the findings an analyst (or a rule) dismissed.
    GitHub's own auto-dismissals and fixed alerts are not an analyst's to reopen."""
    return [m.record for m in members if m.record.state is AlertState.DISMISSED]


def in_view_order(members: Iterable[CampaignMember]) -> list[CampaignMember]:
    """Open findings first (what is left to decide), then by repository and number."""
    return sorted(
        members,
        key=lambda m: (
            _STATE_ORDER.get(m.record.state, 9),
            m.record.finding.repo.lower(),
            m.record.finding.number,
        ),
    )
