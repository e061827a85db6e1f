"""The analyst's reads, apart from the actions: what `findings`, `stats` and the TUI's
lists show. Only the store is imported here, so a command that only reads starts without
the pipeline, PyGithub or the Ollama client (docs/architecture.md, "Layers")."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.campaign import (
    Campaign,
    CampaignKey,
    CampaignMember,
    by_risk,
    campaign_of,
    in_view_order,
)
from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import ecosystem_choices
from secagent_tui.domain.health import HealthReport, health_report
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.stats import Stats
from secagent_tui.store import analyses
from secagent_tui.store.campaign_members import campaign_members
from secagent_tui.store.campaigns import campaign_counts, list_campaigns
from secagent_tui.store.finding_window import FindingPage, PageRequest, finding_page
from secagent_tui.store.findings import (
    distinct_ecosystems,
    evidence_of,
    get_finding,
    get_finding_by_id,
    list_findings,
)
from secagent_tui.store.health import collect_trends
from secagent_tui.store.history import HistoryEntry, finding_history
from secagent_tui.store.jobs import JOB_WINDOW, Job, JobListing, JobStatus, job_window
from secagent_tui.store.metrics import collect_stats
from secagent_tui.store.progress import (
    BatchProgress,
    ChainProgress,
    batch_progress,
    chain_progress,
    expected_repos,
    latest_batch,
    live_job,
)

FRONTS = ("tui", "cli")
"""The front ends an analyst acts through; the actor is `<front>:<login>`."""


def actors_of(actor: str) -> frozenset[str]:
    """Every actor name one analyst acts as: the actor itself and, for `<front>:<login>`, the
    same login through each front end (a job queued with `secagent analyze` is as much the
    analyst's as one queued with the TUI's `a`). Jobs carry their requester since migration
    0007 (`jobs.requested_by`)."""
    front, sep, login = actor.partition(":")
    if not sep or front not in FRONTS:
        return frozenset({actor})
    return frozenset({actor, *(f"{f}:{login}" for f in FRONTS)})


def login_of(actor: str) -> str:
    """The login in `<front>:<login>`: who "mine" means in the assignee filter, the same
    analyst the jobs' "mine" names (the actor itself when it has no front)."""
    front, sep, login = actor.partition(":")
    return login if sep and front in FRONTS else actor


class UnknownFinding(LookupError, SecagentError):
    """A reference names no finding in the database; nothing was changed."""


@dataclass
class AnalysisSnapshot:
    """What the finding view shows of one finding's latest analysis, and what is new."""

    analysis_id: int | None
    analysis: analyses.AnalysisView | None
    entries: list[analyses.TranscriptEntry] = field(default_factory=list)


class FindingReads:
    def __init__(self, engine: AsyncEngine, config: Config, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock

    async def export(self, flt: FindingFilter) -> list[FindingRecord]:
        """Every finding the filter matches, in the store's order (`findings`' export)."""
        return await list_findings(self.engine, flt, days=self.config.sla.days())

    async def evidence_of(self, ids: Sequence[int]) -> dict[int, Any]:
        """The evidence documents of these findings by id (SARIF's usage locations)."""
        return await evidence_of(self.engine, ids)

    async def finding_window(
        self, flt: FindingFilter, sort: str, reverse: bool, request: PageRequest
    ) -> FindingPage:
        """The table's window of the filter's order, read by keyset from where `request`
        says, with the filter's total and the marked findings it still selects."""
        return await finding_page(
            self.engine,
            flt,
            days=self.config.sla.days(),
            now=self.clock(),
            sort=sort,
            reverse=reverse,
            anchor=request.anchor,
            before=request.before,
            after=request.after,
            marked=request.marked,
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

    async def health(self) -> HealthReport:
        """The health screen: the `stats` figures, the recent history, and its warnings."""
        now = self.clock()
        stats = await collect_stats(self.engine, self.config.sla.days(), now)
        trends = await collect_trends(self.engine)
        owners = [o.name for o in self.config.owners]
        return health_report(now, stats, trends, owners, self.config.ui.sync_minutes)

    async def jobs(
        self,
        *,
        statuses: Collection[JobStatus] | None = None,
        mine_as: str | None = None,
        limit: int = JOB_WINDOW,
    ) -> list[JobListing]:
        """The Jobs pane and `secagent jobs`: every job in the database (whoever queued it),
        newest first, at most `limit`; only `statuses`; with `mine_as`, only the jobs that
        analyst (`actors_of`) asked for."""
        return await job_window(
            self.engine,
            statuses=statuses,
            requested_by=actors_of(mine_as) if mine_as is not None else None,
            limit=limit,
        )

    async def ecosystems(self) -> tuple[str, ...]:
        """What the filter menu offers: GitHub's ecosystems and any other the data holds."""
        return ecosystem_choices(await distinct_ecosystems(self.engine))

    async def chain_progress(self, analysis_id: int, after_seq: int = 0) -> ChainProgress | None:
        """The progress pane of an analysis run: its tiers, rounds, tokens, current tool
        call, and the transcript after `after_seq` (what the pane has not drawn yet)."""
        return await chain_progress(self.engine, analysis_id, after_seq)

    async def batch_progress(self, correlation_id: str) -> BatchProgress | None:
        """The progress pane of a dismissal batch: each decision of one request and how its
        push went (store/progress.batch_progress)."""
        return await batch_progress(self.engine, correlation_id)

    async def latest_batch(self, actor: str) -> str | None:
        """The newest batch this analyst decided, through either front end (`actors_of`)."""
        return await latest_batch(self.engine, actors_of(actor))

    async def live_job(self, finding_id: int) -> Job | None:
        """The finding's queued or running job, which its view links to."""
        return await live_job(self.engine, finding_id)

    async def latest_analysis_id(self, finding_id: int) -> int | None:
        return await analyses.latest_analysis_id(self.engine, finding_id)

    async def expected_repos(self) -> int | None:
        """How many repositories a sync of every configured owner is expected to read, from
        their previous runs (None when an owner has none)."""
        return await expected_repos(self.engine, [o.name for o in self.config.owners])

    async def campaigns(self, flt: FindingFilter) -> list[Campaign]:
        """The filter's findings grouped by advisory and package, riskiest first, each with
        its refs (`secagent campaigns`)."""
        return await list_campaigns(self.engine, flt, self.config.sla.days(), self.clock())

    async def campaign_findings(self, key: CampaignKey) -> list[CampaignMember]:
        """A campaign's findings in every state with their evidence, open ones first (the
        TUI's campaign view; its group actions choose among them, domain/campaign.py)."""
        return in_view_order(await campaign_members(self.engine, key))

    async def campaign_rows(self, flt: FindingFilter) -> list[Campaign]:
        """The filter's campaigns, riskiest first, counted in the one grouped scan and
        without their refs: the TUI's campaign list shows counts, and reading every ref of
        50,000 findings each refresh would cost more than the counts themselves."""
        days, now = self.config.sla.days(), self.clock()
        counts = await campaign_counts(self.engine, flt, days, now)
        return by_risk([campaign_of(c, (), days) for c in counts])
