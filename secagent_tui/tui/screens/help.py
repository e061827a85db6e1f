"""`?`: every key binding, read from the BINDINGS of the app, its screens and widgets (with
the config's remaps applied), so the list can never go stale.

Its lines fit the terminal down to 80 columns: the where, key and binding-id columns keep
their widths (an id is what `[ui.keys]` needs, so it is never cut) and the action column
takes the rest, a long description wrapping onto a second line rather than being cut."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

HelpSection = tuple[str, Sequence[BindingType]]

BOX_WIDTH = 90
WHERE_WIDTH = 12
KEY_WIDTH = 12
ID_WIDTH = 22
MIN_ACTION_WIDTH = 16
CHROME = 2 + 1 + 2 * 4
"""Cells of the box that are not text: its border, the table's scrollbar, each column's
padding."""


def column_widths(screen_width: int) -> tuple[int, int, int, int]:
    """Where, key, action and binding id: the action column gets what the box has left."""
    box = min(BOX_WIDTH, screen_width)
    action = max(MIN_ACTION_WIDTH, box - CHROME - WHERE_WIDTH - KEY_WIDTH - ID_WIDTH)
    return WHERE_WIDTH, KEY_WIDTH, action, ID_WIDTH


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 90;  /* BOX_WIDTH */
        max-width: 100%;
        height: 90%;
        border: thick $accent;
        background: $surface;
    }
    HelpScreen DataTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    HelpScreen .hint {
        color: $text-muted;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark",
            "close",
            "Close help",
            id="help.close",
            tooltip="Close this help",
        ),
        Binding(
            "j", "scroll(1)", "Down", show=False, id="help.down", tooltip="Scroll down one line"
        ),
        Binding("k", "scroll(-1)", "Up", show=False, id="help.up", tooltip="Scroll up one line"),
    ]

    def __init__(self, sections: Sequence[HelpSection], keymap: dict[str, str]) -> None:
        super().__init__()
        self._sections = sections
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Keys"
            yield DataTable(cursor_type="row", zebra_stripes=True, id="keys")
            yield Static(
                'Remap any key in config: [ui.keys] binding-id = "key"  ·  esc closes',
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        where, key, action, binding_id = column_widths(self.app.size.width)
        table.add_column("Where", width=where)
        table.add_column("Key", width=key)
        table.add_column("Action", width=action)
        table.add_column("Binding id", width=binding_id)
        for section, bindings in self._sections:
            for binding in _expand(bindings):
                keys = self._keymap.get(binding.id or "", binding.key)
                shown = ", ".join(
                    self.app.get_key_display(binding.with_key(k.strip())) for k in keys.split(",")
                )
                table.add_row(
                    Text(section, style="dim"),
                    Text(shown, style="bold"),
                    Text(binding.description or binding.action),
                    Text(binding.id or "built-in", style="dim" if binding.id else "dim italic"),
                    height=None,  # a long description wraps instead of being cut
                )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))


def _expand(bindings: Sequence[BindingType]) -> list[Binding]:
    """One row per binding (keys of a multi-key binding shown together)."""
    out: list[Binding] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            out.append(binding)
        else:
            key, action, *rest = binding
            out.append(Binding(key, action, rest[0] if rest else ""))
    return out
