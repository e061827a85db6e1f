"""The Jobs pane: every job in the database — queued here, by another analyst on the same
database, or by `secagent worker` — with its kind (the tier: triage, sandbox, extraction; or
a push), finding, state, elapsed time, attempts and last error. Live: one read
(`FindingReads.jobs`) about 2 s after the previous one ended, paused while another screen
covers this one.

`c` cancels the job under the cursor (after a yes/no), `r` retries a failed or cancelled
one; what either does, and when it refuses, is the services' and the store's
(store/jobs.cancel_job, retry_job): the refusal is shown as it is said. Both are writes to
the local database, not to GitHub, so read-only mode allows them — except retrying a push,
which the services refuse there because the push would write to GitHub. `1`–`4` (or `f`,
in turn) show all jobs, the active ones (queued or running), the failed ones, or mine (the
ones this analyst asked for, from the TUI or the CLI). `enter` opens the job's finding, `p`
the job's progress pane (an analysis tier: its run; a push: its batch), `s` the progress of
the sync this TUI started last. `secagent jobs` is the same, headless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from secagent_tui.domain.durations import short_duration
from secagent_tui.store.jobs import Job, JobListing, JobNotChangeable, JobStatus, UnknownJob
from secagent_tui.tui.messages import DataChanged
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.screens.progress import ProgressScreen, ProgressTarget

if TYPE_CHECKING:
    from secagent_tui.services.analyst import AnalystServices

REFRESH_SECONDS = 2.0
ERROR_CHARS = 200
"""The last error is cut to this much (the column then cuts it to the width it has)."""


class JobsView(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    FAILED = "failed"
    MINE = "mine"


VIEW_STATUSES: dict[JobsView, frozenset[JobStatus] | None] = {
    JobsView.ALL: None,
    JobsView.ACTIVE: frozenset({JobStatus.QUEUED, JobStatus.RUNNING}),
    JobsView.FAILED: frozenset({JobStatus.FAILED}),
    JobsView.MINE: None,
}
VIEWS = list(JobsView)

STATE_STYLES = {
    JobStatus.QUEUED: "cyan",
    JobStatus.RUNNING: "bold yellow",
    JobStatus.DONE: "green",
    JobStatus.FAILED: "bold red",
    JobStatus.CANCELLED: "dim",
}

COLUMNS = (
    ("id", "ID"),
    ("kind", "Kind"),
    ("finding", "Finding"),
    ("state", "State"),
    ("elapsed", "Elapsed"),
    ("tries", "Tries"),
    ("error", "Last error"),
)


@dataclass
class JobsLoaded(Message):
    view: JobsView
    listings: list[JobListing]


def _cut(text: str | None, limit: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class JobsTable(DataTable[Text | str]):
    """The jobs, keyed by id: a refresh keeps the cursor on the job it was on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="jobs.down", tooltip="The next job"),
        Binding("k", "cursor_up", "Up", show=False, id="jobs.up", tooltip="The previous job"),
        Binding(
            "g",
            "scroll_top",
            "First row",
            show=False,
            id="jobs.top",
            tooltip="The first job of the list",
        ),
        Binding(
            "G",
            "scroll_bottom",
            "Last row",
            show=False,
            id="jobs.bottom",
            tooltip="The last job of the list",
        ),
    ]

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show(self, listings: list[JobListing], now_rows: list[tuple[Text | str, ...]]) -> None:
        current = self.current_id()
        self.clear()
        for listing, row in zip(listings, now_rows, strict=True):
            self.add_row(*row, key=str(listing.job.id))
        if current is not None and str(current) in {str(x.job.id) for x in listings}:
            self.move_cursor(row=self.get_row_index(str(current)), animate=False)

    def current_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key is not None else None


class JobsScreen(LiveScreen):
    DEFAULT_CSS = """
    JobsScreen #jobs-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    JobsScreen JobsTable {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="jobs.back",
            tooltip="Back to where the jobs pane was opened",
        ),
        Binding(
            "c",
            "cancel_job",
            "Cancel job",
            id="jobs.cancel",
            tooltip="Cancel the selected queued or running job",
        ),
        Binding(
            "r",
            "retry_job",
            "Retry job",
            id="jobs.retry",
            tooltip="Queue the selected failed job again",
        ),
        Binding(
            "enter",
            "open_finding",
            "Open finding",
            id="jobs.open",
            tooltip="Open the selected job's finding",
        ),
        Binding(
            "p",
            "progress",
            "Progress",
            id="jobs.progress",
            tooltip="The selected job's progress pane: transcript, batch or sync",
        ),
        Binding(
            "s",
            "sync_progress",
            "Sync progress",
            show=False,
            id="jobs.sync_progress",
            tooltip="The latest sync's progress per repository",
        ),
        # Hidden from the footer (the title line lists the filters) so it fits at 80.
        Binding(
            "f",
            "next_view",
            "Next filter",
            show=False,
            id="jobs.next_filter",
            tooltip="Cycle all, queued or running, failed, mine",
        ),
        Binding(
            "1",
            "view('all')",
            "All jobs",
            show=False,
            id="jobs.all",
            tooltip="Every job in the database",
        ),
        Binding(
            "2",
            "view('active')",
            "Queued or running",
            show=False,
            id="jobs.active",
            tooltip="Only jobs queued or running",
        ),
        Binding(
            "3",
            "view('failed')",
            "Failed jobs",
            show=False,
            id="jobs.failed",
            tooltip="Only jobs that failed",
        ),
        Binding(
            "4",
            "view('mine')",
            "My jobs",
            show=False,
            id="jobs.mine",
            tooltip="Only jobs started by this analyst",
        ),
    ]

    def __init__(self, view: JobsView = JobsView.ALL) -> None:
        super().__init__()
        self.view = view
        self.listings: list[JobListing] | None = None
        self._loop = self.live_loop(self._fetch, lambda: REFRESH_SECONDS, group="jobs-fetch")

    def compose(self) -> ComposeResult:
        yield Static(Text("Jobs · loading…", style="bold"), id="jobs-title")
        yield JobsTable(id="jobs")
        yield Footer()

    @property
    def table(self) -> JobsTable:
        return self.query_one(JobsTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._loop.now()

    # ------------------------------------------------------------------ live data

    async def _fetch(self) -> None:
        services = self.host.services
        if services is None:  # the database is not open yet: the next round tries again
            return
        view = self.view
        listings = await services.jobs(
            statuses=VIEW_STATUSES[view],
            mine_as=services.actor if view is JobsView.MINE else None,
        )
        self.post_message(JobsLoaded(view, listings))

    @on(JobsLoaded)
    def _loaded(self, message: JobsLoaded) -> None:
        message.stop()
        if message.view is not self.view:
            return  # a read for the filter shown before: the next one is on its way
        self.listings = message.listings
        now = self.host.clock()
        cells = [self._cells(item, now) for item in message.listings]
        room = self._error_room(cells)
        rows = [
            (*row, Text(_cut(item.job.last_error, room), style="red"))
            for item, row in zip(message.listings, cells, strict=True)
        ]
        self.table.show(message.listings, rows)
        self._show_title(now)

    def _cells(self, listing: JobListing, now: datetime) -> tuple[Text | str, ...]:
        """Every cell but the last error's."""
        job = listing.job
        return (
            str(job.id),
            job.kind.value,
            listing.finding_ref or "-",
            Text(job.status.value, style=STATE_STYLES[job.status]),
            short_duration(job.elapsed(now)),
            f"{job.attempts}/{job.max_attempts}",
        )

    def _error_room(self, cells: list[tuple[Text | str, ...]]) -> int:
        """What is left of the width for the last error, so that no row runs off the screen
        (the whole error is in `secagent jobs --json`)."""
        widths = [len(label) for _, label in COLUMNS[:-1]]
        for row in cells:
            widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]
        padding = 2 * len(COLUMNS) + 2  # the cells' padding and the vertical scrollbar
        return max(12, min(ERROR_CHARS, self.app.size.width - sum(widths) - padding))

    def _show_title(self, now: datetime) -> None:
        listings = self.listings or []
        title = Text("Jobs", style="bold")
        title.append(f" · {self.view.value}", style="bold cyan")
        title.append(f" · {len(listings)} shown")
        failed = sum(1 for x in listings if x.job.status is JobStatus.FAILED)
        if failed and self.view is not JobsView.FAILED:
            title.append(f" · {failed} failed", style="bold red")
        title.append(f" · {now:%H:%M:%S}", style="dim")
        title.append("  1 all 2 active 3 failed 4 mine", style="dim")
        self.query_one("#jobs-title", Static).update(title)

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        self.dismiss(None)

    def action_view(self, name: str) -> None:
        self.view = JobsView(name)
        self.listings = None
        self._show_title(self.host.clock())
        self._loop.now()

    def action_next_view(self) -> None:
        self.action_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)].value)

    def _current(self) -> JobListing | None:
        job_id = self.table.current_id()
        for listing in self.listings or []:
            if listing.job.id == job_id:
                return listing
        self.notify("No job selected.", severity="warning")
        return None

    def _services(self) -> AnalystServices | None:
        services = self.host.services
        if services is None:
            self.notify("The database is not open yet.", severity="warning")
        return services

    def action_cancel_job(self) -> None:
        listing = self._current()
        if listing is None or self._services() is None:
            return
        job = listing.job
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            self.notify(
                f"Job {job.id} is {job.status.value}: only queued or running jobs can be "
                "cancelled.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(job.id, cancel=True)

        self.app.push_screen(
            ConfirmDialog(_cancel_question(listing), confirm_label="Cancel the job"), answered
        )

    def action_retry_job(self) -> None:
        listing = self._current()
        if listing is None or self._services() is None:
            return
        self._change(listing.job.id, cancel=False)

    @work(group="jobs-change", exit_on_error=False)
    async def _change(self, job_id: int, *, cancel: bool) -> None:
        services = self.host.services
        assert services is not None
        try:
            if cancel:
                job = await services.cancel_job(job_id)
            else:
                job = await services.retry_job(job_id, read_only=self.host.read_only)
        except (UnknownJob, JobNotChangeable) as exc:
            self.notify(exc.one_line(), title="Jobs", severity="warning")
            return
        verb = "cancelled" if cancel else "queued again"
        self.notify(f"Job {job.id} ({job.kind.value}) {verb}.", title="Jobs")
        self._loop.now()
        self.app.post_message(DataChanged())  # the queue's analysis column changes too

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on the table (the table's own enter binding wins over the screen's)."""
        event.stop()
        self.action_open_finding()

    def action_open_finding(self) -> None:
        listing = self._current()
        if listing is None or self._services() is None:
            return
        if listing.job.finding_id is None or listing.finding_ref is None:
            self.notify(f"Job {listing.job.id} has no finding.", severity="warning")
            return
        self._open(listing.job.finding_id)

    def action_progress(self) -> None:
        listing = self._current()
        if listing is None:
            return
        target = ProgressTarget.for_job(listing.job)
        if target is None:
            self.notify(
                f"Job {listing.job.id} ({listing.job.kind.value}) has no progress pane.",
                severity="warning",
            )
            return
        self.app.push_screen(ProgressScreen(target))

    def action_sync_progress(self) -> None:
        self.app.push_screen(ProgressScreen(ProgressTarget.sync()))

    @work(group="jobs-open", exit_on_error=False)
    async def _open(self, finding_id: int) -> None:
        services = self.host.services
        assert services is not None
        record = await services.finding(finding_id)
        if record is None:
            self.notify("That finding is no longer in the database.", severity="warning")
            return
        await self.app.push_screen(FindingScreen(record))


def _cancel_question(listing: JobListing) -> str:
    job: Job = listing.job
    what = f"job {job.id} ({job.kind.value}"
    what += f" of {listing.finding_ref})" if listing.finding_ref else ")"
    question = f"Cancel {what}, {job.status.value}?"
    if job.kind.uses_llm:
        return question + " Its analysis ends as failed; analyze again or retry it later."
    if job.status is JobStatus.RUNNING:
        question += " Its runner gives it up at its next heartbeat."
    if job.payload.get("intent_id") is not None:
        question += " The decision stays pending: the next runner that pushes queues it again."
    return question
