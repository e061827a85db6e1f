"""Fixtures for the TUI tests: a migrated SQLite database seeded with the demo dataset, a
config pointing at it, and an app with a fixed clock and no background pipeline.

The dataset is seeded once per session into a template file; each test copies it, so a
test starts in milliseconds and none sees another's writes.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from secagent_tui.config import Config, load_config
from secagent_tui.demo.github import DEFAULT_NOW, generate_dataset
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.tui.app import SecagentApp

FIXED_NOW: datetime = DEFAULT_NOW.astimezone(UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def seed(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        dataset = generate_dataset(seed=0)
        findings = [parse_alert(alert, repo.full_name) for repo, alert in dataset.iter_alerts()]
        await upsert_findings(engine, findings, now=FIXED_NOW)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-template") / "template.db"
    asyncio.run(seed(sqlite_url(path)))
    return path


CONFIG_TOML = """
[database]
url = "{url}"

[[owners]]
kind = "org"
name = "acme"

[[owners]]
kind = "user"
name = "jdoe"

[ui]
sync_minutes = 0
{keys}

[observability]
log_file = "{state}/secagent.log"

[analysis]
workspace_dir = "{tmp}/workspaces"
{extra}
"""


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

    def reconfigure(self, keys: dict[str, str] | None = None, extra: str = "") -> None:
        self.config = write_config(self.tmp, self.db_path, keys, extra)


def write_config(
    tmp: Path, db_path: Path, keys: dict[str, str] | None = None, extra: str = ""
) -> Config:
    keys_toml = ""
    if keys:
        keys_toml = "[ui.keys]\n" + "\n".join(f'"{k}" = "{v}"' for k, v in keys.items())
    text = CONFIG_TOML.format(
        url=sqlite_url(db_path), state=tmp / "state", tmp=tmp, keys=keys_toml, extra=extra
    )
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={})


@pytest.fixture
def tui_env(tmp_path: Path, template_db: Path) -> Iterator[TuiEnv]:
    db_path = tmp_path / "secagent.db"
    shutil.copy(template_db, db_path)
    yield TuiEnv(tmp_path, db_path, write_config(tmp_path, db_path))
