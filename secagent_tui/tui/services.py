"""The TUI's one door to the services below it.

Screens and widgets never touch SQLAlchemy or the pipeline directly: they call these
methods from workers. Each is a thin call into `store/` or `pipeline/`; the decisions
themselves (what a dismissal writes, what a filter matches) live there, not here.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.record import FindingRecord
from secagent_tui.logs import new_correlation_id
from secagent_tui.pipeline.analysis import queue_analysis
from secagent_tui.pipeline.decisions import decide
from secagent_tui.pipeline.sync import OwnerOutcome, SyncService, api_factory_for
from secagent_tui.store import analyses
from secagent_tui.store.findings import get_finding_by_id
from secagent_tui.store.history import HistoryEntry, finding_history
from secagent_tui.store.metrics import collect_stats
from secagent_tui.store.queue import query_queue


def default_actor() -> str:
    try:
        return f"tui:{getpass.getuser()}"[:100]
    except Exception:  # no login name (containers): still say where it came from
        return "tui"


@dataclass
class AnalysisSnapshot:
    """What the finding view shows of one finding's latest analysis, and what is new."""

    analysis_id: int | None
    analysis: analyses.AnalysisView | None
    entries: list[analyses.TranscriptEntry] = field(default_factory=list)


class TuiServices:
    def __init__(
        self,
        engine: AsyncEngine,
        config: Config,
        clock: Callable[[], datetime],
        *,
        actor: str | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self.actor = actor or default_actor()

    # ------------------------------------------------------------------ reads

    async def queue(
        self, flt: FindingFilter, sort: str, reverse: bool, limit: int
    ) -> tuple[list[FindingRecord], int]:
        """The table's window: filtered, sorted and capped by the database."""
        return await query_queue(
            self.engine,
            flt,
            days=self.config.sla.days(),
            now=self.clock(),
            sort=sort,
            reverse=reverse,
            limit=limit,
        )

    async def stats(self) -> dict[str, Any]:
        return await collect_stats(self.engine, self.config.sla.days(), self.clock())

    async def finding(self, finding_id: int) -> FindingRecord | None:
        return await get_finding_by_id(self.engine, finding_id)

    async def history(self, finding_id: int) -> list[HistoryEntry]:
        return await finding_history(self.engine, finding_id)

    async def analysis(
        self, finding_id: int, known_id: int | None, after_seq: int
    ) -> AnalysisSnapshot:
        """The latest analysis and the transcript entries after `after_seq` (all of them when
        a newer analysis than `known_id` has started)."""
        analysis_id = await analyses.latest_analysis_id(self.engine, finding_id)
        if analysis_id is None:
            return AnalysisSnapshot(None, None)
        if analysis_id != known_id:
            after_seq = 0
        doc = await analyses.get_analysis(self.engine, analysis_id)
        entries = await analyses.transcript(self.engine, analysis_id, after_seq)
        return AnalysisSnapshot(analysis_id, doc, entries)

    # ------------------------------------------------------------------ actions

    async def decide(
        self,
        records: Sequence[FindingRecord],
        action: DecisionAction,
        *,
        reason: str | None = None,
        comment: str | None = None,
    ) -> list[int]:
        return await decide(
            self.engine,
            self.config,
            records,
            action,
            actor=self.actor,
            correlation_id=new_correlation_id(),
            reason=reason,
            comment=comment,
        )

    async def queue_analyses(
        self, records: Sequence[FindingRecord], *, triage_only: bool
    ) -> list[int]:
        ids = []
        for record in records:
            ids.append(
                await queue_analysis(
                    self.engine,
                    self.config,
                    record,
                    correlation_id=new_correlation_id(),
                    triage_only=triage_only,
                    # `a`: all three tiers, whatever triage suggests.
                    full=not triage_only,
                )
            )
        return ids

    async def sync(
        self, token: str, token_source: str = "the configured token"
    ) -> list[OwnerOutcome]:
        """One sync of every owner. PyGithub runs in the service's own thread pool."""
        service = SyncService(
            self.engine, self.config, api_factory_for(self.config, token, token_source)
        )
        return await service.sync()
