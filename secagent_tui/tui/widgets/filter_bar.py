"""The line under the header: the view, the filter as chips, the sort, counts, and the
`/` search box."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from secagent_tui.domain.filters import FindingFilter
from secagent_tui.tui.format import COLUMN_LABELS
from secagent_tui.tui.widgets.inputs import StableInput


class SearchInput(StableInput):
    DEFAULT_CSS = """
    SearchInput {
        width: 30;
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
    }
    SearchInput.-shown { display: block; }
    /* Input's focus style draws a border: on a one-line box that left only its top edge
       showing, and what was typed appeared only in the filter bar. Focus is shown by colour. */
    SearchInput:focus {
        border: none;
        background: $accent 30%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "clear",
            "Clear search",
            id="search.clear",
            tooltip="Clear the search text and go back to the table",
        ),
    ]

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Submitted(self, ""))  # back to the table; the box hides


class FilterBar(Horizontal):
    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        background: $boost;
    }
    FilterBar > #chips {
        width: 1fr;
        height: 1;
        padding: 0 1;
        overflow: hidden;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="chips")
        yield SearchInput(placeholder="search repo, package, GHSA, CVE…", id="search")

    def show(
        self,
        flt: FindingFilter,
        view: str | None,
        sort: tuple[str, bool],
        rows: int | None,
        marks: int,
    ) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"[{view}]" if view else "[custom]", style="bold")
        for chip in flt.chips():
            if chip.startswith("/"):
                continue  # the search box shows the text
            text.append(" ")
            text.append(f" {chip} ", style="black on #87afd7")
        if flt.text:
            text.append(" ")
            text.append(f" /{flt.text} ", style="black on #d7af87")
        column, reverse = sort
        text.append(f"  sort:{COLUMN_LABELS.get(column, column)}{'▼' if reverse else '▲'}")
        if rows is not None:
            text.append(f"  {rows} rows", style="dim")
        if marks:
            text.append(f"  {marks} marked", style="bold #ffaf00")
        self.query_one("#chips", Static).update(text)
        search = self.query_one(SearchInput)
        search.set_class(bool(flt.text) or search.has_focus, "-shown")

    def open_search(self) -> None:
        search = self.query_one(SearchInput)
        search.add_class("-shown")
        search.focus()
