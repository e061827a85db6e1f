"""Five processes at once on one database — two runners, `secagent sync` over and over,
`secagent dismiss` batch after batch, and a headless TUI worked from the keyboard (with its
own in-process runner) — on one SQLite file and, separately, on PostgreSQL (pgserver),
against the demo's local GitHub and Ollama (each chat "thinks" 0.3 s, so LLM jobs overlap).

What must hold: the per-owner limit of running LLM jobs is never exceeded (measured at the
Ollama server: chats in flight at once), no intent is lost (every ref a dismiss command
recorded is confirmed and dismissed on GitHub), duplicate PATCHes are counted, every process
exits 0, and no "database is locked", deadlock or traceback reaches a user. 12 seconds of
work in the quick run, 3 minutes at full scale.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import postgres_url
from sqlalchemy import select
from support.workers import REPO_ROOT, WAIT_TIMEOUT, WORKER, Workers, worker_env

from secagent_tui.config import Config
from secagent_tui.demo.ollama import DemoResponder
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.finding import AlertState
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.pipeline.sync import SyncService, api_factory_for
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import FindingFilter, list_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import analyses, intents

from .conftest import scale
from .report import ReportBook

SECONDS = 180.0 if scale() == "full" else 12.0
ANALYSES = 24 if scale() == "full" else 6
# Enough open findings for the analyses and for dismiss batches after them: at 12 a repository
# the full scale's 24 analyses took every open finding, and the dismiss side decided nothing.
ALERTS_PER_REPO = 40 if scale() == "full" else 12
LIMIT = 3  # [analysis] max_concurrent_per_owner (the default)
BATCH = 2
TUI = REPO_ROOT / "tests" / "support" / "run_tui.py"
USER_VISIBLE_FAILURES = ("database is locked", "deadlock", "Traceback")
EXPECTED = "limit kept, no intent lost, no lock error reached a user"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(
        folder,
        orgs={"acme": 3},
        users={},
        alerts_per_repo=ALERTS_PER_REPO,
        auto_dismiss=False,
        latency=0.02,
    ) as demo:
        demo.ollama.responder = DemoResponder(delay=0.3)
        yield demo


def _config(session: DemoSession, backend: str, request: pytest.FixtureRequest) -> Config:
    database_url = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"many_{uuid.uuid4().hex[:8]}"
        server.psql(f"CREATE DATABASE {name};")
        database_url = postgres_url(server, name)
    return session.write_config(
        {
            "analysis": {
                "lease_seconds": 10,
                "backoff_seconds": 0.2,
                "dismiss_writes_per_second": 5.0,
                "max_concurrent_per_owner": LIMIT,
            },
            "ui": {"sync_minutes": 0},
        },
        database_url=database_url,
        name=f"config-many-{backend}.toml",
    )


class Processes:
    """Every process of the run, with what it printed."""

    def __init__(self, env: dict[str, str], config: Path) -> None:
        self.env = env
        self.config = config
        self.finished: list[tuple[str, int, str]] = []  # (what, exit code, stderr)

    async def run(self, what: str, *args: str, timeout: float = WAIT_TIMEOUT) -> str:
        proc = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, *args],
            env=self.env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.finished.append((what, proc.returncode, proc.stderr))
        return proc.stdout

    def secagent(self, what: str, *args: str) -> Any:
        return self.run(what, "-m", "secagent_tui", "--config", str(self.config), *args)


async def _sync_loop(procs: Processes, until: float) -> int:
    runs = 0
    while time.monotonic() < until:
        await procs.secagent("secagent sync", "sync")
        runs += 1
    return runs


async def _dismiss_loop(procs: Processes, refs: list[str], until: float) -> list[str]:
    decided: list[str] = []
    while refs and time.monotonic() < until:
        batch, refs[:] = refs[:BATCH], refs[BATCH:]
        out = await procs.secagent(
            "secagent dismiss", "dismiss", *batch, "--reason", "tolerable_risk", "--comment", "load"
        )
        if f"dismissed {len(batch)} finding(s) locally" in out:
            decided += batch
        await asyncio.sleep(1.0)
    return decided


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_five_processes_on_one_database_keep_the_limit_and_lose_nothing(
    backend: str,
    session: DemoSession,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    book: ReportBook,
) -> None:
    config = _config(session, backend, request)
    assert config.source is not None
    engine = create_engine(config.database.url)
    env = worker_env(session.token, tmp_path)
    procs = Processes(env, config.source)
    try:
        await upgrade(engine)
        await asyncio.wait_for(
            SyncService(engine, config, api_factory_for(config, session.token)).sync(),
            WAIT_TIMEOUT,
        )
        open_records = await list_findings(engine, FindingFilter(owner="acme"))
        to_analyse, to_dismiss = open_records[:ANALYSES], open_records[ANALYSES:]
        assert len(to_dismiss) >= 2 * BATCH, "too few open findings left for the dismiss side"
        for index, record in enumerate(to_analyse):
            await enqueue_analysis(
                engine, config, record, correlation_id=f"many-{index}", full=True
            )
        session.ollama.reset_log()
        session.github.reset_log()

        until = time.monotonic() + SECONDS
        worker = ("runner", str(WORKER), str(config.source), "--deadline", str(SECONDS + 30))
        results = await asyncio.gather(
            procs.run(*worker, timeout=SECONDS + 90),
            procs.run(*worker, timeout=SECONDS + 90),
            procs.run(
                "headless TUI",
                str(TUI),
                str(config.source),
                "--seconds",
                str(SECONDS),
                timeout=SECONDS + 90,
            ),
            _sync_loop(procs, until),
            _dismiss_loop(procs, [r.finding.ref for r in to_dismiss], until),
        )
        decided: list[str] = results[4]
        # Whatever is left (a push the last dismiss left to a worker) is drained.
        await Workers(env).finish(Workers(env).start(config.source, worker_id="drain"))

        facts = await _facts(engine, session, procs, decided, to_analyse)
        facts["sync runs"] = results[3]
    finally:
        await engine.dispose()

    problems = [
        k
        for k in (
            "limit exceeded",
            "intents lost",
            "user-visible failures",
            "non-zero exits",
            "analyses not completed",
        )
        if facts.get(k)
    ]
    if not facts["decided by dismiss"] or not facts["PATCHes"]:
        problems.append("the dismiss side decided and pushed nothing")
    observed = EXPECTED if not problems else ", ".join(problems)
    for what, code, stderr in procs.finished:
        if code != 0 or any(n in stderr for n in USER_VISIBLE_FAILURES):
            print(f"--- {what} exited {code}:\n{stderr[-3000:]}")
    jobs = 3 * ANALYSES + int(facts["decided by dismiss"])
    book.record(
        "processes", f"five processes on {backend}", EXPECTED, observed, facts, load=(5, jobs)
    )
    assert observed == EXPECTED, facts


async def _facts(
    engine: Any, session: DemoSession, procs: Processes, decided: list[str], analysed: list[Any]
) -> dict[str, Any]:
    ollama = session.ollama
    async with engine.connect() as conn:
        intent_rows = [dict(r._mapping) for r in await conn.execute(select(intents))]
        analysis_rows = [dict(r._mapping) for r in await conn.execute(select(analyses))]
    confirmed = sum(r["status"] == "confirmed" for r in intent_rows)
    on_github = sum(
        session.dataset.alert(*_split(ref))["state"] == AlertState.DISMISSED.value
        for ref in decided
    )
    sent = session.github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")
    latest = {r["finding_id"]: r["status"] for r in sorted(analysis_rows, key=lambda r: r["id"])}
    failures = [
        f"{what}: {needle}"
        for what, _, stderr in procs.finished
        for needle in USER_VISIBLE_FAILURES
        if needle in stderr
    ]
    return {
        "peak chats in flight": ollama.max_in_flight_chats,
        "limit": LIMIT,
        "limit exceeded": ollama.max_in_flight_chats > LIMIT,
        "decided by dismiss": len(decided),
        "intents confirmed": confirmed,
        "intents lost": len(decided) - min(on_github, confirmed),
        "PATCHes": len(sent),
        "duplicate PATCHes": len(sent) - len({p.path for p in sent}),
        "processes": len(procs.finished),
        "non-zero exits": sorted({what for what, code, _ in procs.finished if code != 0}),
        "user-visible failures": failures,
        "analyses not completed": sum(latest.get(r.id) != "completed" for r in analysed),
    }


def _split(ref: str) -> tuple[str, int]:
    repo, number = ref.split("#")
    return repo, int(number)
