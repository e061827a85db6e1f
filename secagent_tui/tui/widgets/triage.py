"""The triage result (tier 1): the rule or the model's suggestion."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from secagent_tui.tui.widgets.info_panel import InfoPanel, field_line


class TriagePanel(InfoPanel):
    TITLE = "Triage"

    def show(self, triage: dict[str, Any] | None) -> None:
        if not triage:
            self.show_placeholder("Not triaged yet.")
            return
        out = Text()
        out.append(str(triage.get("suggested_action", "?")), style="bold")
        out.append(f"  confidence {triage.get('confidence', '?')}")
        source = triage.get("source")
        if source:
            rule = triage.get("rule")
            out.append(f"  ({source}{': ' + rule if rule else ''})", style="dim")
        field_line(out, "Dismiss reason", triage.get("dismiss_reason"))
        field_line(out, "Needs sandbox", "yes" if triage.get("needs_sandbox") else "no")
        field_line(out, "Reasoning", triage.get("reasoning"))
        self.update(out)
