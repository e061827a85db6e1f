"""The reviewed system's write path, kept as the baseline benches compare against: one
upsert statement per finding, a commit each (the seed review's `upsertSecurityFinding`
loop; docs/architecture.md, "The review, item by item", #13)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.finding import Finding
from secagent_tui.store.bulk_sql import GITHUB_COLUMNS, ROW_COLUMNS, FindingBulkSql
from secagent_tui.store.schema import findings

_TIMES = ("created_at", "updated_at", "dismissed_at", "fixed_at")


async def upsert_row_by_row(engine: AsyncEngine, batch: Iterable[Finding]) -> int:
    sql = FindingBulkSql("sqlite")
    now = datetime.now(UTC)
    written = 0
    for f in batch:
        values = dict(zip(ROW_COLUMNS, sql.values(f, now), strict=True))
        values.update({key: getattr(f, key) for key in _TIMES}, synced_at=now, cwe_ids=f.cwe_ids)
        stmt = insert(findings).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["repo", "number"], set_={k: stmt.excluded[k] for k in GITHUB_COLUMNS}
        )
        async with engine.begin() as conn:
            await conn.execute(stmt)
        written += 1
    return written
