"""`secagent` run in-process against a running DemoSession (its local GitHub server and its
database), and that database's outbox read back: what the CLI tests of dismissal,
assignment and snooze share."""

from __future__ import annotations

import asyncio
from typing import Any

from click.testing import CliRunner, Result

from secagent_tui.cli import cli
from secagent_tui.demo.session import DemoSession
from secagent_tui.store.db import create_engine
from secagent_tui.store.schema import intents

from .pipeline_env import rows


def secagent(session: DemoSession, *args: str) -> Result:
    """The command with the session's config and token, and nothing of the caller's
    environment (config, database URL, Ollama host) leaking in."""
    env = {
        "GITHUB_TOKEN": session.token,
        "XDG_STATE_HOME": str(session.folder / "state"),
        "XDG_CONFIG_HOME": str(session.folder / "config"),
        "SECAGENT_CONFIG": None,
        "SECAGENT_DATABASE_URL": None,
        "OLLAMA_HOST": None,
    }
    config = str(session.folder / "config.toml")
    return CliRunner().invoke(cli, ["--config", config, *args], env=env, prog_name="secagent")


def outbox(session: DemoSession) -> list[dict[str, Any]]:
    """The intents of the database the CLI used (the CLI runs its own event loop, so the
    tests that call it are synchronous)."""

    async def read() -> list[dict[str, Any]]:
        engine = create_engine(session.config.database.url)
        try:
            return await rows(engine, intents)
        finally:
            await engine.dispose()

    return asyncio.run(read())
