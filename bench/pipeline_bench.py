"""Pipeline benchmark: tier-1 triage of 200 findings with the local Ollama answering in 200 ms.

The findings are open alerts of the demo dataset (four organizations, so the per-owner limit
can scale), stored as a sync stores them, then queued with `enqueue_analysis(triage_only=True)`
and run by the production runner (`Pipeline`) through the real ollama client against the local
Ollama server, whose DemoResponder answers every chat after 200 ms. In one run:
  (a) serial      — runner slots 1, max_concurrent_per_owner 1;
  (b) concurrent  — the configured limit, max_concurrent_per_owner 3 (the default), slots 8.
Two realistic deterministic rules are configured (dismiss development-scope low severity as
tolerable_risk; manual review for critical CWE-502): the findings they settle make no LLM call.
Each phase starts from an empty SQLite database. It prints findings per minute for both, the
ratio, what the rules settled, and the LLM's concurrency as the server saw it; the last line
is one JSON object.

Run: python bench/pipeline_bench.py [--findings N] [--delay S] [--slots N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from secagent_tui.config import Config
from secagent_tui.demo.github import generate_dataset
from secagent_tui.demo.ollama import DemoResponder, OllamaServer
from secagent_tui.demo.stack import folder_sections, merged, owner_tables, sqlite_url, write_config
from secagent_tui.domain.finding import Finding
from secagent_tui.domain.refs import FindingRef
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.pipeline.wiring import Pipeline
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding, upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import analyses, llm_calls

ORGS = ("acme", "globex", "initech", "umbrella")
REPOS_PER_ORG = 3
RULES = [
    {
        "name": "dev-only low",
        "action": "dismiss",
        "reason": "tolerable_risk",
        "comment": "Development dependency with low severity; not shipped.",
        "scope": "development",
        "severity": ["low"],
    },
    {
        "name": "critical deserialization",
        "action": "manual_review",
        "min_severity": "critical",
        "cwe": ["CWE-502"],
    },
]


def _open_findings(count: int) -> list[Finding]:
    """`count` open alerts spread over every organization (about half the alerts are open),
    parsed as a sync parses them."""
    per_repo = math.ceil(count * 2.5 / (len(ORGS) * REPOS_PER_ORG))
    dataset = generate_dataset(dict.fromkeys(ORGS, REPOS_PER_ORG), {}, per_repo, seed=42)
    alerts = [
        (alert["number"], repo.full_name, alert)
        for repo in dataset.repos()
        for alert in repo.alerts.values()
        if alert["state"] == "open"
    ]
    alerts.sort(key=lambda item: (item[0], item[1]))  # interleave the owners
    if len(alerts) < count:
        raise SystemExit(f"the dataset has only {len(alerts)} open alerts")
    return [parse_alert(alert, repo) for _, repo, alert in alerts[:count]]


def _config(folder: Path, name: str, ollama: OllamaServer, per_owner: int) -> Config:
    sections = merged(
        folder_sections(folder, sqlite_url(folder / f"{name}.db")),
        {
            "owners": owner_tables(orgs=ORGS),
            "llm": {"host": ollama.base_url},
            "analysis": {"max_concurrent_per_owner": per_owner},
            "observability": {"log_file": folder / f"{name}.log"},
            "triage": {"rules": RULES},
        },
    )
    return write_config(folder / f"{name}.toml", sections)


async def _phase(
    folder: Path,
    name: str,
    ollama: OllamaServer,
    findings: list[Finding],
    *,
    slots: int,
    per_owner: int,
) -> dict[str, Any]:
    config = _config(folder, name, ollama, per_owner)
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await upsert_findings(engine, findings)
        for i, finding in enumerate(findings):
            record = await get_finding(engine, FindingRef.parse(finding.ref))
            assert record is not None
            await enqueue_analysis(
                engine, config, record, correlation_id=f"{name}-{i}", triage_only=True
            )
        ollama.reset_log()
        pipeline = Pipeline(engine, config, None, slots=slots)
        started = time.perf_counter()
        try:
            summary = await pipeline.runner.run(until_idle=True)
        finally:
            pipeline.close()
        seconds = time.perf_counter() - started
        async with engine.connect() as conn:
            statuses = dict(
                (
                    await conn.execute(
                        select(analyses.c.status, func.count()).group_by(analyses.c.status)
                    )
                ).all()
            )
            triages = [r[0] for r in await conn.execute(select(analyses.c.triage))]
            calls = (await conn.execute(select(func.count()).select_from(llm_calls))).scalar_one()
    finally:
        await engine.dispose()
    rules_settled = sum(1 for t in triages if t and t.get("source") == "rule")
    if statuses != {"completed": len(findings)} or summary.failed:
        raise SystemExit(f"{name}: not every triage completed: {statuses}, {summary}")
    if calls != len(findings) - rules_settled:
        raise SystemExit(f"{name}: {calls} LLM calls for {len(findings) - rules_settled} findings")
    return {
        "seconds": seconds,
        "per_min": len(findings) / seconds * 60,
        "rules_settled": rules_settled,
        "llm_calls": calls,
        "max_in_flight": ollama.max_in_flight_chats,
        "actions": _actions(triages),
    }


def _actions(triages: list[dict[str, Any] | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in triages:
        key = f"{t['source']}:{t['suggested_action']}" if t else "none"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


async def main(count: int, delay: float, slots: int) -> dict[str, Any]:
    findings = _open_findings(count)
    with tempfile.TemporaryDirectory(prefix="secagent-pipeline-bench-") as tmp:
        folder = Path(tmp)
        with OllamaServer(responder=DemoResponder(delay=delay)) as ollama:
            serial = await _phase(folder, "serial", ollama, findings, slots=1, per_owner=1)
            concurrent = await _phase(
                folder, "concurrent", ollama, findings, slots=slots, per_owner=3
            )
    owners = len({f.owner_name for f in findings})
    print(
        f"{count} findings over {owners} owners, tier-1 triage only, "
        f"Ollama answering in {delay * 1000:.0f} ms per call"
    )
    print(
        f"rules settled {serial['rules_settled']} with no LLM call; "
        f"LLM calls {serial['llm_calls']}; outcomes {serial['actions']}"
    )
    print(
        f"(a) serial     (slots 1, 1 per owner):     {serial['seconds']:6.2f}s  "
        f"{serial['per_min']:7.0f} findings/min  (max {serial['max_in_flight']} chat at once)"
    )
    print(
        f"(b) concurrent (slots {slots}, 3 per owner):     {concurrent['seconds']:6.2f}s  "
        f"{concurrent['per_min']:7.0f} findings/min  "
        f"(max {concurrent['max_in_flight']} chats at once)"
    )
    print(f"concurrent vs serial: {concurrent['per_min'] / serial['per_min']:.1f}x")
    return {
        "bench": "pipeline",
        "findings": count,
        "serial_per_min": round(serial["per_min"], 1),
        "concurrent_per_min": round(concurrent["per_min"], 1),
        "rules_settled": serial["rules_settled"],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--slots", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.findings, args.delay, args.slots))))
