"""A command line that starts fast (issue 13 item 7), checked by what it imports, never by the
clock: `secagent --help` loads none of the heavy libraries, `findings --format json` only the
store's, the lazy command table lists what the commands themselves would, the start-up's
migration check knows the newest revision, and the JSON writer gives `json.dumps`'s bytes.

The wall-clock figures are `bench/cli_bench.py`'s, not a test's.
"""

from __future__ import annotations

import gc
import json
import math
import random
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from support.cli import CliSandbox, stderr_line

from secagent_tui.cli import _START, COMMANDS, cli
from secagent_tui.cli.output import json_document
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.store.migrate import HEAD_REVISION, head_revision

# Runs the real entry point, then writes the exit code and every imported module's name.
PROBE = """
import json, os, sys
sys.argv = ["secagent", *json.loads(os.environ["PROBE_ARGS"])]
from secagent_tui.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
with open(os.environ["PROBE_OUT"], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

NEVER_FOR_HELP = (
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "alembic",
    "github",
    "ollama",
    "httpx",
    "textual",
    "pydantic",
    "keyring",
    "secagent_tui.config",
    "secagent_tui.store",
    "secagent_tui.pipeline",
    "secagent_tui.services.analyst",  # the reads alone: services/reads.py
    "secagent_tui.github",
    "secagent_tui.llm",
    "secagent_tui.tui",
    "secagent_tui.demo",
)
NEVER_FOR_FINDINGS = (
    "github",
    "ollama",
    "httpx",
    "textual",
    "alembic",  # the database is at head already: the version table says so
    "secagent_tui.pipeline",
    "secagent_tui.services.analyst",  # the reads alone: services/reads.py
    "secagent_tui.github",
    "secagent_tui.llm",
    "secagent_tui.tui",
    "secagent_tui.demo",
)


def probe(sandbox: CliSandbox, *args: str) -> tuple[Any, set[str], str]:
    """Runs `secagent ARGS` in a fresh interpreter; its exit code, modules and stdout."""
    out = sandbox.root / "probe.json"
    extra = {"PROBE_ARGS": json.dumps(list(args)), "PROBE_OUT": str(out)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=sandbox.process_env(extra),
        cwd=sandbox.root,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    return report["code"], set(report["modules"]), proc.stdout


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.fixture
def sandbox(tmp_path: Path) -> CliSandbox:
    return CliSandbox(tmp_path)


# ------------------------------------------------------------------- what a start imports


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_imports_no_heavy_module(sandbox: CliSandbox, args: tuple[str, ...]) -> None:
    code, modules, stdout = probe(sandbox, *args)

    assert code == 0
    assert stdout
    assert loaded(modules, NEVER_FOR_HELP) == []
    assert "secagent_tui.cli.findings_cmd" not in modules


def test_findings_json_imports_only_the_store(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()
    sandbox.seed([synthetic_finding(i, repos=5) for i in range(30)])

    code, modules, stdout = probe(
        sandbox, "--config", str(config), "findings", "--state", "all", "--format", "json"
    )

    assert code == 0
    assert len(json.loads(stdout)) == 30
    assert {"sqlalchemy", "aiosqlite", "secagent_tui.store.findings"} <= modules
    assert loaded(modules, NEVER_FOR_FINDINGS) == []


def test_a_dismissal_loads_neither_pygithub_nor_the_ollama_client(sandbox: CliSandbox) -> None:
    """Deciding records an intent and queues its push; a worker sends it. So `dismiss` needs
    the store and the decision rules, not the clients of the services it never calls."""
    config = sandbox.config_with_db()
    finding = synthetic_finding(3, repos=5)
    sandbox.seed([finding])

    code, modules, _ = probe(
        sandbox, "--config", str(config), "dismiss", finding.ref, "--reason", "not_used"
    )

    assert code == 0
    assert "secagent_tui.services.analyst" in modules
    assert loaded(modules, ("github", "ollama", "textual", "secagent_tui.llm")) == []


def test_a_database_behind_head_is_migrated_by_alembic(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()

    code, modules, stdout = probe(sandbox, "--config", str(config), "findings", "--format", "json")

    assert code == 0
    assert json.loads(stdout) == []
    assert "alembic" in modules
    code, modules, _ = probe(sandbox, "--config", str(config), "findings")
    assert code == 0
    assert "alembic" not in modules


def test_head_revision_is_the_newest_migration() -> None:
    assert head_revision() == HEAD_REVISION, (
        "a migration was added: set store.migrate.HEAD_REVISION to its revision id"
    )


# ----------------------------------------------------------------- the lazy command table


def test_the_table_names_every_command_with_its_own_help() -> None:
    for name, entry in COMMANDS.items():
        command = entry.load()
        assert command.name == name
        assert command.help is not None
        assert entry.help == command.help.split("\n\n", 1)[0], name


def eager_group() -> click.Group:
    """The same group with every command imported and added, as it was built before."""
    group = click.Group(
        name=cli.name,
        params=cli.params,
        help=cli.help,
        callback=cli.callback,
        invoke_without_command=True,
    )
    for entry in COMMANDS.values():
        group.add_command(entry.load())
    return group


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_help_lists_the_commands_as_click_would(width: int) -> None:
    runner = CliRunner()
    extra = {"terminal_width": width, "max_content_width": width}

    lazy = runner.invoke(cli, ["--help"], prog_name="secagent", **extra)
    eager = runner.invoke(eager_group(), ["--help"], prog_name="secagent", **extra)

    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.stdout == eager.stdout
    assert "Commands:" in lazy.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["fidnings"], prog_name="secagent")

    assert result.exit_code == 2
    assert "No such command 'fidnings'" in result.output


def test_the_command_runs_with_the_collector_on_after_a_paused_start() -> None:
    seen: list[bool] = []

    @click.command()
    def probe_gc() -> None:
        seen.append(gc.isenabled())

    cli.add_command(probe_gc, "probe-gc")
    try:
        _START.pause()
        result = CliRunner().invoke(cli, ["probe-gc"])
    finally:
        cli.commands.pop("probe-gc")
        gc.enable()
        _START.paused = False
    assert result.exit_code == 0, result.output
    assert seen == [True]


# --------------------------------------------------------------- errors keep their one line


def test_a_database_error_is_still_one_line(sandbox: CliSandbox) -> None:
    sandbox.db_path.parent.mkdir(parents=True)
    sandbox.db_path.write_bytes(b"not a database, " * 512)
    config = sandbox.config_with_db()

    proc = sandbox.run("--config", str(config), "findings", "--format", "json")

    assert proc.returncode == 2
    assert proc.stdout == ""
    line = stderr_line(proc.stderr)
    assert line.startswith("secagent: database error: DatabaseError: "), line
    assert "file is not a database" in line


# ------------------------------------------------------------ JSON: json.dumps's bytes


class Word(StrEnum):
    OPEN = "open"


EDGE_CASES: list[Any] = [
    [],
    {},
    [[], {}, [{}]],
    {"a": [], "b": {}, "c": [1, {"d": []}]},
    "plain",
    '\x00\x01\x1f\x7f"\\/\n\r\t\b\f',
    "caf\u00e9 \u2019quoted\u2019 \u2028\u2029 \U0001f600 \uffff \U0010ffff",
    [0.0, -0.0, 1.0, 9.8, 0.0042, 1e-4, 9.99e-5, 1e-5, 4.2e-05, 5e-324, 1e15, 1e16, 1.5e300],
    [math.nan, math.inf, -math.inf, 123456789012345678.0, 0.1 + 0.2],
    {"nested": (1, (2.5e-7, "x"), [3e20])},
    [True, False, None, 0, -1, 2**63 - 1, -(2**63)],
    [2**64, -(2**70)],  # beyond orjson's integers: json.dumps writes them
    {1: "int key", None: "none key"},  # json.dumps converts such keys
    {"state": Word.OPEN, Word.OPEN: [Word.OPEN]},
    "\ud800 lone surrogate",
]


@pytest.mark.parametrize("value", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_json_document_is_json_dumps_byte_for_byte(value: Any) -> None:
    assert json_document(value) == json.dumps(value, indent=2).encode()


def test_json_document_refuses_what_json_dumps_refuses() -> None:
    from datetime import UTC, datetime

    for value in ([datetime(2025, 1, 1, tzinfo=UTC)], {"x": {1, 2}}, [b"bytes"]):
        with pytest.raises(TypeError):
            json.dumps(value, indent=2)
        with pytest.raises(TypeError):
            json_document(value)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randrange(-(10**12), 10**12)
    if kind == 3:
        return rng.choice([rng.random(), -rng.random()]) * 10 ** rng.uniform(-12, 20)
    if kind in (4, 5):
        alphabet = 'abc "\\/\n\t\x00\x1f\x7f\u00e9\u2028\u4e2d\U0001f600'
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if kind in (6, 7):
        return {
            f"k{i}{rng.choice(['', 'é', '😀'])}": random_value(rng, depth + 1)
            for i in range(rng.randrange(5))
        }
    return [random_value(rng, depth + 1) for _ in range(rng.randrange(5))]


def test_json_document_matches_json_dumps_on_random_documents() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        value = random_value(rng)
        assert json_document(value) == json.dumps(value, indent=2).encode(), value


def test_json_document_leaves_the_value_alone() -> None:
    value = {"f": [1e-7, {"g": math.nan}], "t": (2e-9,)}
    before = repr(value)

    json_document(value)

    assert repr(value) == before
