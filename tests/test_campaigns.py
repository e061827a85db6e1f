"""Campaigns, counted by the store on both backends: a generated dataset of 2,000 alerts in
50 repositories (the demo generator), in which one advisory is planted in 40 repositories;
the campaign of that advisory must have exactly the counts worked out from the planted
findings, and every finding must be in exactly one campaign.

Then `secagent campaigns --format json` on the same kind of database: one array, each
object with at least the fixed keys other tools read.
"""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from support.cli import CliSandbox

from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.campaign import CampaignKey
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Finding, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.campaigns import list_campaigns
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.schema import findings

PLANTED = CampaignKey("GHSA-p1an-ted0-0001", "npm", "left-pad-planted")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
ALL = FindingFilter(states=tuple(AlertState))
FIXED_KEYS = {"ghsa_id", "package", "ecosystem", "severity", "repositories", "open", "findings"}


def _dataset() -> tuple[list[Finding], list[Finding]]:
    """2,000 findings, 40 of which (one per repository, 40 repositories) are the planted
    advisory's: 6 of them dismissed, the rest open."""
    dataset = generate_dataset(seed=11, orgs={"acme": 50}, users={}, alerts_per_repo=40)
    parsed = [parse_alert(alert, repo.full_name) for repo, alert in dataset.iter_alerts()]
    assert len(parsed) == 2000
    first_of_repo: dict[str, int] = {}
    for index, finding in enumerate(parsed):
        first_of_repo.setdefault(finding.repo, index)
    chosen = sorted(random.Random(3).sample(sorted(first_of_repo.values()), 40))
    planted = []
    for n, index in enumerate(chosen):
        parsed[index] = dataclasses.replace(
            parsed[index],
            ghsa_id=PLANTED.ghsa_id,
            ecosystem=PLANTED.ecosystem,
            package=PLANTED.package,
            severity=Severity.CRITICAL,
            state=AlertState.DISMISSED if n < 6 else AlertState.OPEN,
            epss_percentage=0.97,
        )
        planted.append(parsed[index])
    return parsed, planted


async def _seed(engine: AsyncEngine, batch: list[Finding], planted: list[Finding]) -> None:
    await upsert_findings(engine, batch, now=NOW)
    usages = ["used"] * 10 + ["not_used"] * 7 + ["test_only"] * 3  # 20 with evidence
    async with engine.begin() as conn:
        for finding, usage in zip(planted[6:], usages, strict=False):
            await conn.execute(
                update(findings)
                .where(findings.c.repo == finding.repo, findings.c.number == finding.number)
                .values(evidence={"usage": usage}, verdict={"is_exploitable": usage == "used"})
            )


async def test_one_advisory_in_40_repositories_is_one_campaign_with_its_counts(
    engine: AsyncEngine,
) -> None:
    batch, planted = _dataset()
    await _seed(engine, batch, planted)

    campaigns = await list_campaigns(engine, ALL, SlaDays(), NOW)

    [mine] = [c for c in campaigns if c.key == PLANTED]
    doc = mine.as_json()
    assert doc["repositories"] == 40 and len(doc["findings"]) == 40
    assert doc["open"] == 34
    assert set(doc["findings"]) == {f.ref for f in planted}
    assert doc["severity"] == "critical"
    assert doc["with_verdict"] == 20
    assert doc["evidence"] == {"used": 10, "maybe_used": 0, "not_used": 7, "test_only": 3}
    oldest = min(f.created_at for f in planted if f.state is AlertState.OPEN)
    assert mine.sla_due == oldest + timedelta(days=SlaDays().days_for(Severity.CRITICAL))
    # Every finding is in exactly one campaign; the planted one is the riskiest.
    assert sum(c.counts.findings for c in campaigns) == 2000
    refs = [ref for c in campaigns for ref in c.refs]
    assert len(refs) == len(set(refs)) == 2000
    assert campaigns[0].key == PLANTED


async def test_the_filter_narrows_campaigns_to_its_findings(engine: AsyncEngine) -> None:
    batch, planted = _dataset()
    await _seed(engine, batch, planted)

    open_only = await list_campaigns(engine, FindingFilter(), SlaDays(), NOW)

    [mine] = [c for c in open_only if c.key == PLANTED]
    assert mine.counts.findings == mine.counts.open == 34
    assert len(mine.refs) == 34
    total_open = sum(1 for f in batch if f.state is AlertState.OPEN)
    assert sum(c.counts.findings for c in open_only) == total_open


@pytest.fixture
def sandbox(tmp_path: Path) -> CliSandbox:
    box = CliSandbox(tmp_path)
    batch, _ = _dataset()
    box.seed(batch)
    return box


def test_campaigns_json_is_one_array_with_the_fixed_keys(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()

    result = sandbox.invoke("--config", str(config), "campaigns", "--format", "json")

    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert isinstance(doc, list) and doc
    assert all(set(item) >= FIXED_KEYS for item in doc)
    [planted] = [c for c in doc if c["ghsa_id"] == PLANTED.ghsa_id]
    assert (planted["repositories"], planted["open"], len(planted["findings"])) == (34, 34, 34)
    assert all(isinstance(c["repositories"], int) and isinstance(c["open"], int) for c in doc)
