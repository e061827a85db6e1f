"""The campaign list: one row per advisory and package, in the store's risk order.

A DataTable: a filter of 50,000 findings groups into a few thousand campaigns at most, and
the table draws only the rows in view, so a rebuild costs the rows' cells, not their
painting (bench/tui_bench.py's campaigns_ms measures it). The columns are chosen by the
table's width like the queue's: below `WIDE_FROM` cells the narrow set that fits 80 columns
(advisory, package, severity, repositories, open and the evidence in one cell).

Every column but the package has a fixed width (`WIDTHS`) and the package takes what is left,
cut with an ellipsis: sized by their content, a 120-character package name pushed Open and
the evidence off an 80-column screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable

from secagent_tui.domain.campaign import Campaign, CampaignKey
from secagent_tui.tui.format import SEVERITY_STYLE

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
"""DataTable's cell padding, each side."""
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


def row_key(key: CampaignKey) -> str:
    return f"{key.ghsa_id}\t{key.ecosystem}\t{key.package}"


class CampaignTable(DataTable[Text]):
    """The campaigns, keyed by advisory, ecosystem and package: a refresh keeps the cursor
    on the campaign it was on."""

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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.campaigns: list[Campaign] = []
        self.columns_shown: tuple[str, ...] = ()
        self.widths: Columns = ()
        self._now: datetime | None = None
        self._due: list[str] = []

    def _columns(self) -> Columns:
        """The columns for the table's width, its scrollbar included (the app's before the
        first layout)."""
        width = self.region.width or self.app.size.width
        return columns_for(width, self.styles.scrollbar_size_vertical)

    def show(self, campaigns: list[Campaign], now: datetime) -> None:
        """Rebuilds the rows when the campaigns (or the columns) changed; the cursor stays
        on its campaign when that campaign is still listed."""
        widths = self._columns()
        # The clock moves at every read, but the one cell it decides (the SLA, in days)
        # changes about once a day: at 50,000 findings a rebuild costs a second or more,
        # which a 5 s refresh of the same counts would spend for nothing.
        due = [_sla(c, now).plain for c in campaigns] if "sla" in dict(widths) else []
        if campaigns == self.campaigns and widths == self.widths and due == self._due:
            self._now = now
            return
        current = self.current()
        self.campaigns, self._now, self._due = campaigns, now, due
        self.clear(columns=widths != self.widths)
        if widths != self.widths:
            self.widths = widths
            self.columns_shown = tuple(name for name, _ in widths)
            for name, width in widths:
                self.add_column(LABELS[name], width=width, key=name)
        for campaign in campaigns:
            self.add_row(
                *(cut(cell(name, campaign, now), width) for name, width in widths),
                key=row_key(campaign.key),
            )
        keys = [c.key for c in campaigns]
        if current is not None and current.key in keys:
            self.move_cursor(row=keys.index(current.key), animate=False)

    def current(self) -> Campaign | None:
        if not self.row_count or not self.campaigns:
            return None
        row = self.cursor_coordinate.row
        return self.campaigns[row] if row < len(self.campaigns) else None

    def on_resize(self, event: Resize) -> None:
        if self._now is not None:
            self.show(self.campaigns, self._now)
