"""A yes/no question before anything that writes to GitHub."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog .hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y,enter",
            "answer(True)",
            "Confirm",
            id="confirm.yes",
            tooltip="Go ahead with what the question says",
        ),
        Binding(
            "n,escape",
            "answer(False)",
            "Cancel",
            id="confirm.no",
            tooltip="Change nothing and close the question",
        ),
    ]

    def __init__(self, question: str, *, confirm_label: str = "Confirm") -> None:
        super().__init__()
        self._question = question
        self._label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, id="question")
            yield Static(f"y/enter: {self._label}   n/esc: cancel", classes="hint")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
