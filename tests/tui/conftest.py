"""Fixtures for the TUI tests: a migrated SQLite database seeded with the demo dataset, a
config pointing at it, and an app with a fixed clock and no background pipeline.

The dataset is seeded once per session into a template file; each test copies it, so a
test starts in milliseconds and none sees another's writes.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from secagent_tui.config import Config
from secagent_tui.demo.github import DEFAULT_NOW, GitHubServer
from secagent_tui.demo.seed import seed_demo_database
from secagent_tui.demo.stack import folder_sections, merged, owner_tables, sqlite_url
from secagent_tui.demo.stack import write_config as write_stack_config
from secagent_tui.tui.app import SecagentApp

FIXED_NOW: datetime = DEFAULT_NOW.astimezone(UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


async def seed(url: str) -> None:
    await seed_demo_database(url, FIXED_NOW)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-template") / "template.db"
    asyncio.run(seed(sqlite_url(path)))
    return path


@dataclass
class TuiEnv:
    tmp: Path
    db_path: Path
    config: Config

    @property
    def url(self) -> str:
        return sqlite_url(self.db_path)

    def app(self, **options: Any) -> SecagentApp:
        options.setdefault("token", None)
        options.setdefault("run_pipeline", False)
        options.setdefault("clock", fixed_clock)
        token = options.pop("token")
        return SecagentApp(self.config, token=token, **options)

    def reconfigure(
        self, keys: dict[str, str] | None = None, sections: Mapping[str, Any] | None = None
    ) -> None:
        self.config = write_config(self.tmp, self.db_path, keys, sections)


def write_config(
    tmp: Path,
    db_path: Path,
    keys: dict[str, str] | None = None,
    sections: Mapping[str, Any] | None = None,
) -> Config:
    """The TUI tests' config: the database, the two owners of the dataset, no periodic sync,
    the state (log, UI state) under `tmp`; `sections` laid over it."""
    base = merged(
        folder_sections(tmp, sqlite_url(db_path)),
        {
            "owners": owner_tables(orgs=["acme"], users=["jdoe"]),
            "ui": {"sync_minutes": 0, **({"keys": keys} if keys else {})},
            "observability": {"log_file": tmp / "state" / "secagent.log"},
        },
    )
    return write_stack_config(tmp / "config.toml", merged(base, sections))


def synced_env(
    tmp_path: Path, server: GitHubServer, sections: Mapping[str, Any] | None = None
) -> TuiEnv:
    """An empty database that the app migrates and a sync from `server` fills; pushes fast,
    no retries, triage by rules only; `sections` laid over that."""
    db_path = tmp_path / "fresh.db"
    local = merged(
        {
            "analysis": {"dismiss_writes_per_second": 100.0, "backoff_seconds": 0.0},
            "github": {"api_url": server.base_url, "max_retries": 0},
            "triage": {"use_llm": False},
        },
        sections,
    )
    return TuiEnv(tmp_path, db_path, write_config(tmp_path, db_path, sections=local))


@pytest.fixture
def tui_env(tmp_path: Path, template_db: Path) -> Iterator[TuiEnv]:
    db_path = tmp_path / "secagent.db"
    shutil.copy(template_db, db_path)
    yield TuiEnv(tmp_path, db_path, write_config(tmp_path, db_path))
