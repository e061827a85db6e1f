"""Alert assignees (issue 16, item 2): GitHub's `assignees` synced, an analyst's assignment
applied at once and pushed through the dismissals' outbox (one PATCH of `assignees` per
alert), the merge rule over both, the assignee filter in SQL, and `secagent assign`.

Everything runs against the local GitHub server through the real PyGithub and the real sync,
on SQLite and PostgreSQL where the store is involved.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.demo_cli import outbox, secagent
from support.pipeline_env import PipelineEnv, patches, record_of, rows

from secagent_tui.config import Config
from secagent_tui.demo.session import DemoSession
from secagent_tui.domain.filters import UNASSIGNED, FindingFilter, resolve_assignee
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.assignments import assign, check_logins
from secagent_tui.pipeline.decisions import DecisionError, decide
from secagent_tui.services.reads import login_of
from secagent_tui.store.assignments import record_assignment, refuse_assignment
from secagent_tui.store.finding_window import finding_page
from secagent_tui.store.findings import list_findings
from secagent_tui.store.schema import audit_events, intents

DATA = Path(__file__).parent / "data"
REPO = "acme/web"
OPEN = {"ecosystem": "npm", "package": "lodash", "manifest_path": "package.json"}
ALL = FindingFilter(states=tuple(AlertState))


def _load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _logins(alert: dict[str, Any]) -> list[str]:
    return [user["login"] for user in alert.get("assignees") or []]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[PipelineEnv]:
    with PipelineEnv(tmp_path) as e:
        e.add_repo(REPO)
        yield e


async def _push(env: PipelineEnv, engine: AsyncEngine, config: Config, cid: str) -> None:
    pipeline = env.pipeline(engine, config)
    try:
        await pipeline.runner.run(correlation_id=cid)
    finally:
        pipeline.close()


async def _record(env: PipelineEnv, engine: AsyncEngine, ref: str) -> FindingRecord:
    return (await env.records(engine))[ref]


# ------------------------------------------------------------------------------ the parser


def test_the_real_example_payload_gives_its_assignees_logins() -> None:
    finding = parse_alert(_load("alert_example.json"))
    assert finding.assignees == ("octocat",)


def test_an_older_payload_without_the_key_has_no_assignees() -> None:
    raw = _load("alert_real_pygithub_replay_dismissed.json")
    assert "assignees" not in raw
    assert parse_alert(raw).assignees == ()


def test_assignees_keep_githubs_order_and_drop_what_is_not_a_user_with_a_login() -> None:
    raw = _load("alert_example.json")
    octocat = raw["assignees"][0]
    raw["assignees"] = [
        {**octocat, "login": "zed"},
        "alice",  # not a user object
        {"id": 3},  # no login
        {**octocat, "login": "bad login"},  # not a GitHub login
        {**octocat, "login": "amy-b"},
    ]
    assert parse_alert(raw).assignees == ("zed", "amy-b")
    for nothing in (None, "octocat", {"login": "octocat"}):
        raw["assignees"] = nothing
        assert parse_alert(copy.deepcopy(raw)).assignees == ()


# ------------------------------------------------------------------------------ sync and push


async def test_a_sync_stores_githubs_assignees(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    assigned = env.add_alert(REPO, **OPEN)
    nobody = env.add_alert(REPO, assignees=False, **OPEN)  # an older payload: no key
    env.dataset.set_assignees(REPO, int(assigned.split("#")[1]), ["alice", "bob"])
    config = env.config(database_url)

    await env.sync(engine, config)

    records = await env.records(engine)
    assert records[assigned].finding.assignees == ("alice", "bob")
    assert records[assigned].assignees == ("alice", "bob")
    assert records[assigned].intent_assignees is None
    assert records[nobody].assignees == ()


async def test_an_assignment_is_pushed_returned_by_github_and_kept_by_the_next_sync(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    other = env.add_alert(REPO, **OPEN)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)

    jobs = await assign(
        engine, config, [record], ["alice", "bob"], actor="cli:ana", correlation_id="a1"
    )

    assert len(jobs) == 1
    local = await record_of(engine, record)
    assert local.assignees == ("alice", "bob")  # at once, before GitHub knows
    assert local.finding.assignees == ()  # GitHub's column stays GitHub's

    await _push(env, engine, config, "a1")

    sent = patches(env)
    assert [(p.path, p.status) for p in sent] == [
        (f"/repos/{REPO}/dependabot/alerts/{ref.split('#')[1]}", 200)
    ]
    alert = env.alert(ref)
    assert _logins(alert) == ["alice", "bob"]
    assert all(u["type"] == "User" and "id" in u for u in alert["assignees"])
    assert _logins(env.alert(other)) == []
    [intent] = await rows(engine, intents)
    assert (intent["action"], intent["status"], intent["assignees"]) == (
        "assign",
        "confirmed",
        ["alice", "bob"],
    )
    assert [e["action"] for e in await rows(engine, audit_events)] == [
        "assign_requested",
        "push_confirmed",
    ]
    confirmed = await record_of(engine, record)
    assert confirmed.intent_assignees_at == parse_alert(alert).updated_at

    await env.sync(engine, config)

    synced = await record_of(engine, record)
    assert synced.finding.assignees == ("alice", "bob")  # GitHub now says so itself
    assert synced.assignees == ("alice", "bob")


async def test_clearing_sends_an_empty_list_and_github_drops_every_assignee(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    env.dataset.set_assignees(REPO, int(ref.split("#")[1]), ["carol"])
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)
    assert record.assignees == ("carol",)

    await assign(engine, config, [record], [], actor="cli:ana", correlation_id="c1")
    assert (await record_of(engine, record)).assignees == ()
    await _push(env, engine, config, "c1")
    await env.sync(engine, config)

    assert len(patches(env)) == 1
    assert env.alert(ref)["assignees"] == []
    synced = await record_of(engine, record)
    assert synced.finding.assignees == () and synced.assignees == ()


async def test_an_assignment_and_a_dismissal_of_one_finding_are_both_pushed(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)

    await assign(engine, config, [record], ["dave"], actor="cli:ana", correlation_id="b1")
    await decide(
        engine, config, [record], "dismiss", actor="cli:ana", correlation_id="b1", reason="not_used"
    )
    await _push(env, engine, config, "b1")

    assert len(patches(env)) == 2
    alert = env.alert(ref)
    assert (alert["state"], _logins(alert)) == ("dismissed", ["dave"])
    assert sorted((i["action"], i["status"]) for i in await rows(engine, intents)) == [
        ("assign", "confirmed"),
        ("dismiss", "confirmed"),
    ]
    await env.sync(engine, config)
    synced = await record_of(engine, record)
    assert (synced.state, synced.assignees) == (AlertState.DISMISSED, ("dave",))


async def test_a_newer_assignment_supersedes_the_one_not_yet_pushed(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)

    await assign(engine, config, [record], ["erin"], actor="cli:ana", correlation_id="s1")
    await assign(engine, config, [record], ["frank"], actor="cli:ana", correlation_id="s1")
    await _push(env, engine, config, "s1")

    assert len(patches(env)) == 1
    assert _logins(env.alert(ref)) == ["frank"]
    assert sorted(i["status"] for i in await rows(engine, intents)) == ["confirmed", "superseded"]


# ------------------------------------------------------------------------------ merge rule


async def test_a_sync_with_an_older_remote_state_keeps_the_pending_assignment(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    env.dataset.set_assignees(REPO, int(ref.split("#")[1]), ["carol"])
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)
    later = record.finding.updated_at + timedelta(minutes=5)

    await record_assignment(
        engine, record.id, ["ana"], actor="cli:ana", correlation_id="m1", now=later
    )
    await env.sync(engine, config)

    kept = await record_of(engine, record)
    assert kept.finding.assignees == ("carol",)
    assert kept.assignees == ("ana",)
    assert [i["status"] for i in await rows(engine, intents)] == ["pending"]


async def test_a_newer_change_on_github_wins_and_supersedes_the_pending_assignment(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    number = int(ref.split("#")[1])
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)
    at = record.finding.updated_at + timedelta(seconds=30)
    recorded = await record_assignment(
        engine,
        record.id,
        ["ana"],
        actor="cli:ana",
        correlation_id="m2",
        now=at,
        push=None,
    )
    env.dataset.advance(120)  # someone on github.com assigns after the analyst did
    env.dataset.set_assignees(REPO, number, ["grace"])

    await env.sync(engine, config)

    won = await record_of(engine, record)
    assert won.assignees == ("grace",) and won.intent_assignees is None
    [intent] = await rows(engine, intents)
    assert (intent["id"], intent["status"]) == (recorded.intent_id, "superseded")


async def test_a_refused_assignment_shows_githubs_assignees_again_and_keeps_the_dismissal(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    ref = env.add_alert(REPO, **OPEN)
    config = env.config(database_url)
    await env.sync(engine, config)
    record = await _record(env, engine, ref)
    await decide(
        engine, config, [record], "dismiss", actor="cli:ana", correlation_id="r0", reason="not_used"
    )
    await record_assignment(engine, record.id, ["ana"], actor="cli:ana", correlation_id="r1")
    [assign_intent] = [i for i in await rows(engine, intents) if i["action"] == "assign"]
    assert await refuse_assignment(engine, assign_intent["id"], "GitHub refused the change (422)")

    after = await record_of(engine, record)
    assert after.assignees == () and after.intent_assignees is None
    assert after.state is AlertState.DISMISSED and after.pending_push  # the dismissal stays
    assert after.push_error == "GitHub refused the change (422)"


# ------------------------------------------------------------------------------ the filter


async def test_the_assignee_filter_matches_logins_mine_and_nobody_on_both_backends(
    env: PipelineEnv, engine: AsyncEngine, database_url: str
) -> None:
    refs = {name: env.add_alert(REPO, **OPEN) for name in ("alice", "al", "pair", "none", "mine")}
    for name, logins in (("alice", ["Alice"]), ("al", ["al"]), ("pair", ["bob", "alice"])):
        env.dataset.set_assignees(REPO, int(refs[name].split("#")[1]), logins)
    config = env.config(database_url)
    await env.sync(engine, config)
    records = await env.records(engine)
    # A local assignment counts at once: "mine" assigned here, "pair" cleared here.
    await record_assignment(
        engine, records[refs["mine"]].id, ["ana"], actor="tui:ana", correlation_id="f"
    )
    await record_assignment(
        engine, records[refs["pair"]].id, [], actor="tui:ana", correlation_id="f"
    )
    days = config.sla.days()

    async def window(assignee: str) -> set[str]:
        flt = ALL.with_changes(assignee=assignee)
        page = await finding_page(
            engine, flt, days=days, now=records[refs["al"]].finding.created_at
        )
        in_sql = {r.finding.ref for r in page.records}
        in_python = {r.finding.ref for r in await list_findings(engine, flt, days=days)}
        assert in_sql == in_python
        return in_sql

    assert await window("alice") == {refs["alice"]}  # not "al", and "pair" was cleared
    assert await window("ALICE") == {refs["alice"]}  # logins ignore case, as GitHub's
    assert await window("al") == {refs["al"]}
    assert await window(resolve_assignee("mine", login_of("tui:ana"))) == {refs["mine"]}
    assert await window(resolve_assignee("none", "ana")) == {refs["none"], refs["pair"]}
    assert resolve_assignee("unassigned", "ana") == UNASSIGNED


def test_a_filter_chip_names_the_assignee() -> None:
    assert "assignee:ana" in FindingFilter(assignee="ana").chips()
    assert "assignee:none" in FindingFilter(assignee=UNASSIGNED).chips()


def test_logins_are_checked_and_each_kept_once() -> None:
    assert check_logins(["alice", "Alice", "bob"]) == ["alice", "bob"]
    for bad in ("", "a b", "-x", "acme/web", "x" * 40, "dependabot[bot]"):
        with pytest.raises(DecisionError):
            check_logins(["alice", bad])


# ------------------------------------------------------------------------------ the CLI


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoSession]:
    with DemoSession(
        tmp_path / "demo", orgs={"acme": 1}, users={}, alerts_per_repo=6, auto_dismiss=False
    ) as session:
        assert secagent(session, "sync").exit_code == 0
        yield session


def _first_repo(session: DemoSession) -> str:
    return session.dataset.repos()[0].full_name


def test_cli_assign_pushes_and_the_findings_filter_shows_it(demo: DemoSession) -> None:
    repo = _first_repo(demo)
    number = next(a["number"] for a in demo.dataset.alerts(repo) if a["state"] == "open")
    ref = f"{repo}#{number}"

    result = secagent(demo, "assign", ref, "--to", "alice", "--to", "bob")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "assigned to alice, bob: 1 finding(s) locally",
        "GitHub: 1 confirmed, 0 to retry, 0 refused",
    ]
    assert _logins(demo.dataset.alert(repo, number)) == ["alice", "bob"]
    listed = secagent(demo, "findings", "--assignee", "bob", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [f["ref"] for f in json.loads(listed.stdout)] == [ref]

    cleared = secagent(demo, "assign", ref, "--clear")

    assert cleared.exit_code == 0, cleared.output
    assert cleared.stdout.splitlines()[0] == "cleared the assignees of: 1 finding(s) locally"
    assert demo.dataset.alert(repo, number)["assignees"] == []
    none = secagent(demo, "findings", "--assignee", "none", "--state", "all", "--format", "json")
    assert ref in {f["ref"] for f in json.loads(none.stdout)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "alice", "--clear"], "give --to LOGIN (once or more) or --clear"),
        ([], "give --to LOGIN (once or more) or --clear"),
        (["--to", "not a login"], "assignee 'not a login' must be a GitHub login"),
        (["--to", "-alice"], "assignee '-alice' must be a GitHub login"),
    ],
)
def test_cli_assign_refuses_bad_options_with_one_line_and_changes_nothing(
    demo: DemoSession, args: list[str], message: str
) -> None:
    repo = _first_repo(demo)
    number = demo.dataset.alerts(repo)[0]["number"]
    before = copy.deepcopy(demo.dataset.alert(repo, number).get("assignees"))

    result = secagent(demo, "assign", f"{repo}#{number}", *args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"secagent: {message}")
    assert result.stderr.count("\n") == 1
    assert outbox(demo) == []
    assert demo.dataset.alert(repo, number).get("assignees") == before


def test_cli_assign_refuses_an_unknown_ref_and_a_bad_one_before_recording_any(
    demo: DemoSession,
) -> None:
    repo = _first_repo(demo)
    number = demo.dataset.alerts(repo)[0]["number"]
    for bad, message in (
        (f"{repo}#99999", f"secagent: unknown finding {repo}#99999"),
        ("no-ref", "secagent: "),
    ):
        result = secagent(demo, "assign", f"{repo}#{number}", bad, "--to", "alice")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert outbox(demo) == []
    assert secagent(demo, "findings", "--assignee", "a b").exit_code == 2


def test_managed_user_logins_with_their_shortcode_are_logins() -> None:
    """Enterprise Managed Users are `handle_shortcode` on github.com: their alerts are
    assigned to such logins, which must be synced and assignable like any other."""
    assert check_logins(["mona_acme", "octo-cat_ent1"]) == ["mona_acme", "octo-cat_ent1"]
    raw = _load("alert_example.json")
    raw["assignees"] = [{**raw["assignees"][0], "login": "mona_acme"}]
    assert parse_alert(raw).assignees == ("mona_acme",)
    for bad in ("_mona", "mona_", "mona__acme", "mona_acme_x", "mona_ac-me"):
        with pytest.raises(DecisionError):
            check_logins([bad])
