"""The findings queue: a line-rendering table that follows the database by keyed diffs.

A `DataTable` measured and rendered every cell through Rich on each change, which made a
filter change cost hundreds of milliseconds for a few hundred rows. Here a row is one
`Strip` of pre-styled segments, built only when it is on screen and cached until its data,
its mark, the cursor or the theme changes; a refresh of the data is a list swap.

Rows are keyed by finding id: after a refresh the cursor stays on the same finding at the
same height on screen, and the marks stay on the same findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.tui.format import COLUMN_KEYS, COLUMNS, MARK, CellData, row_data, sort_records

HEADER_HEIGHT = 1
PADDING = 1
"""Blank cells on each side of every column, as a DataTable draws them."""
MARK_WIDTH = 1
MARK_STYLE = "bold #ffaf00"


@lru_cache(maxsize=256)
def _style(text: str) -> Style:
    return Style.parse(text) if text else Style.null()


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


@dataclass(frozen=True, slots=True)
class _Styles:
    """The row styles of one render pass, resolved from CSS (they follow focus and theme)."""

    odd: Style
    even: Style
    cursor: Style
    header: Style


@dataclass
class _TableMessage(Message):
    """A message about one table, which is its `control` (for `@on(..., "#id")` selectors)."""

    table: FindingsTable

    @property
    def control(self) -> FindingsTable:
        return self.table


class FindingsTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "findings-table--header",
        "findings-table--cursor",
        "findings-table--even-row",
    }

    DEFAULT_CSS = """
    FindingsTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        & > .findings-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .findings-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .findings-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: bold;
        }
        &:dark > .findings-table--even-row {
            background: $surface-darken-1 40%;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .findings-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: bold;
            }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False, id="table.down_arrow"),
        Binding("up", "cursor_up", "Up", show=False, id="table.up_arrow"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("home", "scroll_top", "First row", show=False, id="table.home"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="table.end"),
        Binding("g", "scroll_top", "First row", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Last row", show=False, id="table.bottom"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="table.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="table.half_up"),
        Binding("enter", "open", "Open", id="table.open"),
        Binding("space", "toggle_mark", "Mark", id="table.mark"),
        Binding("V", "range_mark", "Range mark", show=False, id="table.range_mark"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="table.mark_all"),
        Binding("escape", "clear_marks", "Clear marks", show=False, id="table.clear_marks"),
        Binding("s", "cycle_sort", "Sort", show=False, id="table.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="table.reverse_sort"),
    ]

    @dataclass
    class OpenRequested(_TableMessage):
        record: FindingRecord

    @dataclass
    class MarksChanged(_TableMessage):
        count: int

    @dataclass
    class SortChanged(_TableMessage):
        column: str
        reverse: bool

    def __init__(
        self, *, sort_column: str = "severity", sort_reverse: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.records: dict[int, FindingRecord] = {}
        self.marks: set[int] = set()
        self.cursor_row = 0
        self.sort_column = sort_column if sort_column in COLUMN_KEYS else "severity"
        self.sort_reverse = sort_reverse
        self.loaded = False
        self._order: list[int] = []
        self._cells: dict[int, tuple[CellData, ...]] = {}
        self._last_mark: int | None = None
        self._now = datetime.now(UTC)
        self._days = SlaDays()
        self._styles: _Styles | None = None
        self._strips: dict[tuple[int, bool, bool, bool], Strip] = {}
        self._header: Strip | None = None
        self._width = MARK_WIDTH + 2 * PADDING + sum(c.width + 2 * PADDING for c in COLUMNS)

    def on_mount(self) -> None:
        self._resize()

    # ---------------------------------------------------------------- reading

    @property
    def row_count(self) -> int:
        return len(self._order)

    def current_record(self) -> FindingRecord | None:
        if not self._order:
            return None
        return self.records[self._order[self.cursor_row]]

    def ordered_ids(self) -> list[int]:
        return list(self._order)

    def cell_text(self, finding_id: int, column: str) -> str:
        """What a cell shows, by finding id and column key (before it is fitted to width)."""
        return self._cells[finding_id][COLUMN_KEYS.index(column)][0]

    def marked_records(self) -> list[FindingRecord]:
        return [self.records[i] for i in self._order if i in self.marks]

    def selection(self) -> list[FindingRecord]:
        """The marked rows, or else the row under the cursor: what an action applies to."""
        marked = self.marked_records()
        if marked:
            return marked
        current = self.current_record()
        return [current] if current else []

    # ---------------------------------------------------------------- the diff

    def apply(self, records: Sequence[FindingRecord], now: datetime, days: SlaDays) -> bool:
        """Show `records` in the order given; returns whether anything on screen changed.

        Only the rows' data is replaced: their strips are drawn again when next on screen.
        """
        self._now, self._days = now, days
        cells = {r.id: row_data(r, now, days) for r in records}
        order = [r.id for r in records]
        changed = order != self._order or cells != self._cells
        old_cursor, old_index, old_scroll = self.current_record(), self.cursor_row, self.scroll_y
        self.records = {r.id: r for r in records}
        pruned = self.marks & self.records.keys()
        if pruned != self.marks:
            self.marks = pruned
            self.post_message(self.MarksChanged(self, len(self.marks)))
        if changed:
            self._set_rows(order, cells)
            self._keep_cursor(old_cursor, old_index, old_scroll)
        self.loaded = True
        return changed

    def _set_rows(self, order: list[int], cells: dict[int, tuple[CellData, ...]]) -> None:
        self._order, self._cells = order, cells
        self._strips.clear()
        self._resize()
        self.refresh()

    def _resize(self) -> None:
        self.virtual_size = Size(self._width, len(self._order) + HEADER_HEIGHT)

    def _keep_cursor(self, record: FindingRecord | None, old_index: int, old_scroll: float) -> None:
        if not self._order:
            self.cursor_row = 0
            return
        index = self._order.index(record.id) if record and record.id in self.records else None
        if index is None:
            self.move_cursor(min(old_index, len(self._order) - 1))
            return
        self.cursor_row = index
        # Same finding, same height on screen: rows that came or went above it shift the view.
        target = max(0.0, old_scroll + index - old_index)
        if target != self.scroll_y:
            self.scroll_to(y=target, animate=False, immediate=True)

    # ---------------------------------------------------------------- the cursor

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        if not self._order:
            return
        row = max(0, min(row, len(self._order) - 1))
        if row != self.cursor_row:
            self.cursor_row = row
            self.refresh()
        if scroll:
            self._scroll_to_cursor()

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_HEIGHT)

    def _scroll_to_cursor(self) -> None:
        top, visible = self.scroll_offset.y, self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    # ---------------------------------------------------------------- drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def render_lines(self, crop: Region) -> list[Strip]:
        styles = self._resolve_styles()
        if styles != self._styles:
            self._styles = styles
            self._strips.clear()
            self._header = None
        return super().render_lines(crop)

    def _resolve_styles(self) -> _Styles:
        base = self.rich_style
        return _Styles(
            odd=base,
            even=self.get_component_rich_style("findings-table--even-row"),
            cursor=self.get_component_rich_style("findings-table--cursor"),
            header=self.get_component_rich_style("findings-table--header"),
        )

    def render_line(self, y: int) -> Strip:
        styles = self._styles or self._resolve_styles()
        width = self.size.width
        scroll_x = self.scroll_offset.x
        if y < HEADER_HEIGHT:
            strip, fill = self._header_strip(styles), styles.header
        else:
            index = self.scroll_offset.y + y - HEADER_HEIGHT
            if index >= len(self._order):
                return Strip.blank(width, styles.odd)
            strip, fill = self._row_strip(index, styles)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, fill)

    def _row_style(self, index: int, styles: _Styles) -> Style:
        if index == self.cursor_row:
            return styles.cursor
        return styles.even if index % 2 == 0 else styles.odd

    def _row_strip(self, index: int, styles: _Styles) -> tuple[Strip, Style]:
        finding_id = self._order[index]
        cursor, marked = index == self.cursor_row, finding_id in self.marks
        row_style = self._row_style(index, styles)
        key = (finding_id, cursor, index % 2 == 0, marked)
        strip = self._strips.get(key)
        if strip is None:
            pad = " " * PADDING
            segments = [
                Segment(pad, row_style),
                Segment(MARK if marked else " ", row_style + _style(MARK_STYLE)),
                Segment(pad, row_style),
            ]
            for spec, (text, style, _) in zip(COLUMNS, self._cells[finding_id], strict=True):
                segments.append(Segment(pad, row_style))
                segments.append(Segment(_fit(text, spec.width), row_style + _style(style)))
                segments.append(Segment(pad, row_style))
            strip = self._strips[key] = Strip(segments, self._width)
        return strip, row_style

    def _header_strip(self, styles: _Styles) -> Strip:
        if self._header is None:
            style, pad = styles.header, " " * PADDING
            segments = [Segment(pad + " " * MARK_WIDTH + pad, style)]
            # The sort column is underlined; its direction is shown in the filter bar.
            sorted_style = style + Style(underline=True)
            for spec in COLUMNS:
                segments.append(Segment(pad, style))
                label_style = sorted_style if spec.key == self.sort_column else style
                segments.append(Segment(_fit(spec.label, spec.width), label_style))
                segments.append(Segment(pad, style))
            self._header = Strip(segments, self._width)
        return self._header

    def _refresh_row(self, finding_id: int) -> None:
        index = self._order.index(finding_id)
        top = self.scroll_offset.y
        if top <= index < top + self._visible_rows():
            self.refresh(Region(0, index - top + HEADER_HEIGHT, self.size.width, 1))

    # ---------------------------------------------------------------- mouse

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there (a double click opens it); a click on a
        column title sorts by it (again: reversed)."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER_HEIGHT:
            column = self._column_at(offset.x + self.scroll_offset.x)
            if column is not None:
                reverse = not self.sort_reverse if column == self.sort_column else False
                self.set_sort(column, reverse)
            return
        index = self.scroll_offset.y + offset.y - HEADER_HEIGHT
        if index >= len(self._order):
            return
        self.move_cursor(index)
        if event.chain > 1:  # a double click; a single one may only be focusing the table
            self.action_open()

    def _column_at(self, x: int) -> str | None:
        left = MARK_WIDTH + 2 * PADDING
        for spec in COLUMNS:
            right = left + spec.width + 2 * PADDING
            if left <= x < right:
                return spec.key
            left = right
        return None

    # ---------------------------------------------------------------- actions

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * self._visible_rows())

    def action_half_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self._visible_rows() // 2))

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self._order) - 1)

    def action_open(self) -> None:
        record = self.current_record()
        if record is not None:
            self.post_message(self.OpenRequested(self, record))

    def action_toggle_mark(self) -> None:
        record = self.current_record()
        if record is None:
            return
        if record.id in self.marks:
            self.marks.discard(record.id)
        else:
            self.marks.add(record.id)
            self._last_mark = record.id
        self._refresh_row(record.id)
        self.post_message(self.MarksChanged(self, len(self.marks)))
        self.action_cursor_down()

    def action_range_mark(self) -> None:
        """Mark every row from the last marked one to the cursor (both included)."""
        record = self.current_record()
        if record is None:
            return
        start = self.cursor_row
        if self._last_mark in self.records:
            start = self._order.index(self._last_mark)  # type: ignore[arg-type]
        low, high = sorted((start, self.cursor_row))
        self.marks.update(self._order[low : high + 1])
        self._last_mark = record.id
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_mark_all(self) -> None:
        self.marks.update(self._order)
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def clear_marks(self) -> None:
        if not self.marks:
            return
        self.marks = set()
        self._last_mark = None
        self.refresh()
        self.post_message(self.MarksChanged(self, 0))

    def action_cycle_sort(self) -> None:
        index = COLUMN_KEYS.index(self.sort_column)
        self.set_sort(COLUMN_KEYS[(index + 1) % len(COLUMN_KEYS)], self.sort_reverse)

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort_column, not self.sort_reverse)

    def set_sort(self, column: str, reverse: bool) -> None:
        """Re-order the rows at once (the screen may then fetch a new window in this order)."""
        record = self.current_record()
        self.sort_column, self.sort_reverse = column, reverse
        self._header = None
        if self._order:
            rows = [self.records[i] for i in self._order]
            ordered = sort_records(rows, column, reverse, self._now, self._days)
            self._set_rows([r.id for r in ordered], self._cells)
            if record is not None:
                self.move_cursor(self._order.index(record.id))
        self.refresh()
        self.post_message(self.SortChanged(self, column, reverse))
