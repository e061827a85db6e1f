"""Everything `secagent demo` needs, in-process and offline: the local GitHub and Ollama
servers on free ports, a realistic generated dataset, small git repositories for the sandbox,
a temporary database and a config pointing at all of it. Tests use it for end-to-end runs."""

from __future__ import annotations

import random
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from secagent_tui.config import Config, load_config
from secagent_tui.demo.github import Dataset, GitHubServer, generate_dataset
from secagent_tui.demo.ollama import DemoResponder, OllamaServer
from secagent_tui.demo.repos import build_repositories

DEMO_ORGS = {"acme": 8}
DEMO_USERS = {"jdoe": 3}


def _alerts_per_repo(rng: random.Random, _full_name: str) -> int:
    return rng.randint(12, 40)


class DemoSession:
    def __init__(
        self,
        folder: Path | None = None,
        *,
        orgs: dict[str, int] | None = None,
        users: dict[str, int] | None = None,
        alerts_per_repo: int | None = None,
        auto_dismiss: bool = True,
        latency: float = 0.0,
    ) -> None:
        self._given_folder = folder
        self._orgs = DEMO_ORGS if orgs is None else orgs
        self._users = DEMO_USERS if users is None else users
        self._per_repo = alerts_per_repo
        self._auto_dismiss = auto_dismiss
        self._latency = latency
        self.folder: Path
        self.dataset: Dataset
        self.github: GitHubServer
        self.ollama: OllamaServer
        self.config: Config

    @property
    def token(self) -> str:
        return self.github.token

    def __enter__(self) -> DemoSession:
        self.folder = self._given_folder or Path(tempfile.mkdtemp(prefix="secagent-demo-"))
        self.dataset = generate_dataset(
            self._orgs,
            self._users,
            self._per_repo if self._per_repo is not None else _alerts_per_repo,
            seed=11,
            now=datetime.now(UTC),
            live_clock=True,
        )
        self.github = GitHubServer(self.dataset, latency=self._latency)
        self.ollama = OllamaServer(responder=DemoResponder())
        self.github.start()
        self.ollama.start()
        template = build_repositories(self.dataset, self.folder / "repos")
        self.config = load_config(self._write_config(template), env={})
        return self

    def _write_config(self, clone_template: str) -> Path:
        owners = "".join(
            f'[[owners]]\nkind = "{kind}"\nname = "{name}"\n\n'
            for kind, names in (("org", self._orgs), ("user", self._users))
            for name in names
        )
        path = self.folder / "config.toml"
        path.write_text(
            f'[github]\napi_url = "{self.github.base_url}"\n'
            f'clone_url_template = "{clone_template}"\n\n'
            f"{owners}"
            f'[database]\nurl = "sqlite+aiosqlite:///{self.folder / "demo.db"}"\n\n'
            f'[llm]\nhost = "{self.ollama.base_url}"\n\n'
            f"[auto_dismiss]\nenabled = {'true' if self._auto_dismiss else 'false'}\n"
            'min_confidence = "medium"\n\n'
            f'[analysis]\nworkspace_dir = "{self.folder / "workspaces"}"\nbackoff_seconds = 1.0\n\n'
            "[ui]\nsync_minutes = 5\n\n"
            f'[observability]\nlog_file = "{self.folder / "secagent.log"}"\n'
        )
        return path

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.github.stop()
        self.ollama.stop()
        if self._given_folder is None:
            shutil.rmtree(self.folder, ignore_errors=True)
