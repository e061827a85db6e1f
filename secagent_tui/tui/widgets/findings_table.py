"""The findings queue: a line-rendering table over every finding of the filter.

A `DataTable` measured and rendered every cell through Rich on each change, which made a
filter change cost hundreds of milliseconds for a few hundred rows. Here a row is one
`Strip` of pre-styled segments, built only when it is on screen and cached until its data,
its mark, the cursor or the theme changes; a refresh of the data is a list swap.

The table's virtual height is the filter's total, so the scrollbar is the whole queue, but
it holds only a window of rows around the cursor or the viewport (`WINDOW`), read by keyset
from the database (`store/finding_window.finding_page`). When the viewport comes near an edge
of the window, or jumps past it (`G`, a scrollbar drag), it asks for the window there
(`WindowWanted`); rows not read yet draw as blank until it comes.

Rows are keyed by finding id: after a refresh the cursor stays on the same finding at the
same height on screen, and the marks stay on the same findings, read back by id while the
filter selects them even when they are outside the window.

Columns are chosen by width (`LAYOUTS`): at 80 columns a condensed set (severity, short
repository, package, state, triage, verdict, job); wider sets as the terminal grows. The
hidden columns' values are all in the finding view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import ClassVar

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
from secagent_tui.store.finding_window import Anchor, FindingPage, PageRequest, SortKey
from secagent_tui.tui.format import (
    COLUMN_KEYS,
    COLUMNS,
    MARK,
    CellData,
    ColumnSpec,
    column_cell,
    sort_records,
)
from secagent_tui.tui.messages import WindowRequest
from secagent_tui.tui.widgets.cells import fit, style_of

HEADER_HEIGHT = 1
PADDING = 1
"""Blank cells on each side of every column, as a DataTable draws them."""
MARK_WIDTH = 1
MARK_STYLE = "bold #ffaf00"
VIEWED_MARK = "@"
"""In the mark column: another analyst has this finding open right now (store/presence)."""
VIEWED_STYLE = "bold #ff5fd7"
WINDOW = 300
"""Rows held around the cursor: a filter of at most this many is held whole."""
MARGIN = 60
"""A viewport this close to an edge of the window (with more rows beyond) asks for more."""
SCROLLBAR = 1


# ------------------------------------------------------------------ columns by width

_SHORT_SEVERITY = {"critical": "crit", "high": "high", "medium": "med", "low": "low"}
_SHORT_LABEL = {
    "state": {"dismissed": "dism", "auto-dism": "auto", "fixed": "fixd"},
    "triage": {"dismiss": "dism", "analyze": "anlz", "review": "rvw"},
    "verdict": {"exploit": "expl", "not-expl": "safe", "unknown": "unkn"},
    "job": {"queued": "queue", "running": "run", "failed": "fail"},
}


def _short(key: str, text: str) -> str:
    """A label's short form: its word shortened, any suffix (`·h`, `*`, `~`, `!`, `z`, `+`)
    kept."""
    words = _SHORT_LABEL[key]
    for word in sorted(words, key=len, reverse=True):
        if text.startswith(word):
            return words[word] + text[len(word) :]
    return text


def _condensed(spec: ColumnSpec, width: int) -> ColumnSpec:
    """`spec` in `width` cells, its labels shortened (the sort values are the same)."""
    key = spec.key

    def data(record: FindingRecord, now: datetime, days: SlaDays) -> CellData:
        text, style, value = column_cell(key, record, now, days)
        if key == "severity":
            text = _SHORT_SEVERITY.get(text, text)
        elif key == "repo":
            text = text.split("/", 1)[-1]  # the owner is in the header and the finding view
        elif key in _SHORT_LABEL:
            text = _short(key, text)
        return text, style, value

    labels = {"severity": "Sev", "repo": "Repo", "triage": "Triage", "verdict": "Verdict"}
    return ColumnSpec(key, labels.get(key, spec.label), width, data)


_BY_KEY = {c.key: c for c in COLUMNS}
NARROW_WIDTHS = {
    "severity": 4,
    "repo": 16,
    "package": 17,
    "state": 6,
    "triage": 6,
    "verdict": 7,
    "job": 5,
}


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    columns: tuple[ColumnSpec, ...]

    @property
    def width(self) -> int:
        """Cells the layout needs, the mark and the scrollbar included."""
        inner = sum(c.width + 2 * PADDING for c in self.columns)
        return MARK_WIDTH + 2 * PADDING + inner + SCROLLBAR


NARROW = Layout("narrow", tuple(_condensed(_BY_KEY[k], w) for k, w in NARROW_WIDTHS.items()))
MEDIUM = Layout(
    "medium",
    tuple(
        _BY_KEY[k]
        for k in ("severity", "repo", "package", "sla", "state", "triage", "verdict", "job")
    ),
)


def _assignees(record: FindingRecord, now: datetime, days: SlaDays) -> CellData:
    logins = record.assignees
    if not logins:
        return "—", "dim", ""
    return ", ".join(logins), "", ", ".join(logins).lower()


ASSIGNEE = ColumnSpec("assignee", "Assignee", 14, _assignees)
"""Only in the wide set: the queue's other sets keep their widths, and the finding view and
the filter (`f`, Assignee) say it at every width. Not a sort column (its title sorts
nothing)."""
FULL = Layout("full", COLUMNS)
WIDE = Layout("wide", (*COLUMNS, ASSIGNEE))
LAYOUTS: tuple[Layout, ...] = (WIDE, FULL, MEDIUM, NARROW)
"""Widest first: the table shows the first that fits its width (else the narrow one)."""


GROW = ("repo", "package")
MAX_GROW = 20


def layout_for(width: int) -> Layout:
    """The widest layout that fits `width`, its repository and package columns widened
    (at most `MAX_GROW` each) into the room left over."""
    base = next((layout for layout in LAYOUTS if layout.width <= width), NARROW)
    extra = max(0, width - base.width)
    grow = {GROW[0]: min(MAX_GROW, extra - extra // 2), GROW[1]: min(MAX_GROW, extra // 2)}
    if not extra:
        return base
    return Layout(
        base.name, tuple(replace(c, width=c.width + grow.get(c.key, 0)) for c in base.columns)
    )


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
        Binding(
            "down",
            "cursor_down",
            "Down",
            show=False,
            id="table.down_arrow",
            tooltip="The next finding",
        ),
        Binding(
            "up", "cursor_up", "Up", show=False, id="table.up_arrow", tooltip="The previous finding"
        ),
        Binding(
            "j", "cursor_down", "Down", show=False, id="table.down", tooltip="The next finding"
        ),
        Binding("k", "cursor_up", "Up", show=False, id="table.up", tooltip="The previous finding"),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            show=False,
            id="table.page_down",
            tooltip="One screen of findings down",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            id="table.page_up",
            tooltip="One screen of findings up",
        ),
        Binding(
            "home",
            "scroll_top",
            "First row",
            show=False,
            id="table.home",
            tooltip="The first finding of the filter",
        ),
        Binding(
            "end",
            "scroll_bottom",
            "Last row",
            show=False,
            id="table.end",
            tooltip="The last finding of the filter, however many there are",
        ),
        Binding(
            "g",
            "scroll_top",
            "First row",
            show=False,
            id="table.top",
            tooltip="The first finding of the filter",
        ),
        Binding(
            "G",
            "scroll_bottom",
            "Last row",
            show=False,
            id="table.bottom",
            tooltip="The last finding of the filter, however many there are",
        ),
        Binding(
            "ctrl+d",
            "half_page(1)",
            "Half page down",
            show=False,
            id="table.half_down",
            tooltip="Half a screen of findings down",
        ),
        Binding(
            "ctrl+u",
            "half_page(-1)",
            "Half page up",
            show=False,
            id="table.half_up",
            tooltip="Half a screen of findings up",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="table.open",
            tooltip="Open the finding: analysis, advisory and history",
        ),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            id="table.mark",
            tooltip="Mark or unmark this finding for a bulk action",
        ),
        Binding(
            "V",
            "range_mark",
            "Range mark",
            show=False,
            id="table.range_mark",
            tooltip="Mark every finding from the last mark to this one",
        ),
        Binding(
            "asterisk",
            "mark_all",
            "Mark all",
            show=False,
            id="table.mark_all",
            tooltip="Mark every finding of the filter",
        ),
        Binding(
            "escape",
            "clear_marks",
            "Clear marks",
            show=False,
            id="table.clear_marks",
            tooltip="Unmark every finding",
        ),
        Binding(
            "s", "cycle_sort", "Sort", show=False, id="table.sort", tooltip="Cycle the sort column"
        ),
        Binding(
            "S",
            "reverse_sort",
            "Reverse sort",
            show=False,
            id="table.reverse_sort",
            tooltip="Reverse the sort order",
        ),
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

    @dataclass
    class WindowWanted(_TableMessage):
        """The viewport is near an edge of the rows held, or past them: read there."""

    def __init__(
        self, *, sort_column: str = "severity", sort_reverse: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.records: dict[int, FindingRecord] = {}
        """The rows held (the window), by finding id."""
        self.marks: set[int] = set()
        self.viewers: dict[int, tuple[str, ...]] = {}
        self.cursor_row = 0
        """The cursor's position in the whole filter."""
        self.total = 0
        self.sort_column = sort_column if sort_column in COLUMN_KEYS else "severity"
        self.sort_reverse = sort_reverse
        self.loaded = False
        self.columns_layout: Layout = NARROW
        self._start = 0
        self._order: list[int] = []
        self._keys: list[SortKey] = []
        self._cells: dict[int, tuple[CellData, ...]] = {}
        self._marked: dict[int, FindingRecord] = {}
        self._last_mark: int | None = None
        self._jump: tuple[str, Anchor] | None = None
        self._seq = 0
        self._wanted = False
        self._now = datetime.now(UTC)
        self._days = SlaDays()
        self._styles: _Styles | None = None
        self._strips: dict[tuple[int, bool, bool, bool], Strip] = {}
        self._header: Strip | None = None

    def on_mount(self) -> None:
        self._resize()

    def on_resize(self, event: events.Resize) -> None:
        """Columns by width: a resize past a layout's width switches the set at once."""
        layout = layout_for(event.size.width)
        if layout != self.columns_layout:
            self.columns_layout = layout
            self._cells = {r: self._row_cells(self.records[r]) for r in self._order}
            self._strips.clear()
            self._header = None
            self._resize()
            self.refresh()
        self._check_window()

    # ---------------------------------------------------------------- reading

    @property
    def row_count(self) -> int:
        """Findings in the filter (not only the rows held)."""
        return self.total

    @property
    def window(self) -> range:
        """The positions of the rows held."""
        return range(self._start, self._start + len(self._order))

    def _id_at(self, position: int) -> int | None:
        index = position - self._start
        return self._order[index] if 0 <= index < len(self._order) else None

    def current_record(self) -> FindingRecord | None:
        """The finding under the cursor, or None while its row is not read yet."""
        finding_id = self._id_at(self.cursor_row)
        return None if finding_id is None else self.records[finding_id]

    def ordered_ids(self) -> list[int]:
        """The rows held, in order."""
        return list(self._order)

    def cell_text(self, finding_id: int, column: str) -> str:
        """What a held row's cell says in any column, shown or not, before the narrow layout
        condenses it and the width cuts it."""
        record = self.records[finding_id]
        if column == ASSIGNEE.key:
            return _assignees(record, self._now, self._days)[0]
        return column_cell(column, record, self._now, self._days)[0]

    def marked_records(self) -> list[FindingRecord]:
        """Every marked finding the filter selects, held rows or not, in the table's order."""
        records = [self.records.get(i) or self._marked.get(i) for i in self.marks]
        present = [r for r in records if r is not None]
        return sort_records(present, self.sort_column, self.sort_reverse, self._now, self._days)

    def selection(self) -> list[FindingRecord]:
        """The marked rows, or else the row under the cursor: what an action applies to."""
        marked = self.marked_records()
        if marked:
            return marked
        current = self.current_record()
        return [current] if current else []

    # ---------------------------------------------------------------- the window

    def window_request(self) -> WindowRequest:
        """Where the next read should be: a pending jump, else around the cursor when it is
        on screen (a refresh keeps it on its finding), else around the viewport. A filter
        that fits the window is read whole."""
        marked = frozenset(self.marks)
        half = WINDOW // 2
        if self._jump is not None:
            kind, anchor = self._jump
            if self.total <= WINDOW or anchor.kind == "top":
                page = PageRequest(Anchor.top(), 0, WINDOW, marked)
            elif anchor.kind == "bottom":
                page = PageRequest(anchor, WINDOW, 0, marked)
            else:
                page = PageRequest(anchor, half, half, marked)
            return WindowRequest(page, kind, self._seq)
        if self.total <= WINDOW:
            return WindowRequest(PageRequest(Anchor.top(), 0, WINDOW, marked), None, self._seq)
        focus = self._focus()
        index = focus - self._start
        if 0 <= index < len(self._keys):
            anchor = Anchor.at_key(self._keys[index])
        else:
            anchor = Anchor.at_position(focus)
        return WindowRequest(PageRequest(anchor, half, half, marked), None, self._seq)

    def _focus(self) -> int:
        """The position the window should be around: the cursor if on screen, else the
        middle of the viewport."""
        top, visible = round(self.scroll_y), self._visible_rows()
        if top <= self.cursor_row < top + visible:
            return self.cursor_row
        return min(max(0, self.total - 1), top + visible // 2)

    def reset(self, kind: str = "filter") -> None:
        """The next read answers a new filter ("filter": from the top, the cursor kept on its
        finding if the top holds it) or a new order ("finding": around the cursor's finding)."""
        current = self.current_record()
        if kind == "finding" and current is not None:
            self._set_jump("finding", Anchor.at_finding(current.id))
        else:
            self._set_jump("filter", Anchor.top())

    def _set_jump(self, kind: str, anchor: Anchor) -> None:
        self._seq += 1
        self._jump = (kind, anchor)

    def show_viewers(self, viewers: dict[int, tuple[str, ...]]) -> None:
        """Who else has findings open, by finding id (the queue reads it with each window;
        rows it does not hold are simply not drawn)."""
        if viewers != self.viewers:
            self.viewers = viewers
            self._strips.clear()
            self.refresh()

    def apply_page(
        self, page: FindingPage, request: WindowRequest, now: datetime, days: SlaDays
    ) -> bool:
        """Hold `page`; returns whether anything on screen changed. The cursor stays on its
        finding at the same height on screen when the page holds it."""
        self._now, self._days = now, days
        old_id, old_index, old_scroll = self._id_at(self.cursor_row), self.cursor_row, self.scroll_y
        records = {r.id: r for r in page.records}
        order = [r.id for r in page.records]
        cells = {r.id: self._row_cells(r) for r in page.records}
        changed = (
            order != self._order
            or page.start != self._start
            or page.total != self.total
            or cells != self._cells
        )
        self.records, self._keys, self._start, self.total = (
            records,
            page.keys,
            page.start,
            page.total,
        )
        self._prune_marks(page, request)
        if changed:
            self._order, self._cells = order, cells
            self._strips.clear()
            self._resize()
            self.refresh()
        answered = request.jump is not None and request.seq == self._seq
        if answered:
            self._jump = None
            self._place_after_jump(request.jump, old_id, old_index, old_scroll)
        elif request.seq == self._seq:
            self._keep_cursor(old_id, old_index, old_scroll)
        else:
            self.cursor_row = self._clamped(self.cursor_row)
        self.loaded = True
        self._wanted = False
        self._check_window()
        return changed

    def _row_cells(self, record: FindingRecord) -> tuple[CellData, ...]:
        return tuple(
            spec.data(record, self._now, self._days) for spec in self.columns_layout.columns
        )

    def _prune_marks(self, page: FindingPage, request: WindowRequest) -> None:
        """A mark read back stays; one asked about and not found has left the filter."""
        found = {r.id for r in page.marked} | self.records.keys()
        self._marked = {r.id: r for r in page.marked}
        gone = request.page.marked - found
        if gone & self.marks:
            self.marks -= gone
            self.post_message(self.MarksChanged(self, len(self.marks)))

    def _clamped(self, row: int) -> int:
        return max(0, min(row, self.total - 1))

    def _place_after_jump(
        self, kind: str | None, old_id: int | None, old_index: int, old_scroll: float
    ) -> None:
        if kind == "bottom":
            self.cursor_row = self._clamped(self.total - 1)
            self._scroll_to_cursor()
        elif kind == "top":
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        elif kind in ("filter", "finding"):
            if old_id is not None and old_id in self.records:
                self._keep_cursor(old_id, old_index, old_scroll)
            else:
                self.cursor_row = self._clamped(min(old_index, self._start + len(self._order) - 1))
                self._scroll_to_cursor()
        else:
            self.cursor_row = self._clamped(self.cursor_row)

    def _resize(self) -> None:
        self.virtual_size = Size(self.columns_layout.width - SCROLLBAR, self.total + HEADER_HEIGHT)

    def _keep_cursor(self, finding_id: int | None, old_index: int, old_scroll: float) -> None:
        if not self.total:
            self.cursor_row = 0
            return
        if finding_id is None or finding_id not in self.records:
            self.cursor_row = self._clamped(old_index)
            return
        index = self._start + self._order.index(finding_id)
        self.cursor_row = index
        # Same finding, same height on screen: rows that came or went above it shift the view.
        target = max(0.0, old_scroll + index - old_index)
        if target != self.scroll_y:
            self.scroll_to(y=target, animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_window()

    def _check_window(self) -> None:
        """Ask for the window where the viewport is, once, when it nears an edge of the rows
        held with more beyond, or is past them."""
        if self._wanted or not self.loaded or not self.is_mounted:
            return
        top, visible = round(self.scroll_y), self._visible_rows()
        low, high = self._start, self._start + len(self._order)
        need_above = low > 0 and top - MARGIN < low
        need_below = high < self.total and top + visible + MARGIN > high
        if self._jump is not None or need_above or need_below:
            self._wanted = True
            self.post_message(self.WindowWanted(self))

    # ---------------------------------------------------------------- the cursor

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        if not self.total:
            return
        row = self._clamped(row)
        if row != self.cursor_row:
            self.cursor_row = row
            self.refresh()
        if scroll:
            self._scroll_to_cursor()
        self._check_window()

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
            position = self.scroll_offset.y + y - HEADER_HEIGHT
            if position >= self.total:
                return Strip.blank(width, styles.odd)
            finding_id = self._id_at(position)
            fill = self._row_style(position, styles)
            if finding_id is None:  # not read yet: the window there is on its way
                return Strip.blank(width, fill)
            strip = self._row_strip(position, finding_id, styles)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, fill)

    def _row_style(self, position: int, styles: _Styles) -> Style:
        if position == self.cursor_row:
            return styles.cursor
        return styles.even if position % 2 == 0 else styles.odd

    def _row_strip(self, position: int, finding_id: int, styles: _Styles) -> Strip:
        cursor, marked = position == self.cursor_row, finding_id in self.marks
        viewed = finding_id in self.viewers
        row_style = self._row_style(position, styles)
        key = (finding_id, cursor, position % 2 == 0, marked, viewed)
        strip = self._strips.get(key)
        if strip is None:
            pad = " " * PADDING
            mark, mark_style = " ", MARK_STYLE
            if marked:
                mark = MARK
            elif viewed:  # a mark of your own says more to you than who else is looking
                mark, mark_style = VIEWED_MARK, VIEWED_STYLE
            segments = [
                Segment(pad, row_style),
                Segment(mark, row_style + style_of(mark_style)),
                Segment(pad, row_style),
            ]
            columns = self.columns_layout.columns
            for spec, (text, style, _) in zip(columns, self._cells[finding_id], strict=True):
                segments.append(Segment(pad, row_style))
                segments.append(Segment(fit(text, spec.width), row_style + style_of(style)))
                segments.append(Segment(pad, row_style))
            strip = self._strips[key] = Strip(segments, self.columns_layout.width - SCROLLBAR)
        return strip

    def _header_strip(self, styles: _Styles) -> Strip:
        if self._header is None:
            style, pad = styles.header, " " * PADDING
            segments = [Segment(pad + " " * MARK_WIDTH + pad, style)]
            # The sort column is underlined; its direction is shown in the filter bar.
            sorted_style = style + Style(underline=True)
            for spec in self.columns_layout.columns:
                segments.append(Segment(pad, style))
                label_style = sorted_style if spec.key == self.sort_column else style
                segments.append(Segment(fit(spec.label, spec.width), label_style))
                segments.append(Segment(pad, style))
            self._header = Strip(segments, self.columns_layout.width - SCROLLBAR)
        return self._header

    def _refresh_row(self, position: int) -> None:
        top = self.scroll_offset.y
        if top <= position < top + self._visible_rows():
            self.refresh(Region(0, position - top + HEADER_HEIGHT, self.size.width, 1))

    # ---------------------------------------------------------------- mouse

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there (a double click opens it); a click on a
        column title sorts by it (again: reversed)."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER_HEIGHT:
            column = self._column_at(offset.x + self.scroll_offset.x)
            if column in COLUMN_KEYS:
                reverse = not self.sort_reverse if column == self.sort_column else False
                self.set_sort(column, reverse)
            return
        position = self.scroll_offset.y + offset.y - HEADER_HEIGHT
        if position >= self.total:
            return
        self.move_cursor(position)
        if event.chain > 1:  # a double click; a single one may only be focusing the table
            self.action_open()

    def _column_at(self, x: int) -> str | None:
        left = MARK_WIDTH + 2 * PADDING
        for spec in self.columns_layout.columns:
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
        """The first finding of the filter (read from the top when it is not held, or when a
        read for a new filter or order is on its way: this key comes after it)."""
        if self._start > 0 or self._jump is not None:
            self._set_jump("top", Anchor.top())
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        """The last finding of the filter (read from the bottom when it is not held, or when
        a read for a new filter or order is on its way)."""
        if self._start + len(self._order) < self.total or self._jump is not None:
            self._set_jump("bottom", Anchor.bottom())
        self.move_cursor(self.total - 1)

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
        self._refresh_row(self.cursor_row)
        self.post_message(self.MarksChanged(self, len(self.marks)))
        self.action_cursor_down()

    def action_range_mark(self) -> None:
        """Mark every row from the last marked one to the cursor (both included), when the
        last marked one is among the rows held."""
        record = self.current_record()
        if record is None:
            return
        start = self.cursor_row - self._start
        if self._last_mark in self.records:
            start = self._order.index(self._last_mark)  # type: ignore[arg-type]
        low, high = sorted((start, self.cursor_row - self._start))
        self.marks.update(self._order[low : high + 1])
        self._last_mark = record.id
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_mark_all(self) -> None:
        """Mark every finding of the filter, when the table holds them all (at most
        `WINDOW`): a bulk decision on more is a filter's job, not a key's."""
        if len(self._order) < self.total:
            self.notify(
                f"{self.total} findings: narrow the filter to {WINDOW} or fewer to mark all.",
                severity="warning",
            )
            return
        self.marks.update(self._order)
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def clear_marks(self) -> None:
        if not self.marks:
            return
        self.marks = set()
        self._marked = {}
        self._last_mark = None
        self.refresh()
        self.post_message(self.MarksChanged(self, 0))

    def action_cycle_sort(self) -> None:
        """The next column shown (a hidden column is still the sort if it was chosen wider)."""
        keys = [c.key for c in self.columns_layout.columns]
        index = keys.index(self.sort_column) if self.sort_column in keys else -1
        self.set_sort(keys[(index + 1) % len(keys)], self.sort_reverse)

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort_column, not self.sort_reverse)

    def set_sort(self, column: str, reverse: bool) -> None:
        """A new order: the rows held are re-sorted at once when they are the whole filter,
        and the window is read again around the cursor's finding."""
        record = self.current_record()
        self.sort_column, self.sort_reverse = column, reverse
        self._header = None
        if self._order and len(self._order) == self.total:
            rows = [self.records[i] for i in self._order]
            ordered = sort_records(rows, column, reverse, self._now, self._days)
            self._order = [r.id for r in ordered]
            self._keys = []  # the old order's keys; the read that follows brings the new
            self._strips.clear()
            if record is not None:
                self.move_cursor(self._order.index(record.id))
        self.reset("finding")
        self.refresh()
        self.post_message(self.SortChanged(self, column, reverse))
