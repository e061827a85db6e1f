"""The health screen's panels, each drawn from one `domain.health.HealthReport`: warnings,
sync runs per owner, LLM tiers, triage outcomes, jobs/auto-dismiss/rate limits, and the
slowest repositories of the latest runs. Sparklines where a trend matters (sync durations,
LLM latencies). Presentation only: the figures and the warnings come from the report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Sparkline, Static

from secagent_tui.domain.health import FALLBACK_WINDOW, HealthReport, fallback_rate
from secagent_tui.domain.stats import TierFigures
from secagent_tui.tui.format import TRIAGE_LABEL, ago

BAR_WIDTH = 20
_REPO_STYLE = {"ok": "green", "error": "bold red", "page_guard": "yellow"}


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}ms" if value < 1000 else f"{value / 1000:.1f}s"


def _count(value: int) -> str:
    if value < 1000:
        return str(value)
    if value < 1_000_000:
        return f"{value / 1000:.1f}k"
    return f"{value / 1_000_000:.1f}M"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


class WarningsPanel(Static):
    """Every warning of the report, or a quiet line when there is none."""

    DEFAULT_CSS = """
    WarningsPanel {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, report: HealthReport | None) -> None:
        if report is None:
            self.update(Text("loading…", style="dim"))
            return
        if not report.warnings:
            self.update(Text("✓ no warnings", style="green"))
            return
        out = Text()
        for i, warning in enumerate(report.warnings):
            if i:
                out.append("\n")
            out.append("⚠ ", style="bold yellow")
            out.append(warning.message, style="yellow")
        self.update(out)


class _Panel(Vertical):
    DEFAULT_CSS = """
    _Panel {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    _Panel .trend {
        height: 1;
    }
    _Panel .trend > Static {
        width: auto;
    }
    _Panel .trend > Sparkline {
        width: 1fr;
        margin-left: 1;
    }
    _Panel .dim {
        color: $text-muted;
    }
    """

    report: reactive[HealthReport | None] = reactive(None, recompose=True)

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title

    def compose(self) -> ComposeResult:
        if self.report is None:
            yield Static(Text("loading…", style="dim"))
            return
        yield from self.body(self.report)

    def body(self, report: HealthReport) -> Iterable[Static | Horizontal]:
        raise NotImplementedError


def _trend(label: Text, data: list[float]) -> Horizontal:
    """A label and a sparkline one cell per value (as wide as there is room for)."""
    spark = Sparkline(data or [0.0])
    spark.styles.max_width = max(len(data), 1)
    return Horizontal(Static(label), spark, classes="trend")


class SyncPanel(_Panel):
    """Each owner's latest run (result, age, duration) and its last runs' durations."""

    def body(self, report: HealthReport) -> Iterable[Static | Horizontal]:
        runs = report.stats.sync.last_by_owner
        names = sorted(set(runs) | set(report.trends.sync))
        if not names:
            yield Static(Text("no sync run yet", style="dim"))
            return
        for name in names:
            last = runs.get(name)
            label = Text(f"{name[:12]:<12} ")
            if last is None:
                label.append("—    ", style="dim")
            elif last.ok is None:
                label.append("run  ", style="cyan")
            elif last.ok:
                label.append("ok   ", style="green")
            else:
                label.append("FAIL ", style="bold red")
            started = _parse(last.started_at) if last else None
            label.append(f"{ago(started, report.now):>4} ago ")
            label.append(f"{last.seconds if last else 0:>6.1f}s")
            trend = report.trends.sync.get(name)
            yield _trend(label, trend.durations if trend else [])
        failed = report.stats.sync.failed_runs
        yield Static(
            Text(f"{report.stats.sync.runs} runs, {failed} failed", style="red" if failed else ""),
            classes="dim",
        )


class LlmPanel(_Panel):
    """Per tier: p50/p95 latency, fallback rate (all calls, and the last ones), tokens, and
    the last calls' latencies."""

    def body(self, report: HealthReport) -> Iterable[Static | Horizontal]:
        tiers = report.stats.llm.by_tier
        if not tiers:
            yield Static(Text("no LLM call yet", style="dim"))
            return
        for name in sorted(tiers):
            figures = tiers[name]
            trend = report.trends.llm.get(name)
            label = Text(f"{name[:10]:<10} ")
            label.append(f"p50 {_ms(figures.p50_ms):>6} p95 {_ms(figures.p95_ms):>6}")
            yield _trend(label, list(trend.durations_ms) if trend else [])
            yield Static(_tier_line(figures, trend.outcomes if trend else ()), classes="dim")


def _tier_line(figures: TierFigures, outcomes: tuple[str, ...]) -> Text:
    """Calls, the fallback rate (all calls; the rule's latest window), errors, tokens in/out."""
    out = Text(f"  {_count(figures.calls)} calls · ")
    warn = "yellow" if figures.fallbacks else ""
    out.append(f"fallback {_pct(figures.fallback_rate)}", style=warn)
    recent = outcomes[-FALLBACK_WINDOW:]
    if recent:
        out.append(f", last {len(recent)} {_pct(fallback_rate(recent))}")
    if figures.errors:
        out.append(f" · {figures.errors} err", style="red")
    out.append(f" · tok {_count(figures.prompt_tokens)}/{_count(figures.completion_tokens)}")
    return out


class OutcomesPanel(_Panel):
    """The stored triages by suggested action (bars) and by where they came from."""

    def body(self, report: HealthReport) -> Iterable[Static | Horizontal]:
        actions = report.trends.triage_actions
        total = sum(actions.values())
        if not total:
            yield Static(Text("no triage yet", style="dim"))
            return
        widest = max(actions.values())
        for action in sorted(actions, key=lambda a: (-actions[a], a)):
            count = actions[action]
            bar = "█" * max(1, round(BAR_WIDTH * count / widest))
            line = Text(f"{TRIAGE_LABEL.get(action, action)[:10]:<10} {count:>6} ")
            line.append(bar, style="cyan")
            line.append(f" {count / total:.0%}", style="dim")
            yield Static(line)
        sources = report.trends.triage_sources
        yield Static(Text(" · ".join(f"{s} {sources[s]}" for s in sorted(sources))), classes="dim")


class OperationsPanel(_Panel):
    """Jobs by status, stale jobs reclaimed, automatic dismissals, GitHub's rate limits."""

    def body(self, report: HealthReport) -> Iterable[Static | Horizontal]:
        stats = report.stats
        jobs = stats.jobs.by_status
        line = Text("jobs  ")
        line.append(" · ".join(f"{s} {jobs[s]}" for s in sorted(jobs)) or "none")
        yield Static(line)
        reclaimed = stats.jobs.stale_reclaimed
        yield Static(Text(f"stale jobs reclaimed {reclaimed}", style="yellow" if reclaimed else ""))
        auto = stats.auto_dismiss
        line = Text(f"auto-dismiss {auto.dismissed} made, ")
        line.append(f"{auto.failed} failed", style="bold red" if auto.failed else "")
        yield Static(line)
        if not stats.github_rate_limit:
            yield Static(Text("rate limit —", style="dim"))
        for resource in sorted(stats.github_rate_limit):
            limit = stats.github_rate_limit[resource]
            low = bool(limit.limit) and limit.remaining < limit.limit * 0.1
            line = Text(f"rate {resource} ")
            line.append(f"{limit.remaining}/{limit.limit} left", style="bold red" if low else "")
            reset = _parse(limit.reset_at)
            if reset is not None and reset > report.now:
                line.append(f" · resets in {ago(report.now, reset)}", style="dim")
            yield Static(line)


class SlowReposTable(DataTable[Text | str]):
    """The latest run's repositories, slowest first (the per-repository sync durations)."""

    DEFAULT_CSS = """
    SlowReposTable {
        height: auto;
        max-height: 12;
    }
    """

    def on_mount(self) -> None:
        self.can_focus = False
        self.add_column("Repository", key="repo")
        self.add_column("Sync", key="seconds")
        self.add_column("Status", key="status")

    def show(self, report: HealthReport) -> None:
        self.clear()
        for repo in report.repos:
            style = _REPO_STYLE.get(repo.status, "dim")
            self.add_row(
                repo.repo,
                Text(f"{repo.seconds:.1f}s", justify="right"),
                Text(repo.status or "—", style=style),
            )
