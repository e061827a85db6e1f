"""Snooze until a patch exists (issue 16, item 3): the dismissal with its agreed reason and
comment, the reopen a later sync makes once GitHub lists a first patched version (through the
outbox, audited as automation), the "patch available" mark until someone decides again, the
`snooze_until_patch` rule action and `secagent snooze`.

The pipeline tests run the real sync and push against the local GitHub server through
PyGithub, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.demo_cli import outbox, secagent
from support.github_env import FastApi
from support.pipeline_env import PipelineEnv, patches, rows
from support.records import bare_record

from secagent_tui.config import Config, ConfigError, load_config
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.decision import (
    SNOOZE_ACTOR,
    SNOOZE_COMMENT,
    DecisionAction,
    IntentStatus,
    SnoozeState,
)
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, DismissReason
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.rules import RuleAction, TriageRule, first_match, triage_from_rule
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.snooze import snooze_refusal
from secagent_tui.domain.triage import TriageAction
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.decisions import DecisionError, decide
from secagent_tui.pipeline.snooze import snooze
from secagent_tui.store.finding_window import finding_page
from secagent_tui.store.findings import list_findings
from secagent_tui.store.intents import NoLongerSnoozed, record_intent
from secagent_tui.store.schema import audit_events, intents

REPO = "acme/web"
UNPATCHED = {"ecosystem": "npm", "package": "lodash", "manifest_path": "package.json"}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[PipelineEnv]:
    with PipelineEnv(tmp_path) as e:
        e.add_repo(REPO)
        yield e


async def _push(env: PipelineEnv, engine: AsyncEngine, config: Config) -> None:
    pipeline = env.pipeline(engine, config)
    try:
        await pipeline.runner.run(until_idle=True)
    finally:
        pipeline.close()


async def _snoozed(
    env: PipelineEnv, engine: AsyncEngine, database_url: str, *, pushed: bool = True
) -> tuple[str, Config, FindingRecord]:
    """A finding with no patch, synced and snoozed by an analyst (and, `pushed`, dismissed
    on GitHub): its ref, the config and its record as it was synced."""
    ref = env.add_alert(REPO, patched=False, **UNPATCHED)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = (await env.records(engine))[ref]
    await snooze(engine, config, [record], actor="tui:alice", correlation_id="c1")
    if pushed:
        await _push(env, engine, config)
    return ref, config, record


def _number(ref: str) -> int:
    return int(ref.split("#")[1])


# ------------------------------------------------------------------------------ pure parts


def test_only_a_finding_without_a_patch_can_be_snoozed(env: PipelineEnv) -> None:
    unpatched = env.add_alert(REPO, patched=False, **UNPATCHED)
    patched = env.add_alert(REPO, patched=True, **UNPATCHED)
    records = {ref: bare_record(parse_alert(env.alert(ref), REPO)) for ref in (unpatched, patched)}
    assert snooze_refusal(records[unpatched]) is None
    problem = snooze_refusal(records[patched])
    assert problem is not None
    assert problem.startswith(f"{patched} already has a patched version (")


def test_the_snooze_rule_matches_only_findings_without_a_patch(env: PipelineEnv) -> None:
    rule = TriageRule(name="wait for a fix", action=RuleAction.SNOOZE_UNTIL_PATCH)
    unpatched = parse_alert(env.alert(env.add_alert(REPO, patched=False, **UNPATCHED)), REPO)
    patched = parse_alert(env.alert(env.add_alert(REPO, patched=True, **UNPATCHED)), REPO)

    assert first_match([rule], unpatched) is rule
    assert first_match([rule], patched) is None
    triage = triage_from_rule(rule)
    assert triage.suggested_action is TriageAction.DISMISS
    assert triage.dismiss_reason is DismissReason.TOLERABLE_RISK


@pytest.mark.parametrize(
    ("extra", "key"),
    [({"reason": "not_used"}, "reason"), ({"patch_available": True}, "patch_available")],
)
def test_a_snooze_rule_that_contradicts_itself_is_refused_with_its_key(
    tmp_path: Path, extra: dict[str, Any], key: str
) -> None:
    lines = [
        f"{k} = {str(v).lower() if isinstance(v, bool) else repr(v)}" for k, v in extra.items()
    ]
    path = tmp_path / "config.toml"
    path.write_text(
        "[[triage.rules]]\nname = 'wait'\naction = 'snooze_until_patch'\n" + "\n".join(lines)
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={"HOME": str(tmp_path)})
    assert key in str(caught.value)


def test_a_snooze_rule_loads_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[[triage.rules]]\nname = 'wait'\naction = 'snooze_until_patch'\n")
    (rule,) = load_config(path, env={"HOME": str(tmp_path)}).triage.rule_list()
    assert rule.action is RuleAction.SNOOZE_UNTIL_PATCH


# ------------------------------------------------------------------------------ the pipeline


async def test_snooze_then_a_sync_with_a_patch_reopens_through_the_outbox_audited(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, patched=False, **UNPATCHED)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = (await env.records(engine))[ref]

    await snooze(engine, config, [record], actor="tui:alice", correlation_id="c-snooze")
    snoozed = (await env.records(engine))[ref]
    assert (snoozed.state, snoozed.snooze) == (AlertState.DISMISSED, SnoozeState.SNOOZED)
    await _push(env, engine, config)

    assert len(patches(env, ref)) == 1
    on_github = env.alert(ref)
    assert (
        on_github["state"],
        on_github["dismissed_reason"],
        on_github["dismissed_comment"],
    ) == ("dismissed", "tolerable_risk", SNOOZE_COMMENT)

    # No patch yet: a sync leaves it snoozed and writes nothing.
    await env.sync(engine, config)
    assert (await env.records(engine))[ref].snooze is SnoozeState.SNOOZED
    assert len(patches(env, ref)) == 1

    env.dataset.publish_patch(REPO, _number(ref), "4.17.21")
    await env.sync(engine, config)

    woken = (await env.records(engine))[ref]
    assert (woken.state, woken.snooze) == (AlertState.OPEN, SnoozeState.PATCH_AVAILABLE)
    assert woken.finding.patched_version == "4.17.21"
    reopen = (await rows(engine, intents, finding_id=record.id))[-1]
    assert (reopen["action"], reopen["actor"], reopen["automatic"]) == (
        DecisionAction.REOPEN.value,
        SNOOZE_ACTOR,
        True,
    )
    (audit,) = await rows(engine, audit_events, action="snooze_reopen")
    assert (audit["finding_id"], audit["actor"]) == (record.id, SNOOZE_ACTOR)
    assert audit["detail"]["patched_version"] == "4.17.21"

    await _push(env, engine, config)

    assert len(patches(env, ref)) == 2
    assert env.alert(ref)["state"] == "open"
    (reopen,) = await rows(engine, intents, id=reopen["id"])
    assert reopen["status"] == IntentStatus.CONFIRMED.value
    # The filter finds it, in the queue's SQL and in the CLI's list alike.
    marked = FindingFilter(snooze=SnoozeState.PATCH_AVAILABLE)
    assert [r.id for r in await list_findings(engine, marked)] == [record.id]
    page = await finding_page(engine, marked, days=SlaDays(), now=woken.finding.updated_at)
    assert [r.id for r in page.records] == [record.id]
    # The mark stays after GitHub confirms, and a further sync does not reopen it again.
    await env.sync(engine, config)
    assert (await env.records(engine))[ref].snooze is SnoozeState.PATCH_AVAILABLE
    assert len(patches(env, ref)) == 2


async def test_an_analysts_decision_ends_the_patch_available_mark(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref, config, record = await _snoozed(env, engine, database_url)
    env.dataset.publish_patch(REPO, _number(ref), "4.17.21")
    await env.sync(engine, config)
    assert (await env.records(engine))[ref].snooze is SnoozeState.PATCH_AVAILABLE

    await decide(
        engine,
        config,
        [record],
        DecisionAction.DISMISS,
        actor="tui:bob",
        correlation_id="c2",
        reason="fix_started",
    )

    assert (await env.records(engine))[ref].snooze is None


async def test_a_snoozed_alert_reopened_on_github_is_no_longer_snoozed(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref, config, _ = await _snoozed(env, engine, database_url)

    env.dataset.reopen(REPO, _number(ref))  # someone on github.com
    await env.sync(engine, config)

    after = (await env.records(engine))[ref]
    assert (after.state, after.snooze) == (AlertState.OPEN, None)
    env.dataset.publish_patch(REPO, _number(ref), "4.17.21")
    await env.sync(engine, config)
    assert len(patches(env, ref)) == 1  # nothing reopened by the tool: it was open already


async def test_snoozing_a_finding_with_a_patch_records_nothing(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    unpatched = env.add_alert(REPO, patched=False, **UNPATCHED)
    patched = env.add_alert(REPO, patched=True, **UNPATCHED)
    config = env.config(database_url)
    await env.sync(engine, config)
    records = await env.records(engine)

    with pytest.raises(DecisionError, match="nothing was snoozed"):
        await snooze(
            engine,
            config,
            [records[unpatched], records[patched]],
            actor="tui:alice",
            correlation_id="c1",
        )

    assert await rows(engine, intents) == []
    assert all(r.snooze is None for r in (await env.records(engine)).values())


async def test_a_read_only_sync_leaves_a_patched_snooze_for_a_writing_one(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    from secagent_tui.pipeline.sync import SyncService

    ref, config, _ = await _snoozed(env, engine, database_url)
    env.dataset.publish_patch(REPO, _number(ref), "4.17.21")

    await SyncService(engine, config, FastApi(env.github), read_only=True).sync()

    assert (await env.records(engine))[ref].snooze is SnoozeState.SNOOZED
    await env.sync(engine, config)
    assert (await env.records(engine))[ref].snooze is SnoozeState.PATCH_AVAILABLE


async def test_the_snooze_rule_dismisses_automatically_with_the_snooze_comment(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, patched=False, severity="low", **UNPATCHED)
    config = env.config(
        database_url,
        auto_dismiss={"enabled": True},
        triage={"use_llm": False, "rules": [{"name": "wait", "action": "snooze_until_patch"}]},
    )
    records = await env.load_findings(engine)

    await env.analyze(engine, config, records[ref])
    await _push(env, engine, config)

    after = (await env.records(engine))[ref]
    assert (after.state, after.snooze) == (AlertState.DISMISSED, SnoozeState.SNOOZED)
    assert len(patches(env, ref)) == 1
    on_github = env.alert(ref)
    assert (on_github["dismissed_reason"], on_github["dismissed_comment"]) == (
        "tolerable_risk",
        SNOOZE_COMMENT,
    )
    (audit,) = await rows(engine, audit_events, action="auto_dismiss")
    assert audit["detail"]["snooze"] is True


async def test_the_snooze_rule_waits_when_auto_dismiss_is_off(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, patched=False, severity="low", **UNPATCHED)
    config = env.config(
        database_url,
        triage={"use_llm": False, "rules": [{"name": "wait", "action": "snooze_until_patch"}]},
    )
    records = await env.load_findings(engine)

    await env.analyze(engine, config, records[ref])

    after = (await env.records(engine))[ref]
    assert (after.state, after.snooze) == (AlertState.OPEN, None)
    assert patches(env, ref) == []


# ------------------------------------------------------------------------------ the CLI


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoSession]:
    with DemoSession(
        tmp_path / "demo", orgs={"acme": 1}, users={}, alerts_per_repo=4, auto_dismiss=False
    ) as session:
        yield session


def test_cli_snooze_dismisses_and_a_later_sync_reopens_it(demo: DemoSession) -> None:
    repo = demo.dataset.repos()[0].full_name
    alert = demo.dataset.add_alert(repo, patched=False, **UNPATCHED)
    ref = f"{repo}#{alert['number']}"
    assert secagent(demo, "sync").exit_code == 0

    result = secagent(demo, "snooze", ref)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "snoozed 1 finding(s) locally",
        "GitHub: 1 confirmed, 0 to retry, 0 refused",
    ]
    assert demo.dataset.alert(repo, alert["number"])["state"] == "dismissed"

    demo.dataset.publish_patch(repo, alert["number"], "9.9.9")
    assert secagent(demo, "sync").exit_code == 0
    assert secagent(demo, "worker", "--once").exit_code == 0

    assert demo.dataset.alert(repo, alert["number"])["state"] == "open"
    listed = secagent(demo, "findings", "--snooze", "patch_available", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [f["ref"] for f in json.loads(listed.stdout)] == [ref]
    bad = secagent(demo, "findings", "--snooze", "later")
    assert bad.exit_code == 2 and bad.stdout == ""


def test_cli_snooze_refuses_a_finding_with_a_patch_with_one_line(demo: DemoSession) -> None:
    repo = demo.dataset.repos()[0].full_name
    alert = demo.dataset.add_alert(repo, patched=True, **UNPATCHED)
    ref = f"{repo}#{alert['number']}"
    assert secagent(demo, "sync").exit_code == 0

    result = secagent(demo, "snooze", ref)

    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.startswith(f"secagent: {ref} already has a patched version")
    assert result.stderr.count("\n") == 1
    assert outbox(demo) == []
    assert demo.dataset.alert(repo, alert["number"])["state"] == "open"


async def test_the_snooze_reopen_stands_back_for_a_decision_made_after_the_sync_looked(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    """The reopen is recorded only while the finding is still snoozed, checked under the
    write lock: an analyst who decided in between keeps their decision."""
    ref, config, record = await _snoozed(env, engine, database_url, pushed=False)
    await decide(
        engine,
        config,
        [record],
        DecisionAction.DISMISS,
        actor="tui:bob",
        correlation_id="c2",
        reason="not_used",
    )
    before = await rows(engine, intents)

    with pytest.raises(NoLongerSnoozed):
        await record_intent(
            engine,
            record.id,
            DecisionAction.REOPEN,
            reason=None,
            comment=None,
            actor=SNOOZE_ACTOR,
            correlation_id="c3",
            automatic=True,
            snooze=SnoozeState.PATCH_AVAILABLE,
            while_snoozed=True,
        )

    assert await rows(engine, intents) == before
    after = (await env.records(engine))[ref]
    assert (after.state, after.intent_reason, after.snooze) == (
        AlertState.DISMISSED,
        "not_used",
        None,
    )
