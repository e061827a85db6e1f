"""The analyst's actions and reads, one door for the CLI and the TUI alike.

Neither front end touches SQLAlchemy or wires the pipeline itself: the TUI calls these
methods from its workers, the CLI from its commands, so a dismissal, an analysis queued or
a sync is the same code whichever way it was asked for (the reads are in `reads.py`). Each
is a thin call into `store/` or `pipeline/`; the decisions themselves (what a dismissal
writes, what a filter matches) live there, not here. No Textual, no click: import-linter
keeps it so.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.record import FindingRecord
from secagent_tui.logs import new_correlation_id
from secagent_tui.pipeline.decisions import decide
from secagent_tui.services.reads import FindingReads, login_of

if TYPE_CHECKING:
    import asyncio
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncEngine

    from secagent_tui.config import Config
    from secagent_tui.pipeline.runner import RunSummary
    from secagent_tui.pipeline.sync import OwnerOutcome, RepoOutcome
    from secagent_tui.store.jobs import Job
    from secagent_tui.store.notify import ChangeListener


def default_actor(front: str = "tui") -> str:
    """`tui:<login>`: who decided, in the audit trail and the history."""
    try:
        return f"{front}:{getpass.getuser()}"[:100]
    except Exception:  # no login name (containers): still say where it came from
        return front


class AnalystServices(FindingReads):
    """The reads, and the actions that write: decisions, analyses, syncs. The analysis chain
    and the sync are imported by the method that runs them, so a command that only decides
    (`dismiss`, `reopen`) does not load PyGithub and the Ollama client it never uses."""

    def __init__(
        self,
        engine: AsyncEngine,
        config: Config,
        clock: Callable[[], datetime],
        *,
        actor: str | None = None,
    ) -> None:
        super().__init__(engine, config, clock)
        self.actor = actor or default_actor()

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

    async def snooze(
        self, records: Sequence[FindingRecord], *, correlation_id: str | None = None
    ) -> list[int]:
        """Dismisses every finding until a patch exists and queues the pushes; the job ids.
        DecisionError, with nothing recorded, when one has a patch already or is fixed."""
        from secagent_tui.pipeline.snooze import snooze

        return await snooze(
            self.engine,
            self.config,
            records,
            actor=self.actor,
            correlation_id=correlation_id or new_correlation_id(),
        )

    async def assign(
        self,
        records: Sequence[FindingRecord],
        logins: Sequence[str],
        *,
        correlation_id: str | None = None,
    ) -> list[int]:
        """Sets (`[]`: clears) the assignees of every finding and queues their pushes; the
        job ids. DecisionError for a bad login, with nothing recorded."""
        from secagent_tui.pipeline.assignments import assign

        return await assign(
            self.engine,
            self.config,
            records,
            logins,
            actor=self.actor,
            correlation_id=correlation_id or new_correlation_id(),
        )

    # ------------------------------------------------------------------ team presence

    async def mark_viewing(self, finding_id: int) -> None:
        """This analyst has the finding open (written again while it stays open)."""
        from secagent_tui.store.presence import mark_open

        await mark_open(self.engine, finding_id, self.actor, self.clock())

    @property
    def presence_refresh_seconds(self) -> float:
        """How often an open view writes its presence again: a third of the time a row is
        believed, so one late refresh does not make an open finding look abandoned."""
        from secagent_tui.store.presence import TTL

        return TTL.total_seconds() / 3

    async def stop_viewing(self, finding_id: int | None = None) -> None:
        """This analyst closed the finding (None: every finding, when the TUI quits)."""
        from secagent_tui.store.presence import clear

        await clear(self.engine, finding_id, self.actor)

    async def viewers(self, finding_ids: Collection[int] | None) -> dict[int, tuple[str, ...]]:
        """Who else has these findings open now, as logins (`tui:alice` shows as alice)."""
        from secagent_tui.store.presence import others_on

        found = await others_on(self.engine, finding_ids, self.actor, self.clock())
        return {fid: tuple(login_of(a) for a in actors) for fid, actors in found.items()}

    def change_listener(self, on_change: Callable[[frozenset[str]], None]) -> ChangeListener | None:
        """A listener for other sessions' commits on PostgreSQL (store/notify.py); None on
        SQLite, where the TUI polls."""
        from secagent_tui.store.notify import ChangeListener, supported

        return ChangeListener(self.engine, on_change) if supported(self.engine) else None

    @property
    def my_login(self) -> str:
        """Who `mine` is in the assignee filter (services/reads.login_of)."""
        return login_of(self.actor)

    async def enqueue_analyses(
        self,
        records: Sequence[FindingRecord],
        *,
        triage_only: bool,
        full: bool,
        correlation_id: str | None = None,
    ) -> list[int]:
        """`full`: all three tiers, whatever triage suggests (the TUI's `a`)."""
        from secagent_tui.pipeline.analysis import enqueue_analysis

        return [
            await enqueue_analysis(
                self.engine,
                self.config,
                record,
                correlation_id=correlation_id or new_correlation_id(),
                triage_only=triage_only,
                full=full,
                requested_by=self.actor,
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
        read_only: bool = False,
    ) -> list[OwnerOutcome]:
        """One sync of every owner (or one). PyGithub runs in the service's thread pool.
        Read-only: no snoozed finding is reopened (that would be written to GitHub)."""
        from secagent_tui.pipeline.sync import SyncService, api_factory_for

        service = SyncService(
            self.engine,
            self.config,
            api_factory_for(self.config, token, token_source),
            on_repo_done=on_repo_done,
            read_only=read_only,
        )
        return await service.sync(owner, full=full)

    async def run_jobs(
        self,
        token: str | None,
        *,
        read_only: bool = False,
        correlation_id: str | None = None,
        until_idle: bool = False,
        stop: asyncio.Event | None = None,
    ) -> RunSummary:
        """Run queued jobs here with the production runner and every handler: until `stop`;
        with `until_idle`, until nothing is runnable; with `correlation_id`, that chain's
        jobs until all have ended. Read-only: no automatic decision, no push handler."""
        from secagent_tui.pipeline.wiring import Pipeline

        pipeline = Pipeline(self.engine, self.config, token, read_only=read_only)
        try:
            return await pipeline.runner.run(
                until_idle=until_idle, correlation_id=correlation_id, stop=stop
            )
        finally:
            pipeline.close()

    async def cancel_job(self, job_id: int) -> Job:
        """Cancel a queued or running job as this actor (store/jobs.cancel_job: an analysis
        tier ends its analysis as failed; a push is paused, its decision stays pending).
        UnknownJob, or JobNotChangeable saying why not. A local write: nothing goes to
        GitHub, so read-only mode allows it."""
        from secagent_tui.store.jobs import cancel_job

        return await cancel_job(self.engine, job_id, actor=self.actor)

    async def retry_job(self, job_id: int, *, read_only: bool = False) -> Job:
        """Queue a failed or cancelled job again, with one more attempt (store/jobs.retry_job
        says when it refuses). `read_only`: a push is refused, since it would write to
        GitHub; any other kind is a local write and allowed."""
        from secagent_tui.store.jobs import retry_job

        return await retry_job(self.engine, job_id, actor=self.actor, allow_push=not read_only)

    async def jobs_of(self, correlation_id: str) -> list[Job]:
        """Every job of one request (one `analyze`, one `dismiss`), oldest first."""
        from secagent_tui.store.jobs import jobs_for

        return await jobs_for(self.engine, correlation_id)
