"""Automation yields to analysts (docs/architecture.md, "Auto-dismiss"): a reopen pins,
read-only writes nothing, a critical waits for a person, and an analyst who asks for the full
analysis gets it.

Each test runs the production pipeline through the real ollama and PyGithub clients against
the local servers; the DemoResponder suggests dismissing a development dependency at medium
confidence, which makes the triage tier a path to an automatic dismissal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.pipeline_env import PipelineEnv, analysis_of, patches, record_of, rows

from secagent_tui.domain.finding import AlertState
from secagent_tui.pipeline.decisions import decide
from secagent_tui.store.intents import requeue_orphans
from secagent_tui.store.jobs import JobKind, JobStatus, jobs_for
from secagent_tui.store.schema import audit_events, intents, jobs

DEV_ALERT = {
    "ecosystem": "npm",
    "package": "lodash",
    "manifest_path": "package.json",
    "scope": "development",
    "severity": "high",
    "patched": True,
}
AUTO = {"enabled": True, "min_confidence": "medium"}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[PipelineEnv]:
    with PipelineEnv(tmp_path) as e:
        yield e


def _remote_state(env: PipelineEnv, ref: str) -> str:
    repo, number = ref.split("#")
    return str(env.dataset.alert(repo, int(number))["state"])


async def _push_decision(env: PipelineEnv, engine: AsyncEngine, config, record, action: str):
    await decide(engine, config, [record], action, actor="analyst", correlation_id="cid-analyst")
    pipeline = env.pipeline(engine, config)
    try:
        await pipeline.runner.run(correlation_id="cid-analyst")
    finally:
        pipeline.close()


async def test_an_analysts_reopen_pins_the_finding_against_automatic_dismissal(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **DEV_ALERT)
    config = env.config(database_url, auto_dismiss=AUTO)
    record = (await env.load_findings(engine))[ref]

    await env.analyze(engine, config, record)
    assert (await record_of(engine, record)).state is AlertState.DISMISSED
    await _push_decision(env, engine, config, await record_of(engine, record), "reopen")
    reopened = await record_of(engine, record)
    assert reopened.state is AlertState.OPEN and reopened.pinned

    await env.analyze(engine, config, reopened)  # `t` again

    again = await record_of(engine, record)
    assert again.state is AlertState.OPEN and not again.pending_push
    automatic = [i for i in await rows(engine, intents) if i["automatic"]]
    assert len(automatic) == 1  # the first one only
    assert len(patches(env, ref)) == 2  # the automatic dismissal, the analyst's reopen
    assert _remote_state(env, ref) == "open"


async def test_an_analysts_dismiss_lifts_the_pin(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **DEV_ALERT)
    config = env.config(lite_url, auto_dismiss=AUTO)
    record = (await env.load_findings(lite))[ref]
    await _push_decision(env, lite, config, record, "reopen")
    assert (await record_of(lite, record)).pinned
    await decide(
        lite,
        config,
        [await record_of(lite, record)],
        "dismiss",
        actor="analyst",
        correlation_id="cid-2",
        reason="tolerable_risk",
    )
    assert not (await record_of(lite, record)).pinned


async def test_read_only_makes_no_intent_and_no_patch_from_any_automatic_path(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **DEV_ALERT)
    config = env.config(database_url, auto_dismiss=AUTO)
    record = (await env.load_findings(engine))[ref]

    run = await env.analyze(engine, config, record, read_only=True)

    analysis = await analysis_of(engine, run)
    assert analysis["triage"]["suggested_action"] == "dismiss"  # the model wanted to
    assert await rows(engine, intents) == []
    assert await rows(engine, audit_events, action="auto_dismiss") == []
    assert patches(env) == []
    assert (await record_of(engine, record)).state is AlertState.OPEN


async def test_a_critical_is_never_dismissed_automatically_under_the_default_cap(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **{**DEV_ALERT, "severity": "critical"})
    config = env.config(database_url, auto_dismiss=AUTO)
    record = (await env.load_findings(engine))[ref]

    run = await env.analyze(engine, config, record)

    assert (await analysis_of(engine, run))["triage"]["suggested_action"] == "dismiss"
    assert await rows(engine, intents) == [] and patches(env) == []


async def test_a_raised_cap_lets_automation_dismiss_a_critical(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **{**DEV_ALERT, "severity": "critical"})
    config = env.config(lite_url, auto_dismiss={**AUTO, "max_severity": "critical"})
    record = (await env.load_findings(lite))[ref]

    await env.analyze(lite, config, record)

    assert len(patches(env, ref)) == 1 and _remote_state(env, ref) == "dismissed"


async def test_full_analysis_runs_every_tier_even_when_triage_would_dismiss(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    env.add_repo("acme/shop", {"package.json": '{"devDependencies": {"lodash": "^4"}}'})
    ref = env.add_alert("acme/shop", **DEV_ALERT)
    config = env.config(lite_url, auto_dismiss=AUTO)
    record = (await env.load_findings(lite))[ref]

    run = await env.analyze(lite, config, record, full=True)

    analysis = await analysis_of(lite, run)
    assert analysis["triage"]["suggested_action"] == "dismiss"
    assert analysis["evidence"] is not None and analysis["verdict"] is not None
    kinds = {j.kind for j in await jobs_for(lite, run.correlation_id)}
    assert {JobKind.TRIAGE, JobKind.SANDBOX, JobKind.EXTRACTION} <= kinds
    # The analyst asked for the analysis: triage did not dismiss on the way.
    assert await rows(lite, audit_events, action="auto_dismiss") == [] or all(
        e["detail"].get("tier") != "triage"
        for e in await rows(lite, audit_events, action="auto_dismiss")
    )


async def test_a_pending_decision_without_a_push_job_is_requeued_when_a_runner_starts(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    """The crash window of the old build: the decision recorded, its job never written."""
    env.add_repo("acme/shop")
    ref = env.add_alert("acme/shop", **DEV_ALERT)
    config = env.config(lite_url)
    record = (await env.load_findings(lite))[ref]
    await decide(
        lite,
        config,
        [record],
        "dismiss",
        actor="analyst",
        correlation_id="cid-x",
        reason="not_used",
    )
    async with lite.begin() as conn:
        await conn.execute(jobs.delete())  # as if the process died before queuing it

    assert await requeue_orphans(lite, max_attempts=3) == 1
    assert await requeue_orphans(lite, max_attempts=3) == 0  # one live job is enough
    pipeline = env.pipeline(lite, config)
    try:
        await pipeline.runner.run(until_idle=True)
    finally:
        pipeline.close()

    assert len(patches(env, ref)) == 1 and _remote_state(env, ref) == "dismissed"
    [push] = await jobs_for(lite, "cid-x")
    assert push.status is JobStatus.DONE
