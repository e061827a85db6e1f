"""A headless runner process for the multi-process tests (tests/test_runner_processes.py).

    python tests/support/run_worker.py CONFIG [--deadline SECONDS] [--id WORKER_ID] [--slots N]

Loads CONFIG (no environment overrides), migrates the database, and runs the full pipeline's
runner (`Pipeline(...).runner`, what `secagent worker` runs) until no job is queued or
running any more, or until the deadline. The GitHub token comes from GITHUB_TOKEN. The last
line on stdout is one JSON object: the run summary and why it ended.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

from secagent_tui.config import load_config
from secagent_tui.logs import setup_logging
from secagent_tui.pipeline.wiring import Pipeline
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.migrate import upgrade

POLL_SECONDS = 0.2


async def main(
    config_path: str, deadline_seconds: float, worker_id: str | None, slots: int
) -> dict[str, Any]:
    config = load_config(config_path, env={})
    setup_logging(config.observability.log_file, "INFO")
    engine = create_engine(config.database.url)
    deadline = time.monotonic() + deadline_seconds
    ended = "idle"
    try:
        await upgrade(engine)
        pipeline = Pipeline(engine, config, os.environ.get("GITHUB_TOKEN"), slots=slots)
        if worker_id:
            pipeline.runner.worker_id = worker_id
        stop = asyncio.Event()

        async def watch() -> None:
            nonlocal ended
            while await job_store.count_active(engine) > 0:
                if time.monotonic() >= deadline:
                    ended = "deadline"
                    break
                await asyncio.sleep(POLL_SECONDS)
            stop.set()

        watcher = asyncio.create_task(watch())
        try:
            summary = await pipeline.runner.run(until_idle=False, stop=stop)
        finally:
            watcher.cancel()
            pipeline.close()
        return {
            "worker": pipeline.runner.worker_id,
            "pid": os.getpid(),
            "ended": ended,
            "done": summary.done,
            "failed": summary.failed,
            "retried": summary.retried,
            "lost": summary.lost,
        }
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--id", dest="worker_id", default=None)
    parser.add_argument("--slots", type=int, default=4)  # Pipeline's default
    args = parser.parse_args()
    result = asyncio.run(main(args.config, args.deadline, args.worker_id, args.slots))
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["ended"] == "idle" else 1)
