"""The deterministic evidence pass: manifests, imports, loaders and doubts found in the clone."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from secagent_tui.tui.widgets.info_panel import InfoPanel, field_line

USAGE_STYLE = {
    "used": "bold red",
    "maybe_used": "#d7af00",
    "not_used": "green",
    "test_only": "green",
    "manifest_gone": "bold magenta",
}
_MAX_ITEMS = 8


def _items(values: Any) -> str:
    values = [str(v) for v in values or []]
    shown = ", ".join(values[:_MAX_ITEMS])
    if len(values) > _MAX_ITEMS:
        shown += f", +{len(values) - _MAX_ITEMS} more"
    return shown


class EvidencePanel(InfoPanel):
    TITLE = "Evidence"

    def show(self, evidence: dict[str, Any] | None) -> None:
        if not evidence:
            self.show_placeholder("No evidence yet (the sandbox tier collects it).")
            return
        out = Text()
        usage = str(evidence.get("usage", "?"))
        out.append(usage.replace("_", " "), style=USAGE_STYLE.get(usage, "bold"))
        scanned = evidence.get("files_scanned")
        complete = "complete" if evidence.get("scan_complete") else "incomplete"
        out.append(f"  {scanned} files scanned, {complete}", style="dim")
        if not evidence.get("supported", True):
            out.append("  ecosystem not supported", style="#d7af00")
        elif evidence.get("names_certain") is False:
            out.append("  import names guessed", style="#d7af00")
        if usage == "manifest_gone":
            out.append(
                "\nThe alert's manifest no longer exists in the default branch: the alert is "
                "stale; dismiss it as inaccurate.",
                style="magenta",
            )
        field_line(out, "Manifests", _items(evidence.get("manifests")))
        field_line(out, "Imports", _items(evidence.get("imports")))
        field_line(out, "Loaders", _items(evidence.get("loaders")))
        field_line(out, "Test uses", _items(evidence.get("test_uses")))
        field_line(out, "Computed imports", _items(evidence.get("computed_imports")))
        field_line(out, "Reachable through", _items(evidence.get("reachable_through")))
        field_line(out, "Vulnerable calls", _items(evidence.get("vulnerable_calls")))
        field_line(out, "Mentions", _items(evidence.get("mentions")))
        field_line(out, "Unreadable", _items(evidence.get("files_unreadable")))
        field_line(out, "Notes", "; ".join(map(str, evidence.get("reasons") or [])))
        self.update(out)
