"""Helpers shared by the TUI tests: waiting on the app, reading the database apart from it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from textual.pilot import Pilot

from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.refs import FindingRef
from secagent_tui.domain.triage import Confidence, StoredTriage, TriageAction, TriageSource
from secagent_tui.domain.verdict import Verdict, VerdictAction
from secagent_tui.store import analyses
from secagent_tui.store.findings import get_finding, list_findings
from secagent_tui.store.schema import intents
from secagent_tui.tui.app import SecagentApp
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.header import QueueHeader

from .conftest import FIXED_NOW


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


async def wait_for_async(
    pilot: Pilot[Any], probe: Callable[[], Any], timeout: float = 5.0, what: str = ""
) -> Any:
    """Polls an async probe until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or probe}")
        await pilot.pause(0.05)


def queue(app: SecagentApp) -> QueueScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, QueueScreen)
    return screen


def table(app: SecagentApp) -> FindingsTable:
    return queue(app).query_one(FindingsTable)


async def loaded(pilot: Pilot[Any]) -> FindingsTable:
    """Waits for the first fetches to fill the table and the header's figures."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            app.screen_stack
            and table(app).loaded
            and queue(app).query_one(QueueHeader).stats is not None
        ),
        what="the first table and header fetch",
    )
    await pilot.pause()
    return table(app)


def notifications(app: SecagentApp) -> list[str]:
    return [n.message for n in app._notifications]


async def expected_ids(engine: AsyncEngine, flt: FindingFilter, days: Any) -> set[int]:
    return {r.id for r in await list_findings(engine, flt, days=days, now=FIXED_NOW)}


async def all_intents(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(intents).order_by(intents.c.id))).all())


async def store_analysis(engine: AsyncEngine, ref: str) -> int:
    """A completed analysis with triage, evidence, verdict and a short transcript."""
    record = await get_finding(engine, FindingRef.parse(ref))
    assert record is not None
    analysis_id = await analyses.create_analysis(engine, record.id, "c0ffee", "qwen2.5-coder:7b")
    await analyses.append_transcript(
        engine,
        analysis_id,
        "user",
        "Decide whether async-http-client's vulnerable request parsing is reachable "
        "from this repository. Use the read-only tools list, read and search.",
    )
    await analyses.append_transcript(
        engine, analysis_id, "assistant", 'search("AsyncHTTPClient", "Sources/")'
    )
    await analyses.append_transcript(
        engine,
        analysis_id,
        "tool",
        "Sources/API/Client.swift:12: import AsyncHTTPClient\n"
        "Sources/API/Client.swift:40: let client = HTTPClient(eventLoopGroupProvider: .shared)",
    )
    await analyses.append_transcript(
        engine,
        analysis_id,
        "assistant",
        "The client only sends requests to a fixed internal host; headers are constants, "
        "so the injection path in the advisory needs attacker-controlled header values, "
        "which this code never passes.",
    )
    await analyses.update_analysis(
        engine,
        analysis_id,
        triage=StoredTriage(
            suggested_action=TriageAction.ANALYZE_CODEBASE,
            confidence=Confidence.MEDIUM,
            needs_sandbox=True,
            reasoning="Runtime dependency with a network-facing advisory.",
            dismiss_reason=None,
            source=TriageSource.LLM,
        ),
        evidence={
            "ecosystem": "swift",
            "package": "github.com/swift-server/async-http-client",
            "supported": True,
            "usage": "used",
            "scan_complete": True,
            "files_scanned": 42,
            "files_unreadable": [],
            "manifests": ["Package.resolved"],
            "imports": ["Sources/API/Client.swift:12"],
            "vulnerable_calls": [],
            "mentions": [],
            "reasons": [],
        },
        verdict=Verdict(
            is_exploitable=False,
            confidence=Confidence.HIGH,
            exploitability_reasoning="Header values are constants; no attacker input "
            "reaches the vulnerable parser.",
            usage_locations=["Sources/API/Client.swift:40"],
            suggested_fix="Upgrade to 2.12.9.",
            suggested_action=VerdictAction.DISMISS,
            summary="Used, but not exploitable: headers are never user-controlled.",
        ),
        status=AnalysisStatus.COMPLETED,
    )
    return analysis_id


def run(coro: Any) -> Any:
    return asyncio.run(coro)
