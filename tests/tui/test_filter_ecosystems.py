"""The filter menu offers every ecosystem GitHub reports, and any other the data holds."""

from __future__ import annotations

import dataclasses

from textual.widgets import OptionList

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import GITHUB_ECOSYSTEMS, ecosystem_choices
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.tui.screens.filters import FilterScreen

from .conftest import TuiEnv
from .helpers import loaded, wait_until


def test_choices_are_github_s_then_whatever_else_the_data_names() -> None:
    assert ecosystem_choices(["npm", "Erlang", "", "swift"]) == (*GITHUB_ECOSYSTEMS, "erlang")
    assert {"swift", "actions"} <= set(GITHUB_ECOSYSTEMS)


async def test_cycling_the_ecosystem_reaches_swift_actions_and_one_only_the_data_holds(
    tui_env: TuiEnv,
) -> None:
    engine = create_engine(tui_env.url)
    try:
        await upsert_findings(
            engine, [dataclasses.replace(synthetic_finding(9), ecosystem="erlang")]
        )
    finally:
        await engine.dispose()
    app = tui_env.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen), what="menu")
        menu = app.screen

        def offered() -> list[tuple[str, ...]]:
            return list(next(f for f in menu.fields if f.key == "ecosystems").values)

        await wait_until(pilot, lambda: ("erlang",) in offered(), what="the data's own")
        fields = menu.query_one("#fields", OptionList)
        fields.highlighted = [f.key for f in menu.fields].index("ecosystems")
        seen = []
        for _ in range(len(offered())):
            await pilot.press("right")
            seen.append(tuple(menu.filter.ecosystems))
        assert {("swift",), ("actions",), ("erlang",)} <= set(seen)
