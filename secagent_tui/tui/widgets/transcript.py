"""The raw analysis transcript: a ScrollView that draws only the lines on screen.

Entries are appended as they arrive (the view follows the end unless the analyst has
scrolled up); each is hard-wrapped once to the current width, and rendered to a Strip only
when its line is visible. A transcript of any size costs what the screen shows.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from secagent_tui.store.analyses import TranscriptEntry

ROLE_STYLE = {
    "user": "bold #87afd7",
    "assistant": "bold #87d787",
    "tool": "bold #d7af5f",
    "note": "bold #d787af",
    "system": "bold #afafaf",
}
_CONTROL = str.maketrans({c: " " for c in map(chr, range(0, 32)) if c not in "\n"})


class TranscriptView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        border: round $primary 50%;
        border-title-color: $text;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus { border: round $primary; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j",
            "scroll_down",
            "Down",
            show=False,
            id="transcript.down",
            tooltip="Scroll down one line",
        ),
        Binding(
            "k", "scroll_up", "Up", show=False, id="transcript.up", tooltip="Scroll up one line"
        ),
        Binding(
            "g",
            "scroll_home",
            "Top",
            show=False,
            id="transcript.top",
            tooltip="The first line of the transcript",
        ),
        Binding(
            "G",
            "scroll_end",
            "End (follow)",
            show=False,
            id="transcript.end",
            tooltip="The last line, and follow new lines as they stream",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[TranscriptEntry] = []
        self._lines: list[tuple[str, str]] = []  # (text, style) per screen line
        self._wrap_width = 0
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self.border_title = "Transcript"

    @property
    def entry_count(self) -> int:
        return len(self._entries)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def clear(self) -> None:
        self._entries.clear()
        self._lines.clear()
        self._cache.clear()
        self.virtual_size = Size(self._wrap_width, 0)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def append(self, entries: Iterable[TranscriptEntry]) -> None:
        new = list(entries)
        if not new:
            return
        follow = self.scroll_y >= self.max_scroll_y
        self._entries.extend(new)
        if self._wrap_width:
            for entry in new:
                self._lines.extend(self._wrap(entry, self._wrap_width))
        self._update_size()
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        width = max(10, self.scrollable_content_region.width)
        if width != self._wrap_width:
            self._wrap_width = width
            self._lines = [line for e in self._entries for line in self._wrap(e, width)]
            self._cache.clear()
            self._update_size()
            self.refresh()

    def _update_size(self) -> None:
        self.virtual_size = Size(self._wrap_width, len(self._lines))

    @staticmethod
    def _wrap(entry: TranscriptEntry, width: int) -> list[tuple[str, str]]:
        style = ROLE_STYLE.get(entry.role, "bold")
        lines = [(f"── {entry.role} #{entry.seq} ", style)]
        for raw in entry.content.translate(_CONTROL).expandtabs(4).split("\n"):
            if cell_len(raw) <= width:
                lines.append((raw, ""))
                continue
            for chunk in textwrap.wrap(raw, width, break_on_hyphens=False) or [""]:
                # textwrap counts characters; wide characters need cells counted.
                pieces = [chunk] if cell_len(chunk) <= width else chop_cells(chunk, width)
                lines.extend((piece, "") for piece in pieces)
        return lines

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._cache.get(index)
        if strip is None:
            text, style = self._lines[index]
            line_style = base + Style.parse(style) if style else base
            rendered = Text(text, no_wrap=True)
            rendered.stylize(line_style)  # Text.render ignores a base style; spans count
            strip = Strip(rendered.render(self.app.console), cell_len(text))
            self._cache[index] = strip
        return strip.crop_extend(0, width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
