"""Campaigns read from the findings table: one grouped scan counts every campaign of a
filter (domain/campaign.py), and a second, narrow read lists each campaign's refs.

Why two reads: the counts are what a campaign list shows and must stay fast on 50,000
findings (SQL aggregates, no row reaches Python); the refs are only needed for the JSON
export and a campaign's own view, and collecting them in SQL would need a different
string-aggregate per backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.campaign import (
    Campaign,
    CampaignCounts,
    CampaignKey,
    by_risk,
    campaign_of,
)
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.usage import Usage
from secagent_tui.store.finding_window import conditions
from secagent_tui.store.schema import SEVERITY_ORDER, findings
from secagent_tui.store.times import from_micros

_BY_ORDER = {order: Severity(name) for name, order in SEVERITY_ORDER.items()}
_GROUP = (findings.c.ghsa_id, findings.c.ecosystem, findings.c.package)
_OPEN = findings.c.effective_state == AlertState.OPEN.value


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _counts_query(where: list[Any]) -> Any:
    """Every column read here is in `ix_findings_campaigns`, in group order (migration
    0010): the scan reads that index alone, not the wide rows, and needs no sort."""
    usage = findings.c.evidence_usage
    return (
        select(
            *_GROUP,
            func.min(findings.c.severity_order).label("severity_order"),
            func.count().label("findings"),
            func.count(func.distinct(findings.c.repo_key)).label("repositories"),
            _count_if(_OPEN).label("open"),
            _count_if(findings.c.has_verdict).label("with_verdict"),
            *(
                _count_if(usage == literal(u.value)).label(u.value)
                for u in (Usage.USED, Usage.MAYBE_USED, Usage.NOT_USED, Usage.TEST_ONLY)
            ),
            func.max(findings.c.epss_percentage).label("epss"),
            func.min(case((_OPEN, findings.c.created_at), else_=None)).label("oldest_open"),
        )
        .where(and_(*where) if where else literal(True))
        .group_by(*_GROUP)
    )


def _counts_of(row: Any) -> CampaignCounts:
    return CampaignCounts(
        key=CampaignKey(row.ghsa_id, row.ecosystem, row.package),
        severity=_BY_ORDER[int(row.severity_order)],
        findings=int(row.findings),
        repositories=int(row.repositories),
        open=int(row.open or 0),
        with_verdict=int(row.with_verdict or 0),
        used=int(row.used or 0),
        maybe_used=int(row.maybe_used or 0),
        not_used=int(row.not_used or 0),
        test_only=int(row.test_only or 0),
        epss=float(row.epss) if row.epss is not None else None,
        oldest_open=_aware(row.oldest_open),
    )


def _aware(value: Any) -> datetime | None:
    """MIN keeps the column's time type, so this is a datetime; should a driver hand back
    the stored integer (SQLite keeps microseconds), it is read the way the type reads it."""
    if value is None or isinstance(value, datetime):
        return value
    return from_micros(int(value))


async def campaign_counts(
    engine: AsyncEngine, flt: FindingFilter, days: SlaDays, now: datetime
) -> list[CampaignCounts]:
    """Every campaign of the filter's findings, counted in one grouped scan."""
    where = conditions(flt, days, now, engine.dialect.name)
    async with engine.connect() as conn:
        rows = (await conn.execute(_counts_query(where))).all()
    return [_counts_of(r) for r in rows]


async def campaign_refs(
    engine: AsyncEngine,
    flt: FindingFilter,
    days: SlaDays,
    now: datetime,
    keys: Sequence[CampaignKey] | None = None,
) -> dict[CampaignKey, tuple[str, ...]]:
    """Each campaign's refs (owner/repo#number, in repository and number order); only the
    campaigns named by `keys`, when given."""
    where = conditions(flt, days, now, engine.dialect.name)
    if keys is not None:
        if not keys:
            return {}
        where.append(tuple_(*_GROUP).in_([(k.ghsa_id, k.ecosystem, k.package) for k in keys]))
    stmt = select(*_GROUP, findings.c.repo, cast(findings.c.number, Integer)).order_by(
        findings.c.repo, findings.c.number
    )
    if where:
        stmt = stmt.where(and_(*where))
    refs: dict[CampaignKey, list[str]] = {}
    async with engine.connect() as conn:
        for ghsa, ecosystem, package, repo, number in await conn.execute(stmt):
            refs.setdefault(CampaignKey(ghsa, ecosystem, package), []).append(f"{repo}#{number}")
    return {key: tuple(found) for key, found in refs.items()}


async def list_campaigns(
    engine: AsyncEngine, flt: FindingFilter, days: SlaDays, now: datetime
) -> list[Campaign]:
    """Every campaign of the filter, riskiest first, with its refs."""
    counts = await campaign_counts(engine, flt, days, now)
    refs = await campaign_refs(engine, flt, days, now)
    return by_risk([campaign_of(c, refs.get(c.key, ()), days) for c in counts])
