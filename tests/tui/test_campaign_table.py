"""The line-drawn campaign list on its own: its rows as painted (header, columns by width, a
long package cut, payload control characters shown as escapes), the cursor keys, and enter
posting the message the campaign screen opens a campaign on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual import on
from textual.app import App, ComposeResult

from secagent_tui.domain.campaign import Campaign, CampaignCounts, CampaignKey
from secagent_tui.domain.finding import Severity
from secagent_tui.tui.widgets.campaign_table import (
    LABELS,
    NARROW,
    WIDE,
    WIDTHS,
    CampaignTable,
)

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def _campaign(i: int, package: str | None = None, severity: Severity = Severity.HIGH) -> Campaign:
    counts = CampaignCounts(
        key=CampaignKey(f"GHSA-{i:04d}-aaaa-bbbb", "npm", package or f"pkg-{i}"),
        severity=severity,
        findings=10 + i,
        repositories=3 + i,
        open=5 + i,
        with_verdict=i,
        used=1,
        maybe_used=1,
        not_used=4,
        test_only=2,
        epss=None,
        oldest_open=NOW - timedelta(days=40),
    )
    return Campaign(counts, (), NOW + timedelta(days=3))


class _Host(App[None]):
    def __init__(self, campaigns: list[Campaign]) -> None:
        super().__init__()
        self.campaigns = campaigns
        self.selected: list[Campaign] = []

    def compose(self) -> ComposeResult:
        yield CampaignTable(id="campaigns")

    def on_mount(self) -> None:
        table = self.query_one(CampaignTable)
        table.focus()
        table.show(self.campaigns, NOW)

    @on(CampaignTable.Opened)
    def _selected(self, event: CampaignTable.Opened) -> None:
        self.selected.append(event.campaign)


def _cells(table: CampaignTable, y: int) -> dict[str, str]:
    line, cells, left = table.render_line(y).text, {}, 0
    for key, column in table.columns.items():
        right = left + column.get_render_width(table)
        cells[str(key.value)] = line[left:right].strip()
        left = right
    return cells


async def test_rows_are_drawn_under_a_header_with_the_narrow_or_wide_columns() -> None:
    campaigns = [_campaign(i) for i in range(3)]
    app = _Host(campaigns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(CampaignTable)
        await pilot.pause()
        assert table.columns_shown == NARROW and table.row_count == 3
        assert _cells(table, 0) == {n: LABELS[n] for n in NARROW}
        assert _cells(table, 2) == {
            "advisory": "GHSA-0001-aaaa-bbbb",
            "package": "pkg-1",
            "sev": "high",
            "repos": "4",
            "open": "6",
            "evidence": "2/4/2",
        }
        assert table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        assert table.columns_shown == WIDE
        assert dict(table.widths)["sla"] == WIDTHS["sla"]
        row = _cells(table, 1)
        assert [row[c] for c in ("verdict", "used", "not_used", "test_only", "sla")] == [
            "0/10",
            "2",
            "4",
            "2",
            "in 3d",
        ]
        assert table.render_line(4).text.strip() == ""  # past the last campaign


async def test_a_long_package_is_cut_and_control_characters_are_shown_escaped() -> None:
    long = "a" * 120
    app = _Host([_campaign(0, long), _campaign(1, "ev\x1b]0\x07il")])
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(CampaignTable)
        await pilot.pause()
        width = dict(table.widths)["package"]
        assert _cells(table, 1)["package"] == "a" * (width - 1) + "…"
        line = table.render_line(2).text
        assert "\x1b" not in line and "\x07" not in line
        assert _cells(table, 2)["package"] == "ev\\x1b]0\\x07il"


async def test_the_cursor_keys_move_the_highlighted_row_and_enter_selects_it() -> None:
    campaigns = [_campaign(i) for i in range(60)]
    app = _Host(campaigns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(CampaignTable)
        await pilot.pause()
        cursor = next(iter(table.render_line(1))).style
        assert cursor != next(iter(table.render_line(2))).style  # the cursor row stands out
        await pilot.press("down", "j", "j", "k")
        assert table.current() is campaigns[2]
        await pilot.press("end")
        assert table.current() is campaigns[-1]
        assert table.scroll_offset.y > 0  # scrolled to keep the cursor in view
        assert _cells(table, table.size.height - 1)["advisory"] == campaigns[-1].key.ghsa_id
        await pilot.press("home")
        assert table.current() is campaigns[0] and table.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert table.cursor_row == table.size.height - 1  # one screen of rows, the header not
        await pilot.press("pageup", "G", "g")
        assert table.cursor_row == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [campaigns[1]]


async def test_a_refresh_keeps_the_cursor_on_its_campaign() -> None:
    campaigns = [_campaign(i) for i in range(5)]
    app = _Host(campaigns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(CampaignTable)
        await pilot.pause()
        await pilot.press("down", "down")
        assert table.current() is campaigns[2]
        reordered = [campaigns[4], campaigns[2], campaigns[0]]
        table.show(reordered, NOW)
        assert table.current() is campaigns[2] and table.cursor_row == 1
        table.show(reordered[:1], NOW)
        assert table.current() is campaigns[4]
        table.show([], NOW)
        assert table.current() is None and table.row_count == 0
