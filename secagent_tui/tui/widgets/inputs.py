"""An Input that does not blink when the app runs headless (tests, benchmarks), so
screenshots are stable; an analyst's terminal still gets the blinking cursor."""

from __future__ import annotations

from textual.widgets import Input


class StableInput(Input):
    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False
