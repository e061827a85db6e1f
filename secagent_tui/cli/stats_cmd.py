"""`secagent stats`: the operational figures, as text or one JSON document."""

from __future__ import annotations

import json

import click

from secagent_tui.cli.context import AppContext, pass_app
from secagent_tui.domain.stats import Stats
from secagent_tui.domain.text import printable
from secagent_tui.services.reads import FindingReads


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """Operational figures: findings, sync runs, jobs, LLM latency and tokens, auto-dismiss."""

    async def _collect(reads: FindingReads) -> Stats:
        return await reads.stats()

    figures = app.run_with_reads(_collect)
    click.echo(json.dumps(figures.as_json(), indent=2) if as_json else render_stats(figures))


def render_stats(figures: Stats) -> str:
    """The figures as lines. Owner, tier and rate-limit resource names come from the
    database (the last two from servers' answers), so each is made `printable`."""
    f = figures.findings
    sev = f.open_by_severity
    lines = [
        f"findings: {f.total} total; open {f.by_state.get('open', 0)} "
        f"(critical {sev['critical']}, high {sev['high']}, medium {sev['medium']}, "
        f"low {sev['low']}); overdue {f.overdue}; pending push {f.pending_push}",
    ]
    sync = figures.sync
    if not sync.last_by_owner:
        lines.append("sync: never run")
    for owner, run in sorted(sync.last_by_owner.items()):
        status = "ok" if run.ok else "FAILED"
        lines.append(
            f"sync {printable(owner)}: {status} at {run.started_at} in {run.seconds:.1f}s; "
            f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}, "
            f"errors {run.errors}, requests {run.requests}"
        )
    by_status = figures.jobs.by_status
    jobs_text = ", ".join(f"{printable(k)} {v}" for k, v in sorted(by_status.items())) or "none"
    lines.append(f"jobs: {jobs_text}; stale reclaimed {figures.jobs.stale_reclaimed}")
    llm = figures.llm
    lines.append(f"llm: {llm.calls} call(s)")
    for tier, t in sorted(llm.by_tier.items()):
        lines.append(
            f"  {printable(tier)}: {t.calls} calls, p50 {t.p50_ms} ms, p95 {t.p95_ms} ms, "
            f"tokens {t.prompt_tokens}+{t.completion_tokens}, fallbacks {t.fallbacks}"
        )
    auto = figures.auto_dismiss
    lines.append(f"auto-dismiss: {auto.dismissed} dismissed, {auto.failed} failed")
    for resource, rl in sorted(figures.github_rate_limit.items()):
        lines.append(
            f"github {printable(resource)}: {rl.remaining}/{rl.limit} left, resets {rl.reset_at}"
        )
    return "\n".join(lines)
