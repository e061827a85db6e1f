"""SIGKILL at seeded random moments of a dismissal push, an analysis and a sync, in real
processes (a runner from tests/support/run_worker.py; `python -m secagent_tui sync`) against
the demo's local GitHub and Ollama. After each kill a fresh process finishes the work, and
then: everything completed, the database is consistent (no job left queued or running, no
finding waiting for a push that no job will make), and GitHub's final state equals the
intents. Duplicate PATCHes are counted: one may only follow a kill during its request, and
GitHub's answer to the repeat ("already dismissed") confirms it.

The kill moment of round N of a kind is drawn from `random.Random(f"{kind}-{N}")`, so a
failing round is rerun exactly. 20 rounds per kind at full scale, 1 in the quick run.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.github_env import dataset_refs, stored
from support.pipeline_env import rows
from support.workers import REPO_ROOT, WAIT_TIMEOUT, Workers, sync_all, worker_env, worker_pool

from secagent_tui.config import Config
from secagent_tui.demo.ollama import DemoResponder
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.finding import AlertState
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.pipeline.decisions import decide
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import FindingFilter, list_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import analyses, findings, intents, jobs, sync_runs

from .conftest import scale
from .report import ReportBook

ROUNDS = 20 if scale() == "full" else 1
LEASE = 5  # seconds, the least the config takes: a killed runner's lease runs out soon
DECISIONS = 6
ANALYSES = 2
DELIVERED = "every decision on GitHub as intended, consistent"
COMPLETED = "every analysis completed, each step once, consistent"
HEALED = "the next sync completes the store, consistent"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(
        folder, orgs={"acme": 2}, users={}, alerts_per_repo=8, auto_dismiss=False, latency=0.05
    ) as demo:
        demo.ollama.responder = DemoResponder(delay=0.2)
        yield demo


@pytest.fixture
def workers(session: DemoSession, tmp_path: Path) -> Iterator[Workers]:
    with worker_pool(session.token, tmp_path) as pool:
        yield pool


def _config(session: DemoSession) -> Config:
    return session.write_config(
        {
            "analysis": {
                "lease_seconds": LEASE,
                "backoff_seconds": 0.2,
                "dismiss_writes_per_second": 4.0,
                "max_attempts": 3,
            }
        },
        name="config-crash.toml",
    )


async def _kill_at(proc: subprocess.Popen[str], seconds: float) -> bool:
    """SIGKILL `proc` `seconds` from now; whether it was still running then."""
    await asyncio.sleep(seconds)
    if proc.poll() is not None:
        return False
    proc.kill()
    await asyncio.to_thread(proc.wait, 10)
    return True


async def _stranded(engine: AsyncEngine) -> dict[str, int]:
    """What a consistent database never holds once the work is done."""
    async with engine.connect() as conn:
        active = (
            await conn.execute(select(jobs.c.id).where(jobs.c.status.in_(("queued", "running"))))
        ).all()
        waiting = (await conn.execute(select(findings.c.id).where(findings.c.pending_push))).all()
        pending = (
            await conn.execute(select(intents.c.id).where(intents.c.status == "pending"))
        ).all()
    return {
        "active jobs": len(active),
        "findings pending push": len(waiting),
        "pending intents": len(pending),
    }


def _problems(facts: dict[str, Any]) -> list[str]:
    return [f"{k} {v}" for k, v in facts.items() if k in _MUST_BE_ZERO and v]


_MUST_BE_ZERO = {
    "active jobs",
    "findings pending push",
    "pending intents",
    "intents not confirmed",
    "alerts not as intended",
    "duplicate PATCHes not after a kill",
    "analyses not completed",
    "steps run after completing",
    "refs missing or extra",
    "states differing",
}


# ------------------------------------------------------------------------------ push


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_a_push_killed_at_a_random_moment_still_delivers_every_decision_once(
    round_: int, session: DemoSession, workers: Workers, book: ReportBook
) -> None:
    rng = random.Random(f"push-{round_}")
    config = _config(session)
    assert config.source is not None
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        chosen = (await list_findings(engine, FindingFilter(owner="acme")))[:DECISIONS]
        await decide(
            engine,
            config,
            chosen,
            "dismiss",
            actor="analyst",
            correlation_id="crash",
            reason="tolerable_risk",
            comment="crash round",
        )
        delay = rng.uniform(0.8, 3.0)
        first = workers.start(config.source, worker_id="worker-a")
        killed = await _kill_at(first, delay)
        before_restart = len(_patches(session))
        await workers.finish(workers.start(config.source, worker_id="worker-b"))

        facts: dict[str, Any] = {"kill after s": round(delay, 2), "killed mid-run": killed}
        facts["PATCHes answered before the kill"] = before_restart
        facts.update(await _stranded(engine))
        decisions = await rows(engine, intents)
        facts["intents not confirmed"] = sum(r["status"] != "confirmed" for r in decisions)
        facts["alerts not as intended"] = sum(
            session.dataset.alert(r.finding.repo, r.finding.number)["state"] != "dismissed"
            for r in chosen
        )
        sent = _patches(session)
        repeats = len(sent) - len({p.path for p in sent})
        facts["duplicate PATCHes"] = repeats
        facts["duplicate PATCHes not after a kill"] = 0 if killed else repeats
    finally:
        await engine.dispose()

    _record(book, f"dismissal push, round {round_ + 1}", DELIVERED, facts, DECISIONS)


def _patches(session: DemoSession) -> list[Any]:
    return session.github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")


def _record(book: ReportBook, name: str, expected: str, facts: dict[str, Any], jobs: int) -> None:
    problems = _problems(facts)
    observed = expected if not problems else "; ".join(problems)
    book.record("crashes", name, expected, observed, facts, load=(2, jobs))
    assert observed == expected, facts


# ------------------------------------------------------------------------------ analysis


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_an_analysis_killed_at_a_random_moment_completes_each_step_once(
    round_: int, session: DemoSession, workers: Workers, book: ReportBook
) -> None:
    rng = random.Random(f"analysis-{round_}")
    config = _config(session)
    assert config.source is not None
    engine = create_engine(config.database.url)
    try:
        await upgrade(engine)
        await sync_all(engine, config, session.token)
        chosen = (await list_findings(engine, FindingFilter(owner="acme")))[:ANALYSES]
        for index, record in enumerate(chosen):
            await enqueue_analysis(
                engine, config, record, correlation_id=f"crash-{index}", full=True
            )
        delay = rng.uniform(0.8, 4.0)
        first = workers.start(config.source, worker_id="worker-a")
        killed = await _kill_at(first, delay)
        await workers.finish(workers.start(config.source, worker_id="worker-b"))

        facts: dict[str, Any] = {"kill after s": round(delay, 2), "killed mid-run": killed}
        facts.update(await _stranded(engine))
        runs = await rows(engine, analyses)
        latest = {r["finding_id"]: r for r in sorted(runs, key=lambda r: r["id"])}
        facts["analyses not completed"] = sum(r["status"] != "completed" for r in latest.values())
        job_rows = await rows(engine, jobs)
        per_chain: dict[tuple[str, str], int] = {}
        for job in job_rows:
            key = (job["correlation_id"], job["kind"])
            per_chain[key] = per_chain.get(key, 0) + 1
        facts["steps run after completing"] = sum(n - 1 for n in per_chain.values() if n > 1)
        facts["retried attempts"] = sum(max(0, j["attempts"] - 1) for j in job_rows)
    finally:
        await engine.dispose()

    _record(book, f"analysis, round {round_ + 1}", COMPLETED, facts, 3 * ANALYSES)


# ------------------------------------------------------------------------------ sync


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_a_sync_killed_at_a_random_moment_leaves_a_store_the_next_sync_completes(
    round_: int, session: DemoSession, tmp_path: Path, book: ReportBook
) -> None:
    rng = random.Random(f"sync-{round_}")
    session.github.latency = 1.5  # a sync of this dataset then takes about five seconds
    config = _config(session)
    assert config.source is not None
    env = worker_env(session.token, tmp_path)
    command = [sys.executable, "-m", "secagent_tui", "--config", str(config.source), "sync"]
    delay = rng.uniform(1.0, 3.5)
    first = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    started = time.monotonic()
    killed = await _kill_at(first, delay)
    first.communicate()
    second = await asyncio.to_thread(
        subprocess.run,
        command,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_TIMEOUT,
    )
    assert second.returncode == 0, second.stderr[-2000:]

    engine = create_engine(config.database.url)
    try:
        records = await stored(engine)
        expected = dataset_refs(session.dataset, "acme")
        facts: dict[str, Any] = {
            "kill after s": round(delay, 2),
            "killed mid-run": killed,
            "seconds": round(time.monotonic() - started, 1),
        }
        facts["refs missing or extra"] = len(set(records) ^ set(expected))
        facts["states differing"] = sum(
            records[ref].state is not AlertState(payload["state"])
            for ref, payload in expected.items()
            if ref in records
        )
        runs = await rows(engine, sync_runs)
        facts["sync runs"] = len(runs)
        facts["runs without an end (the killed one)"] = sum(r["ok"] is None for r in runs)
        facts.update(await _stranded(engine))
    finally:
        await engine.dispose()

    _record(book, f"sync, round {round_ + 1}", HEALED, facts, 1)
