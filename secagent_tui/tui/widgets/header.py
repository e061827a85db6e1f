"""The queue's header: owners, open counts by severity, overdue, last sync and its result,
GitHub's rate limit left, and the mode markers (DEMO, READ-ONLY)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from secagent_tui.config import Config
from secagent_tui.domain.finding import Severity
from secagent_tui.domain.stats import Stats
from secagent_tui.tui.format import SEVERITY_STYLE, since

_SHORT = {Severity.CRITICAL: "C", Severity.HIGH: "H", Severity.MEDIUM: "M", Severity.LOW: "L"}


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class QueueHeader(Static):
    DEFAULT_CSS = """
    QueueHeader {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    stats: reactive[Stats | None] = reactive(None, always_update=True)
    sync_status: reactive[str] = reactive("")

    def __init__(self, config: Config, *, demo: bool, read_only: bool, id: str | None = None):
        super().__init__(id=id)
        self._config = config
        self._demo = demo
        self._read_only = read_only
        self.now: datetime | None = None

    def watch_stats(self) -> None:
        self.update(self._render_text())

    def watch_sync_status(self) -> None:
        self.update(self._render_text())

    def on_mount(self) -> None:
        self.update(self._render_text())

    def _render_text(self) -> Text:
        out = Text(no_wrap=False, overflow="fold")
        out.append("secagent", style="bold")
        if self._demo:
            out.append(" ")
            out.append(" DEMO ", style="bold black on #ffaf00")
        if self._read_only:
            out.append(" ")
            out.append(" READ-ONLY ", style="bold white on #005f87")
        elif self._config.auto_dismiss.enabled:
            # Automation that writes to GitHub is never on silently.
            cap = self._config.auto_dismiss.max_severity.value
            out.append(" ")
            out.append(f" AUTO-DISMISS ≤{cap} ", style="bold black on #d7af00")
        owners = ", ".join(f"{o.name}" for o in self._config.owners) or "no owners configured"
        out.append(f"  {owners}", style="italic")
        stats = self.stats
        if stats is None:
            out.append("  · loading…", style="dim")
            return out
        found = stats.findings
        by_sev = found.open_by_severity
        out.append(f"  │ open {found.open}:")
        for sev in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW):
            out.append(f" {_SHORT[sev]} {by_sev.get(sev.value, 0)}", style=SEVERITY_STYLE[sev])
        overdue = found.overdue
        out.append("  │ ")
        out.append(f"overdue {overdue}", style="bold red" if overdue else "")
        pending = found.pending_push
        if pending:
            out.append("  │ ")
            out.append(f"pending push {pending}", style="#d7af00")
        out.append("\n")
        out.append_text(self._sync_text(stats))
        out.append_text(self._rate_text(stats))
        return out

    def _sync_text(self, stats: Stats) -> Text:
        out = Text("sync ")
        if self.sync_status:
            out.append(self.sync_status, style="#5fafff")
            out.append(" · ")
        runs = stats.sync.last_by_owner
        if not runs:
            out.append("never", style="dim")
            return out
        latest = max(runs.values(), key=lambda r: r.started_at or "")
        when = _parse(latest.started_at)
        if when is not None and self.now is not None:
            out.append(f"{since(when, self.now, relative=self._config.ui.relative_times)} ")
        failed = [name for name, r in runs.items() if r.ok is False]
        if failed:
            out.append(f"failed: {', '.join(sorted(failed))}", style="bold red")
        elif any(r.ok is None for r in runs.values()):
            out.append("running", style="#5fafff")
        else:
            changed = sum(r.created + r.updated for r in runs.values())
            out.append("ok", style="green")
            out.append(f" ({changed} changed)", style="dim")
        return out

    def _rate_text(self, stats: Stats) -> Text:
        limits = stats.github_rate_limit
        core = limits.get("core") or next(iter(limits.values()), None)
        if not core:
            return Text("  │ rate —", style="dim")
        remaining, limit = core.remaining, core.limit
        style = "bold red" if limit and remaining < limit * 0.1 else ""
        return Text(f"  │ rate {remaining}/{limit} left", style=style)
