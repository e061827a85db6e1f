"""The extracted verdict (tier 3): exploitable or not, how sure, why, where, what to do."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from secagent_tui.tui.format import verdict_label
from secagent_tui.tui.widgets.info_panel import InfoPanel, field_line


class VerdictPanel(InfoPanel):
    DEFAULT_CSS = """
    VerdictPanel { border: round $success 60%; }
    """
    TITLE = "Verdict"

    def show(self, verdict: dict[str, Any] | None, status: str, error: str | None) -> None:
        out = Text()
        if not verdict:
            waiting = {
                "queued": "Analysis queued…",
                "running": "Analysis running — the transcript grows on the left…",
                "failed": "The last analysis failed.",
            }.get(status, "No verdict yet. Press a to analyze, t to triage.")
            out.append(waiting, style="italic")
            field_line(out, "Error", error, "red")
            self.update(out)
            return
        _, style, _ = verdict_label(verdict)
        value = verdict.get("is_exploitable")
        headline = {True: "EXPLOITABLE", False: "NOT EXPLOITABLE"}.get(value, "UNKNOWN")
        out.append(headline, style=style + " reverse")
        out.append(f"  confidence {verdict.get('confidence', '?')}")
        field_line(out, "Action", verdict.get("suggested_action"))
        field_line(out, "Summary", verdict.get("summary"))
        field_line(out, "Reasoning", verdict.get("exploitability_reasoning"))
        locations = verdict.get("usage_locations") or []
        field_line(out, "Used at", ", ".join(map(str, locations)) or "nowhere found")
        field_line(out, "Fix", verdict.get("suggested_fix"))
        field_line(out, "Error", error, "red")
        self.update(out)
