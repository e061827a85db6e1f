"""Every fault of the local Ollama server against each tier: the fault is put on every call
of one tier (the others answer as the demo model does), a full analysis runs on the
production path (runner, handlers, the official ollama client over real sockets, real
SQLite, a real git repository in the sandbox), and the outcome is classified, recorded in
the report, and asserted.

Auto-dismiss is on at its lowest bar in every cell: a fault must never produce an automatic
dismissal (the repository uses the package, and a fallback is never evidence).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.pipeline_env import MODEL, PipelineEnv, analysis_of, rows

from secagent_tui.demo.ollama import DemoResponder, Reply, ScriptedResponder
from secagent_tui.store.jobs import jobs_for
from secagent_tui.store.schema import intents

from .report import ReportBook

REPO = "acme/shop"
FILES = {
    "package.json": json.dumps(
        {"name": "shop", "version": "1.0.0", "dependencies": {"lodash": "^4.17.20"}}, indent=2
    )
    + "\n",
    "src/render.js": (
        "const _ = require('lodash');\n"
        "\n"
        "module.exports = function render(name) {\n"
        "  return _.template('<p>Hello <%= name %></p>')({ name });\n"
        "};\n"
    ),
}
ALERT = {
    "ecosystem": "npm",
    "package": "lodash",
    "manifest_path": "package.json",
    "scope": "runtime",
    "severity": "high",
    "patched": True,
}
TIMEOUTS = {
    "triage_timeout_seconds": 0.4,
    "timeout_seconds": 0.4,
    "extraction_timeout_seconds": 0.4,
}
MISSING = f'model "{MODEL}" not found, try pulling it first'
LONG = " ".join(f"word{i}" for i in range(80))

FAULTS: dict[str, Reply] = {
    "404 model": Reply(error=(404, MISSING)),
    "500": Reply(error=(500, "llama runner process has terminated")),
    "garbage": Reply(content="}}} not json at all {{{"),
    "error line mid-stream": Reply(content=LONG, stream_error="model runner crashed"),
    "cut stream": Reply(content=LONG, cut_stream=True),
    "slow (past the timeout)": Reply(content=LONG, delay=1.5),
}
TRIAGE_FALLBACK = "triage fallback, then a verdict"
SANDBOX_FAILED = "sandbox failed after its attempts, no verdict"
EXTRACTION_FALLBACK = "extraction fallback verdict (unknown, manual review)"
EXPECTED: dict[tuple[str, str], str] = {
    **{("triage", fault): TRIAGE_FALLBACK for fault in FAULTS},
    **{("sandbox", fault): SANDBOX_FAILED for fault in FAULTS},
    ("sandbox", "garbage"): "verdict from the model's text",
    **{("extraction", fault): EXTRACTION_FALLBACK for fault in FAULTS},
}


@dataclass(frozen=True)
class Observed:
    outcome: str
    facts: dict[str, Any]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[PipelineEnv]:
    with PipelineEnv(tmp_path) as e:
        e.add_repo(REPO, FILES)
        yield e


async def _classify(engine: AsyncEngine, run: Any) -> Observed:
    analysis = await analysis_of(engine, run)
    jobs = {j.kind.value: j for j in await jobs_for(engine, run.correlation_id)}
    triage = analysis["triage"] or {}
    verdict = analysis["verdict"] or {}
    facts: dict[str, Any] = {
        "analysis": analysis["status"],
        "jobs": {k: f"{j.status.value}/{j.attempts}" for k, j in sorted(jobs.items())},
        "triage": triage.get("source"),
        "verdict": verdict.get("is_exploitable"),
    }
    if analysis["error"]:
        facts["error"] = analysis["error"][:160]
    if "sandbox" in jobs and jobs["sandbox"].status.value == "failed":
        return Observed(SANDBOX_FAILED if not verdict else "sandbox failed, yet a verdict", facts)
    reasoning = str(verdict.get("exploitability_reasoning", ""))
    if reasoning.startswith("fallback: "):
        fallback_ok = verdict.get("is_exploitable") == "unknown"
        return Observed(EXTRACTION_FALLBACK if fallback_ok else "fallback with a claim", facts)
    if triage.get("source") == "fallback" and verdict:
        return Observed(TRIAGE_FALLBACK, facts)
    if verdict and analysis["status"] == "completed":
        return Observed("verdict from the model's text", facts)
    return Observed(f"analysis {analysis['status']}", facts)


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("tier", ["triage", "sandbox", "extraction"])
async def test_each_tier_under_each_ollama_fault(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str, tier: str, fault: str, book: ReportBook
) -> None:
    env.ollama.responder = ScriptedResponder.by_tier(
        **{tier: FAULTS[fault]}, default=DemoResponder()
    )
    ref = env.add_alert(REPO, **ALERT)
    config = env.config(
        lite_url,
        llm=TIMEOUTS,
        analysis={"max_attempts": 2},
        auto_dismiss={"enabled": True, "min_confidence": "low"},
    )
    records = await env.load_findings(lite)

    run = await asyncio.wait_for(env.analyze(lite, config, records[ref], full=True), 120)

    observed = await _classify(lite, run)
    dismissals = await rows(lite, intents)
    observed.facts["automatic dismissals"] = len(dismissals)
    expected = EXPECTED[(tier, fault)]
    book.record("ollama-faults", f"{tier}: {fault}", expected, observed.outcome, observed.facts)
    assert observed.outcome == expected, observed.facts
    assert dismissals == []


async def test_an_unreachable_ollama_never_dismisses_and_says_why(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str, book: ReportBook
) -> None:
    ref = env.add_alert(REPO, **ALERT)
    config = env.config(
        lite_url,
        analysis={"max_attempts": 2},
        auto_dismiss={"enabled": True, "min_confidence": "low"},
    )
    records = await env.load_findings(lite)
    env.ollama.stop()

    run = await asyncio.wait_for(env.analyze(lite, config, records[ref], full=True), 120)

    observed = await _classify(lite, run)
    dismissals = await rows(lite, intents)
    observed.facts["automatic dismissals"] = len(dismissals)
    book.record(
        "ollama-faults",
        "every tier: refused connection",
        SANDBOX_FAILED,
        observed.outcome,
        observed.facts,
    )
    assert observed.outcome == SANDBOX_FAILED, observed.facts
    assert dismissals == []
