"""The campaign list: one row per advisory and package, in the store's risk order.

Line-drawn like the queue (widgets/findings_table.py): a `DataTable` spent over a second of
bench/tui_bench.py's campaigns_ms adding 1,496 rows and measuring every cell. Here a
refresh of the campaigns is a list swap, and a row is one `Strip` of pre-styled segments
built only when it is in view, cached until the campaigns, the cursor or the styles change.

The columns are chosen by the table's width like the queue's: below `WIDE_FROM` cells the
narrow set that fits 80 columns (advisory, package, severity, repositories, open and the
evidence in one cell). Every column but the package has a fixed width (`WIDTHS`) and the
package takes what is left, cut with an ellipsis: sized by their content, a 120-character
package name pushed Open and the evidence off an 80-column screen.

The table keeps the surface the DataTable gave the screen and the tests: `columns` (Textual's
`Column` records, so `get_render_width` places a cell), `row_count` and `current()`; enter
posts `CampaignTable.Opened`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.data_table import Column, ColumnKey

from secagent_tui.domain.campaign import Campaign
from secagent_tui.domain.text import printable
from secagent_tui.tui.format import SEVERITY_STYLE
from secagent_tui.tui.widgets.cells import fit, style_of

WIDE_FROM = 120
"""From this many cells every column shows; below, the narrow set."""

NARROW = ("advisory", "package", "sev", "repos", "open", "evidence")
WIDE = (
    "advisory",
    "package",
    "severity",
    "repos",
    "open",
    "verdict",
    "used",
    "not_used",
    "test_only",
    "sla",
)
LABELS = {
    "advisory": "Advisory",
    "package": "Package",
    "sev": "Sev",
    "severity": "Severity",
    "repos": "Repos",
    "open": "Open",
    "evidence": "Evidence u/n/t",
    "verdict": "Verdict",
    "used": "Used",
    "not_used": "Not used",
    "test_only": "Test-only",
    "sla": "SLA due",
}
WIDTHS = {
    "advisory": 19,  # GHSA-xxxx-xxxx-xxxx
    "sev": 4,
    "severity": 8,
    "repos": 5,
    "open": 5,
    "evidence": 14,  # 9999/9999/9999
    "verdict": 9,  # 9999/9999
    "used": 5,
    "not_used": 8,
    "test_only": 9,
    "sla": 9,  # 9999d late
}
"""Cells of each column but the package; the longest value a column can hold fits."""
PACKAGE_MIN = len("Package")
PADDING = 1
"""Blank cells on each side of every column, as a DataTable draws them."""
OVERDUE_STYLE = "bold white on #870000"

Columns = tuple[tuple[str, int], ...]
"""A column set with each column's width in cells."""

Cell = Text | str


def _sla(campaign: Campaign, now: datetime) -> Cell:
    """The SLA of its oldest open finding: the first of the campaign to fall due."""
    due = campaign.sla_due
    if due is None:
        return Text("—", style="dim")
    left = (due - now).total_seconds() / 86400
    if left < 0:
        return Text(f"{int(-left) or 1}d late", style=OVERDUE_STYLE)
    return Text(f"in {int(left)}d", style="#d7af00" if left < 7 else "")


def _count(n: int, style: str) -> Cell:
    return Text(str(n), style=style if n else "dim")


def cell(column: str, campaign: Campaign, now: datetime) -> Cell:
    """One cell's text and style (the finding counts as the store gave them)."""
    c = campaign.counts
    match column:
        case "advisory":
            return c.key.ghsa_id
        case "package":
            return c.key.package
        case "sev" | "severity":
            word = c.severity.value if column == "severity" else c.severity.value[:4]
            return Text(word, style=SEVERITY_STYLE[c.severity])
        case "repos":
            return str(c.repositories)
        case "open":
            return _count(c.open, "bold")
        case "verdict":
            return f"{c.with_verdict}/{c.findings}"
        case "used":
            return _count(c.used + c.maybe_used, "bold red")
        case "not_used":
            return _count(c.not_used, "green")
        case "test_only":
            return _count(c.test_only, "green")
        case "evidence":
            return Text(f"{c.used + c.maybe_used}/{c.not_used}/{c.test_only}")
        case _:
            return _sla(campaign, now)


def cut(value: Cell, width: int) -> Text:
    """`value` in at most `width` cells, its end cut to an ellipsis when longer."""
    text = Text(value) if isinstance(value, str) else value
    if cell_len(text.plain) > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text


def columns_for(width: int, scrollbar: int = 2) -> Columns:
    """The column set for a table `width` cells wide, the package column given what the
    fixed ones and the vertical scrollbar leave: room for the scrollbar is kept whether or
    not the rows need it, so the columns do not jump when the list grows past a screen."""
    names = WIDE if width >= WIDE_FROM else NARROW
    fixed = sum(WIDTHS[n] + 2 * PADDING for n in names if n != "package")
    room = width - scrollbar - fixed - 2 * PADDING
    return tuple((n, WIDTHS.get(n, max(PACKAGE_MIN, room))) for n in names)


HEADER_HEIGHT = 1


def _plain(value: Cell) -> tuple[str, Style]:
    """A cell's text, made printable (package names and advisory ids are payload text: a
    control character must not drive the terminal), and its style."""
    if isinstance(value, str):
        return printable(value), Style.null()
    style = value.style
    return printable(value.plain), style_of(style) if isinstance(style, str) else style


@dataclass(frozen=True, slots=True)
class _Styles:
    """The row styles of one render pass, resolved from CSS (they follow focus and theme)."""

    base: Style
    even: Style
    cursor: Style
    header: Style


class _RowKeys(ScrollView):
    """The row keys a DataTable brings, for the cursor: Textual's keys (no ids, listed in the
    help as built-in, as the DataTable's were), under the table's own."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "scroll_top", "Top", show=False),
        Binding("end", "scroll_bottom", "Bottom", show=False),
    ]


class CampaignTable(_RowKeys, can_focus=True):
    """The campaigns, keyed by advisory, ecosystem and package: a refresh keeps the cursor
    on the campaign it was on."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "campaign-table--header",
        "campaign-table--cursor",
        "campaign-table--even-row",
    }

    # The DataTable's look, which the snapshots of the campaign view pinned.
    DEFAULT_CSS = """
    CampaignTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .campaign-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .campaign-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .campaign-table--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .campaign-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .campaign-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .campaign-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .campaign-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open campaign",
            id="campaigns.open",
            tooltip="List this advisory's findings across repositories",
        ),
        Binding(
            "j", "cursor_down", "Down", show=False, id="campaigns.down", tooltip="The next campaign"
        ),
        Binding(
            "k", "cursor_up", "Up", show=False, id="campaigns.up", tooltip="The previous campaign"
        ),
        Binding(
            "g",
            "scroll_top",
            "First row",
            show=False,
            id="campaigns.top",
            tooltip="The first campaign",
        ),
        Binding(
            "G",
            "scroll_bottom",
            "Last row",
            show=False,
            id="campaigns.bottom",
            tooltip="The last campaign",
        ),
    ]

    @dataclass
    class Opened(Message):
        """enter (or a double click) on a campaign: the one to open."""

        table: CampaignTable
        campaign: Campaign

        @property
        def control(self) -> CampaignTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.campaigns: list[Campaign] = []
        self.columns_shown: tuple[str, ...] = ()
        self.widths: Columns = ()
        self.columns: dict[ColumnKey, Column] = {}
        """The columns shown, as a DataTable describes them (`get_render_width` reads
        `cell_padding`)."""
        self.cell_padding = PADDING
        self.cursor_row = 0
        self._now: datetime | None = None
        self._drawn_at: datetime | None = None
        self._cells: dict[int, tuple[tuple[str, Style], ...]] = {}
        """Each drawn row's cells, made when the row first comes into view."""
        self._styles: _Styles | None = None
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._header: Strip | None = None

    # ---------------------------------------------------------------- the rows

    @property
    def row_count(self) -> int:
        return len(self.campaigns)

    def _columns(self) -> Columns:
        """The columns for the table's width, its scrollbar included (the app's before the
        first layout)."""
        width = self.region.width or self.app.size.width
        return columns_for(width, self.styles.scrollbar_size_vertical)

    def show(self, campaigns: list[Campaign], now: datetime) -> None:
        """Swaps in the campaigns when they (or the columns) changed; the cursor stays on its
        campaign when that campaign is still listed."""
        widths = self._columns()
        if campaigns == self.campaigns and widths == self.widths and self._same_sla(now):
            self._now = now
            return
        current = self.current()
        self.campaigns, self._now, self._drawn_at = campaigns, now, now
        if widths != self.widths:
            self.widths = widths
            self.columns_shown = tuple(name for name, _ in widths)
            self.columns = {
                ColumnKey(name): Column(ColumnKey(name), Text(LABELS[name]), width)
                for name, width in widths
            }
            self._header = None
        self._cells.clear()
        self._strips.clear()
        keys = [c.key for c in campaigns]
        if current is not None and current.key in keys:
            self.cursor_row = keys.index(current.key)
        self.cursor_row = self._clamped(self.cursor_row)
        self.virtual_size = Size(self._row_width(), len(campaigns) + HEADER_HEIGHT)
        self._scroll_to_cursor()
        self.refresh()

    def _same_sla(self, now: datetime) -> bool:
        """Whether every SLA cell reads the same at `now` as when the rows were drawn: the
        clock moves at every read, but the one cell it decides (in days) changes about once
        a day, and a 5 s refresh of the same counts then keeps the rows drawn."""
        drawn = self._drawn_at
        if "sla" not in self.columns_shown or drawn is None:
            return True
        return all(_sla(c, now).plain == _sla(c, drawn).plain for c in self.campaigns)

    def _row_cells(self, row: int) -> tuple[tuple[str, Style], ...]:
        """A row's cells at the time its rows were drawn (only the rows in view are ever
        made: 1,496 rows of ten cells each cost more than the screen that shows 40)."""
        cells = self._cells.get(row)
        if cells is None:
            campaign, now = self.campaigns[row], self._drawn_at
            assert now is not None  # show() set it with the rows
            cells = tuple(_plain(cell(name, campaign, now)) for name, _ in self.widths)
            self._cells[row] = cells
        return cells

    def current(self) -> Campaign | None:
        if not self.campaigns:
            return None
        return self.campaigns[self.cursor_row] if self.cursor_row < len(self.campaigns) else None

    def on_resize(self, event: Resize) -> None:
        if self._now is not None:
            self.show(self.campaigns, self._now)

    def _row_width(self) -> int:
        return sum(width + 2 * PADDING for _, width in self.widths)

    # ---------------------------------------------------------------- the cursor

    def _clamped(self, row: int) -> int:
        return max(0, min(row, len(self.campaigns) - 1))

    def move_cursor(self, row: int) -> None:
        if not self.campaigns:
            return
        row = self._clamped(row)
        if row != self.cursor_row:
            self._refresh_row(self.cursor_row)
            self.cursor_row = row
            self._refresh_row(row)
        self._scroll_to_cursor()

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_HEIGHT)

    def _scroll_to_cursor(self) -> None:
        top, visible = self.scroll_offset.y, self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        top = self.scroll_offset.y
        if top <= row < top + self._visible_rows():
            self.refresh(Region(0, row - top + HEADER_HEIGHT, self.size.width, 1))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * self._visible_rows())

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self.campaigns) - 1)

    def action_select_cursor(self) -> None:
        campaign = self.current()
        if campaign is not None:
            self.post_message(self.Opened(self, campaign))

    def on_click(self, event: Click) -> None:
        """A click on a row moves the cursor there; a double click opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_HEIGHT:
            return
        row = self.scroll_offset.y + offset.y - HEADER_HEIGHT
        if row >= len(self.campaigns):
            return
        self.move_cursor(row)
        if event.chain > 1:
            self.action_select_cursor()

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
        return _Styles(
            base=self.rich_style,
            even=self.get_component_rich_style("campaign-table--even-row"),
            cursor=self.get_component_rich_style("campaign-table--cursor"),
            header=self.get_component_rich_style("campaign-table--header"),
        )

    def render_line(self, y: int) -> Strip:
        styles = self._styles or self._resolve_styles()
        width, scroll_x = self.size.width, self.scroll_offset.x
        if y < HEADER_HEIGHT:
            strip, fill = self._header_strip(styles), styles.base + styles.header
        else:
            row = self.scroll_offset.y + y - HEADER_HEIGHT
            if row >= len(self.campaigns):
                return Strip.blank(width, styles.base)
            strip, fill = self._row_strip(row, styles), self._row_fill(row, styles)
        # The row's style runs on past the last column, the cursor's too, as a DataTable's.
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, fill)

    def _row_fill(self, row: int, styles: _Styles) -> Style:
        fill = styles.base + styles.even if row % 2 == 0 else styles.base
        return fill + styles.cursor if row == self.cursor_row else fill

    def _row_strip(self, row: int, styles: _Styles) -> Strip:
        cursor = row == self.cursor_row
        strip = self._strips.get((row, cursor))
        if strip is None:
            # As a DataTable draws a row cursor: its colours under the cell's own style, its
            # foreground over it (a cell's background, an overdue SLA's, stays). The cell's
            # style covers its text; the rest of the column is the row's.
            fill = self._row_fill(row, styles)
            over = Style(color=styles.cursor.color) if cursor else Style.null()
            pad = Segment(" " * PADDING, fill)
            segments: list[Segment] = []
            for (_, width), (text, style) in zip(self.widths, self._row_cells(row), strict=True):
                segments.append(pad)
                length = cell_len(text)
                if length > width:
                    segments.append(Segment(fit(text, width), fill + style + over))
                else:
                    segments.append(Segment(text, fill + style + over))
                    if length < width:
                        segments.append(Segment(" " * (width - length), fill))
                segments.append(pad)
            strip = self._strips[(row, cursor)] = Strip(segments, self._row_width())
        return strip

    def _header_strip(self, styles: _Styles) -> Strip:
        if self._header is None:
            style = styles.base + styles.header
            pad = Segment(" " * PADDING, style)
            segments: list[Segment] = []
            for name, width in self.widths:
                segments += (pad, Segment(fit(LABELS[name], width), style), pad)
            self._header = Strip(segments, self._row_width())
        return self._header
