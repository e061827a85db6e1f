"""An analyst's assignment, from the CLI or the TUI: applied locally at once, and a push job
per finding queued in the same outbox as dismissals (one PATCH of `assignees` each, paced by
the same write limiter; pipeline/dismissal.py pushes it)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.owner import login_problem
from secagent_tui.domain.record import FindingRecord
from secagent_tui.pipeline.decisions import DecisionError
from secagent_tui.store.assignments import record_assignment
from secagent_tui.store.intents import PushJob


def check_logins(logins: Sequence[str]) -> list[str]:
    """The logins to assign, each once (GitHub's logins ignore case) in the order given;
    DecisionError for one that is not a GitHub login, before anything is recorded."""
    wanted: list[str] = []
    seen: set[str] = set()
    for login in logins:
        problem = login_problem(login)
        if problem is not None:
            raise DecisionError(f"assignee {login!r} {problem}")
        if login.lower() not in seen:
            seen.add(login.lower())
            wanted.append(login)
    return wanted


async def assign(
    engine: AsyncEngine,
    config: Config,
    records: Sequence[FindingRecord],
    logins: Sequence[str],
    *,
    actor: str,
    correlation_id: str,
) -> list[int]:
    """Sets the assignees (`[]` clears them) of every finding and queues each push; the job
    ids."""
    wanted = check_logins(logins)
    job_ids = []
    for record in records:
        recorded = await record_assignment(
            engine,
            record.id,
            wanted,
            actor=actor,
            correlation_id=correlation_id,
            push=PushJob(record.finding.owner_name, config.analysis.max_attempts),
        )
        assert recorded.job_id is not None
        job_ids.append(recorded.job_id)
    return job_ids
