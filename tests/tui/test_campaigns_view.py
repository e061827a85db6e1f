"""The campaign view from the keyboard (issue 16, item 1): the palette opens it over the
queue's filter, `enter` opens a campaign's findings and then a finding; `d` there dismisses
exactly the findings the evidence says are not used or test-only — the intents written and,
once the runner pushes, the PATCHes the local GitHub receives — and `--read-only` refuses
the campaign's writes before any question. At 80 columns a 120-character package name is
cut, and every column and footer key stays on screen."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.domain.campaign import TEST_ONLY_COMMENT
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState
from secagent_tui.store.db import create_engine
from secagent_tui.store.schema import findings, intents
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.campaign_findings import CampaignFindingsScreen
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.campaign_findings import CampaignFindingsTable
from secagent_tui.tui.widgets.campaign_table import NARROW, WIDE, CampaignTable

from .campaign_data import (
    DISMISSED,
    EVIDENCE,
    KEY,
    LONG_KEY,
    NOT_USED,
    NUMBER,
    TEST_ONLY,
    give_evidence,
    plant,
    plant_alerts,
)
from .conftest import TuiEnv, synced_env
from .helpers import loaded, notifications, wait_until

SIZE = (100, 30)
ALERT_PATCH = r"/dependabot/alerts/\d+$"


async def open_campaigns(pilot: Pilot[Any]) -> CampaignsScreen:
    """Through the command palette, as an analyst without the queue's key would."""
    app = pilot.app
    await pilot.press("colon")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
    await pilot.press(*"campaigns")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CampaignsScreen), what="the view")
    screen = app.screen
    assert isinstance(screen, CampaignsScreen)
    await wait_until(pilot, lambda: screen.loads > 0, what="the campaigns read")
    await pilot.pause()
    return screen


async def open_planted(pilot: Pilot[Any], screen: CampaignsScreen) -> CampaignFindingsScreen:
    """The cursor onto the planted campaign, then `enter`."""
    keys = [c.key for c in screen.campaigns or []]
    await pilot.press(*["down"] * keys.index(KEY))
    assert screen.table.current() is not None and screen.table.current().key == KEY  # type: ignore[union-attr]
    await pilot.press("enter")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CampaignFindingsScreen), what="it")
    found = app.screen
    assert isinstance(found, CampaignFindingsScreen)
    await wait_until(pilot, lambda: found.members is not None, what="its findings")
    await pilot.pause()
    return found


async def test_the_palette_opens_the_campaigns_and_enter_a_campaign_then_a_finding(
    tui_env: TuiEnv,
) -> None:
    await plant(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = await open_campaigns(pilot)
        assert screen.filter == FindingFilter()  # the queue's filter: open findings
        planted = next(c for c in screen.campaigns or [] if c.key == KEY)
        counts = planted.counts
        # The queue's filter counts open findings only: the dismissed one is not in it.
        assert (counts.findings, counts.repositories, counts.open) == (5, 5, 5)
        assert (counts.not_used, counts.test_only, counts.used) == (2, 1, 1)
        assert screen.table.row_count == len(screen.campaigns or [])
        found = await open_planted(pilot, screen)
        members = found.members or []
        assert [m.record.finding.repo for m in members][-1] == DISMISSED  # open ones first
        assert {m.record.finding.repo for m in members} == set(EVIDENCE)
        evidence = str(found.query_one("#evidence").render())
        first = members[0]
        assert first.usage is not None and first.usage.value.replace("_", " ") in evidence
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingScreen), what="finding")
        assert app.screen.record.id == first.record.id  # type: ignore[attr-defined]


async def test_the_queue_key_opens_the_campaigns_over_the_queue_filter(tui_env: TuiEnv) -> None:
    await plant(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        narrowed = FindingFilter(states=[AlertState.OPEN, AlertState.DISMISSED])
        queue.set_filter(narrowed)
        await pilot.pause()
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, CampaignsScreen), what="the view")
        screen = app.screen
        assert isinstance(screen, CampaignsScreen)
        assert screen.filter == narrowed
        await wait_until(pilot, lambda: screen.loads > 0, what="the campaigns read")
        planted = next(c for c in screen.campaigns or [] if c.key == KEY)
        # Dismissed findings are in this filter: the planted campaign counts all six.
        assert planted.counts.findings == 6
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back to the queue")


async def test_the_campaign_keys_fit_the_footer_at_80_columns(tui_env: TuiEnv) -> None:
    await plant(tui_env.url)
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = await open_campaigns(pilot)
        assert screen.table.columns_shown == NARROW
        _footer_fits(app)
        found = await open_planted(pilot, screen)
        assert found.query_one("#campaign-split").has_class("-narrow")
        _footer_fits(app)
        await pilot.press("escape")
        await pilot.resize_terminal(160, 48)
        await wait_until(pilot, lambda: screen.table.columns_shown == WIDE, what="wide set")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: screen.table.columns_shown == NARROW, what="narrow")


def _footer_fits(app: SecagentApp, width: int = 80) -> list[str]:
    """Every footer key inside `width` cells and none drawn over another (the palette's
    key, docked right, covered the last one); their descriptions, in order."""
    footer = app.screen.query_one(Footer)
    keys = sorted((k for k in footer.query(FooterKey) if k.display), key=lambda k: k.region.x)
    assert keys and all(k.region.right <= width for k in keys)
    assert all(a.region.right <= b.region.x for a, b in pairwise(keys))
    return [k.description for k in keys]


def _columns_inside(table: CampaignTable | CampaignFindingsTable, width: int) -> None:
    """Every column's cells lie inside the screen's `width`, with no sideways scrolling."""
    assert table.scroll_x == 0 and table.virtual_size.width <= table.size.width
    right = table.region.x
    for column in table.columns.values():
        right += column.get_render_width(table)
        assert right <= width, f"{column.label} ends at {right}, past {width}"


def _cells(table: CampaignTable, line: str) -> dict[str, str]:
    """A painted row's text, column by column, as the columns' widths place it."""
    cells, left = {}, 0
    for key, column in table.columns.items():
        right = left + column.get_render_width(table)
        cells[str(key.value)] = line[left:right].strip()
        left = right
    return cells


async def test_a_long_package_name_is_cut_and_every_column_fits_at_80_100_and_160(
    tui_env: TuiEnv,
) -> None:
    await plant(tui_env.url)
    await plant(tui_env.url, LONG_KEY, NUMBER + 1)
    app = tui_env.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = await open_campaigns(pilot)
        table = screen.table
        for width, height in ((80, 24), (100, 30), (160, 48), (80, 24)):
            await pilot.resize_terminal(width, height)
            wanted = WIDE if width >= 120 else NARROW
            await wait_until(pilot, lambda w=wanted: table.columns_shown == w, what="columns")
            await pilot.pause()
            _columns_inside(table, width)
            keys = [c.key for c in screen.campaigns or []]
            row = _cells(table, table.render_line(1 + keys.index(LONG_KEY)).text)
            package = dict(table.widths)["package"]
            assert row["package"] == LONG_KEY.package[: package - 1] + "…"
            assert row["advisory"] == LONG_KEY.ghsa_id
            # The planted counts over open findings: 5 in 5 repositories, 1 verdict, the
            # evidence used in 1, not used in 2, test-only in 1.
            assert (row["repos"], row["open"]) == ("5", "5")
            if wanted == NARROW:
                assert row["evidence"] == "1/2/1"
            else:
                assert [row[c] for c in ("verdict", "used", "not_used", "test_only")] == [
                    "1/5",
                    "1",
                    "2",
                    "1",
                ]
                assert row["sla"]
        assert _footer_fits(app)[0] == "Open campaign"
        # enter on the table opens the campaign; its list and evidence fit, stacked.
        await pilot.press(*["down"] * keys.index(LONG_KEY), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CampaignFindingsScreen))
        found = app.screen
        assert isinstance(found, CampaignFindingsScreen)
        await wait_until(pilot, lambda: found.members is not None, what="its findings")
        await pilot.pause()
        assert found.campaign.key == LONG_KEY
        _columns_inside(found.table, 80)
        evidence = found.query_one("#campaign-evidence")
        assert evidence.region.y >= found.table.region.bottom  # below the list
        assert evidence.region.right <= 80 and evidence.region.bottom <= 23  # above the footer
        assert _footer_fits(app) == [
            "Open",
            "Back",
            "Analyze",
            "Dismiss",
            "Reopen",
            "Help",
            "Quit",
            "Commands",
        ]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back to the list")
        await pilot.pause()
        assert _footer_fits(app)[0] == "Open campaign"  # the hint is back with the table


async def test_read_only_refuses_the_campaign_dismissal_and_reopen(tui_env: TuiEnv) -> None:
    await plant(tui_env.url)
    app = tui_env.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        found = await open_planted(pilot, await open_campaigns(pilot))
        for key in ("d", "o"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CampaignFindingsScreen)  # no question asked
        assert sum("Read-only mode" in n for n in notifications(app)) == 2
        assert found.members is not None
    engine = create_engine(tui_env.url)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(select(intents))).all() == []
    finally:
        await engine.dispose()


@pytest.fixture
def github() -> Iterator[tuple[GitHubServer, dict[str, int]]]:
    dataset = generate_dataset(seed=0)
    numbers = plant_alerts(dataset)
    with GitHubServer(dataset) as server:
        yield server, numbers


async def test_a_campaign_dismissal_writes_exactly_the_not_used_intents_and_patches(
    tmp_path: Path, github: tuple[GitHubServer, dict[str, int]]
) -> None:
    server, numbers = github
    env = synced_env(tmp_path, server)
    app = env.app(token=server.token, run_pipeline=True, sync_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        grid = await loaded(pilot)
        await wait_until(pilot, lambda: any("Sync ok" in n for n in notifications(app)), timeout=30)
        await wait_until(pilot, lambda: grid.row_count > 5, what="the synced rows")
        engine = create_engine(env.url)
        try:
            await give_evidence(engine, numbers)
            before = len(server.requests_matching("PATCH", ALERT_PATCH))
            found = await open_planted(pilot, await open_campaigns(pilot))
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            question = str(app.screen.query_one("#question").render())
            assert "3 findings in 3 repositories" in question
            assert "not_used, 2: acme/api, acme/web" in question
            assert "tolerable_risk (test-only), 1: acme/payments" in question
            assert "Left open: 2 whose evidence does not settle it" in question
            await pilot.press("y")
            await wait_until(pilot, lambda: any("Dismissed 3" in n for n in notifications(app)))
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(findings.c.repo, intents.c.reason, intents.c.comment).join(
                            findings, findings.c.id == intents.c.finding_id
                        )
                    )
                ).all()
            expected = {(r, "not_used", None) for r in NOT_USED}
            expected |= {(r, "tolerable_risk", TEST_ONLY_COMMENT) for r in TEST_ONLY}
            assert sorted(rows) == sorted(expected)

            def patched() -> set[str]:
                new = server.requests_matching("PATCH", ALERT_PATCH)[before:]
                return {r.path for r in new if r.status == 200}

            wanted = {
                f"/repos/{repo}/dependabot/alerts/{numbers[repo]}" for repo in NOT_USED + TEST_ONLY
            }
            await wait_until(pilot, lambda: len(patched()) >= 3, timeout=30, what="3 PATCHes")
            await pilot.pause(0.5)
            assert patched() == wanted
            assert len(server.requests_matching("PATCH", ALERT_PATCH)) - before == 3
            for repo in NOT_USED + TEST_ONLY:
                alert = server.dataset.alert(repo, numbers[repo])
                assert alert["state"] == AlertState.DISMISSED.value
                reason = "not_used" if repo in NOT_USED else "tolerable_risk"
                assert alert["dismissed_reason"] == reason
            assert server.dataset.alert("acme/auth-service", numbers["acme/auth-service"])[
                "state"
            ] == ("open")
            await wait_until(
                pilot,
                lambda: (
                    sum(m.record.state is AlertState.DISMISSED for m in found.members or []) == 4
                ),
                what="the view to show them dismissed",
            )
        finally:
            await engine.dispose()
