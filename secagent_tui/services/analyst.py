"""The analyst's actions and reads, one door for the CLI and the TUI alike.

Neither front end touches SQLAlchemy or wires the pipeline itself: the TUI calls these
methods from its workers, the CLI from its commands, so a dismissal, an analysis queued or
a sync is the same code whichever way it was asked for. Each is a thin call into `store/`
or `pipeline/`; the decisions themselves (what a dismissal writes, what a filter matches)
live there, not here. No Textual, no click: import-linter keeps it so.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.stats import Stats
from secagent_tui.logs import new_correlation_id
from secagent_tui.pipeline.analysis import queue_analysis
from secagent_tui.pipeline.decisions import decide
from secagent_tui.pipeline.sync import OwnerOutcome, RepoOutcome, SyncService, api_factory_for
from secagent_tui.store import analyses
from secagent_tui.store.finding_window import finding_window as read_window
from secagent_tui.store.findings import get_finding, get_finding_by_id
from secagent_tui.store.history import HistoryEntry, finding_history
from secagent_tui.store.metrics import collect_stats


def default_actor(front: str = "tui") -> str:
    """`tui:<login>`: who decided, in the audit trail and the history."""
    try:
        return f"{front}:{getpass.getuser()}"[:100]
    except Exception:  # no login name (containers): still say where it came from
        return front


class UnknownFinding(LookupError, SecagentError):
    """A reference names no finding in the database; nothing was changed."""


@dataclass
class AnalysisSnapshot:
    """What the finding view shows of one finding's latest analysis, and what is new."""

    analysis_id: int | None
    analysis: analyses.AnalysisView | None
    entries: list[analyses.TranscriptEntry] = field(default_factory=list)


class AnalystServices:
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

    async def finding_window(
        self, flt: FindingFilter, sort: str, reverse: bool, limit: int
    ) -> tuple[list[FindingRecord], int]:
        """The table's window: filtered, sorted and capped by the database."""
        return await read_window(
            self.engine,
            flt,
            days=self.config.sla.days(),
            now=self.clock(),
            sort=sort,
            reverse=reverse,
            limit=limit,
        )

    async def stats(self) -> Stats:
        return await collect_stats(self.engine, self.config.sla.days(), self.clock())

    async def finding(self, finding_id: int) -> FindingRecord | None:
        return await get_finding_by_id(self.engine, finding_id)

    async def findings(self, refs: Sequence[FindingRef]) -> list[FindingRecord]:
        """Every finding named, or UnknownFinding for the first unknown one, before anything
        is changed."""
        records = []
        for ref in refs:
            record = await get_finding(self.engine, ref)
            if record is None:
                raise UnknownFinding(f"unknown finding {ref} (run `secagent sync` first?)")
            records.append(record)
        return records

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
        correlation_id: str | None = None,
    ) -> list[int]:
        """Records the decision for every finding and queues its pushes; the job ids."""
        return await decide(
            self.engine,
            self.config,
            records,
            action,
            actor=self.actor,
            correlation_id=correlation_id or new_correlation_id(),
            reason=reason,
            comment=comment,
        )

    async def enqueue_analyses(
        self,
        records: Sequence[FindingRecord],
        *,
        triage_only: bool,
        full: bool,
        correlation_id: str | None = None,
    ) -> list[int]:
        """`full`: all three tiers, whatever triage suggests (the TUI's `a`)."""
        return [
            await queue_analysis(
                self.engine,
                self.config,
                record,
                correlation_id=correlation_id or new_correlation_id(),
                triage_only=triage_only,
                full=full,
            )
            for record in records
        ]

    async def sync(
        self,
        token: str,
        token_source: str = "the configured token",
        *,
        owner: str | None = None,
        full: bool = False,
        on_repo_done: Callable[[RepoOutcome], None] | None = None,
    ) -> list[OwnerOutcome]:
        """One sync of every owner (or one). PyGithub runs in the service's thread pool."""
        service = SyncService(
            self.engine,
            self.config,
            api_factory_for(self.config, token, token_source),
            on_repo_done=on_repo_done,
        )
        return await service.sync(owner, full=full)
