"""The assign dialog (`A`): the GitHub logins to assign the selected findings to, typed in
one box; empty clears the assignees. What is typed is only checked for the shape of a login
here, so that the analyst fixes a typo in place; the service checks again and does the work
(services/analyst.assign)."""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from secagent_tui.domain.owner import login_problem
from secagent_tui.domain.record import FindingRecord
from secagent_tui.tui.format import selection_summary
from secagent_tui.tui.widgets.inputs import StableInput

_SEPARATORS = re.compile(r"[\s,]+")


def typed_logins(text: str) -> list[str]:
    """The logins in the box: separated by commas or spaces, `@` before one allowed."""
    return [word.removeprefix("@") for word in _SEPARATORS.split(text.strip()) if word]


class AssignDialog(ModalScreen[list[str] | None]):
    """Dismissed with the logins to set (`[]`: clear), or None when cancelled."""

    DEFAULT_CSS = """
    AssignDialog {
        align: center middle;
    }
    AssignDialog > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    AssignDialog .hint {
        color: $text-muted;
        margin-top: 1;
    }
    AssignDialog #problem {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="assign.cancel",
            tooltip="Close without changing the assignees",
        ),
    ]

    def __init__(self, records: list[FindingRecord]) -> None:
        super().__init__()
        self._records = records
        first = records[0].assignees if records else ()
        self._current = " ".join(first) if all(r.assignees == first for r in records) else ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Assign"
            yield Static(f"Assign {selection_summary(self._records)} on GitHub to:")
            yield StableInput(self._current, placeholder="login, login …", id="logins")
            yield Static("", id="problem")
            yield Static("enter: assign (empty: clear)   esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#logins", Input).focus()

    @on(Input.Submitted, "#logins")
    def _submitted(self, event: Input.Submitted) -> None:
        logins = typed_logins(event.value)
        for login in logins:
            problem = login_problem(login)
            if problem is not None:
                self.query_one("#problem", Static).update(f"{login!r} {problem}")
                return
        self.dismiss(logins)

    def action_cancel(self) -> None:
        self.dismiss(None)
