"""The progress pane's panels: what an analysis run has done so far, how a dismissal batch's
pushes are going, and a sync's repositories. Each draws figures it is given (the reads are
the screen's, the arithmetic domain/progress.py's); none fetches anything."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from secagent_tui.domain.durations import short_duration
from secagent_tui.domain.progress import (
    BatchCounts,
    PushResult,
    SyncProgress,
    push_eta,
    steps_label,
)
from secagent_tui.domain.sync_status import RepoSyncStatus
from secagent_tui.domain.verdict import Verdict
from secagent_tui.store.jobs import Job, JobKind, JobStatus
from secagent_tui.store.progress import BatchItem, ChainProgress
from secagent_tui.tui.format import verdict_label

TIERS = (JobKind.TRIAGE, JobKind.SANDBOX, JobKind.EXTRACTION)
JOB_STYLE = {
    JobStatus.QUEUED: "cyan",
    JobStatus.RUNNING: "bold yellow",
    JobStatus.DONE: "green",
    JobStatus.FAILED: "bold red",
    JobStatus.CANCELLED: "dim",
}
RESULT_STYLE = {
    PushResult.PENDING: "cyan",
    PushResult.PUSHED: "green",
    PushResult.RETRYING: "bold #ff8700",
    PushResult.REFUSED: "bold red",
    PushResult.SUPERSEDED: "dim",
}
REPO_STYLE = {
    RepoSyncStatus.OK: "green",
    RepoSyncStatus.ALERTS_DISABLED: "dim",
    RepoSyncStatus.NOT_FOUND: "dim",
    RepoSyncStatus.ERROR: "bold red",
    RepoSyncStatus.PAGE_GUARD: "bold #ff8700",
}


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


class ProgressSummary(Static):
    """A few lines of figures above the pane's main part, each cut to the width rather than
    wrapped, so the transcript or the table below keeps its height at 80x24."""

    DEFAULT_CSS = """
    ProgressSummary {
        height: auto;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


def tier_line(jobs: list[Job]) -> Text:
    """`triage done · sandbox running 1/3 · extraction –`: each tier's latest job."""
    latest = {job.kind: job for job in jobs}
    out = Text()
    for i, kind in enumerate(TIERS):
        if i:
            out.append(" · ", style="dim")
        out.append(f"{kind.value} ")
        job = latest.get(kind)
        if job is None:
            out.append("–", style="dim")
            continue
        out.append(job.status.value, style=JOB_STYLE[job.status])
        if job.attempts > 1 or job.status is JobStatus.FAILED:
            out.append(f" {job.attempts}/{job.max_attempts}", style="dim")
    return out


def verdict_line(verdict: Verdict) -> Text:
    _, style, _ = verdict_label(verdict)
    headline = {True: "EXPLOITABLE", False: "NOT EXPLOITABLE"}.get(
        verdict.is_exploitable, "UNKNOWN"
    )
    out = Text("verdict ", style="dim")
    out.append(headline, style=style + " reverse")
    out.append(f"  {verdict.confidence.value} · {verdict.suggested_action.value}")
    out.append(f" — {_flat(verdict.summary)}", style="italic")
    return out


def chain_summary(progress: ChainProgress, max_steps: int) -> Text:
    out = tier_line(progress.jobs)
    out.append("\n")
    out.append("steps ", style="dim")
    out.append(steps_label(progress.steps, max_steps), style="bold")
    out.append(" · tool calls ", style="dim")
    out.append(str(progress.tool_calls), style="bold")
    out.append(" · tokens ", style="dim")
    out.append(f"{progress.prompt_tokens:,} in / {progress.completion_tokens:,} out", style="bold")
    out.append("\n")
    out.append("tool ", style="dim")
    if progress.current_tool:
        out.append(_flat(progress.current_tool), style="#d7af5f")
    else:
        out.append("none yet", style="dim")
    run = progress.analysis
    if run.verdict is not None:
        out.append("\n")
        out.append_text(verdict_line(run.verdict))
    if run.error:
        out.append("\n")
        out.append(f"error {_flat(run.error)}", style="bold red")
    return out


def batch_summary(
    counts: BatchCounts, writes_per_second: float, *, pushes_here: bool, started: datetime
) -> Text:
    out = Text()
    out.append(f"{counts.pushed} of {counts.total} pushed", style="bold")
    for label, n, style in (
        ("retrying", counts.retrying, "bold #ff8700"),
        ("refused", counts.refused, "bold red"),
        ("superseded", counts.superseded, "dim"),
        ("pending", counts.pending, "cyan"),
    ):
        if n:
            out.append(" · ", style="dim")
            out.append(f"{n} {label}", style=style)
    out.append(f" · started {started:%H:%M:%S}", style="dim")
    out.append("\n")
    if counts.finished:
        out.append("all settled", style="green")
        return out
    eta = push_eta(counts.remaining, writes_per_second)
    out.append("ETA ", style="dim")
    out.append(f"about {short_duration(eta)}" if eta is not None else "unknown", style="bold")
    out.append(f" at {writes_per_second:g} PATCH/s, one per alert", style="dim")
    if counts.retrying:
        out.append(" + retry backoff", style="#ff8700")
    if not pushes_here:
        out.append("\n")
        out.append(
            "pushes wait for a worker with a GitHub token (secagent worker)",
            style="bold #ff8700",
        )
    return out


def sync_summary(sync: SyncProgress) -> Text:
    total = sync.total()
    out = Text("repositories ", style="dim")
    out.append(f"{sync.done}", style="bold")
    if total is not None:
        about = "about " if sync.running else ""
        out.append(f" of {about}{total}", style="bold")
    if sync.failed:
        out.append(f" · {sync.failed} failed", style="bold red")
    out.append(" · ", style="dim")
    out.append("  ".join(f"{owner} {n}" for owner, n in sync.owners_done().items()) or "no owners")
    out.append("\n")
    if sync.running:
        out.append("running", style="bold yellow")
        if total is None:
            out.append(" (no earlier run to measure against)", style="dim")
    elif sync.failed_owners:
        out.append(f"failed: {', '.join(sync.failed_owners)}", style="bold red")
    else:
        out.append("done", style="green")
    out.append(f" · started {sync.started_at:%H:%M:%S}", style="dim")
    return out


class ProgressTable(DataTable[Text | str]):
    """Rows keyed by what they show (a decision, a repository). A refresh with the same rows
    rewrites only the cells that changed (a batch's results change a few at a time); new
    rows are added at the end, as a sync reports them; the cursor stays where it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="progress.down", tooltip="The next row"),
        Binding("k", "cursor_up", "Up", show=False, id="progress.up", tooltip="The previous row"),
        Binding(
            "g", "scroll_top", "First row", show=False, id="progress.top", tooltip="The first row"
        ),
        Binding(
            "G",
            "scroll_bottom",
            "Last row",
            show=False,
            id="progress.bottom",
            tooltip="The last row",
        ),
    ]

    def __init__(self, columns: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns

    def on_mount(self) -> None:
        for label in self._columns:
            self.add_column(label, key=label)

    def show(self, rows: list[tuple[str, tuple[Text | str, ...]]]) -> None:
        keys = [str(row.key.value) for row in self.ordered_rows]
        cursor = self.cursor_row
        rebuilt = keys != [key for key, _ in rows][: len(keys)]
        if rebuilt:  # rows went or changed order: start again
            self.clear()
            keys = []
        for key, cells in rows[: len(keys)]:
            for label, cell in zip(self._columns, cells, strict=True):
                if not _same(self.get_cell(key, label), cell):
                    self.update_cell(key, label, cell)
        for key, cells in rows[len(keys) :]:
            self.add_row(*cells, key=key)
        if rebuilt and self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1), animate=False)


def _same(shown: object, cell: Text | str) -> bool:
    if isinstance(shown, Text) and isinstance(cell, Text):
        return (shown.plain, shown.style, shown.spans) == (cell.plain, cell.style, cell.spans)
    return type(shown) is type(cell) and shown == cell


BATCH_COLUMNS = ("Finding", "Result", "GitHub")
SYNC_COLUMNS = ("Repository", "Outcome", "New", "Updated", "Error")


def batch_rows(items: list[BatchItem]) -> list[tuple[str, tuple[Text | str, ...]]]:
    rows: list[tuple[str, tuple[Text | str, ...]]] = []
    for item in items:
        detail = _flat(item.message)
        if item.next_attempt_at is not None:
            detail = f"next try {item.next_attempt_at:%H:%M:%S} · {detail}"
        rows.append(
            (
                str(item.intent_id),
                (
                    item.finding_ref,
                    Text(item.result.value, style=RESULT_STYLE[item.result]),
                    Text(detail, style="red" if item.result is PushResult.REFUSED else ""),
                ),
            )
        )
    return rows


def sync_rows(sync: SyncProgress) -> list[tuple[str, tuple[Text | str, ...]]]:
    return [
        (
            f"{i}:{repo.repo}",
            (
                repo.repo,
                Text(repo.status.value, style=REPO_STYLE[repo.status]),
                str(repo.created),
                str(repo.updated),
                Text(_flat(repo.error), style="red"),
            ),
        )
        for i, repo in enumerate(sync.repos)
    ]
