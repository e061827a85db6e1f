"""The finding actions shared by the queue and the finding view: dismiss, reopen, snooze, triage,
analyze, open in browser, and `P`, the progress pane of the latest batch of decisions (its
pushes to GitHub). A screen mixes this in and says which findings are selected.

Each action asks first when it writes to GitHub, then calls a service in a worker; the
result comes back as a `DecisionDone` message. Read-only mode refuses every GitHub write
here, before a dialog even opens.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding

from secagent_tui.domain.decision import SNOOZE_REASON, DecisionAction
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.snooze import snooze_refusal
from secagent_tui.tui import browser
from secagent_tui.tui.format import selection_summary
from secagent_tui.tui.messages import DataChanged, DecisionDone
from secagent_tui.tui.screens.assign import AssignDialog
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog, DismissRequest
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.screens.progress import ProgressScreen, ProgressTarget

ACTION_BINDINGS = [
    Binding(
        "d",
        "dismiss",
        "Dismiss",
        id="finding.dismiss",
        tooltip="Dismiss on GitHub with a reason and comment, after a summary step",
    ),
    Binding(
        "o",
        "reopen",
        "Reopen",
        id="finding.reopen",
        tooltip="Reopen a dismissed alert on GitHub, after a y/n question",
    ),
    Binding(
        "z",
        "snooze",
        "Snooze",
        show=False,
        id="finding.snooze",
        tooltip="Dismiss until a patch exists; a sync that sees one reopens it (patch available)",
    ),
    Binding(
        "t",
        "triage",
        "Triage",
        id="finding.triage",
        tooltip="Ask the local model for a triage verdict (queued as a job)",
    ),
    Binding(
        "a",
        "analyze",
        "Analyze",
        id="finding.analyze",
        tooltip="Run the full sandboxed, read-only repository analysis (queued as a job)",
    ),
    Binding(
        "A",
        "assign",
        "Assign",
        show=False,
        id="finding.assign",
        tooltip="Set the GitHub assignees (logins; empty clears them), pushed like a dismissal",
    ),
    Binding(
        "b",
        "browser",
        "Open in browser",
        show=False,
        id="finding.browser",
        tooltip="Open the alert's GitHub page in the browser",
    ),
    Binding(
        "P",
        "batch_progress",
        "Batch progress",
        show=False,
        id="finding.batch_progress",
        tooltip="The progress of the latest dismiss or reopen batch decided here",
    ),
]


def _repos(records: list[FindingRecord]) -> int:
    return len({r.finding.repo for r in records})


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class FindingActions(LiveScreen):
    """Base for screens that act on findings; subclasses define `selected_records`."""

    def selected_records(self) -> list[FindingRecord]:
        raise NotImplementedError

    def after_decision(self) -> None:
        """Called once a decision is recorded (the queue clears its marks)."""

    def _selection_or_warn(self) -> list[FindingRecord] | None:
        if self.host.services is None:
            self.notify("The database is not open yet.", severity="warning")
            return None
        records = self.selected_records()
        if not records:
            self.notify("No finding selected.", severity="warning")
            return None
        return records

    def _refuse_read_only(self, what: str) -> bool:
        if self.host.read_only:
            self.notify(
                f"Read-only mode: {what} refused — it would write to GitHub. "
                "Restart without --read-only to change alerts.",
                title="Read-only",
                severity="warning",
            )
            return True
        return False

    # ------------------------------------------------------------------ dismiss / reopen

    def action_dismiss(self) -> None:
        if self._refuse_read_only("dismiss"):
            return
        records = self._selection_or_warn()
        if records is None:
            return

        def chosen(request: DismissRequest | None) -> None:
            if request is not None:
                self._confirm_dismissal(records, request)

        self.app.push_screen(DismissDialog(records), chosen)

    def _confirm_dismissal(self, records: list[FindingRecord], request: DismissRequest) -> None:
        """The summary step: what is about to be written to GitHub, before it is; a reopen
        asks the same way."""
        text = f"Dismiss {selection_summary(records)} on GitHub as {request.reason}"
        text += f': "{request.comment}"?' if request.comment else "?"

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._decide(records, DecisionAction.DISMISS, request.reason, request.comment)

        self.app.push_screen(ConfirmDialog(text, confirm_label="Dismiss"), done)

    def action_reopen(self) -> None:
        if self._refuse_read_only("reopen"):
            return
        records = self._selection_or_warn()
        if records is None:
            return
        text = f"Reopen {selection_summary(records)} on GitHub?"

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._decide(records, DecisionAction.REOPEN, None, None)

        self.app.push_screen(ConfirmDialog(text, confirm_label="Reopen"), done)

    @work(group="decide", exit_on_error=False)
    async def _decide(
        self,
        records: list[FindingRecord],
        action: DecisionAction,
        reason: str | None,
        comment: str | None,
    ) -> None:
        services = self.host.services
        assert services is not None
        await services.decide(records, action, reason=reason, comment=comment)
        self.post_message(DecisionDone(action, len(records), _repos(records)))

    # ------------------------------------------------------------------ snooze

    def action_snooze(self) -> None:
        if self._refuse_read_only("snooze"):
            return
        records = self._selection_or_warn()
        if records is None:
            return
        problems = [p for p in map(snooze_refusal, records) if p is not None]
        if problems:
            more = f" ({len(problems)} of the {len(records)} selected)" if len(records) > 1 else ""
            self.notify(f"{problems[0]}{more}. Nothing was snoozed.", severity="warning")
            return
        text = (
            f"Snooze {selection_summary(records)} until a patch exists? Dismissed on GitHub "
            f"as {SNOOZE_REASON}; a sync that sees a first patched version reopens it."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._snooze(records)

        self.app.push_screen(ConfirmDialog(text, confirm_label="Snooze"), done)

    @work(group="decide", exit_on_error=False)
    async def _snooze(self, records: list[FindingRecord]) -> None:
        services = self.host.services
        assert services is not None
        await services.snooze(records)
        n = _plural(len(records), "finding")
        self._recorded(f"Snoozed {n} until a patch exists; {self._pushes_where()}.", "Snoozed")

    # ------------------------------------------------------------------ assign

    def action_assign(self) -> None:
        if self._refuse_read_only("assign"):
            return
        records = self._selection_or_warn()
        if records is None:
            return

        def chosen(logins: list[str] | None) -> None:
            if logins is not None:
                self._assign(records, logins)

        self.app.push_screen(AssignDialog(records), chosen)

    @work(group="assign", exit_on_error=False)
    async def _assign(self, records: list[FindingRecord], logins: list[str]) -> None:
        services = self.host.services
        assert services is not None
        await services.assign(records, logins)
        n = _plural(len(records), "finding")
        what = f"Assigned {n} to {', '.join(logins)}" if logins else f"Cleared the assignees of {n}"
        self._recorded(f"{what} locally; {self._pushes_where()}.", "Assigned")

    # ------------------------------------------------------------------ analysis

    def action_triage(self) -> None:
        records = self._selection_or_warn()
        if records is not None:
            self._queue(records, triage_only=True)

    def action_analyze(self) -> None:
        records = self._selection_or_warn()
        if records is not None:
            self._queue(records, triage_only=False)

    @work(group="queue-analysis", exit_on_error=False)
    async def _queue(self, records: list[FindingRecord], *, triage_only: bool) -> None:
        services = self.host.services
        assert services is not None
        # `a`: all three tiers, whatever triage suggests.
        await services.enqueue_analyses(records, triage_only=triage_only, full=not triage_only)
        action = "triage" if triage_only else "analysis"
        self.post_message(DecisionDone(action, len(records), _repos(records)))

    @on(DecisionDone)
    def _decision_done(self, message: DecisionDone) -> None:
        message.stop()
        n = _plural(message.count, "finding")
        if isinstance(message.action, DecisionAction):
            verb = "Dismissed" if message.action is DecisionAction.DISMISS else "Reopened"
            where = self._pushes_where()
            self._recorded(f"{verb} {n} locally; {where}. P: the batch's progress.", verb)
        else:
            self._recorded(f"Queued {message.action} for {n}.", "Queued")

    def _pushes_where(self) -> str:
        """Where the pushes of what was just recorded here go next."""
        if self.host.can_push:
            return "pushes to GitHub queued"
        return "pushes wait for a worker with a GitHub token (secagent worker)"

    def _recorded(self, text: str, title: str) -> None:
        """A decision, an assignment or a queued analysis was recorded: say so, clear the
        marks, and show it (DataChanged refreshes the queue)."""
        self.notify(text, title=title)
        self.after_decision()
        self.post_message(DataChanged())

    def action_batch_progress(self) -> None:
        """The pushes of the latest dismiss or reopen this analyst decided."""
        self.app.push_screen(ProgressScreen(ProgressTarget.latest_batch()))

    # ------------------------------------------------------------------ browser

    def action_browser(self) -> None:
        records = self.selected_records()
        if not records:
            self.notify("No finding selected.", severity="warning")
            return
        self._open_url(records[0].finding.html_url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_url(self, url: str) -> None:
        if browser.try_open(url):
            return
        self.app.call_from_thread(self._show_url, url)

    def _show_url(self, url: str) -> None:
        self.app.copy_to_clipboard(url)
        self.notify(
            f"No browser here. URL copied to the clipboard (OSC 52):\n{url}",
            title="Open in browser",
            timeout=15,
        )
