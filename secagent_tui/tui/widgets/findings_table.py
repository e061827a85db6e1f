"""The findings queue: a DataTable that follows the database by keyed diffs.

Row key = finding id. A refresh removes rows that left, adds rows that came, and rewrites
only the cells that changed, inside `app.batch_update()`; the cursor stays on the same
finding at the same height on screen, and the marks stay on the same findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist, RowKey

from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays
from secagent_tui.tui.format import (
    COLUMN_KEYS,
    COLUMNS,
    MARK,
    TIE_BREAK_COLUMN,
    CellData,
    SortText,
    cell,
    row_data,
    to_cell,
)

MARK_COLUMN = "mark"
REBUILD_AT = 200
"""Above this many rows leaving at once, clear and refill instead of removing one by one."""


class FindingsTable(DataTable[SortText]):
    DEFAULT_CSS = """
    FindingsTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    FindingsTable > .datatable--cursor {
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
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
    class OpenRequested(Message):
        table: FindingsTable
        record: FindingRecord

        @property
        def control(self) -> FindingsTable:
            return self.table

    @dataclass
    class MarksChanged(Message):
        table: FindingsTable
        count: int

        @property
        def control(self) -> FindingsTable:
            return self.table

    @dataclass
    class SortChanged(Message):
        table: FindingsTable
        column: str
        reverse: bool

        @property
        def control(self) -> FindingsTable:
            return self.table

    def __init__(
        self, *, sort_column: str = "severity", sort_reverse: bool = False, id: str | None = None
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.records: dict[int, FindingRecord] = {}
        self.marks: set[int] = set()
        self._rows: dict[int, tuple[CellData, ...]] = {}
        self._last_mark: int | None = None
        self.sort_column = sort_column if sort_column in COLUMN_KEYS else "severity"
        self.sort_reverse = sort_reverse
        self.loaded = False

    def on_mount(self) -> None:
        self.add_column(" ", width=1, key=MARK_COLUMN)
        for spec in COLUMNS:
            self.add_column(spec.label, width=spec.width, key=spec.key)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column here has a fixed width and every row one line, so DataTable's
        measuring of each new cell with Rich (which only feeds auto-width columns and
        auto-height rows) is skipped: it was a third of a filter change. Only the virtual
        size is recomputed, as DataTable does at the end of the same method."""
        header_height = self.header_height if self.show_header else 0
        width = sum(c.get_render_width(self) for c in self.columns.values())
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header_height
        )

    # ---------------------------------------------------------------- reading

    def current_record(self) -> FindingRecord | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        except CellDoesNotExist:
            return None
        return self.records.get(int(key.value or 0))

    def ordered_ids(self) -> list[int]:
        return [int(row.key.value or 0) for row in self.ordered_rows]

    def marked_records(self) -> list[FindingRecord]:
        return [self.records[i] for i in self.ordered_ids() if i in self.marks]

    def selection(self) -> list[FindingRecord]:
        """The marked rows, or else the row under the cursor: what an action applies to."""
        marked = self.marked_records()
        if marked:
            return marked
        current = self.current_record()
        return [current] if current else []

    # ---------------------------------------------------------------- the diff

    def apply(self, records: Sequence[FindingRecord], now: datetime, days: SlaDays) -> bool:
        """Make the table show `records`; returns whether anything changed.

        A keyed diff: rows that left are removed, new ones added, and only the cells whose
        text or style changed are rewritten. When most rows change (a new filter), clearing
        and refilling is cheaper than a row-by-row diff, and the cursor is kept the same way.
        """
        old_cursor = self.current_record()
        old_index = self.cursor_row
        old_scroll = self.scroll_y
        incoming = {r.id: r for r in records}
        rows = {r.id: row_data(r, now, days) for r in records}
        gone = [i for i in self._rows if i not in incoming]
        changed = bool(gone)
        with self.app.batch_update():
            if len(gone) > max(REBUILD_AT, len(self._rows) // 2):
                self.clear()
                self._rows = {}
            else:
                for finding_id in gone:
                    self.remove_row(str(finding_id))
                    del self._rows[finding_id]
            for record in records:
                row = rows[record.id]
                old = self._rows.get(record.id)
                key = str(record.id)
                if old is None:
                    self.add_row(self._mark_cell(record.id), *map(to_cell, row), key=key)
                    changed = True
                elif old != row:
                    for spec, before, after in zip(COLUMNS, old, row, strict=True):
                        if before != after:
                            self.update_cell(key, spec.key, to_cell(after))
                    changed = True
            self._rows = rows
            self.records = incoming
            pruned = self.marks & incoming.keys()
            if pruned != self.marks:
                self.marks = pruned
                self.post_message(self.MarksChanged(self, len(self.marks)))
            if changed:
                self._sort()
                self._keep_cursor(old_cursor, old_index, old_scroll)
        self.loaded = True
        return changed

    def _keep_cursor(self, record: FindingRecord | None, old_index: int, old_scroll: float) -> None:
        if not self.row_count:
            return
        try:
            index = self.get_row_index(str(record.id)) if record else None
        except RowDoesNotExist:
            index = None
        if index is None:
            self.move_cursor(row=min(old_index, self.row_count - 1), scroll=True)
            return
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=False)
        # Same finding, same height on screen: rows that came or went above it shift the view.
        target = max(0.0, old_scroll + index - old_index)
        if target != self.scroll_y:
            self.call_after_refresh(self.scroll_to, y=target, animate=False, immediate=True)

    def _sort(self) -> None:
        column, tie = self.sort_column, TIE_BREAK_COLUMN
        self.sort(
            column,
            tie,
            key=lambda cells: (cells[0].sort_key, cells[1].sort_key),
            reverse=self.sort_reverse,
        )

    def _mark_cell(self, finding_id: int) -> SortText:
        return cell(MARK if finding_id in self.marks else " ", "bold #ffaf00", 0)

    def _refresh_mark(self, finding_id: int) -> None:
        if finding_id in self.records:
            self.update_cell(str(finding_id), MARK_COLUMN, self._mark_cell(finding_id))

    # ---------------------------------------------------------------- actions

    def action_half_page(self, direction: int) -> None:
        if not self.row_count:
            return
        rows = max(1, (self.scrollable_content_region.height - self.header_height) // 2)
        target = min(self.row_count - 1, max(0, self.cursor_row + direction * rows))
        self.move_cursor(row=target)

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
        self._refresh_mark(record.id)
        self.post_message(self.MarksChanged(self, len(self.marks)))
        self.action_cursor_down()

    def action_range_mark(self) -> None:
        """Mark every row from the last marked one to the cursor (both included)."""
        record = self.current_record()
        if record is None:
            return
        ids = self.ordered_ids()
        start = self.cursor_row
        if self._last_mark in self.records:
            start = ids.index(self._last_mark)  # type: ignore[arg-type]
        low, high = sorted((start, self.cursor_row))
        with self.app.batch_update():
            for finding_id in ids[low : high + 1]:
                if finding_id not in self.marks:
                    self.marks.add(finding_id)
                    self._refresh_mark(finding_id)
        self._last_mark = record.id
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_mark_all(self) -> None:
        with self.app.batch_update():
            for finding_id in self.records:
                if finding_id not in self.marks:
                    self.marks.add(finding_id)
                    self._refresh_mark(finding_id)
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def clear_marks(self) -> None:
        if not self.marks:
            return
        cleared, self.marks = self.marks, set()
        self._last_mark = None
        with self.app.batch_update():
            for finding_id in cleared:
                self._refresh_mark(finding_id)
        self.post_message(self.MarksChanged(self, 0))

    def action_cycle_sort(self) -> None:
        index = COLUMN_KEYS.index(self.sort_column)
        self.set_sort(COLUMN_KEYS[(index + 1) % len(COLUMN_KEYS)], self.sort_reverse)

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort_column, not self.sort_reverse)

    def set_sort(self, column: str, reverse: bool) -> None:
        record, index, scroll = self.current_record(), self.cursor_row, self.scroll_y
        self.sort_column, self.sort_reverse = column, reverse
        if self.row_count:
            self._sort()
            if record is not None:
                self.move_cursor(row=self.get_row_index(str(record.id)), scroll=True)
            else:
                self._keep_cursor(None, index, scroll)
        self.post_message(self.SortChanged(self, column, reverse))
