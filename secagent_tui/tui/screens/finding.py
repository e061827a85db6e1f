"""The finding view (`enter` on a row): the advisory, the triage result, the evidence and the
analysis — raw transcript on the left, extracted verdict on the right (stacked on narrow
terminals, where the transcript gets most of the height and the summary keeps to three
lines) — and the finding's history. The transcript grows live while a run streams.

While the finding has a queued or running job the summary says so, and `p` opens that job's
progress pane (without one, the latest run's)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, TabbedContent, TabPane

from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.record import FindingRecord
from secagent_tui.store.jobs import Job
from secagent_tui.tui.messages import DataChanged, FindingLoaded
from secagent_tui.tui.screens.actions import ACTION_BINDINGS, FindingActions
from secagent_tui.tui.screens.progress import ProgressScreen, ProgressTarget
from secagent_tui.tui.widgets.advisory import AdvisoryView
from secagent_tui.tui.widgets.evidence import EvidencePanel
from secagent_tui.tui.widgets.finding_summary import FindingSummary
from secagent_tui.tui.widgets.history import HistoryDetail, HistoryTable
from secagent_tui.tui.widgets.transcript import TranscriptView
from secagent_tui.tui.widgets.triage import TriagePanel
from secagent_tui.tui.widgets.verdict import VerdictPanel

NARROW_BELOW = 100
LIVE_POLL_SECONDS = 1.0
IDLE_POLL_SECONDS = 3.0


@dataclass
class ViewersLoaded(Message):
    """Who else has this finding open, read with the rest of the view."""

    viewers: tuple[str, ...]


@dataclass
class LiveJobLoaded(Message):
    """The finding's queued or running job, read with the rest of the view."""

    job: Job | None


class FindingScreen(FindingActions):
    DEFAULT_CSS = """
    FindingScreen #split {
        height: 1fr;
    }
    FindingScreen #split > TranscriptView {
        width: 1fr;
        height: 1fr;
    }
    FindingScreen #split > #results {
        width: 1fr;
        height: 1fr;
    }
    FindingScreen #split.-narrow {
        layout: vertical;
    }
    FindingScreen #split.-narrow > TranscriptView {
        width: 1fr;
        height: 3fr;
    }
    FindingScreen #split.-narrow > #results {
        width: 1fr;
        height: 1fr;
    }
    FindingScreen TabbedContent, FindingScreen ContentSwitcher, FindingScreen TabPane {
        height: 1fr;
    }
    FindingScreen TabPane {
        padding: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="finding.back",
            tooltip="Back to the queue, at the same row",
        ),
        *ACTION_BINDINGS,
        Binding(
            "1",
            "tab('analysis')",
            "Analysis",
            show=False,
            id="finding.tab_analysis",
            tooltip="The raw transcript and the extracted analysis side by side",
        ),
        Binding(
            "2",
            "tab('advisory')",
            "Advisory",
            show=False,
            id="finding.tab_advisory",
            tooltip="The advisory: summary, ranges, CWEs, scores, references",
        ),
        Binding(
            "3",
            "tab('history')",
            "History",
            show=False,
            id="finding.tab_history",
            tooltip="Every decision, push and job of this finding",
        ),
        Binding(
            "tab",
            "focus_next",
            "Next pane",
            show=False,
            id="finding.next_pane",
            tooltip="Move focus to the next pane",
        ),
        Binding(
            "p",
            "progress",
            "Progress",
            show=False,
            id="finding.progress",
            tooltip="The progress pane of this finding's running job, or its latest run",
        ),
    ]

    def __init__(self, record: FindingRecord) -> None:
        super().__init__()
        self.record = record
        self._analysis_id: int | None = None
        self._seq = 0
        self._live_job: Job | None = None
        self._presence_at: float | None = None
        self._loop = self.live_loop(self._load, self._interval, group="finding-poll")

    def compose(self) -> ComposeResult:
        yield FindingSummary(id="summary")
        with TabbedContent(initial="analysis"):
            with TabPane("Analysis [1]", id="analysis"), Horizontal(id="split"):
                yield TranscriptView(id="transcript")
                with VerticalScroll(id="results"):
                    yield VerdictPanel(id="verdict")
                    yield TriagePanel(id="triage")
                    yield EvidencePanel(id="evidence")
            with TabPane("Advisory [2]", id="advisory"):
                yield AdvisoryView(id="advisory-view")
            with TabPane("History [3]", id="history"):
                yield HistoryTable(id="history-table")
                yield HistoryDetail(id="history-detail")
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self._show_record(self.record)
        self.query_one(TranscriptView).focus()
        if self.host.services is not None:
            self._loop.now()

    def on_resize(self) -> None:
        self._layout(self.app.size.width)

    def _layout(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        self.query_one("#split").set_class(narrow, "-narrow")
        self.query_one(FindingSummary).set_compact(narrow)

    def selected_records(self) -> list[FindingRecord]:
        return [self.record]

    # ------------------------------------------------------------------ live data

    def _interval(self) -> float:
        live = self.record.analysis_status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
        return LIVE_POLL_SECONDS if live or self._live_job else IDLE_POLL_SECONDS

    async def _load(self) -> None:
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        if (
            self._presence_at is None
            or time.monotonic() - self._presence_at >= services.presence_refresh_seconds
        ):
            await services.mark_viewing(self.record.id)
            self._presence_at = time.monotonic()
        self.post_message(
            ViewersLoaded((await services.viewers([self.record.id])).get(self.record.id, ()))
        )
        record = await services.finding(self.record.id)
        snapshot = await services.analysis(self.record.id, self._analysis_id, self._seq)
        history = await services.history(self.record.id)
        self.post_message(FindingLoaded(record, snapshot, history))
        self.post_message(LiveJobLoaded(await services.live_job(self.record.id)))

    @on(ViewersLoaded)
    def _viewers_loaded(self, message: ViewersLoaded) -> None:
        message.stop()
        self.query_one(FindingSummary).show_viewers(message.viewers)

    @on(LiveJobLoaded)
    def _live_job_loaded(self, message: LiveJobLoaded) -> None:
        message.stop()
        self._live_job = message.job
        self.query_one(FindingSummary).show_job(message.job)

    @on(FindingLoaded)
    async def _loaded(self, message: FindingLoaded) -> None:
        message.stop()
        if message.record is not None:
            self.record = message.record
            self._show_record(message.record)
            await self.query_one(AdvisoryView).show(message.record)
        snap = message.analysis
        transcript = self.query_one(TranscriptView)
        if snap.analysis_id != self._analysis_id:
            transcript.clear()
            self._analysis_id, self._seq = snap.analysis_id, 0
        fresh = [e for e in snap.entries if e.seq > self._seq]
        if fresh:
            transcript.append(fresh)
            self._seq = fresh[-1].seq
        run = snap.analysis
        status = run.status.value if run else self.record.analysis_status.value
        model = f" · {run.model}" if run and run.model else ""
        transcript.border_title = f"Transcript · {status}{model}"
        self.query_one(VerdictPanel).show(
            (run.verdict if run else None) or self.record.verdict,
            status,
            (run.error if run else None) or self.record.analysis_error,
            previous=self.record.previous_verdict,
            previous_at=self.record.previous_verdict_at,
            now=self.host.clock(),
            relative=self.host.config.ui.relative_times,
        )
        self.query_one(TriagePanel).show((run.triage if run else None) or self.record.triage)
        self.query_one(EvidencePanel).show(run.evidence if run else None)
        self.query_one(HistoryTable).show(message.history)

    def _show_record(self, record: FindingRecord) -> None:
        self.query_one(FindingSummary).show(
            record, self.host.clock(), self.host.config.sla.days(), demo=self.host.demo
        )

    @on(HistoryTable.Highlighted)
    def _history_highlighted(self, message: HistoryTable.Highlighted) -> None:
        self.query_one(HistoryDetail).show(message.entry)

    @on(DataChanged)
    def _changed(self, message: DataChanged) -> None:
        """A decision made here: show it now, and let the queue know too."""
        self._loop.now()

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        services = self.host.services
        if services is not None and self._presence_at is not None:
            # The app's worker, not the screen's (which goes with it), tells the others; if
            # it cannot, the row expires within the presence time (store/presence.TTL). A
            # quitting app clears all of its rows itself (SecagentApp.stop_background).
            self.app.run_worker(
                services.stop_viewing(self.record.id), group="presence", exit_on_error=False
            )
        self.dismiss()

    def action_progress(self) -> None:
        """The live job's progress pane (an analysis run, or the batch of a push), else the
        latest run's: a finished run's pane still shows its steps, tokens and verdict."""
        target = ProgressTarget.for_job(self._live_job) if self._live_job else None
        if target is not None:
            self.app.push_screen(ProgressScreen(target))
            return
        self._open_latest_run()

    @work(group="finding-progress", exit_on_error=False)
    async def _open_latest_run(self) -> None:
        services = self.host.services
        if services is None:
            self.notify("The database is not open yet.", severity="warning")
            return
        analysis_id = await services.latest_analysis_id(self.record.id)
        if analysis_id is None:
            self.notify("No job or analysis for this finding yet: a analyzes it.")
            return
        await self.app.push_screen(ProgressScreen(ProgressTarget.chain(analysis_id)))

    def action_tab(self, tab: str) -> None:
        """Show `tab` and move the focus into it. Focus left in the hidden pane sent the tabs
        straight back to it (a pane tells its TabbedContent when a descendant has focus), so
        `2` and `3` did nothing in a freshly opened finding."""
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        pane = tabs.get_pane(tab)
        target = next((w for w in pane.query("*") if w.focusable), None)
        (target or tabs).focus()
