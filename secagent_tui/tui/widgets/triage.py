"""The triage result (tier 1): the rule or the model's suggestion."""

from __future__ import annotations

from rich.text import Text

from secagent_tui.domain.triage import StoredTriage
from secagent_tui.tui.widgets.info_panel import InfoPanel, field_line


class TriagePanel(InfoPanel):
    TITLE = "Triage"

    def show(self, triage: StoredTriage | None) -> None:
        if not triage:
            self.show_placeholder("Not triaged yet.")
            return
        out = Text()
        out.append(triage.suggested_action.value, style="bold")
        out.append(f"  confidence {triage.confidence.value}")
        rule = f": {triage.rule}" if triage.rule else ""
        out.append(f"  ({triage.source.value}{rule})", style="dim")
        reason = triage.dismiss_reason
        field_line(out, "Dismiss reason", reason.value if reason else None)
        field_line(out, "Needs sandbox", "yes" if triage.needs_sandbox else "no")
        field_line(out, "Reasoning", triage.reasoning)
        self.update(out)
