"""The help screen's lines fit 80 columns: nothing runs past the box, binding ids (what
`[ui.keys]` needs) are never cut, and long descriptions wrap instead."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from secagent_tui.tui.screens.help import HelpScreen, column_widths

from .conftest import TuiEnv
from .helpers import loaded, wait_until


def test_the_columns_fill_the_box_down_to_80_columns() -> None:
    for width in (80, 100, 160):
        where, key, action, binding_id = column_widths(width)
        assert where + key + action + binding_id + 11 <= min(90, width)
    assert column_widths(160)[2] > column_widths(80)[2]


async def test_every_help_line_fits_80_columns(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.pause()
        table = app.screen.query_one("#keys", DataTable)
        assert table.region.right <= 80
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        widths = [column.width for column in table.columns.values()]
        wrapped = 0
        for row_key in table.rows:
            cells = table.get_row(row_key)
            key, binding_id = str(cells[1]), str(cells[3])
            assert len(binding_id) <= widths[3], binding_id  # an id is never cut
            assert len(key) <= widths[1], key
            lines = max(
                len(Text(str(c)).wrap(app.console, w)) for c, w in zip(cells, widths, strict=True)
            )
            assert table.rows[row_key].height == lines
            wrapped += lines > 1
        assert wrapped  # the long built-in descriptions took a second line
