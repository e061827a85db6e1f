"""The queue (default screen): header, filter bar, and the live findings table.

The table follows the database: a fetch runs ~2 s after the previous one ended (never two
at once), and its rows are applied as a keyed diff. Filter, view and sort changes fetch at
once and are remembered across restarts; so does a move of the table's viewport near the
edge of the rows it holds (the table reaches every finding of the filter, a window at a
time).

The header's figures are read in the same fetch as the rows and applied in the same frame
on every live refresh (at most `REFRESH_SECONDS` apart, and at once after a decision): on
their own slower loop they lagged the table by seconds and once said "pending push 3" while
the pending-push view, fetched later, listed none.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, Static

from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.stats import Stats
from secagent_tui.tui.format import first_start_hint
from secagent_tui.tui.messages import DataChanged, QueueLoaded
from secagent_tui.tui.screens.actions import ACTION_BINDINGS, FindingActions
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.filters import FilterScreen
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.health import HealthScreen
from secagent_tui.tui.screens.jobs import JobsScreen
from secagent_tui.tui.state import UiState
from secagent_tui.tui.views import BUILTIN_VIEWS, View, all_views, same_conditions, view_named
from secagent_tui.tui.widgets.filter_bar import FilterBar, SearchInput
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.header import QueueHeader

REFRESH_SECONDS = 2.0
FOOTER_KEYS = frozenset({"finding.dismiss"})
"""Of the finding actions, the one the queue's footer shows: with the table's open and mark,
search, filter, help and quit it fits 80 columns; every key is in `?` and the palette."""


class QueueScreen(FindingActions):
    DEFAULT_CSS = """
    QueueScreen {
        layout: vertical;
    }
    QueueScreen #first-start {
        display: none;
        padding: 1 2;
        color: $warning;
    }
    QueueScreen #first-start.-shown {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            "Search",
            id="queue.search",
            tooltip="Search repository, package, advisory and CVE as you type",
        ),
        Binding(
            "f",
            "filters",
            "Filter",
            id="queue.filter",
            tooltip="Choose state, severity, ecosystem, scope, triage and verdict filters",
        ),
        Binding(
            "v",
            "next_view",
            "Next view",
            show=False,
            id="queue.next_view",
            tooltip="Cycle the saved views of [ui.views]",
        ),
        *(
            Binding(
                str(i + 1),
                f"view({i})",
                f"View: {view.name}",
                show=False,
                id=f"queue.view_{i + 1}",
                tooltip=f"The queue filtered to {view.name}",
            )
            for i, view in enumerate(BUILTIN_VIEWS)
        ),
        Binding(
            "x",
            "reset_filter",
            "Reset filter",
            show=False,
            id="queue.reset_filter",
            tooltip="Back to the default filter: open findings, no search",
        ),
        Binding(
            "J",
            "jobs",
            "Jobs",
            show=False,
            id="queue.jobs",
            tooltip="Every job in the database, live: cancel, retry, progress",
        ),
        Binding(
            "H",
            "health",
            "Health",
            show=False,
            id="queue.health",
            tooltip="Sync, model, triage and push figures with their trends",
        ),
        Binding(
            "C",
            "campaigns",
            "Campaigns",
            show=False,
            id="queue.campaigns",
            tooltip="The queue's findings grouped by advisory across repositories",
        ),
        *(b if b.id in FOOTER_KEYS else replace(b, show=False) for b in ACTION_BINDINGS),
    ]

    def __init__(self, state: UiState) -> None:
        super().__init__()
        self.state = state
        self.rows: int | None = None
        self.loads = 0
        """Pages applied so far (a benchmark or a test waits for the next)."""
        self._loop = self.live_loop(self._fetch, lambda: REFRESH_SECONDS, group="queue-fetch")
        self._stats_due = True
        self._stats_at = float("-inf")

    def compose(self) -> ComposeResult:
        app = self.host
        yield QueueHeader(app.config, demo=app.demo, read_only=app.read_only, id="header")
        yield FilterBar(id="filter-bar")
        yield Static(id="first-start")
        yield FindingsTable(
            sort_column=self.state.sort_column, sort_reverse=self.state.sort_reverse, id="table"
        )
        yield Footer()

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    def on_mount(self) -> None:
        self.watch(self.app, "sync_status", self._sync_status, init=True)
        self._show_filter()
        self.table.focus()
        self._refresh(stats=True)

    def _refresh(self, *, stats: bool) -> None:
        if stats:
            self._stats_due = True
        if self.host.services is None:
            return
        self._loop.now()

    def _sync_status(self, status: str) -> None:
        self.query_one(QueueHeader).sync_status = status

    def selected_records(self) -> list[FindingRecord]:
        return self.table.selection()

    def after_decision(self) -> None:
        self.table.clear_marks()

    # ------------------------------------------------------------------ live data

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        message.stop()
        self._refresh(stats=True)

    async def _fetch(self) -> None:
        """The table's window, and with it the header's figures on a live refresh (not on a
        move, a filter or a sort change, which change no count)."""
        services = self.host.services
        if services is None:  # the database is not open yet: DatabaseReady fetches again
            return
        flt, table = self.state.filter, self.table
        sort = (table.sort_column, table.sort_reverse)
        request = table.window_request()
        stats: Stats | None = None
        if self._stats_due or time.monotonic() - self._stats_at >= REFRESH_SECONDS:
            self._stats_due = False
            self._stats_at = time.monotonic()
            stats = await services.stats()
        page = await services.finding_window(flt, *sort, request.page)
        # Every presence row, not those of the window: only findings open right now have
        # one (a handful), which is cheaper to read whole than to ask by 300 ids.
        viewers = await services.viewers(None)
        self.post_message(QueueLoaded(flt, sort, request, page, stats, viewers))

    def _show_stats(self, stats: Stats) -> None:
        header = self.query_one(QueueHeader)
        header.now = self.host.clock()
        header.stats = stats
        self._show_first_start(stats.findings.total == 0)

    def _show_first_start(self, empty: bool) -> None:
        """An empty database says how to fill it, instead of an empty table and 'sync never'."""
        hint = self.query_one("#first-start", Static)
        hint.set_class(empty, "-shown")
        if empty:
            host = self.host
            hint.update(
                first_start_hint(
                    owners=len(host.config.owners),
                    can_sync=host.can_sync,
                    sync_minutes=host.config.ui.sync_minutes,
                    config=str(host.config.source or "the config file"),
                )
            )

    @on(QueueLoaded)
    def _loaded(self, message: QueueLoaded) -> None:
        message.stop()
        table = self.table
        current = message.filter == self.state.filter and message.sort == (
            table.sort_column,
            table.sort_reverse,
        )
        with self.app.batch_update():  # the header and the table in one frame
            if message.stats is not None:
                self._show_stats(message.stats)
            if not current:
                self._stats_due |= message.stats is not None
                return  # a newer filter or order is already being fetched
            app = self.host
            table.apply_page(message.page, message.request, app.clock(), app.config.sla.days())
            table.show_viewers(message.viewers)
            self.rows = message.page.total
            self.loads += 1
            self._show_filter()

    def refresh_now(self, *, stats: bool = False) -> None:
        self._refresh(stats=stats)

    def remote_changed(self, tables: frozenset[str]) -> None:
        """Another session's commit: the window, who is looking at it, and the header's
        counts (a dismissal elsewhere changes them)."""
        if not self._loop.paused:
            self._refresh(stats=True)

    # ------------------------------------------------------------------ filter state

    def set_filter(self, flt: FindingFilter, view: str | None = None) -> None:
        if view is None:
            current = view_named(self.state.view, self._views)
            view = current.name if current and same_conditions(current.filter, flt) else None
        self.state.filter, self.state.view = flt, view
        self.table.reset("filter")
        self._changed_state()
        self.refresh_now()

    def _changed_state(self) -> None:
        self._show_filter()
        self.host.save_state(self.state)

    def _show_filter(self) -> None:
        table = self.table
        self.query_one(FilterBar).show(
            self.state.filter,
            self.state.view,
            (table.sort_column, table.sort_reverse),
            self.rows,
            len(table.marks),
        )

    @on(FindingsTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._show_filter()

    @on(FindingsTable.SortChanged)
    def _sort_changed(self, message: FindingsTable.SortChanged) -> None:
        self.state.sort_column, self.state.sort_reverse = message.column, message.reverse
        self._changed_state()
        self.refresh_now()  # the window around the cursor's finding, in the new order

    @on(FindingsTable.WindowWanted)
    def _window_wanted(self, message: FindingsTable.WindowWanted) -> None:
        message.stop()
        self.refresh_now()

    @on(FindingsTable.OpenRequested)
    def _open(self, message: FindingsTable.OpenRequested) -> None:
        self.app.push_screen(FindingScreen(message.record))

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        self.query_one(FilterBar).open_search()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value != self.state.filter.text:
            self.set_filter(self.state.filter.with_changes(text=event.value), self.state.view)

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.table.focus()
        self._show_filter()

    # ------------------------------------------------------------------ filters and views

    def action_filters(self) -> None:
        def done(flt: FindingFilter | None) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.app.push_screen(FilterScreen(self.state.filter), done)

    @property
    def _views(self) -> tuple[View, ...]:
        return all_views(self.host.config.ui.views)

    def action_view(self, index: int) -> None:
        view = self._views[index]
        self.set_filter(view.filter.with_changes(text=self.state.filter.text), view.name)

    def action_next_view(self) -> None:
        names = [v.name for v in self._views]
        index = names.index(self.state.view) + 1 if self.state.view in names else 0
        self.action_view(index % len(names))

    def action_jobs(self) -> None:
        """The Jobs pane: every job in the database, live."""
        self.app.push_screen(JobsScreen())

    def action_health(self) -> None:
        """The health screen: sync runs, LLM tiers, triage outcomes, warnings; live."""
        self.app.push_screen(HealthScreen())

    def action_campaigns(self) -> None:
        """The campaign view over this filter, so its counts are the queue's findings."""
        self.app.push_screen(CampaignsScreen(self.state.filter))

    def action_reset_filter(self) -> None:
        self.query_one(SearchInput).value = ""
        self.set_filter(BUILTIN_VIEWS[0].filter, BUILTIN_VIEWS[0].name)
