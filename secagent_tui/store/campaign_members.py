"""One campaign's findings with their evidence documents, for the campaign's own view.

Why a read of its own: `list_findings` and the finding window leave the evidence column out
(kilobytes a finding once analysed, never needed in a list), but a campaign's view shows
each finding's evidence beside it and a campaign-wide dismissal acts on its word. A
campaign is tens of findings, so reading their documents is cheap here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.campaign import CampaignKey, CampaignMember
from secagent_tui.store.findings import LIST_COLUMNS, record_from_row
from secagent_tui.store.schema import findings


async def campaign_members(engine: AsyncEngine, key: CampaignKey) -> list[CampaignMember]:
    """Every finding of the campaign, in every state (reopening its dismissed ones is one
    of its actions), in repository and number order."""
    stmt = (
        select(*LIST_COLUMNS, findings.c.evidence)
        .where(
            findings.c.ghsa_id == key.ghsa_id,
            findings.c.ecosystem == key.ecosystem,
            findings.c.package == key.package,
        )
        .order_by(findings.c.repo, findings.c.number)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [CampaignMember(record_from_row(row), row.evidence) for row in rows]
