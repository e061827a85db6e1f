"""Every fault of the local GitHub server against a sync and a dismissal push: each cell
puts one fault on the server, runs the production path (SyncService or the runner's push
handler, PyGithub over real sockets, real SQLite), classifies what happened, and records
the expected and the observed outcome in the report before asserting they agree.

Outcomes:
- sync: `recovered` (the faulted repository was read in full after the fault), `repo
  error, others synced`, `repo skipped (<status>), others synced`, `owner failed` (the owner's
  run failed as a whole with one line, nothing stored).
- push: `pushed` (GitHub holds the decision; the intent is confirmed), `refused` (the
  intent is refused with GitHub's words and the finding back at GitHub's state),
  `pending` (still waiting for GitHub: nothing lost).

An assignment (issue 16's `secagent assign`) leaves by the same push job, write limiter
and retry policy as a dismissal, so each fault is run against it too with the dismissal's
expected outcome: `pushed` (GitHub holds the assignees; confirmed), `refused` (refused with
GitHub's words, the finding showing GitHub's assignees again), `pending`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.github_env import FastApi, config_for, dataset_refs, run_sync, stored
from support.pipeline_env import PipelineEnv, patches, rows

from secagent_tui.config import Config
from secagent_tui.demo.github import Dataset, Fault, GitHubServer, generate_dataset
from secagent_tui.github.client import GitHubApi, GitHubSettings
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.pipeline.assignments import assign
from secagent_tui.pipeline.decisions import decide
from secagent_tui.store.schema import intents

from .report import ReportBook

FAULTED = "acme/api"
ALERTS = rf"^/repos/{FAULTED}/dependabot/alerts$"
PERMISSION = "Resource not accessible by personal access token"


@dataclass(frozen=True)
class Cell:
    name: str
    sync: str
    push: str
    make: Callable[[str, str], Fault] | None = None
    """The fault for (method, path); None when the cell sets the server up itself."""


def _secondary(status: int) -> Callable[[str, str], Fault]:
    return lambda method, path: Fault.secondary_rate_limit(
        retry_after=1, status=status, method=method, path=path
    )


CELLS = [
    Cell("500 once", "recovered", "pushed", lambda m, p: Fault.error(500, method=m, path=p)),
    Cell("502 once", "recovered", "pushed", lambda m, p: Fault.error(502, method=m, path=p)),
    Cell(
        "500 without end",
        "repo error, others synced",
        "pending",
        lambda m, p: Fault.error(500, method=m, path=p, times=None),
    ),
    Cell("403 secondary limit, retry-after 1", "recovered", "pushed", _secondary(403)),
    Cell("429 secondary limit, retry-after 1", "recovered", "pushed", _secondary(429)),
    Cell("primary limit spent, reset in 2 s", "recovered", "pushed"),
    Cell("timeout once", "recovered", "pushed", lambda m, p: Fault.slow(2.0, times=1, path=p)),
    Cell(
        "dropped connection once",
        "recovered",
        "pushed",
        lambda m, p: Fault.drop_connection(method=m, path=p),
    ),
    Cell(
        "malformed JSON once",
        "repo error, others synced",
        "pushed",
        lambda m, p: Fault.malformed_json(method=m, path=p),
    ),
    Cell(
        "alerts disabled (403)",
        "repo skipped (alerts_disabled), others synced",
        "refused",
        lambda m, p: Fault.alerts_disabled(method=m, path=p, times=None),
    ),
    Cell(
        "404",
        "repo skipped (not_found), others synced",
        "refused",
        lambda m, p: Fault.not_found(method=m, path=p, times=None),
    ),
    Cell(
        "401 bad credentials, every request",
        "owner failed",
        "pending",
        lambda m, p: Fault.error(401, "Bad credentials", times=None),
    ),
    Cell(
        "403 without permission",
        "repo error, others synced",
        "refused",
        lambda m, p: Fault.error(403, PERMISSION, method=m, path=p, times=None),
    ),
]
IDS = [c.name for c in CELLS]
TIMEOUT = 0.75  # the client's timeout in the timeout cells (the fault sleeps 2 s)


@pytest.fixture
def gh() -> Iterator[Callable[..., GitHubServer]]:
    servers: list[GitHubServer] = []

    def start(dataset: Dataset, **options: Any) -> GitHubServer:
        server = GitHubServer(dataset, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# ------------------------------------------------------------------------------ sync


async def _sync_outcome(
    engine: AsyncEngine, dataset: Dataset, server: GitHubServer, config: Any
) -> tuple[str, dict[str, Any]]:
    outcomes = await asyncio.wait_for(run_sync(engine, config, _ShortTimeout(server)), 120)
    acme = outcomes["acme"]
    statuses = {r.repo: str(r.status) for r in acme.repos}
    refs = set(await stored(engine))
    expected = set(dataset_refs(dataset, "acme"))
    others = {r for r in expected if not r.startswith(f"{FAULTED}#")}
    facts = {"owner ok": acme.ok, "repos": statuses, "stored": f"{len(refs)}/{len(expected)}"}
    if acme.error is not None:
        facts["error"] = acme.error
        return ("owner failed" if not refs else "owner failed, yet stored"), facts
    if not others <= refs or any(s != "ok" for r, s in statuses.items() if r != FAULTED):
        return "others incomplete", facts
    status = statuses.get(FAULTED)
    if status == "ok" and expected <= refs:
        return "recovered", facts
    if status == "error":
        return "repo error, others synced", facts
    return f"repo skipped ({status}), others synced", facts


class _ShortTimeout(FastApi):
    """The tests' fast api factory, with the client timeout short enough for the timeout
    cell (the fault sleeps longer than it)."""

    def __call__(self, governor: RateGovernor) -> GitHubApi:
        self.governors.append(governor)
        settings = GitHubSettings(
            api_url=self.server.base_url,
            token=self.server.token,
            timeout_seconds=TIMEOUT,
            max_retries=self.max_retries,
            backoff_factor=0.01,
            secondary_rate_wait=0.1,
        )
        return GitHubApi(settings, governor)


@pytest.mark.parametrize("cell", CELLS, ids=IDS)
async def test_sync_under_each_github_fault(
    cell: Cell,
    lite: AsyncEngine,
    lite_url: str,
    tmp_path: Path,
    gh: Callable[..., GitHubServer],
    book: ReportBook,
) -> None:
    dataset = generate_dataset(seed=3, orgs={"acme": 3}, users={}, alerts_per_repo=5)
    server = gh(dataset, rate_window=2.0)
    if cell.make is None:  # the primary limit: the budget is spent until the window resets
        server.reset_rate_limit()
        server.set_rate_remaining(2)
    else:
        server.add_fault(cell.make("GET", ALERTS))
    config = config_for(tmp_path, server, lite_url, (("org", "acme"),), rate_limit_floor=0)

    observed, facts = await _sync_outcome(lite, dataset, server, config)

    book.record("github-faults", f"sync: {cell.name}", cell.sync, observed, facts)
    assert observed == cell.sync, facts


# ------------------------------------------------------------------------------ push


async def _push_outcome(env: PipelineEnv, engine: AsyncEngine, ref: str) -> tuple[str, dict]:
    [intent] = await rows(engine, intents)
    sent = [p.status for p in patches(env, ref)]
    facts = {"PATCH answers": sent, "intent": intent["status"], "error": intent["error"]}
    state = env.alert(ref)["state"]
    facts["GitHub state"] = state
    if intent["status"] == "confirmed" and state == "dismissed":
        return "pushed", facts
    if intent["status"] == "refused" and state == "open":
        record = (await stored(engine))[ref]
        reverted = record.intent_state is None and record.state == "open"
        return ("refused" if reverted else "refused, not reverted"), facts
    if intent["status"] == "pending":
        return "pending", facts
    return f"{intent['status']} with GitHub {state}", facts


async def _run_push(
    env: PipelineEnv, engine: AsyncEngine, config: Config, cell: Cell, number: str
) -> float:
    """The cell's fault on the alert's PATCH, then the runner until the push ends (a cell
    that stays pending is given a bounded time, then stopped); the seconds it took."""
    if cell.make is None:
        env.github.reset_rate_limit()
        env.github.set_rate_remaining(0)
    else:
        env.github.add_fault(cell.make("PATCH", rf"/repos/{FAULTED}/dependabot/alerts/{number}$"))
    bound = 4.0 if cell.push == "pending" else 60.0
    pipeline = env.pipeline(engine, config)
    started = time.monotonic()
    try:
        await asyncio.wait_for(pipeline.runner.run(correlation_id="matrix"), bound)
    except TimeoutError:
        pass
    finally:
        pipeline.close()
    return round(time.monotonic() - started, 1)


def _matrix_config(env: PipelineEnv, url: str) -> Config:
    return env.config(
        url, analysis={"max_attempts": 2}, github={"request_timeout_seconds": TIMEOUT}
    )


@pytest.mark.parametrize("cell", CELLS, ids=IDS)
async def test_dismissal_push_under_each_github_fault(
    cell: Cell, lite: AsyncEngine, lite_url: str, tmp_path: Path, book: ReportBook
) -> None:
    with PipelineEnv(tmp_path, rate_window=2.0) as env:
        env.add_repo(FAULTED)
        ref = env.add_alert(FAULTED, ecosystem="npm", package="lodash")
        config = _matrix_config(env, lite_url)
        records = await env.load_findings(lite)
        await decide(
            lite,
            config,
            [records[ref]],
            "dismiss",
            actor="analyst",
            correlation_id="matrix",
            reason="tolerable_risk",
            comment=None,
        )
        seconds = await _run_push(env, lite, config, cell, ref.split("#")[1])
        observed, facts = await _push_outcome(env, lite, ref)
        facts["seconds"] = seconds

    book.record("github-faults", f"dismissal push: {cell.name}", cell.push, observed, facts)
    assert observed == cell.push, facts


async def _assignment_outcome(
    env: PipelineEnv, engine: AsyncEngine, ref: str, wanted: list[str]
) -> tuple[str, dict]:
    [intent] = await rows(engine, intents)
    logins = [u["login"] for u in env.alert(ref).get("assignees") or []]
    facts = {
        "PATCH answers": [p.status for p in patches(env, ref)],
        "intent": intent["status"],
        "error": intent["error"],
        "GitHub assignees": logins,
    }
    if intent["status"] == "confirmed" and logins == wanted:
        return "pushed", facts
    if intent["status"] == "refused" and logins == []:
        record = (await stored(engine))[ref]
        reverted = record.intent_assignees is None and record.assignees == ()
        return ("refused" if reverted else "refused, not reverted"), facts
    if intent["status"] == "pending":
        return "pending", facts
    return f"{intent['status']} with GitHub assignees {logins}", facts


@pytest.mark.parametrize("cell", CELLS, ids=IDS)
async def test_assignment_push_under_each_github_fault(
    cell: Cell, lite: AsyncEngine, lite_url: str, tmp_path: Path, book: ReportBook
) -> None:
    with PipelineEnv(tmp_path, rate_window=2.0) as env:
        env.add_repo(FAULTED)
        ref = env.add_alert(FAULTED, ecosystem="npm", package="lodash")
        number = ref.split("#")[1]
        env.dataset.set_assignees(FAULTED, int(number), [])
        config = _matrix_config(env, lite_url)
        records = await env.load_findings(lite)
        wanted = ["alice", "bob"]
        await assign(lite, config, [records[ref]], wanted, actor="analyst", correlation_id="matrix")
        seconds = await _run_push(env, lite, config, cell, number)
        observed, facts = await _assignment_outcome(env, lite, ref, wanted)
        facts["seconds"] = seconds

    book.record("github-faults", f"assignment push: {cell.name}", cell.push, observed, facts)
    assert observed == cell.push, facts
