"""The LLM client's call records, kept in the store: the one place `llm` and `store` meet.

The client reports each call to a recorder it is given and knows nothing of the database;
this adapter is that recorder for every process that runs the pipeline, so `stats` and the
health screen see the calls of every worker on the database."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.llm.client import CallRecord
from secagent_tui.store.analyses import mark_llm_fallback, record_llm_call


class StoredCallRecorder:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, call: CallRecord) -> int:
        return await record_llm_call(self._engine, **asdict(call))

    async def mark_fallback(self, call_id: int, reason: str) -> None:
        await mark_llm_fallback(self._engine, call_id, reason)
