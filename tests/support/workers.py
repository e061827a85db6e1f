"""Runner processes for the multi-process tests: `tests/support/run_worker.py` (the full
`Pipeline` runner, what `secagent worker` runs) started as real subprocesses, each optionally
killing itself at a failpoint (secagent_tui/failpoints.py); whatever is still alive when the
test ends is killed.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui import failpoints
from secagent_tui.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER = REPO_ROOT / "tests" / "support" / "run_worker.py"
CLEARED = ("GITHUB_TOKEN", "SECAGENT_CONFIG", "SECAGENT_DATABASE_URL", "OLLAMA_HOST")
WORKER_DEADLINE = 45.0  # a worker gives up (and exits 1) after this long
WAIT_TIMEOUT = 60.0  # a test kills what is still running after this long


def worker_env(token: str, home: Path) -> dict[str, str]:
    """The environment of a worker: this one without the program's own variables, the
    token, and HOME and every XDG folder below `home`."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        GITHUB_TOKEN=token,
        HOME=str(home / "home"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env


class Workers:
    """Worker processes of one test; whatever is still alive at the end is killed."""

    def __init__(self, env: dict[str, str], deadline: float = WORKER_DEADLINE) -> None:
        self.env = env
        self.deadline = deadline
        self.procs: list[subprocess.Popen[str]] = []

    def start(
        self,
        config_path: Path,
        *,
        worker_id: str | None = None,
        slots: int | None = None,
        failpoint: str | None = None,
    ) -> subprocess.Popen[str]:
        """`failpoint`: the worker kills itself there (secagent_tui/failpoints.py)."""
        args = [sys.executable, str(WORKER), str(config_path), "--deadline", str(self.deadline)]
        if worker_id:
            args += ["--id", worker_id]
        if slots:
            args += ["--slots", str(slots)]
        env = dict(self.env)
        if failpoint:
            env[failpoints.ENV] = failpoint
        proc = subprocess.Popen(
            args,
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        return proc

    async def finish(self, proc: subprocess.Popen[str]) -> dict[str, Any]:
        """Wait for a worker to exit on its own; its summary, or a failure with its stderr."""
        try:
            out, err = await asyncio.to_thread(proc.communicate, timeout=WAIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"worker {proc.pid} did not finish in {WAIT_TIMEOUT} s:\n{err[-3000:]}")
        assert proc.returncode == 0, f"worker {proc.pid} exited {proc.returncode}:\n{err[-3000:]}"
        lines = out.strip().splitlines()
        assert lines, f"worker {proc.pid} printed nothing:\n{err[-3000:]}"
        return json.loads(lines[-1])

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)


@contextmanager
def worker_pool(token: str, home: Path) -> Iterator[Workers]:
    """A Workers of one test (worker_env(token, home)); whatever it started that is still
    alive at the end is killed."""
    pool = Workers(worker_env(token, home))
    try:
        yield pool
    finally:
        pool.kill_all()


async def sync_all(engine: AsyncEngine, config: Config, token: str) -> None:
    """One sync of every configured owner through the real SyncService, which must succeed."""
    from secagent_tui.pipeline.sync import SyncService, api_factory_for

    outcomes = await asyncio.wait_for(
        SyncService(engine, config, api_factory_for(config, token)).sync(), WAIT_TIMEOUT
    )
    assert outcomes and all(o.ok for o in outcomes), [o.as_json() for o in outcomes]
