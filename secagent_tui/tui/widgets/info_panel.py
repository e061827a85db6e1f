"""A titled, bordered block of text: the base of the finding view's panels."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def field_line(out: Text, label: str, value: Any, style: str = "") -> None:
    """`label  value` on its own line; empty values are left out."""
    if value is None or value == "" or value == []:
        return
    if out.plain:
        out.append("\n")
    out.append(f"{label}: ", style="bold")
    out.append(str(value), style=style)


class InfoPanel(Static):
    DEFAULT_CSS = """
    InfoPanel {
        height: auto;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
        margin-bottom: 0;
    }
    """

    TITLE = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = self.TITLE

    def show_placeholder(self, text: str) -> None:
        """What stands in the panel before its stage has produced anything."""
        self.update(Text(text, style="italic dim"))
