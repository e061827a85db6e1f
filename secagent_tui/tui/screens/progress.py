"""The progress pane of one piece of work, live while it runs:

- an analysis run (its triage, sandbox and extraction jobs): each tier's state, the agent's
  steps against `analysis.agent_max_steps`, tool calls, tokens so far (the run's LLM
  calls), the current tool call, the transcript streaming as it is written, and the verdict
  once it is extracted;
- a dismissal batch (the decisions of one bulk dismiss or reopen, sharing a correlation
  id): a progress bar of the pushes settled, their ETA at one PATCH per write slot, and each
  finding's result (pending, pushed, retrying with the error it waits out, refused with
  GitHub's message);
- the latest sync this TUI started (`R` or the timer): repositories done of those the
  owners' previous runs read, and each repository's outcome.

Opened from the Jobs pane (`p` on a job, `s` for the sync), from a finding's view (`p`, its
live job or its latest run), after a bulk decision (`P`, the latest batch) and from the
command palette. It reads through `FindingReads` (store/progress.py); the sync's figures
are the host's `sync_progress`, which the app updates as each repository's read ends.
`secagent jobs` shows the same jobs headless.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, ProgressBar, Static

from secagent_tui.domain.progress import SyncProgress
from secagent_tui.store.jobs import Job, JobKind
from secagent_tui.store.progress import BatchProgress, ChainProgress
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.widgets.progress_panels import (
    BATCH_COLUMNS,
    SYNC_COLUMNS,
    ProgressSummary,
    ProgressTable,
    batch_rows,
    batch_summary,
    chain_summary,
    sync_rows,
    sync_summary,
)
from secagent_tui.tui.widgets.transcript import TranscriptView

LIVE_SECONDS = 1.0
"""How soon after one read the next runs while the work goes on."""
IDLE_SECONDS = 3.0
"""...and once it has ended (a retry or a new run may start it again)."""
SYNC_SECONDS = 0.5
"""The sync's figures are in memory: no database read, so they follow closely."""


class TargetKind(StrEnum):
    CHAIN = "chain"
    BATCH = "batch"
    LATEST_BATCH = "latest batch"
    SYNC = "sync"


@dataclass(frozen=True, slots=True)
class ProgressTarget:
    """What a progress pane follows."""

    kind: TargetKind
    analysis_id: int | None = None
    correlation_id: str | None = None

    @classmethod
    def chain(cls, analysis_id: int) -> ProgressTarget:
        return cls(TargetKind.CHAIN, analysis_id=analysis_id)

    @classmethod
    def batch(cls, correlation_id: str) -> ProgressTarget:
        return cls(TargetKind.BATCH, correlation_id=correlation_id)

    @classmethod
    def latest_batch(cls) -> ProgressTarget:
        """The newest batch this analyst decided, found when the pane first reads."""
        return cls(TargetKind.LATEST_BATCH)

    @classmethod
    def sync(cls) -> ProgressTarget:
        return cls(TargetKind.SYNC)

    @classmethod
    def for_job(cls, job: Job) -> ProgressTarget | None:
        """An analysis tier follows its run, a push its batch; None for any other kind."""
        analysis_id = job.payload.get("analysis_id")
        if job.kind.uses_llm and isinstance(analysis_id, int):
            return cls.chain(analysis_id)
        if job.kind is JobKind.DISMISS_PUSH:
            return cls.batch(job.correlation_id)
        return None


@dataclass
class ChainLoaded(Message):
    progress: ChainProgress | None


@dataclass
class BatchLoaded(Message):
    batch: BatchProgress | None


@dataclass
class SyncRead(Message):
    sync: SyncProgress | None


class ProgressScreen(LiveScreen):
    DEFAULT_CSS = """
    ProgressScreen #progress-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ProgressScreen TranscriptView, ProgressScreen ProgressTable {
        height: 1fr;
    }
    ProgressScreen ProgressBar {
        height: 1;
        padding: 0 1;
    }
    ProgressScreen ProgressBar Bar {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="progress.back",
            tooltip="Back to where the pane was opened",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            id="progress.refresh",
            tooltip="Read the job's state again now",
        ),
    ]

    def __init__(self, target: ProgressTarget) -> None:
        super().__init__()
        self.target = target
        self._seq = 0
        self._live = True
        self._loop = self.live_loop(self._fetch, self._interval, group="progress-fetch")

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title("loading…"), style="bold"), id="progress-title")
        yield ProgressSummary(id="progress-summary")
        if self.target.kind is TargetKind.CHAIN:
            yield TranscriptView(id="progress-transcript")
        else:
            yield ProgressBar(show_eta=False, id="progress-bar")
            columns = SYNC_COLUMNS if self.target.kind is TargetKind.SYNC else BATCH_COLUMNS
            yield ProgressTable(columns, id="progress-table")
        yield Footer()

    def on_mount(self) -> None:
        main = "#progress-transcript" if self.target.kind is TargetKind.CHAIN else "#progress-table"
        self.query_one(main).focus()
        self._loop.now()

    def _interval(self) -> float:
        if self.target.kind is TargetKind.SYNC:
            return SYNC_SECONDS
        return LIVE_SECONDS if self._live else IDLE_SECONDS

    def _title(self, state: str, what: str = "") -> str:
        label = {
            TargetKind.CHAIN: f"analysis {self.target.analysis_id}",
            TargetKind.BATCH: "batch",
            TargetKind.LATEST_BATCH: "latest batch",
            TargetKind.SYNC: "sync",
        }[self.target.kind]
        return " · ".join(p for p in ("Progress", label, what, state) if p)

    def _set_title(self, state: str, what: str = "", style: str = "bold") -> None:
        self.query_one("#progress-title", Static).update(Text(self._title(state, what), style))

    # ------------------------------------------------------------------ reads

    async def _fetch(self) -> None:
        if self.target.kind is TargetKind.SYNC:
            self.post_message(SyncRead(self.host.sync_progress))
            return
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        if self.target.kind is TargetKind.LATEST_BATCH:
            found = await services.latest_batch(services.actor)
            if found is None:
                self.post_message(BatchLoaded(None))
                return
            self.target = ProgressTarget.batch(found)
        if self.target.kind is TargetKind.BATCH:
            assert self.target.correlation_id is not None
            self.post_message(
                BatchLoaded(await services.batch_progress(self.target.correlation_id))
            )
            return
        assert self.target.analysis_id is not None
        self.post_message(
            ChainLoaded(await services.chain_progress(self.target.analysis_id, self._seq))
        )

    @on(ChainLoaded)
    def _chain_loaded(self, message: ChainLoaded) -> None:
        message.stop()
        progress = message.progress
        if progress is None:
            self._live = False
            self._set_title("no such analysis", style="bold red")
            return
        transcript = self.query_one(TranscriptView)
        fresh = [e for e in progress.entries if e.seq > self._seq]
        if fresh:
            transcript.append(fresh)
            self._seq = fresh[-1].seq
        run = progress.analysis
        live = progress.live_job
        self._live = live is not None
        state = f"job {live.id} {live.kind.value} {live.status.value}" if live else run.status.value
        self._set_title(state, progress.finding_ref)
        self.query_one(ProgressSummary).update(
            chain_summary(progress, self.host.config.analysis.agent_max_steps)
        )
        transcript.border_title = f"Transcript · {progress.entry_count} entries"

    @on(BatchLoaded)
    def _batch_loaded(self, message: BatchLoaded) -> None:
        message.stop()
        batch = message.batch
        if batch is None:
            self._live = False
            self._set_title("no dismissal or reopen decided here yet", style="bold #ff8700")
            return
        counts = batch.counts
        self._live = not counts.finished
        what = f"{batch.action.value} of {counts.total} finding{'' if counts.total == 1 else 's'}"
        self._set_title("running" if self._live else "done", what)
        self.query_one(ProgressSummary).update(
            batch_summary(
                counts,
                self.host.config.analysis.dismiss_writes_per_second,
                pushes_here=self.host.can_push,
                started=batch.started_at,
            )
        )
        self.query_one(ProgressBar).update(total=counts.total, progress=counts.settled)
        self.query_one(ProgressTable).show(batch_rows(batch.items))

    @on(SyncRead)
    def _sync_read(self, message: SyncRead) -> None:
        message.stop()
        sync = message.sync
        if sync is None:
            self._set_title("no sync started here yet (R syncs now)", style="bold #ff8700")
            return
        self._set_title("running" if sync.running else "ended", ", ".join(sync.owners))
        self.query_one(ProgressSummary).update(sync_summary(sync))
        self.query_one(ProgressBar).update(total=sync.total(), progress=sync.done)
        self.query_one(ProgressTable).show(sync_rows(sync))

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self._loop.now()
