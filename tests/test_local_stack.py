"""The one local stack: its config writer and its servers' start and stop."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest

from secagent_tui.config import ConfigError
from secagent_tui.demo.github import Dataset
from secagent_tui.demo.session import DemoSession
from secagent_tui.demo.stack import (
    LocalStack,
    config_text,
    folder_sections,
    merged,
    owner_tables,
    sqlite_url,
    write_config,
)


def test_an_override_updates_a_table_key_by_key_and_replaces_anything_else() -> None:
    base = {"analysis": {"backoff_seconds": 1.0, "max_attempts": 3}, "owners": [{"name": "a"}]}
    out = merged(base, {"analysis": {"max_attempts": 1}}, None, {"owners": [{"name": "b"}]})
    assert out == {
        "analysis": {"backoff_seconds": 1.0, "max_attempts": 1},
        "owners": [{"name": "b"}],
    }
    assert base["analysis"]["max_attempts"] == 3  # the base is left as it was


def test_sections_become_toml_the_real_loader_reads(tmp_path: Path) -> None:
    sections = merged(
        folder_sections(tmp_path, sqlite_url(tmp_path / "x.db")),
        {
            "owners": owner_tables(orgs=["acme"], users=["jdoe"]),
            "ui": {"keys": {"queue.filter": "F"}, "views": [{"name": "npm", "ecosystem": ["npm"]}]},
            "triage": {"rules": [{"name": "r", "action": "dismiss", "reason": "not_used"}]},
        },
    )
    assert tomllib.loads(config_text(sections))["analysis"]["workspace_dir"] == str(
        tmp_path / "workspaces"
    )
    config = write_config(tmp_path / "c.toml", sections)
    assert [(o.kind, o.name) for o in config.owners] == [("org", "acme"), ("user", "jdoe")]
    assert config.ui.keys["queue.filter"] == "F"
    assert config.triage.rules[0].name == "r"
    assert config.database.url.endswith("x.db")


def test_a_section_the_loader_refuses_fails_as_an_analysts_file_would(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="analysis"):
        write_config(tmp_path / "bad.toml", {"analysis": {"max_attempts": "many"}})


def _closed(url: str) -> bool:
    host, port = url.split("//")[1].split("/")[0].split(":")
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) != 0


def test_the_stack_starts_both_servers_and_stops_both(tmp_path: Path) -> None:
    with LocalStack(tmp_path, Dataset(seed=1)) as stack:
        urls = (stack.github.base_url, stack.ollama.base_url)
        assert not any(_closed(u) for u in urls)
        config = stack.write_config(
            sqlite_url(tmp_path / "s.db"),
            owner_tables(orgs=["acme"]),
            {"analysis": {"max_attempts": 1}},
            clone_url_template=f"{tmp_path}/{{repo}}",
        )
        assert config.github.api_url == stack.github.base_url
        assert config.llm.host == stack.ollama.base_url
        assert config.analysis.max_attempts == 1
    assert all(_closed(u) for u in urls)


def test_the_demo_session_writes_its_config_and_variants_with_the_same_writer(
    tmp_path: Path,
) -> None:
    with DemoSession(tmp_path, orgs={"acme": 1}, users={"jdoe": 1}, alerts_per_repo=2) as demo:
        assert [o.name for o in demo.config.owners] == ["acme", "jdoe"]
        assert demo.config.auto_dismiss.enabled
        variant = demo.write_config(
            {"auto_dismiss": {"enabled": False}},
            database_url="sqlite+aiosqlite:///v.db",
            name="v.toml",
        )
        assert not variant.auto_dismiss.enabled and variant.database.url.endswith("v.db")
        assert variant.github.api_url == demo.config.github.api_url
        assert variant.auto_dismiss.min_confidence == demo.config.auto_dismiss.min_confidence
