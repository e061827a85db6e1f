"""The queue table's own keyboard and mouse behaviour (a line-rendering widget of ours)."""

from __future__ import annotations

from textual.geometry import Offset

from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.widgets.findings_table import HEADER_HEIGHT, FindingsTable

from .conftest import TuiEnv
from .helpers import loaded, queue, wait_until

SIZE = (100, 30)


def visible_rows(grid: FindingsTable) -> int:
    return grid.scrollable_content_region.height - HEADER_HEIGHT


async def test_page_keys_move_by_a_screenful_and_keep_the_cursor_in_view(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=(100, 16)) as pilot:
        grid = await loaded(pilot)
        page = visible_rows(grid)
        assert grid.row_count > 2 * page
        await pilot.press("pagedown")
        assert grid.cursor_row == page
        await pilot.press("pagedown")
        await pilot.pause()
        assert grid.cursor_row == 2 * page
        assert grid.scroll_y <= grid.cursor_row < grid.scroll_y + page
        await pilot.press("end")
        await pilot.pause()
        assert grid.cursor_row == grid.row_count - 1
        assert grid.scroll_y == grid.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert (grid.cursor_row, grid.scroll_y) == (0, 0)


async def test_the_drawn_row_shows_the_cells_and_the_mark(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        first = grid.current_record()
        assert first is not None
        await pilot.press("space")
        await pilot.pause()
        line = grid.render_line(HEADER_HEIGHT).text
        assert line.startswith(" ● ")
        assert grid.cell_text(first.id, "package")[:20] in line
        assert grid.render_line(0).text.split()[:3] == ["Sev", "Repo", "Package"]


async def test_clicking_a_row_moves_the_cursor_and_a_double_click_opens_it(
    tui_env: TuiEnv,
) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await pilot.click(FindingsTable, offset=Offset(10, HEADER_HEIGHT + 3))
        assert grid.cursor_row == 3
        await pilot.click(FindingsTable, offset=Offset(10, HEADER_HEIGHT + 3))
        assert not isinstance(app.screen, FindingScreen)  # a single click only moves
        target = grid.current_record()
        await pilot.click(FindingsTable, offset=Offset(10, HEADER_HEIGHT + 3), times=2)
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="open")
        assert target is not None and app.screen.record.id == target.id  # type: ignore[attr-defined]


async def test_clicking_a_column_title_sorts_by_it_and_again_reverses(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        severity, repo = grid.columns_layout.columns[:2]
        package_x = 3 + (severity.width + 2) + (repo.width + 2) + 2  # mark, sev, repo, inside
        await pilot.click(FindingsTable, offset=Offset(package_x, 0))
        assert (grid.sort_column, grid.sort_reverse) == ("package", False)
        names = [grid.records[i].finding.package.lower() for i in grid.ordered_ids()]
        assert names == sorted(names)
        await pilot.click(FindingsTable, offset=Offset(package_x, 0))
        assert (grid.sort_column, grid.sort_reverse) == ("package", True)
        assert queue(app).state.sort_column == "package"
