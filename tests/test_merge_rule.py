"""The merge rule (docs/architecture.md, "The merge rule"): GitHub owns an alert's data; an
analyst's dismiss/reopen is applied locally at once and survives every sync that brings an older
remote state, pending or confirmed; a newer change on GitHub wins; analysis results are never
touched.

The scenario tests run the real sync against the local GitHub server on SQLite and
PostgreSQL. The property test plays random interleavings against a small reference model of
the rule, on one SQLite database.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from support.github_env import FastApi, config_for, run_sync

from secagent_tui.config import Config
from secagent_tui.demo.github import Dataset, GitHubServer, generate_dataset, iso, parse_iso
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.refs import FindingRef
from secagent_tui.github.parser import parse_alert
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding, upsert_findings
from secagent_tui.store.intents import (
    confirm_intent,
    pending_intents,
    record_intent,
    supersede_overridden,
)
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import audit_events, findings, intents

REPO = "acme/web"
ORG_ONLY = (("org", "acme"),)


@dataclass
class World:
    """A synced org on a local GitHub, and one of its open alerts to decide about."""

    engine: AsyncEngine
    dataset: Dataset
    server: GitHubServer
    config: Config
    api: FastApi
    number: int

    @property
    def ref(self) -> FindingRef:
        return FindingRef("acme", "web", self.number)

    async def record(self) -> FindingRecord:
        record = await get_finding(self.engine, self.ref)
        assert record is not None
        return record

    async def sync(self, *, full: bool = False) -> Any:
        outcome = (await run_sync(self.engine, self.config, self.api, full=full))["acme"]
        assert outcome.ok, outcome
        return outcome

    async def decide(self, action: str, at: datetime) -> int:
        record = await self.record()
        recorded = await record_intent(
            self.engine,
            record.id,
            DecisionAction(action),
            reason="not_used" if action == "dismiss" else None,
            comment="only in tests" if action == "dismiss" else None,
            actor="analyst@example.com",
            correlation_id=f"test-{action}",
            now=at,
        )
        return recorded.intent_id

    async def intent_statuses(self) -> list[str]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(intents.c.status).order_by(intents.c.id))
            return [r.status for r in rows]


@pytest.fixture
def world_factory(
    tmp_path: Path,
) -> Iterator[Callable[[AsyncEngine, str], Any]]:
    servers: list[GitHubServer] = []

    async def make(engine: AsyncEngine, database_url: str) -> World:
        ds = generate_dataset(orgs={"acme": 1}, users={}, alerts_per_repo=8, seed=21)
        server = GitHubServer(ds).start()
        servers.append(server)
        config = config_for(tmp_path, server, database_url, ORG_ONLY)
        api = FastApi(server)
        number = next(a["number"] for a in ds.alerts(REPO) if a["state"] == "open")
        world = World(engine, ds, server, config, api, number)
        await world.sync()
        return world

    yield make
    for server in servers:
        server.stop()


async def test_pending_dismissal_survives_an_older_remote_change(
    engine: AsyncEngine, database_url: str, world_factory: Callable[..., Any]
) -> None:
    w: World = await world_factory(engine, database_url)
    decided_at = w.dataset.now + timedelta(hours=1)
    intent_id = await w.decide("dismiss", decided_at)
    # GitHub re-scored the advisory before the analyst's decision (but after the last sync).
    old = w.dataset.alert(REPO, w.number)
    severity = "critical" if old["security_advisory"]["severity"] != "critical" else "low"
    changed = w.dataset.set_severity(REPO, w.number, severity)
    assert parse_iso(changed["updated_at"]) < decided_at and changed["state"] == "open"

    outcome = await w.sync()

    assert outcome.updated == 1
    record = await w.record()
    assert record.state is AlertState.DISMISSED  # the analyst's decision shows
    assert record.pending_push is True
    assert record.dismissed_reason == "not_used"
    assert record.finding.state is AlertState.OPEN  # GitHub's data stays truthful...
    assert record.finding.severity.value == severity  # ...and current
    assert [i.id for i in await pending_intents(w.engine)] == [intent_id]

    await w.sync(full=True)
    assert (await w.record()).state is AlertState.DISMISSED
    assert [i.id for i in await pending_intents(w.engine)] == [intent_id]


async def test_confirmed_dismissal_survives_a_lagging_remote_read(
    engine: AsyncEngine, database_url: str, world_factory: Callable[..., Any]
) -> None:
    w: World = await world_factory(engine, database_url)
    before_push = copy.deepcopy(w.dataset.alert(REPO, w.number))
    intent_id = await w.decide("dismiss", w.dataset.now + timedelta(hours=1))
    # The push, through the real client; GitHub's answer carries its own updated_at.
    api = w.api(RateGovernor(4, 0))
    try:
        answer = api.update_alert(
            REPO, w.number, {"state": "dismissed", "dismissed_reason": "not_used"}
        )
    finally:
        api.close()
    assert answer["state"] == "dismissed"
    await confirm_intent(w.engine, intent_id, parse_iso(answer["updated_at"]))

    await w.sync()  # GitHub reports the dismissal it confirmed
    record = await w.record()
    assert record.state is AlertState.DISMISSED and record.pending_push is False
    assert record.finding.state is AlertState.DISMISSED

    # A lagging replica answers with the state from before the push (older updated_at).
    with w.dataset.lock:
        w.dataset.repo(REPO).alerts[w.number] = before_push  # type: ignore[union-attr]
    outcome = await w.sync(full=True)

    assert outcome.updated == 1
    record = await w.record()
    assert record.finding.state is AlertState.OPEN  # what GitHub (lagging) said
    assert record.state is AlertState.DISMISSED  # but the confirmed decision stands
    assert record.pending_push is False
    assert record.intent_state is AlertState.DISMISSED
    assert await w.intent_statuses() == ["confirmed"]


async def test_newer_remote_reopen_wins_over_a_pending_dismissal(
    engine: AsyncEngine, database_url: str, world_factory: Callable[..., Any]
) -> None:
    w: World = await world_factory(engine, database_url)
    decided_at = w.dataset.now + timedelta(seconds=10)
    await w.decide("dismiss", decided_at)
    # Later, on github.com, someone dismisses it and then reopens it: it must stay open.
    w.dataset.advance(60)
    w.dataset.dismiss(REPO, w.number, "tolerable_risk", by="mona")
    reopened = w.dataset.reopen(REPO, w.number)
    assert parse_iso(reopened["updated_at"]) > decided_at

    await w.sync()

    record = await w.record()
    assert record.state is AlertState.OPEN
    assert record.intent_state is None
    assert record.pending_push is False
    assert record.dismissed_reason is None
    assert await pending_intents(w.engine) == []
    assert await w.intent_statuses() == ["superseded"]  # never pushed over the reopen


async def test_newer_remote_reopen_wins_over_a_confirmed_dismissal(
    engine: AsyncEngine, database_url: str, world_factory: Callable[..., Any]
) -> None:
    w: World = await world_factory(engine, database_url)
    intent_id = await w.decide("dismiss", w.dataset.now + timedelta(seconds=5))
    pushed = w.dataset.dismiss(REPO, w.number, "not_used")
    await confirm_intent(w.engine, intent_id, parse_iso(pushed["updated_at"]))
    await w.sync()
    assert (await w.record()).state is AlertState.DISMISSED

    w.dataset.reopen(REPO, w.number)
    await w.sync()

    record = await w.record()
    assert record.state is AlertState.OPEN and record.intent_state is None
    assert record.pending_push is False
    assert await w.intent_statuses() == ["confirmed"]


async def test_sync_never_touches_analysis_results(
    engine: AsyncEngine, database_url: str, world_factory: Callable[..., Any]
) -> None:
    w: World = await world_factory(engine, database_url)
    record = await w.record()
    analysis = {
        "analysis_status": "completed",
        "triage": {"suggested_action": "analyze_codebase", "confidence": "low"},
        "verdict": {"is_exploitable": False, "confidence": "high", "summary": "unused"},
        "evidence": {"imports": [], "scanned_files": 12},
        "analysis_error": None,
        "analysis_updated_at": datetime(2025, 6, 1, tzinfo=UTC),
    }
    async with w.engine.begin() as conn:
        await conn.execute(update(findings).where(findings.c.id == record.id).values(**analysis))

    async def analysis_columns() -> dict[str, Any]:
        async with w.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(*(findings.c[k] for k in analysis)).where(findings.c.id == record.id)
                )
            ).one()
        return dict(row._mapping)

    assert await analysis_columns() == analysis
    w.dataset.set_severity(REPO, w.number, "critical")
    assert (await w.sync()).updated == 1
    assert await analysis_columns() == analysis
    w.dataset.mark_fixed(REPO, w.number)
    await w.sync()
    await w.sync(full=True)
    assert await analysis_columns() == analysis
    after = await w.record()
    assert after.finding.state is AlertState.FIXED and after.finding.severity.value == "critical"


# ------------------------------------------------------------------------------ the model

BASE = datetime(2025, 1, 1, tzinfo=UTC)
STATES = ("open", "dismissed", "fixed")
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Remote:
    """What GitHub's API answers for the alert."""

    state: str
    severity: str
    at: int  # updated_at, seconds after BASE


@dataclass
class Intent:
    state: str
    at: int
    pending: bool
    outbox_index: int


@dataclass
class Model:
    """The merge rule, stated plainly."""

    remote: Remote
    stored: Remote
    clock: int = 0
    intent: Intent | None = None
    outbox: list[str] = field(default_factory=list)  # status of each intent, in order

    @property
    def effective(self) -> str:
        return self.intent.state if self.intent else self.stored.state

    def decide(self, action: str) -> None:
        self.clock += 10  # the analyst acts after everything seen so far
        self.outbox = ["superseded" if s == "pending" else s for s in self.outbox]
        state = "dismissed" if action == "dismiss" else "open"
        self.outbox.append("pending")
        self.intent = Intent(state, self.clock, True, len(self.outbox) - 1)

    def can_push(self) -> bool:
        # GitHub refuses (409) to change a fixed alert's state.
        return bool(self.intent and self.intent.pending and self.remote.state != "fixed")

    def push(self) -> None:
        assert self.intent is not None
        self.clock += 1
        self.remote = Remote(self.intent.state, self.remote.severity, self.clock)
        self.intent.at, self.intent.pending = self.clock, False
        self.outbox[self.intent.outbox_index] = "confirmed"

    def remote_change(self, newer: bool, state: str, severity: str, back: int) -> None:
        if newer or self.intent is None:
            self.clock += 1
            at = self.clock
        else:
            at = self.intent.at - back  # older than the decision (a late or lagging read)
        self.remote = Remote(state, severity, at)

    def sync(self) -> None:
        if self.remote != self.stored:
            self.stored = self.remote
            if self.intent is not None and self.remote.at > self.intent.at:
                self.intent = None  # a newer GitHub change wins
        # Pending intents of a finding GitHub took over are never pushed.
        pending_push = bool(self.intent and self.intent.pending)
        if not pending_push:
            self.outbox = ["superseded" if s == "pending" else s for s in self.outbox]


def _payload(base: dict[str, Any], remote: Remote) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    stamp = iso(BASE + timedelta(seconds=remote.at))
    raw["state"] = remote.state
    raw["security_advisory"]["severity"] = remote.severity
    raw["security_vulnerability"]["severity"] = remote.severity
    raw["updated_at"] = stamp
    raw["dismissed_at"] = stamp if remote.state == "dismissed" else None
    raw["dismissed_reason"] = "tolerable_risk" if remote.state == "dismissed" else None
    raw["dismissed_comment"] = None
    raw["fixed_at"] = stamp if remote.state == "fixed" else None
    raw["auto_dismissed_at"] = None
    return raw


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("decide"), st.sampled_from(["dismiss", "reopen"])),
        st.tuples(st.just("push")),
        st.tuples(
            st.just("remote"),
            st.booleans(),
            st.sampled_from(STATES),
            st.sampled_from(SEVERITIES),
            st.integers(min_value=1, max_value=5),
        ),
        st.tuples(st.just("sync")),
    ),
    min_size=1,
    max_size=14,
)


def test_random_interleavings_follow_the_merge_rule(tmp_path: Path) -> None:
    base = generate_dataset(orgs={"acme": 1}, users={}, alerts_per_repo=1, seed=1).alerts()[0]
    base = {k: v for k, v in base.items() if k != "repository"}
    ref = FindingRef("acme", "web", base["number"])

    async def play(engine: AsyncEngine, ops: list[tuple[Any, ...]]) -> None:
        async with engine.begin() as conn:
            for table in (audit_events, intents, findings):
                await conn.execute(delete(table))

        async def sync(remote: Remote) -> None:
            await upsert_findings(engine, [parse_alert(_payload(base, remote))])
            await supersede_overridden(engine)

        first = Remote("open", "medium", 0)
        model = Model(remote=first, stored=first)
        await sync(first)
        record = await get_finding(engine, ref)
        assert record is not None
        finding_id = record.id
        intent_ids: list[int] = []

        for step, op in enumerate(ops):
            kind = op[0]
            if kind == "decide":
                model.decide(op[1])
                intent_ids.append(
                    (
                        await record_intent(
                            engine,
                            finding_id,
                            DecisionAction(op[1]),
                            reason="not_used" if op[1] == "dismiss" else None,
                            comment=None,
                            actor="analyst",
                            correlation_id=f"c{step}",
                            now=BASE + timedelta(seconds=model.clock),
                        )
                    ).intent_id
                )
            elif kind == "push":
                if not model.can_push():
                    continue
                model.push()
                assert model.intent is not None
                await confirm_intent(
                    engine,
                    intent_ids[model.intent.outbox_index],
                    BASE + timedelta(seconds=model.remote.at),
                )
            elif kind == "remote":
                model.remote_change(*op[1:])
            else:
                model.sync()
                await sync(model.remote)

            record = await get_finding(engine, ref)
            assert record is not None
            where = f"after step {step} {op} of {ops}"
            assert record.state.value == model.effective, where
            assert record.pending_push is bool(model.intent and model.intent.pending), where
            intent_state = model.intent.state if model.intent else None
            assert (record.intent_state and record.intent_state.value) == intent_state, where
            assert record.finding.state.value == model.stored.state, where
            assert record.finding.severity.value == model.stored.severity, where
            assert record.finding.updated_at == BASE + timedelta(seconds=model.stored.at), where
            async with engine.connect() as conn:
                statuses = [
                    r.status
                    for r in await conn.execute(select(intents.c.status).order_by(intents.c.id))
                ]
            assert statuses == model.outbox, where

    with asyncio.Runner() as runner:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'model.db'}")
        runner.run(upgrade(engine))
        try:

            @settings(
                max_examples=40,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(ops=OPS)
            def check(ops: list[tuple[Any, ...]]) -> None:
                runner.run(play(engine, ops))

            check()
        finally:
            runner.run(engine.dispose())
