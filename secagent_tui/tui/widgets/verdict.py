"""The extracted verdict (tier 3): exploitable or not, how sure, why, where, what to do.

A run without its own verdict (failed, queued, running) shows the previous run's below its
status, labelled as such: an analyst never reads an older verdict as the latest run's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from secagent_tui.tui.format import ago, verdict_label
from secagent_tui.tui.widgets.info_panel import InfoPanel, field_line

_WAITING = {
    "queued": "Analysis queued…",
    "running": "Analysis running — the transcript grows on the left…",
    "failed": "The last analysis failed.",
}


class VerdictPanel(InfoPanel):
    DEFAULT_CSS = """
    VerdictPanel { border: round $success 60%; }
    """
    TITLE = "Verdict"

    def show(
        self,
        verdict: dict[str, Any] | None,
        status: str,
        error: str | None,
        *,
        previous: dict[str, Any] | None = None,
        previous_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None:
        out = Text()
        if verdict:
            _verdict_lines(out, verdict, label="")
            field_line(out, "Error", error, "red")
            self.update(out)
            return
        out.append(_WAITING.get(status, "No verdict yet. Press a to analyze, t to triage."))
        out.stylize("italic")
        field_line(out, "Error", error, "red")
        if previous:
            when = f", {ago(previous_at, now)} ago" if previous_at and now else ""
            out.append("\n\n")
            _verdict_lines(out, previous, label=f"PREVIOUS RUN{when}: ")
        self.update(out)


def _verdict_lines(out: Text, verdict: dict[str, Any], *, label: str) -> None:
    _, style, _ = verdict_label(verdict)
    headline = {True: "EXPLOITABLE", False: "NOT EXPLOITABLE"}.get(
        verdict.get("is_exploitable"), "UNKNOWN"
    )
    if label:
        out.append(label, style="bold dim")
    out.append(headline, style=style + " reverse")
    out.append(f"  confidence {verdict.get('confidence', '?')}")
    field_line(out, "Action", verdict.get("suggested_action"))
    field_line(out, "Summary", verdict.get("summary"))
    field_line(out, "Reasoning", verdict.get("exploitability_reasoning"))
    locations = verdict.get("usage_locations") or []
    field_line(out, "Used at", ", ".join(map(str, locations)) or "nowhere found")
    field_line(out, "Fix", verdict.get("suggested_fix"))
