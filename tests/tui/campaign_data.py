"""A planted campaign for the campaign view's tests: one advisory in six repositories of the
demo dataset, with evidence that says not used in three (one of them already dismissed),
test-only in one, used in one and nothing yet in the last.

`plant` writes it into a database the TUI tests seeded from the demo dataset; `plant_alerts`
adds the same alerts to the local GitHub's dataset before a sync, so a test can count the
PATCHes a campaign dismissal sends; `give_evidence` then writes the evidence.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.demo.github import Dataset, generate_dataset
from secagent_tui.domain.campaign import CampaignKey
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.schema import findings

from .conftest import FIXED_NOW

KEY = CampaignKey("GHSA-c4mp-a1gn-0016", "npm", "planted-parser")
EVIDENCE = {
    "acme/web": "not_used",
    "acme/api": "not_used",
    "acme/payments": "test_only",
    "acme/auth-service": "used",
    "jdoe/dotfiles": None,
    "jdoe/blog": "not_used",
}
DISMISSED = "jdoe/blog"
"""Already dismissed on GitHub: a campaign dismissal leaves it alone, a reopen covers it."""
NOT_USED = ("acme/api", "acme/web")
TEST_ONLY = ("acme/payments",)
NUMBER = 901


LONG_KEY = CampaignKey("GHSA-l0ng-pkg0-0016", "npm", "@acme-platform/" + "x" * 105)
"""A campaign whose package name is 120 characters, for the layout at 80 columns."""
assert len(LONG_KEY.package) == 120


def _document(usage: str, repo: str, key: CampaignKey = KEY) -> dict[str, Any]:
    return {
        "ecosystem": key.ecosystem,
        "package": key.package,
        "supported": True,
        "usage": usage,
        "scan_complete": True,
        "files_scanned": 120 + len(repo),
        "manifests": ["package-lock.json"],
        "imports": ["src/parse.js:3"] if usage == "used" else [],
        "test_uses": ["test/parse.test.js:1"] if usage == "test_only" else [],
        "reasons": [],
    }


async def give_evidence(
    engine: AsyncEngine, numbers: dict[str, int], key: CampaignKey = KEY
) -> None:
    """Each planted finding's evidence (and a verdict on the used one), as the sandbox tier
    leaves them on the finding."""
    async with engine.begin() as conn:
        for repo, usage in EVIDENCE.items():
            if usage is None:
                continue
            values: dict[str, Any] = {"evidence": _document(usage, repo, key)}
            if usage == "used":
                values["verdict"] = {
                    "is_exploitable": True,
                    "confidence": "high",
                    "exploitability_reasoning": "User input reaches the parser.",
                    "usage_locations": ["src/parse.js:3"],
                    "suggested_fix": "Upgrade.",
                    "suggested_action": "fix",
                    "summary": "Exploitable.",
                }
            await conn.execute(
                update(findings)
                .where(findings.c.repo == repo, findings.c.number == numbers[repo])
                .values(**values)
            )


async def plant(url: str, key: CampaignKey = KEY, number: int = NUMBER) -> None:
    """The campaign (or another of the same findings under `key`, its alerts numbered
    `number`), in a database seeded from `generate_dataset(seed=0)`."""
    dataset = generate_dataset(seed=0)
    first: dict[str, Any] = {}
    for repo, alert in dataset.iter_alerts():
        first.setdefault(repo.full_name, parse_alert(alert, repo.full_name))
    batch = [
        dataclasses.replace(
            first[repo],
            number=number,
            ghsa_id=key.ghsa_id,
            ecosystem=key.ecosystem,
            package=key.package,
            severity=Severity.CRITICAL,
            epss_percentage=0.99,
            state=AlertState.DISMISSED if repo == DISMISSED else AlertState.OPEN,
            dismissed_reason="tolerable_risk" if repo == DISMISSED else None,
            summary=f"Prototype pollution in {key.package}",
        )
        for repo in EVIDENCE
    ]
    engine = create_engine(url)
    try:
        await upsert_findings(engine, batch, now=FIXED_NOW)
        await give_evidence(engine, dict.fromkeys(EVIDENCE, number), key)
    finally:
        await engine.dispose()


def plant_alerts(dataset: Dataset) -> dict[str, int]:
    """The campaign's alerts on the local GitHub (one per repository, the advisory's id
    set on each payload); the number of each, by repository."""
    numbers = {}
    for repo in EVIDENCE:
        alert = dataset.add_alert(repo, ecosystem=KEY.ecosystem, package="axios")
        # Copies, not edits: a payload may share its advisory's objects with other alerts.
        for part in ("dependency", "security_vulnerability"):
            package = {**alert[part]["package"], "name": KEY.package}
            alert[part] = {**alert[part], "package": package}
        alert["security_advisory"] = {**alert["security_advisory"], "ghsa_id": KEY.ghsa_id}
        if repo == DISMISSED:
            dataset.dismiss(repo, alert["number"], "tolerable_risk", "Accepted.")
        numbers[repo] = alert["number"]
    return numbers
