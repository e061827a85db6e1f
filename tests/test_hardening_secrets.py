"""Issue 15, secrets: redaction that stays linear on hostile text, and no token in any table.

The redactor runs on every log record and every stored error text, so a payload an attacker
controls (an advisory description, a repository name) must not be able to stall it: each
shape below made the old userinfo pattern scan the rest of the text from every position.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.github_env import FastApi, config_for, run_sync, running
from support.pipeline_env import PipelineEnv, patches

from secagent_tui.demo.github import Fault, generate_dataset
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.finding import AnalysisStatus
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.logs import MASK, redact
from secagent_tui.pipeline.decisions import decide
from secagent_tui.secrets import resolve_token
from secagent_tui.store import jobs as job_store
from secagent_tui.store.analyses import (
    append_transcript,
    create_analysis,
    mark_llm_fallback,
    record_llm_call,
    update_analysis,
)
from secagent_tui.store.intents import record_intent
from secagent_tui.store.jobs import JobKind
from secagent_tui.store.push_outcomes import note_retry, refuse
from secagent_tui.store.schema import metadata
from secagent_tui.store.sync_state import finish_run, start_run

TEN_MB = 10_000_000

# The shapes that were quadratic (a long run of URL-scheme characters, a scheme-looking run
# before "://" with no "@" after it), and the dense ones where every pattern's trigger occurs.
HOSTILE: dict[str, str] = {
    "letters": "a" * TEN_MB,
    "scheme characters": "a+" * (TEN_MB // 2),
    "scheme then no at": "a://" + "b" * TEN_MB,
    "digits before letters": "1a" * (TEN_MB // 2),
    "many schemes": "ab:/" * (TEN_MB // 4),
    "prose with urls": "See https://example.com/advisory for details. " * (TEN_MB // 46),
    "header keys": "authorization: " * (TEN_MB // 15),
    "bearer words": "bearer " * (TEN_MB // 7),
}


# A generous bound: the linear redactor takes about a second here; the old one needed
# hours for the first shape. pytest-timeout's signal method interrupts a running regex.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_redaction_of_ten_megabytes_of_hostile_text_finishes(text: str) -> None:
    secret = "ghp_" + "Hostile0" * 5
    # ";" ends a header or bearer value, so the URL is masked by the userinfo pattern.
    redacted = redact(text + "; https://x-access-token:" + secret + "@github.com/a/b")
    assert secret not in redacted
    assert redacted.endswith(f"; https://{MASK}@github.com/a/b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The scheme run may start with a digit or sign; the userinfo is masked all the same.
        ("2https://user:pw@host/x", "2https://***@host/x"),
        ("x.y+z://u:p@h", "x.y+z://***@h"),
        ("(https://u:p@h)", "(https://***@h)"),
        ("https://u:p@h and ftp://v:q@i", "https://***@h and ftp://***@i"),
        # Nothing to mask: each gate's trigger without a secret.
        ("a://" + "b" * 1000, "a://" + "b" * 1000),
        ("email me@example.com", "email me@example.com"),
    ],
)
def test_userinfo_is_masked_wherever_the_scheme_run_starts(text: str, expected: str) -> None:
    assert redact(text) == expected


# ------------------------------------------------------------------ no token in any table

# Distinctive, and in the format no pattern knows: 40 hex digits without a prefix, as
# GitHub's classic tokens were before 2021 and GitHub Enterprise Server's older ones are.
TOKEN = "c0ffee5eca9e17" + "0123456789abcdef0123456789"
REPO = "acme/web"
OPEN = {"ecosystem": "npm", "package": "lodash", "manifest_path": "package.json"}


@pytest.fixture
def echoing_env(tmp_path: Path) -> Iterator[PipelineEnv]:
    """The local GitHub, accepting only TOKEN, whose PATCH errors quote it back."""
    with PipelineEnv(tmp_path, token=TOKEN) as env:
        env.add_repo(REPO)
        yield env


async def _every_stored_text(engine: AsyncEngine) -> dict[str, list[str]]:
    """Every value of every column of every table, as text, by `table.column`."""
    found: dict[str, list[str]] = {}
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in await conn.execute(select(table)):
                for column, value in row._mapping.items():
                    if value is not None:
                        text = value if isinstance(value, str) else json.dumps(value, default=str)
                        found.setdefault(f"{table.name}.{column}", []).append(text)
    return found


def _holding(texts: dict[str, list[str]], secret: str) -> list[str]:
    return [column for column, values in texts.items() if any(secret in v for v in values)]


async def test_a_github_error_that_echoes_the_token_lands_in_no_table(
    echoing_env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    env = echoing_env
    refused, retried = env.add_alert(REPO, **OPEN), env.add_alert(REPO, **OPEN)
    echo = f"Bad credentials: token {TOKEN} is not allowed; Authorization={TOKEN}"
    env.github.add_fault(Fault.error(422, echo, method="PATCH", path=r"/alerts/1$", times=None))
    env.github.add_fault(Fault.error(502, echo, method="PATCH", path=r"/alerts/2$"))
    config = env.config(lite_url, analysis={"max_attempts": 3})
    records = await env.load_findings(lite)
    for ref in (refused, retried):
        await decide(
            lite,
            config,
            [records[ref]],
            "dismiss",
            actor="analyst",
            correlation_id="echo",
            reason="not_used",
            comment="reviewed",
        )

    pipeline = env.pipeline(lite, config)
    try:
        await pipeline.runner.run(correlation_id="echo")
    finally:
        pipeline.close()

    assert [p.status for p in patches(env)].count(502) == 1  # the echo was answered
    texts = await _every_stored_text(lite)
    assert any("Bad credentials" in v for v in texts["intents.error"])  # the error was stored
    assert _holding(texts, TOKEN) == []


async def test_a_sync_whose_github_errors_echo_the_token_stores_none_of_it(
    tmp_path: Path, lite: AsyncEngine, lite_url: str
) -> None:
    dataset = generate_dataset({"acme": 1}, {"jdoe": 2}, 2, seed=3)
    echo = f"token {TOKEN} may not read this"
    with running(dataset, token=TOKEN) as server:
        # A refusal PyGithub does not retry, on every alert list (the owner's and each
        # repository's).
        server.add_fault(Fault.error(403, echo, path=r"/dependabot/alerts$", times=None))
        config = config_for(tmp_path, server, lite_url, [("org", "acme"), ("user", "jdoe")])
        outcomes = await run_sync(lite, config, FastApi(server, max_retries=0))

    assert not outcomes["acme"].ok and not outcomes["jdoe"].ok
    texts = await _every_stored_text(lite)
    assert any("may not read" in v for v in texts["sync_runs.repos"])  # the errors were stored
    assert _holding(texts, TOKEN) == []


async def test_every_store_write_of_error_text_redacts_what_its_caller_did_not(
    echoing_env: PipelineEnv, lite: AsyncEngine
) -> None:
    """The store is the last door: texts handed to it raw (a caller that forgot to redact)
    reach no column, through each function that writes an error, a detail or a transcript."""
    env = echoing_env
    ref = env.add_alert(REPO, **OPEN)
    # Where every command gets its token: from here on this process knows to mask it.
    assert resolve_token({"GITHUB_TOKEN": TOKEN}).token == TOKEN
    finding_id = (await env.load_findings(lite))[ref].id
    raw = f"GitHub said: Bad credentials {TOKEN} (ghp_{'Q' * 36})"

    recorded = await record_intent(
        lite,
        finding_id,
        DecisionAction.DISMISS,
        reason="not_used",
        comment=None,
        actor="analyst",
        correlation_id="raw",
        audit=("auto_dismiss", {"why": raw}),
    )
    await note_retry(lite, recorded.intent_id, raw, datetime.now(UTC))
    await refuse(lite, recorded.intent_id, raw)
    analysis_id = await create_analysis(lite, finding_id, "raw", "m")
    await update_analysis(lite, analysis_id, status=AnalysisStatus.FAILED, error=raw)
    await append_transcript(lite, analysis_id, "tool", raw)
    call_id = await record_llm_call(
        lite,
        tier="triage",
        model="m",
        finding_id=finding_id,
        started_at=datetime.now(UTC),
        duration_ms=1.0,
        prompt_tokens=1,
        completion_tokens=1,
        outcome="error",
        error=raw,
        correlation_id="raw",
    )
    await mark_llm_fallback(lite, call_id, raw)
    for failing in (True, False):
        job_id = await job_store.enqueue(
            lite, JobKind.TRIAGE, owner="acme", correlation_id="raw", finding_id=finding_id
        )
        job = await job_store.claim(
            lite, "w", lease_seconds=60, max_concurrent_per_owner=9, correlation_id="raw"
        )
        assert job is not None and job.id == job_id
        if failing:
            await job_store.fail(lite, job_id, "w", raw, backoff_seconds=0, permanent=True)
        else:
            await job_store.retry_later(lite, job_id, "w", raw, delay_seconds=60)
    run_id = await start_run(lite, Owner(OwnerKind.ORG, "acme"), True, "raw")
    await finish_run(lite, run_id, {"ok": False, "error": raw, "repos": [{"error": raw}]})

    texts = await _every_stored_text(lite)
    assert _holding(texts, "Bad credentials") != []  # the texts were stored
    assert _holding(texts, TOKEN) == []
    assert _holding(texts, "ghp_QQQQ") == []
