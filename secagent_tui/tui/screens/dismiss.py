"""The dismiss dialog: one of GitHub's five reasons, an optional comment (GitHub keeps at
most 280 characters, counted live), and what the dismissal covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from secagent_tui.domain.finding import MAX_COMMENT_CHARS, DismissReason
from secagent_tui.domain.record import FindingRecord
from secagent_tui.pipeline.decisions import DecisionError, check_dismissal
from secagent_tui.tui.format import selection_summary
from secagent_tui.tui.widgets.inputs import StableInput

# GitHub's own wording for each reason, as its dismiss menu shows them.
REASON_TEXT = {
    DismissReason.FIX_STARTED: "A fix has already been started",
    DismissReason.INACCURATE: "This alert is inaccurate or incorrect",
    DismissReason.NO_BANDWIDTH: "No bandwidth to fix this",
    DismissReason.NOT_USED: "Vulnerable code is not actually used",
    DismissReason.TOLERABLE_RISK: "Risk is tolerable to this project",
}


@dataclass(frozen=True, slots=True)
class DismissRequest:
    reason: str
    comment: str | None


def suggested_reason(records: list[FindingRecord]) -> DismissReason | None:
    """The reason the analyses point at, when they point at the same one for every finding."""
    found = {r.suggested_dismiss_reason() for r in records}
    return found.pop() if len(found) == 1 else None


class DismissDialog(ModalScreen[DismissRequest | None]):
    DEFAULT_CSS = """
    DismissDialog {
        align: center middle;
    }
    DismissDialog > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    DismissDialog #reasons {
        height: auto;
        max-height: 7;
        border: none;
        padding: 0;
    }
    DismissDialog #comment {
        margin-top: 1;
    }
    DismissDialog .label {
        color: $text-muted;
    }
    DismissDialog #counter {
        text-align: right;
        color: $text-muted;
    }
    DismissDialog #counter.-over {
        color: $error;
        text-style: bold;
    }
    DismissDialog #error {
        color: $error;
        display: none;
    }
    DismissDialog #error.-shown {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "confirm",
            "Dismiss",
            priority=True,
            id="dismiss.confirm",
            tooltip="Review the summary of this dismissal, then send it",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="dismiss.cancel",
            tooltip="Close the dialog; nothing is recorded",
        ),
    ]

    def __init__(self, records: list[FindingRecord]) -> None:
        super().__init__()
        self.records = records

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Dismiss on GitHub"
            yield Static(self._summary(), id="summary")
            yield Static("Reason (↑/↓)", classes="label")
            yield OptionList(
                *(
                    Option(Text.assemble((f"{r.value:<15}", "bold"), text), id=r.value)
                    for r, text in REASON_TEXT.items()
                ),
                id="reasons",
            )
            yield StableInput(placeholder="comment (optional)", id="comment")
            yield Static(f"0/{MAX_COMMENT_CHARS}", id="counter")
            yield Static("", id="error")
            yield Static(
                "enter/ctrl+s: review  ·  tab: next field  ·  esc: cancel", classes="label"
            )

    def on_mount(self) -> None:
        reasons = self.query_one("#reasons", OptionList)
        suggested = suggested_reason(self.records)
        reasons.highlighted = list(REASON_TEXT).index(suggested) if suggested else 0
        reasons.focus()

    def _summary(self) -> Text:
        text = Text()
        by_repo: dict[str, int] = {}
        for record in self.records:
            by_repo[record.finding.repo] = by_repo.get(record.finding.repo, 0) + 1
        text.append(selection_summary(self.records), style="bold")
        shown = sorted(by_repo.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        text.append(": " + ", ".join(f"{repo} ({n})" for repo, n in shown))
        if len(by_repo) > len(shown):
            text.append(f", +{len(by_repo) - len(shown)} more")
        return text

    @on(Input.Changed, "#comment")
    def _count(self, event: Input.Changed) -> None:
        counter = self.query_one("#counter", Static)
        counter.update(f"{len(event.value)}/{MAX_COMMENT_CHARS}")
        counter.set_class(len(event.value) > MAX_COMMENT_CHARS, "-over")

    @on(Input.Submitted, "#comment")
    @on(OptionList.OptionSelected, "#reasons")
    def _submit(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        reasons = self.query_one("#reasons", OptionList)
        if reasons.highlighted is None:
            self._error("Choose a reason.")
            return
        reason = reasons.get_option_at_index(reasons.highlighted).id or ""
        comment = self.query_one("#comment", Input).value.strip() or None
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            # GitHub answers 422 beyond this; the analyst shortens it rather than lose text.
            self._error(
                f"The comment is {len(comment)} characters; GitHub takes at most "
                f"{MAX_COMMENT_CHARS}."
            )
            return
        try:
            check_dismissal(reason)
        except DecisionError as exc:
            self._error(str(exc))
            return
        self.dismiss(DismissRequest(reason, comment))

    def _error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(message)
        error.add_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
