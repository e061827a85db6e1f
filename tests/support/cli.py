"""Run `secagent` as a user would, in a sandbox that touches nothing outside `tmp_path`.

`CliSandbox.run` starts the real console entry (`python -m secagent_tui`) in a subprocess;
`CliSandbox.invoke` calls the click group in-process through `CliRunner`, which is much
cheaper. Both see the same isolated environment: HOME and every XDG directory under the
sandbox, no GITHUB_TOKEN / SECAGENT_CONFIG / SECAGENT_DATABASE_URL / OLLAMA_HOST unless a test
sets them, and a file-backed test keyring instead of the OS keyring.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import keyring.core
from click.testing import CliRunner, Result

from secagent_tui.domain.finding import Finding
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade

from . import memory_keyring


@contextmanager
def root_logging_restored() -> Iterator[None]:
    """In-process commands install a file handler on the root logger; take it off again."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = REPO_ROOT / "config.example.toml"

# The keyring backend is loaded by dotted name, from this process and from subprocesses.
if str(REPO_ROOT) not in sys.path:
    sys.path.append(str(REPO_ROOT))

MEMORY_KEYRING = "tests.support.memory_keyring.MemoryKeyring"
FAIL_KEYRING = "keyring.backends.fail.Keyring"

# Variables the program reads that the developer's shell might have set.
CLEARED = (
    "GITHUB_TOKEN",
    "SECAGENT_CONFIG",
    "SECAGENT_DATABASE_URL",
    "OLLAMA_HOST",
    "PYTHON_KEYRING_BACKEND",
    memory_keyring.FILE_VAR,
)
XDG = {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_STATE_HOME": "state",
    "XDG_CACHE_HOME": "cache",
}


@dataclass
class CliSandbox:
    """One isolated user of `secagent`: a home, XDG folders, a keyring file, a database."""

    root: Path
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "HOME": str(self.home),
            **{var: str(self.home / sub) for var, sub in XDG.items()},
            "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING,
            memory_keyring.FILE_VAR: str(self.keyring_file),
        }

    # -- places ---------------------------------------------------------------------------

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def state_home(self) -> Path:
        return self.home / XDG["XDG_STATE_HOME"]

    @property
    def data_home(self) -> Path:
        return self.home / XDG["XDG_DATA_HOME"]

    @property
    def keyring_file(self) -> Path:
        return self.root / "keyring.json"

    @property
    def db_path(self) -> Path:
        return self.root / "db" / "secagent.db"

    @property
    def db_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    @property
    def default_db_path(self) -> Path:
        """Where the database goes when no config names one."""
        return self.data_home / "secagent" / "secagent.db"

    @property
    def log_file(self) -> Path:
        return self.state_home / "secagent" / "secagent.log"

    def write_config(self, text: str, name: str = "config.toml") -> Path:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return path

    def config_with_db(self, extra: str = "", name: str = "config.toml") -> Path:
        """A config whose database is `db_url`, plus any further TOML."""
        return self.write_config(f'[database]\nurl = "{self.db_url}"\n{extra}', name)

    def files(self) -> set[str]:
        """Every file below the sandbox, relative: compare before and after a command."""
        return {str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()}

    def state_text(self) -> str:
        """All that was written under XDG_STATE_HOME (the log file and anything else)."""
        if not self.state_home.exists():
            return ""
        return "".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(self.state_home.rglob("*"))
            if p.is_file()
        )

    # -- running --------------------------------------------------------------------------

    def process_env(self, extra: Mapping[str, str | None] = ()) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(self.env)
        env["PYTHONPATH"] = str(REPO_ROOT)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for key, value in dict(extra).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def run(
        self,
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] = (),
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        """The real console entry, `python -m secagent_tui ARGS`, in the sandbox."""
        return subprocess.run(
            [sys.executable, "-m", "secagent_tui", *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env=self.process_env(env),
            cwd=self.root,
            timeout=timeout,
            check=False,
        )

    def invoke(
        self,
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] = (),
    ) -> Result:
        """The click group in-process, with the sandbox's environment in os.environ."""
        from secagent_tui.cli import cli

        overrides: dict[str, str | None] = dict.fromkeys(CLEARED)
        overrides.update(self.env)
        overrides.update(dict(env))
        # keyring picks its backend once per process, from the environment of that moment.
        saved = keyring.core._keyring_backend
        keyring.core._keyring_backend = None
        cwd = Path.cwd()
        try:
            os.chdir(self.root)
            result = CliRunner().invoke(
                cli, list(args), input=input, env=overrides, prog_name="secagent"
            )
        finally:
            os.chdir(cwd)
            keyring.core._keyring_backend = saved
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            trace = "".join(traceback.format_exception(result.exception))
            raise AssertionError(f"secagent {' '.join(args)} crashed:\n{trace}")
        return result

    # -- data -----------------------------------------------------------------------------

    def seed(self, batch: Iterable[Finding], url: str | None = None) -> None:
        """Upsert findings into the database the CLI will open, migrated like it would be."""

        async def _seed() -> None:
            engine = create_engine(url or self.db_url)
            try:
                await upgrade(engine)
                await upsert_findings(engine, batch)
            finally:
                await engine.dispose()

        asyncio.run(_seed())


@dataclass(frozen=True)
class Scenario:
    """One subprocess run of `secagent` in a fresh sandbox.

    `config` is TOML added after a `[database]` table naming the sandbox's database (None: no
    config file); "{config}" in `args` becomes that file's path.
    """

    args: tuple[str, ...]
    config: str | None = None
    env: Mapping[str, str | None] = field(default_factory=dict)
    input: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)  # written below the sandbox first


@dataclass(frozen=True)
class Outcome:
    sandbox: CliSandbox
    config: Path | None
    before: set[str]  # the sandbox's files just before the run
    proc: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return self.proc.stdout + self.proc.stderr


def run_scenarios(root: Path, scenarios: Mapping[str, Scenario]) -> dict[str, Outcome]:
    """Run every scenario in its own sandbox below `root`, several processes at a time.

    Each process spends most of its life importing, so running them side by side turns a
    minute of start-ups into a fraction of it.
    """

    def _one(name: str, scenario: Scenario) -> Outcome:
        sandbox = CliSandbox(root / name)
        config = None if scenario.config is None else sandbox.config_with_db(scenario.config)
        for relative, text in scenario.files.items():
            (sandbox.root / relative).write_text(text, encoding="utf-8")
        args = [a.replace("{config}", str(config)) for a in scenario.args]
        before = sandbox.files()
        proc = sandbox.run(*args, input=scenario.input, env=scenario.env)
        return Outcome(sandbox, config, before, proc)

    workers = max(2, (os.cpu_count() or 1) * 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(_one, name, s) for name, s in scenarios.items()}
        return {name: future.result() for name, future in futures.items()}


def stderr_line(text: str) -> str:
    """The single line a user error prints; fails if there is not exactly one."""
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{text}"
    return lines[0]


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text
