"""The queue at 80x24 and wider: columns chosen by the table's width (a condensed set at 80
that still shows severity, repository, package, state, triage, verdict and job), switched
live on resize, and a footer that fits."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from secagent_tui.tui.widgets.findings_table import FULL, MEDIUM, NARROW, layout_for

from .conftest import TuiEnv
from .helpers import loaded, store_analysis

NARROW_KEYS = ["severity", "repo", "package", "state", "triage", "verdict", "job"]


def test_the_widest_layout_that_fits_is_chosen_and_stretched() -> None:
    assert NARROW.width <= 80 < MEDIUM.width <= 120 < FULL.width <= 160
    assert [c.key for c in layout_for(80).columns] == NARROW_KEYS
    assert layout_for(60).name == "narrow"  # below 80: the narrow set, scrolled sideways
    assert layout_for(MEDIUM.width).name == "medium"
    assert layout_for(FULL.width).name == "full"
    wider = layout_for(100)
    assert wider.name == "narrow" and wider.width == 100  # the room goes to repo and package


async def test_columns_switch_live_as_the_terminal_is_resized(tui_env: TuiEnv) -> None:
    from secagent_tui.store.db import create_engine

    engine = create_engine(tui_env.url)
    try:
        await store_analysis(engine, "acme/api#8")
    finally:
        await engine.dispose()
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await loaded(pilot)
        assert grid.columns_layout.name == "narrow"
        assert grid.virtual_size.width <= grid.size.width  # no sideways scrolling at 80
        assert grid.render_line(0).text.split() == [
            "Sev",
            "Repo",
            "Package",
            "State",
            "Triage",
            "Verdict",
            "Job",
        ]
        row = grid.render_line(1).text
        assert row.split()[:2] == ["crit", "api#8"]  # short severity, repo without owner
        assert "safe·h" in row and "done" in row  # the verdict and job, condensed
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert grid.columns_layout.name == "medium"
        assert "SLA due" in grid.render_line(0).text
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert grid.columns_layout.name == "full"
        assert "acme/api#8" in grid.render_line(1).text and "not-expl·h" in grid.render_line(1).text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert grid.columns_layout.name == "narrow"
        # A hidden column's value is still the table's to give (and the finding view's).
        record = grid.current_record()
        assert (
            record is not None and grid.cell_text(record.id, "advisory") == record.finding.ghsa_id
        )


async def test_the_queue_footer_fits_80_columns(tui_env: TuiEnv) -> None:
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        assert {k.key for k in keys} >= {"enter", "space", "slash", "f", "d", "question_mark", "q"}
        assert keys and all(k.region.right <= 80 and k.region.width > 0 for k in keys)
        assert footer.virtual_size.width <= 80
