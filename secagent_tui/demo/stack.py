"""One local stack: the GitHub and Ollama stand-ins on free ports, a folder, a database and
a config file that points at all of it. `secagent demo`, the test environments and the
benches build theirs here, so a config key is spelt in one place and the servers start and
stop one way.

A config is written as sections (`{"analysis": {"backoff_seconds": 0.05}}`), merged over the
stack's own, serialised by tomli-w and loaded by the real loader: a test's config goes
through the same validation as an analyst's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import tomli_w

from secagent_tui.config import Config, load_config
from secagent_tui.demo.github import Dataset, GitHubServer
from secagent_tui.demo.ollama import DemoResponder, OllamaServer, Responder

Sections = Mapping[str, Any]
DEFAULT_MODELS = ("qwen2.5-coder:7b",)


def _plain(value: Any) -> Any:
    """Paths as strings, mappings and sequences all the way down: what TOML can hold."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def merged(base: Sections, *overrides: Sections | None) -> dict[str, Any]:
    """`base` with each override's sections laid over it key by key (a table is updated,
    anything else replaced), so a caller names only what it changes."""
    out: dict[str, Any] = {key: dict(v) if isinstance(v, Mapping) else v for key, v in base.items()}
    for override in overrides:
        for key, value in (override or {}).items():
            if isinstance(value, Mapping) and isinstance(out.get(key), dict):
                out[key] = {**out[key], **value}
            else:
                out[key] = value
    return out


def config_text(sections: Sections) -> str:
    return tomli_w.dumps(_plain(sections))


def write_config(path: Path, sections: Sections) -> Config:
    """Writes `sections` as TOML to `path` and loads it as `secagent` would (no env)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(sections), encoding="utf-8")
    return load_config(path, env={})


def owner_tables(orgs: Iterable[str] = (), users: Iterable[str] = ()) -> list[dict[str, str]]:
    return [
        *({"kind": "org", "name": name} for name in orgs),
        *({"kind": "user", "name": name} for name in users),
    ]


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def folder_sections(folder: Path, database_url: str) -> dict[str, Any]:
    """What every local config holds whether or not servers run: the database, and the
    workspaces and the log inside the folder."""
    return {
        "database": {"url": database_url},
        "analysis": {"workspace_dir": folder / "workspaces"},
        "observability": {"log_file": folder / "secagent.log"},
    }


class LocalStack:
    """The two servers over `dataset`, started and stopped together (a context manager)."""

    def __init__(
        self,
        folder: Path,
        dataset: Dataset,
        *,
        responder: Responder | None = None,
        models: Sequence[str] = DEFAULT_MODELS,
        **github_options: Any,
    ) -> None:
        self.folder = folder
        self.dataset = dataset
        self.github = GitHubServer(dataset, **github_options)
        self.ollama = OllamaServer(models, responder=responder or DemoResponder())

    @property
    def token(self) -> str:
        return self.github.token

    def __enter__(self) -> LocalStack:
        self.github.start()
        try:
            self.ollama.start()
        except BaseException:
            self.github.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.github.stop()
        self.ollama.stop()

    def sections(
        self, database_url: str, owners: Sequence[Mapping[str, str]], *, clone_url_template: str
    ) -> dict[str, Any]:
        """The stack's own config: the owners, both servers, where clones come from."""
        return merged(
            {
                "owners": list(owners),
                "github": {
                    "api_url": self.github.base_url,
                    "clone_url_template": clone_url_template,
                },
                "llm": {"host": self.ollama.base_url},
            },
            folder_sections(self.folder, database_url),
        )

    def write_config(
        self,
        database_url: str,
        owners: Sequence[Mapping[str, str]],
        *overrides: Sections | None,
        clone_url_template: str,
        name: str = "config.toml",
    ) -> Config:
        base = self.sections(database_url, owners, clone_url_template=clone_url_template)
        return write_config(self.folder / name, merged(base, *overrides))
