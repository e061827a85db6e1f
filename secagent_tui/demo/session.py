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

from secagent_tui.config import Config
from secagent_tui.demo.github import Dataset, GitHubServer, generate_dataset
from secagent_tui.demo.ollama import OllamaServer
from secagent_tui.demo.repos import build_repositories
from secagent_tui.demo.stack import LocalStack, Sections, owner_tables, sqlite_url

DEMO_ORGS = {"acme": 8}
DEMO_USERS = {"jdoe": 3}


def _alerts_per_repo(rng: random.Random, _full_name: str) -> int:
    return rng.randint(12, 40)


class DemoSession:
    """The demo's local stack over a generated dataset, with git repositories to clone and
    a config of its own (the demo database in the folder, auto-dismiss as asked)."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        orgs: dict[str, int] | None = None,
        users: dict[str, int] | None = None,
        alerts_per_repo: int | None = None,
        auto_dismiss: bool = True,
        latency: float = 0.0,
        now: datetime | None = None,
    ) -> None:
        """`now` fixes the dataset's clock (screenshots, snapshots); by default it is the
        wall clock and follows it, so the demo's ages and GitHub's timestamps look live."""
        self._given_folder = folder
        self._orgs = DEMO_ORGS if orgs is None else orgs
        self._users = DEMO_USERS if users is None else users
        self._per_repo = alerts_per_repo
        self._auto_dismiss = auto_dismiss
        self._latency = latency
        self._now = now
        self.folder: Path
        self.dataset: Dataset
        self.stack: LocalStack
        self.config: Config
        self._clone_template = ""

    @property
    def token(self) -> str:
        return self.stack.token

    @property
    def github(self) -> GitHubServer:
        return self.stack.github

    @property
    def ollama(self) -> OllamaServer:
        return self.stack.ollama

    def __enter__(self) -> DemoSession:
        self.folder = self._given_folder or Path(tempfile.mkdtemp(prefix="secagent-demo-"))
        self.dataset = generate_dataset(
            self._orgs,
            self._users,
            self._per_repo if self._per_repo is not None else _alerts_per_repo,
            seed=11,
            now=self._now or datetime.now(UTC),
            live_clock=self._now is None,
        )
        self.stack = LocalStack(self.folder, self.dataset, latency=self._latency).__enter__()
        try:
            self._clone_template = build_repositories(self.dataset, self.folder / "repos")
            self.config = self.write_config()
        except BaseException:
            self.stack.__exit__(None, None, None)
            raise
        return self

    def write_config(
        self,
        *overrides: Sections | None,
        database_url: str | None = None,
        name: str = "config.toml",
    ) -> Config:
        """The demo's config (or a variant of it: another database, sections laid over)."""
        own = {
            "auto_dismiss": {"enabled": self._auto_dismiss, "min_confidence": "medium"},
            "analysis": {"backoff_seconds": 1.0},
            "ui": {"sync_minutes": 5},
        }
        return self.stack.write_config(
            database_url or sqlite_url(self.folder / "demo.db"),
            owner_tables(self._orgs, self._users),
            own,
            *overrides,
            clone_url_template=self._clone_template,
            name=name,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stack.__exit__(exc_type, exc, tb)
        if self._given_folder is None:
            shutil.rmtree(self.folder, ignore_errors=True)
