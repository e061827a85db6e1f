"""The extracted verdict (tier 3): exploitable or not, how sure, why, where, what to do.

A run without its own verdict (failed, queued, running) shows the previous run's below its
status, labelled as such: an analyst never reads an older verdict as the latest run's."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from secagent_tui.domain.verdict import Verdict
from secagent_tui.tui.format import since, verdict_label
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
        verdict: Verdict | None,
        status: str,
        error: str | None,
        *,
        previous: Verdict | None = None,
        previous_at: datetime | None = None,
        now: datetime | None = None,
        relative: bool = True,
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
            when = f", {since(previous_at, now, relative=relative)}" if previous_at and now else ""
            out.append("\n\n")
            _verdict_lines(out, previous, label=f"PREVIOUS RUN{when}: ")
        self.update(out)


def _verdict_lines(out: Text, verdict: Verdict, *, label: str) -> None:
    _, style, _ = verdict_label(verdict)
    headline = {True: "EXPLOITABLE", False: "NOT EXPLOITABLE"}.get(
        verdict.is_exploitable, "UNKNOWN"
    )
    if label:
        out.append(label, style="bold dim")
    out.append(headline, style=style + " reverse")
    out.append(f"  confidence {verdict.confidence.value}")
    field_line(out, "Action", verdict.suggested_action.value)
    field_line(out, "Summary", verdict.summary)
    field_line(out, "Reasoning", verdict.exploitability_reasoning)
    field_line(out, "Used at", ", ".join(verdict.usage_locations) or "nowhere found")
    field_line(out, "Fix", verdict.suggested_fix)
