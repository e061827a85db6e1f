"""What a sync leaves behind: per-owner watermarks, one row per run with per-repository
figures (exact created/updated counts, per repository), and the last rate-limit reading."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.domain.owner import Owner
from secagent_tui.store.redacted import redacted_detail
from secagent_tui.store.schema import rate_limits, sync_runs, sync_watermarks


def _insert_for(engine: AsyncEngine) -> Any:
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


async def get_watermark(engine: AsyncEngine, owner: Owner) -> datetime | None:
    stmt = select(sync_watermarks.c.watermark).where(
        sync_watermarks.c.owner_kind == owner.kind.value,
        sync_watermarks.c.owner_name == owner.name.lower(),
    )
    async with engine.connect() as conn:
        return (await conn.execute(stmt)).scalar_one_or_none()


async def advance_watermark(
    engine: AsyncEngine, owner: Owner, watermark: datetime, run_id: int
) -> None:
    """Moves the watermark forward only: a late run never sends it back."""
    insert = _insert_for(engine)
    stmt = insert(sync_watermarks).values(
        owner_kind=owner.kind.value,
        owner_name=owner.name.lower(),
        watermark=watermark,
        last_run_id=run_id,
        advanced_at=datetime.now(UTC),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["owner_kind", "owner_name"],
        set_={
            "watermark": stmt.excluded.watermark,
            "last_run_id": stmt.excluded.last_run_id,
            "advanced_at": stmt.excluded.advanced_at,
        },
        where=sync_watermarks.c.watermark < stmt.excluded.watermark,
    )
    async with engine.begin() as conn:
        await conn.execute(stmt)


async def start_run(engine: AsyncEngine, owner: Owner, full: bool, correlation_id: str) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(
            sync_runs.insert()
            .values(
                correlation_id=correlation_id,
                owner_kind=owner.kind.value,
                owner_name=owner.name.lower(),
                full=full,
                started_at=datetime.now(UTC),
                created=0,
                updated=0,
                unchanged=0,
                errors=0,
                requests=0,
                seconds=0.0,
                page_guard_hit=False,
                repos=[],
            )
            .returning(sync_runs.c.id)
        )
        return int(result.scalar_one())


async def finish_run(engine: AsyncEngine, run_id: int, figures: dict[str, Any]) -> None:
    """The run's figures; its error and every repository's error (GitHub's words, which
    may quote a credential) are redacted on the way in."""
    async with engine.begin() as conn:
        await conn.execute(
            update(sync_runs)
            .where(sync_runs.c.id == run_id)
            .values(finished_at=datetime.now(UTC), **redacted_detail(figures))
        )


async def record_rate_limit(
    engine: AsyncEngine, resource: str, limit: int, remaining: int, reset_at: datetime
) -> None:
    insert = _insert_for(engine)
    stmt = insert(rate_limits).values(
        resource=resource,
        limit=limit,
        remaining=remaining,
        reset_at=reset_at,
        observed_at=datetime.now(UTC),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["resource"],
        set_={k: stmt.excluded[k] for k in ("limit", "remaining", "reset_at", "observed_at")},
    )
    async with engine.begin() as conn:
        await conn.execute(stmt)
