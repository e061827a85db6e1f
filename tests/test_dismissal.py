"""Dismissal push (docs/architecture.md, "The job model", "The merge rule"): analysts' and
automatic decisions leave the outbox as one PATCH per alert, through the real PyGithub against
the local GitHub server, spaced out, retried, resumable, and never duplicated.

The outbox tests that matter for correctness under both backends (exact PATCH counts, the
restart) run on SQLite and PostgreSQL; the GitHub-answer tests run on SQLite only, since what
they check is how the push handler reads GitHub's answers.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from github import GithubException
from sqlalchemy.ext.asyncio import AsyncEngine
from support.demo_cli import outbox, secagent
from support.pipeline_env import PipelineEnv, patches, record_of, rows

from secagent_tui.config import AnalysisConfig, Config
from secagent_tui.demo.github import Fault
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.decision import DecisionAction, IntentStatus
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.pipeline.decisions import DecisionError, check_dismissal, decide, fit_comment
from secagent_tui.pipeline.dismissal import RetryPolicy, Transient, classify, patch_body
from secagent_tui.store import jobs as job_store
from secagent_tui.store.intents import Intent
from secagent_tui.store.jobs import JobKind, JobStatus, jobs_for
from secagent_tui.store.schema import audit_events, intents
from secagent_tui.store.write_limit import SharedWriteLimiter, write_limit_key

REPO = "acme/web"
WIRE_JITTER = 0.03  # seconds a request's way to the server may vary by (see the pacing tests)
OPEN = {"ecosystem": "npm", "package": "lodash", "manifest_path": "package.json"}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[PipelineEnv]:
    with PipelineEnv(tmp_path) as e:
        e.add_repo(REPO)
        yield e


async def _push(
    env: PipelineEnv, engine: AsyncEngine, config: Config, cid: str, *, slots: int = 4
) -> None:
    """Run the production runner until every job of `cid` has ended."""
    pipeline = env.pipeline(engine, config, slots=slots)
    try:
        await pipeline.runner.run(correlation_id=cid)
    finally:
        pipeline.close()


async def _decide(
    engine: AsyncEngine,
    config: Config,
    records: list[FindingRecord],
    action: str,
    cid: str,
    reason: str | None = None,
    comment: str | None = None,
) -> list[int]:
    return await decide(
        engine,
        config,
        records,
        action,
        actor="analyst",
        correlation_id=cid,
        reason=reason,
        comment=comment,
    )


# ------------------------------------------------------------------------------ the outbox


async def test_three_intents_make_exactly_three_patches_with_their_reasons(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    refs = [env.add_alert(REPO, **OPEN) for _ in range(4)]
    config = env.config(database_url)
    records = await env.load_findings(engine)
    wanted = {refs[0]: "not_used", refs[1]: "tolerable_risk", refs[2]: "fix_started"}
    for ref, reason in wanted.items():
        await _decide(engine, config, [records[ref]], "dismiss", "push", reason, f"why {ref}")

    await _push(env, engine, config, "push")

    sent = patches(env)
    assert len(sent) == 3
    assert sorted(p.path for p in sent) == sorted(
        f"/repos/{REPO}/dependabot/alerts/{ref.split('#')[1]}" for ref in wanted
    )
    assert {p.status for p in sent} == {200}
    for ref, reason in wanted.items():
        alert = env.alert(ref)
        assert (alert["state"], alert["dismissed_reason"]) == ("dismissed", reason)
        assert alert["dismissed_comment"] == f"why {ref}"
        record = await record_of(engine, records[ref])
        assert record.state is AlertState.DISMISSED and record.dismissed_reason == reason
        assert not record.pending_push
    assert env.alert(refs[3])["state"] == "open"  # no decision, no write
    assert [i["status"] for i in await rows(engine, intents)] == ["confirmed"] * 3
    assert len(await rows(engine, audit_events, action="push_confirmed")) == 3


async def test_a_comment_over_280_characters_is_cut_and_accepted(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(lite_url)
    records = await env.load_findings(lite)
    long_comment = "This dependency is only loaded by the build tooling. " * 8  # > 400 chars

    await _decide(lite, config, [records[ref]], "dismiss", "c", "not_used", long_comment)
    await _push(env, lite, config, "c")

    [intent] = await rows(lite, intents)
    assert len(intent["comment"]) == 280 and intent["comment"].endswith("…")
    assert intent["comment"][:-1] == long_comment[:279]
    [patch] = patches(env)
    assert patch.status == 200  # not GitHub's 422 "the string is too long"
    assert env.alert(ref)["dismissed_comment"] == intent["comment"]
    assert intent["status"] == "confirmed"


def test_fit_comment_and_patch_body_keep_to_github_limit() -> None:
    assert fit_comment(None) == (None, False)
    assert fit_comment("x" * 280) == ("x" * 280, False)
    cut, was_cut = fit_comment("x" * 281)
    assert was_cut and len(cut or "") == 280 and (cut or "").endswith("…")
    # A comment that reached the outbox uncut (any other path) is still cut in the body.
    intent = Intent(1, 1, DecisionAction.DISMISS, "not_used", "y" * 300, IntentStatus.PENDING)
    body = patch_body(intent)
    assert body == {
        "state": "dismissed",
        "dismissed_reason": "not_used",
        "dismissed_comment": "y" * 280,
    }
    assert patch_body(Intent(2, 1, DecisionAction.REOPEN, None, None, IntentStatus.PENDING)) == {
        "state": "open"
    }
    with pytest.raises(DecisionError, match="'because'"):
        check_dismissal("because")


async def test_a_restart_mid_push_resumes_without_a_duplicate(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    refs = [env.add_alert(REPO, **OPEN) for _ in range(5)]
    config = env.config(database_url, analysis={"dismiss_writes_per_second": 5.0})
    records = await env.load_findings(engine)
    await _decide(engine, config, [records[r] for r in refs], "dismiss", "bulk", "not_used")

    # First runner: stopped as soon as GitHub has seen its first PATCH.
    stop = asyncio.Event()

    async def stop_after_first_patch() -> None:
        while not patches(env):
            await asyncio.sleep(0.005)
        stop.set()

    watcher = asyncio.create_task(stop_after_first_patch())
    first = env.pipeline(engine, config, slots=1)
    try:
        await asyncio.wait_for(first.runner.run(until_idle=True, stop=stop), 30)
    finally:
        first.close()
        watcher.cancel()
    pushed = len(patches(env))
    assert 1 <= pushed < len(refs), "the first runner should stop mid-push"
    statuses = [i["status"] for i in await rows(engine, intents)]
    assert statuses.count("confirmed") == pushed
    assert statuses.count("pending") == len(refs) - pushed

    # A new runner (a restart) pushes the rest, and only the rest.
    await _push(env, engine, config, "bulk")

    sent = patches(env)
    assert len(sent) == len(refs)
    assert len({p.path for p in sent}) == len(refs)  # each alert exactly once
    assert [i["status"] for i in await rows(engine, intents)] == ["confirmed"] * len(refs)
    assert all(env.alert(r)["state"] == "dismissed" for r in refs)

    # A push job run again for an intent GitHub already confirmed (e.g. reclaimed after a
    # crash right after the confirmation) sends nothing.
    for intent in await rows(engine, intents):
        await job_store.enqueue(
            engine,
            JobKind.DISMISS_PUSH,
            owner="acme",
            correlation_id="again",
            finding_id=intent["finding_id"],
            payload={"intent_id": intent["id"]},
        )
    await _push(env, engine, config, "again")
    assert len(patches(env)) == len(refs)
    assert {j.status for j in await jobs_for(engine, "again")} == {JobStatus.DONE}


# ------------------------------------------------------------------------------ GitHub's answers


async def test_a_422_refuses_the_decision_and_returns_the_finding_to_github_state(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    env.github.add_fault(
        Fault.error(422, "Validation Failed", method="PATCH", path=r"/alerts/1$", times=None)
    )
    config = env.config(lite_url, analysis={"max_attempts": 3})
    records = await env.load_findings(lite)

    await _decide(lite, config, [records[ref]], "dismiss", "bad", "not_used")
    await _push(env, lite, config, "bad")

    [patch] = patches(env)  # one attempt: retrying cannot help
    assert patch.status == 422
    [job] = await jobs_for(lite, "bad")
    assert job.status is JobStatus.FAILED and job.attempts == 1
    assert job.last_error == "GitHub refused the change (422): Validation Failed"
    [intent] = await rows(lite, intents)
    assert intent["status"] == "refused"
    assert intent["error"] == "GitHub refused the change (422): Validation Failed"
    assert intent["next_attempt_at"] is None
    [event] = await rows(lite, audit_events, action="push_refused")
    assert event["detail"]["intent_id"] == intent["id"]
    # The decision stays on the intent for the record; the finding shows GitHub's state
    # again, and why the decision did not take.
    record = await record_of(lite, records[ref])
    assert record.state is AlertState.OPEN and not record.pending_push
    assert record.intent_state is None
    assert (record.push_status, record.push_error) == ("refused", intent["error"])
    assert env.alert(ref)["state"] == "open"


async def test_a_500_is_retried_without_spending_an_attempt_and_then_confirmed(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    env.github.add_fault(Fault.error(500, "Server Error", method="PATCH", path=r"/alerts/1$"))
    config = env.config(lite_url, analysis={"max_attempts": 3})
    records = await env.load_findings(lite)

    await _decide(lite, config, [records[ref]], "dismiss", "flaky", "no_bandwidth")
    await _push(env, lite, config, "flaky")

    assert [p.status for p in patches(env)] == [500, 200]
    [job] = await jobs_for(lite, "flaky")
    assert job.status is JobStatus.DONE and job.attempts == 1
    [intent] = await rows(lite, intents)
    assert intent["status"] == "confirmed"
    # One transient failure on record; no retry scheduled any more.
    assert intent["attempts"] == 1 and intent["error"] == "GitHub answered 500: Server Error"
    assert intent["next_attempt_at"] is None
    assert (await record_of(lite, records[ref])).push_status is None
    assert env.alert(ref)["dismissed_reason"] == "no_bandwidth"
    assert not (await record_of(lite, records[ref])).pending_push


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("status", "message", "headers", "expected"),
    [
        (403, "Resource not accessible by personal access token", {}, "refused"),
        (
            403,
            "Delegated alert dismissal is enabled and …",
            {"x-ratelimit-remaining": "9"},
            "refused",
        ),
        (404, "Not Found", {}, "refused"),
        (410, "Gone", {}, "refused"),
        (400, "Problems parsing JSON", {}, "refused"),
        (403, "API rate limit exceeded for user ID 1.", {}, Transient("", 0.0)),
        (
            403,
            "whatever",
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 30)},
            Transient("", 31.0),
        ),
        (403, "You have exceeded a secondary rate limit.", {}, Transient("", 0.0, True)),
        (429, "Too Many Requests", {"Retry-After": "12"}, Transient("", 12.0)),
        (503, "Service Unavailable", {"retry-after": "7"}, Transient("", 7.0)),
        (500, "Server Error", {}, Transient("", 0.0)),
        (401, "Bad credentials", {}, Transient("", 0.0)),
    ],
)
def test_github_answers_are_told_apart_as_refusals_or_retries(
    status: int, message: str, headers: dict[str, str], expected: str | Transient
) -> None:
    outcome = classify(GithubException(status, {"message": message}, headers), now=NOW)
    if expected == "refused":
        assert outcome == f"GitHub refused the change ({status}): {message}"
    else:
        assert isinstance(outcome, Transient) and isinstance(expected, Transient)
        assert (outcome.asked_seconds, outcome.secondary_limit) == (
            expected.asked_seconds,
            expected.secondary_limit,
        )


def test_retry_delays_double_to_the_cap_and_honour_what_github_asked() -> None:
    policy = RetryPolicy.from_config(AnalysisConfig())  # backoff_seconds 5
    assert (policy.base_seconds, policy.cap_seconds, policy.secondary_seconds) == (5, 300, 60)
    assert [policy.delay(n, Transient("")) for n in range(8)] == [5, 10, 20, 40, 80, 160, 300, 300]
    assert policy.delay(0, Transient("", 900.0)) == 900.0  # a reset an hour away is honoured
    assert policy.delay(0, Transient("", 0.0, secondary_limit=True)) == 60.0
    assert RetryPolicy.from_config(AnalysisConfig(backoff_seconds=0.05)).cap_seconds == 3.0


async def test_a_409_already_dismissed_counts_as_confirmed(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(lite_url)
    records = await env.load_findings(lite)
    env.dataset.dismiss(REPO, 1, "not_used", by="someone-else")  # meanwhile, on github.com

    await _decide(lite, config, [records[ref]], "dismiss", "late", "not_used")
    await _push(env, lite, config, "late")

    assert [p.status for p in patches(env)] == [409]
    assert env.github.requests_matching("GET", rf"/repos/{REPO}/dependabot/alerts/1$")
    [job] = await jobs_for(lite, "late")
    assert job.status is JobStatus.DONE and job.attempts == 1
    [intent] = await rows(lite, intents)
    assert intent["status"] == "confirmed"
    record = await record_of(lite, records[ref])
    assert record.state is AlertState.DISMISSED and not record.pending_push


async def test_a_409_for_a_fixed_alert_is_not_a_confirmation(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(lite_url)
    records = await env.load_findings(lite)
    env.dataset.mark_fixed(REPO, 1)  # the dependency was upgraded meanwhile

    await _decide(lite, config, [records[ref]], "dismiss", "fixed", "not_used")
    await _push(env, lite, config, "fixed")

    assert [p.status for p in patches(env)] == [409]
    [intent] = await rows(lite, intents)
    assert intent["status"] == "refused"
    assert intent["error"].startswith("GitHub refused the change (409, alert is fixed)")
    [job] = await jobs_for(lite, "fixed")
    assert job.status is JobStatus.FAILED and job.attempts == 1
    # Back to GitHub's state as last synced (the next sync brings "fixed").
    record = await record_of(lite, records[ref])
    assert record.intent_state is None and not record.pending_push
    assert record.state is record.finding.state is AlertState.OPEN


async def test_reopen_patches_state_open(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN, state="dismissed", dismissed_reason="tolerable_risk")
    config = env.config(database_url)
    records = await env.load_findings(engine)
    assert records[ref].state is AlertState.DISMISSED

    await _decide(engine, config, [records[ref]], "reopen", "reopen")
    await _push(env, engine, config, "reopen")

    [patch] = patches(env)
    assert patch.status == 200
    assert env.alert(ref)["state"] == "open"
    assert env.alert(ref)["dismissed_reason"] is None
    [intent] = await rows(engine, intents)
    assert (intent["action"], intent["status"]) == ("reopen", "confirmed")
    record = await record_of(engine, records[ref])
    assert record.state is AlertState.OPEN and not record.pending_push


# ------------------------------------------------------------------------------ pacing


async def test_write_limiter_spaces_writes_of_every_limiter_on_one_key(
    engine: AsyncEngine,
) -> None:
    key = write_limit_key("https://api.github.com/")
    # Two limiters on one database and key stand for two runner processes.
    first, second = (SharedWriteLimiter(engine, key, 4.0) for _ in range(2))
    started = time.monotonic()

    async def write(limiter: SharedWriteLimiter) -> float:
        await limiter.wait()
        return time.monotonic() - started

    marks = sorted(await asyncio.gather(*(write(lim) for lim in (first, second) * 3)))
    assert marks[0] < 0.2  # the first write goes at once
    gaps = [b - a for a, b in itertools.pairwise(marks)]
    assert min(gaps) >= 0.24
    # Another key (another GitHub) has its own pace.
    other = SharedWriteLimiter(engine, write_limit_key("https://ghe.example/api/v3"), 4.0)
    assert await other.wait() == 0.0
    assert AnalysisConfig().dismiss_writes_per_second == 1.0  # GitHub's guidance by default


def test_write_limit_key_names_the_api_and_no_credential() -> None:
    assert write_limit_key("https://API.github.com/") == "github-writes https://api.github.com"
    key = write_limit_key("https://user:ghp_secret@ghe.example:8443/api/v3/")
    assert key == "github-writes https://ghe.example:8443/api/v3"


@pytest.mark.parametrize(("per_second", "count"), [(1.0, 2), (5.0, 4)])
async def test_pushes_are_spaced_on_the_wire(
    env: PipelineEnv, lite: AsyncEngine, lite_url: str, per_second: float, count: int
) -> None:
    refs = [env.add_alert(REPO, **OPEN) for _ in range(count)]
    config = env.config(lite_url, analysis={"dismiss_writes_per_second": per_second})
    records = await env.load_findings(lite)
    await _decide(lite, config, [records[r] for r in refs], "dismiss", "paced", "not_used")

    await _push(env, lite, config, "paced", slots=4)  # concurrent jobs share the limiter

    stamps = sorted(p.timestamp for p in patches(env))
    assert len(stamps) == count
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    # Slots are exactly an interval apart; arrival adds each request's own way to the
    # server (a few milliseconds locally, more for a thread's first request).
    assert min(gaps) >= 1 / per_second - WIRE_JITTER


# ------------------------------------------------------------------------------ CLI


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoSession]:
    with DemoSession(
        tmp_path / "demo", orgs={"acme": 1}, users={}, alerts_per_repo=8, auto_dismiss=False
    ) as session:
        assert secagent(session, "sync").exit_code == 0
        yield session


def _numbers(session: DemoSession, state: str) -> list[int]:
    return [a["number"] for a in session.dataset.alerts("acme/web") if a["state"] == state]


def _demo_patches(session: DemoSession) -> list:
    return session.github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")


def test_cli_dismiss_refuses_a_comment_past_github_limit_and_records_nothing(
    demo: DemoSession,
) -> None:
    number = _numbers(demo, "open")[0]
    ref = f"acme/web#{number}"

    result = secagent(demo, "dismiss", ref, "--reason", "not_used", "--comment", "z" * 281)

    assert result.exit_code != 0
    assert result.stderr == (
        "secagent: --comment has 281 characters; GitHub takes at most 280. Nothing was recorded.\n"
    )
    assert demo.dataset.alert("acme/web", number)["state"] == "open"
    assert _demo_patches(demo) == []


def test_cli_dismiss_and_reopen_push_and_confirm(demo: DemoSession) -> None:
    number = _numbers(demo, "open")[0]
    ref = f"acme/web#{number}"

    result = secagent(demo, "dismiss", ref, "--reason", "not_used", "--comment", "z" * 280)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "dismissed 1 finding(s) locally",
        "GitHub: 1 confirmed, 0 to retry, 0 refused",
    ]
    assert result.stderr == ""
    alert = demo.dataset.alert("acme/web", number)
    assert (alert["state"], alert["dismissed_reason"]) == ("dismissed", "not_used")
    assert len(alert["dismissed_comment"]) == 280

    result = secagent(demo, "reopen", ref)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "reopened 1 finding(s) locally",
        "GitHub: 1 confirmed, 0 to retry, 0 refused",
    ]
    assert demo.dataset.alert("acme/web", number)["state"] == "open"
    assert [p.status for p in _demo_patches(demo)] == [200, 200]
    assert [(i["action"], i["status"]) for i in outbox(demo)] == [
        ("dismiss", "confirmed"),
        ("reopen", "confirmed"),
    ]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("dismiss", "{ref}", "--reason", "because"), "'because'"),
        (("dismiss", "acme/web#999", "--reason", "not_used"), "acme/web#999"),
        (("reopen", "acme/nowhere#1"), "acme/nowhere#1"),
        (("reopen", "not-a-ref"), "'not-a-ref'"),
    ],
    ids=["bad-reason", "unknown-finding", "unknown-repo", "malformed-ref"],
)
def test_cli_user_errors_are_one_line_exit_2_and_change_nothing(
    demo: DemoSession, args: tuple[str, ...], named: str
) -> None:
    ref = f"acme/web#{_numbers(demo, 'open')[0]}"
    result = secagent(demo, *(a.replace("{ref}", ref) for a in args))

    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("secagent: ") and named in line
    assert "Traceback" not in result.output
    assert _demo_patches(demo) == []
    assert outbox(demo) == []
