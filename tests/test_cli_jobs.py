"""`secagent jobs`: the Jobs pane headless — list, filter, cancel, retry — through the click
group in a sandbox (tests/support/cli.py), against jobs queued as another process would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.cli import CliSandbox, assert_no_traceback, root_logging_restored, stderr_line

from secagent_tui.config import Config
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.services.analyst import AnalystServices, default_actor
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import get_finding_by_id

SEEDED = [synthetic_finding(i, repos=3) for i in range(3)]


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    with root_logging_restored():
        yield


def _queue(sandbox: CliSandbox, actor: str, finding_ids: list[int], fail_first: bool) -> None:
    """Analyses queued by `actor`'s services on the sandbox's database (another analyst,
    another process); the first job failed for good by a runner elsewhere when asked."""

    async def _run() -> None:
        engine = create_engine(sandbox.db_url)
        try:
            services = AnalystServices(engine, Config(), lambda: datetime.now(UTC), actor=actor)
            records = [await get_finding_by_id(engine, i) for i in finding_ids]
            await services.enqueue_analyses(
                [r for r in records if r is not None], triage_only=True, full=False
            )
            if fail_first:
                job = await job_store.claim(
                    engine, "elsewhere:1:x", lease_seconds=30, max_concurrent_per_owner=9
                )
                assert job is not None
                await job_store.fail_permanently(engine, job.id, "elsewhere:1:x", "model gone")
        finally:
            await engine.dispose()

    asyncio.run(_run())


@pytest.fixture
def queued(tmp_path: Path) -> tuple[CliSandbox, Path]:
    sandbox = CliSandbox(tmp_path)
    config = sandbox.config_with_db()
    sandbox.seed(SEEDED)
    _queue(sandbox, "tui:someone-else", [1, 2], fail_first=True)
    _queue(sandbox, default_actor("tui"), [3], fail_first=False)
    return sandbox, config


def _listed(sandbox: CliSandbox, config: Path, *args: str) -> list[dict[str, object]]:
    result = sandbox.invoke("--config", str(config), "jobs", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["jobs"]


def test_every_job_is_listed_newest_first_with_its_finding(
    queued: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = queued
    listed = _listed(sandbox, config)
    assert [j["id"] for j in listed] == [3, 2, 1]
    assert listed[2]["state"] == "failed" and listed[2]["last_error"] == "model gone"
    assert listed[2]["finding"] == SEEDED[0].ref
    assert listed[2]["requested_by"] == "tui:someone-else"

    text = sandbox.invoke("--config", str(config), "jobs")
    assert text.exit_code == 0
    header, *rows = text.stdout.splitlines()
    assert header.split()[:4] == ["ID", "KIND", "FINDING", "STATE"]
    assert rows[2].split()[:4] == ["1", "triage", SEEDED[0].ref, "failed"]
    assert rows[2].endswith("model gone")


def test_state_mine_and_limit_filter(queued: tuple[CliSandbox, Path]) -> None:
    sandbox, config = queued
    assert [j["id"] for j in _listed(sandbox, config, "--state", "failed")] == [1]
    assert [j["id"] for j in _listed(sandbox, config, "--state", "queued,failed")] == [3, 2, 1]
    assert [j["id"] for j in _listed(sandbox, config, "--mine")] == [3]
    assert [j["id"] for j in _listed(sandbox, config, "--limit", "1")] == [3]


def test_retry_then_cancel(queued: tuple[CliSandbox, Path]) -> None:
    sandbox, config = queued
    retried = sandbox.invoke("--config", str(config), "jobs", "retry", "1")
    assert retried.exit_code == 0, retried.output
    assert retried.stdout.strip() == "job 1 (triage) retried: now queued"

    cancelled = sandbox.invoke("--config", str(config), "--read-only", "jobs", "cancel", "1")
    assert cancelled.exit_code == 0, cancelled.output
    assert cancelled.stdout.strip() == "job 1 (triage) cancelled: now cancelled"
    assert _listed(sandbox, config, "--state", "cancelled")[0]["id"] == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("cancel", "x"), "secagent: bad job id 'x': expected a positive number, e.g. 12"),
        (("retry", "0"), "secagent: bad job id '0': expected a positive number, e.g. 12"),
        (("cancel", "99"), "secagent: no job 99"),
        (("retry", "2"), "secagent: job 2 is queued: only failed or cancelled jobs can be retried"),
        (("--state", "stuck"), "secagent: --state: unknown state 'stuck'; expected queued,"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    queued: tuple[CliSandbox, Path], args: tuple[str, ...], says: str
) -> None:
    sandbox, config = queued
    result = sandbox.invoke("--config", str(config), "jobs", *args)
    assert result.exit_code == 2
    assert stderr_line(result.stderr).startswith(says)
    assert_no_traceback(result.stdout, result.stderr)


def test_bad_id_through_the_real_entry_has_no_traceback(queued: tuple[CliSandbox, Path]) -> None:
    sandbox, config = queued
    proc = sandbox.run("--config", str(config), "jobs", "cancel", "12abc")
    assert proc.returncode == 2
    assert stderr_line(proc.stderr) == (
        "secagent: bad job id '12abc': expected a positive number, e.g. 12"
    )
