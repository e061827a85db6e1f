"""A database URL that cannot hold a database (issue 15): a folder, a path under /proc or
/sys, a device, a folder that is a file. It printed a 25-line "Event loop is closed"
traceback from aiosqlite's worker thread before the one-line error (5 runs of 20); now the
SQLite path is checked before any engine exists, and the user sees exactly one line.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.cli import CliSandbox, root_logging_restored, stderr_line

from secagent_tui.store.db import SqlitePathRefused, create_engine

RUNS = 20


def _folder(root: Path) -> Path:
    folder = root / "a-folder"
    folder.mkdir()
    return folder


def _under_a_file(root: Path) -> Path:
    (root / "a-file").write_text("not a folder\n")
    return root / "a-file" / "secagent.db"


CASES: dict[str, Callable[[Path], Path]] = {
    "a folder": _folder,
    "under /proc": lambda _root: Path("/proc/secagent.db"),
    "under /sys": lambda _root: Path("/sys/secagent.db"),
    "a device": lambda _root: Path("/dev/null"),
    "under a file": _under_a_file,
}
REASONS = {
    "a folder": "is a folder",
    "under /proc": "/proc",
    "under /sys": "/sys",
    "a device": "under /dev",
    "under a file": "not a folder",
}


def _sandbox(root: Path, case: str) -> tuple[CliSandbox, Path, Path]:
    sandbox = CliSandbox(root)
    target = CASES[case](sandbox.root)
    config = sandbox.write_config(f'[database]\nurl = "sqlite+aiosqlite:///{target}"\n')
    return sandbox, config, target


def _new_files(sandbox: CliSandbox, before: set[str]) -> set[str]:
    """What a run left behind, the log file apart (it records the refusal)."""
    return {p for p in sandbox.files() - before if not p.endswith(".log")}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_sqlite_path_that_cannot_hold_a_database_is_refused_before_an_engine_exists(
    tmp_path: Path, case: str
) -> None:
    target = CASES[case](tmp_path)
    with pytest.raises(SqlitePathRefused) as caught:
        create_engine(f"sqlite+aiosqlite:///{target}")
    assert REASONS[case] in str(caught.value)
    assert str(target) in caught.value.one_line()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_sqlite_path_is_one_line_on_stderr_every_time_in_process(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], case: str
) -> None:
    sandbox, config, _target = _sandbox(tmp_path, case)
    before = sandbox.files()
    for _ in range(RUNS):
        with root_logging_restored():
            result = sandbox.invoke("--config", str(config), "stats")
        assert result.exit_code == 2
        line = stderr_line(result.output)
        assert line.startswith("secagent: database.url: ") and REASONS[case] in line, line
    captured = capfd.readouterr()
    assert "Event loop is closed" not in captured.err and "Traceback" not in captured.err
    assert _new_files(sandbox, before) == set()


@pytest.mark.parametrize("case", ["under /proc", "a folder"])
def test_a_bad_sqlite_path_is_one_line_on_stderr_in_20_processes(tmp_path: Path, case: str) -> None:
    sandbox, config, _target = _sandbox(tmp_path, case)
    before = sandbox.files()

    def once(_: int) -> tuple[int, str]:
        proc = sandbox.run("--config", str(config), "stats")
        return proc.returncode, proc.stderr

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(once, range(RUNS)))

    for returncode, stderr in outcomes:
        assert returncode == 2
        assert REASONS[case] in stderr_line(stderr)
    assert _new_files(sandbox, before) == set()
