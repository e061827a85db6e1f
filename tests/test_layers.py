"""The layering of docs/architecture.md ("Layers"), enforced.

The rules live in pyproject.toml (`[tool.importlinter]`) as import-linter contracts, so the
editor, the command line (`lint-imports`) and this test all check the same thing. import-linter
reads the source statically (every import, in functions and under TYPE_CHECKING too), so a
violation is caught even in a module nothing imports yet.

The contracts are tested twice: on the real package (CI fails on a violation), and on a
skeleton of the package written into a temporary directory with one deliberately wrong import,
so a contract that silently stopped checking (a typo, a renamed layer) would fail here too.

Two rules import-linter cannot express are checked here by reading the source with `ast`:
imports computed at run time (which no static import graph sees) and I/O builtins in domain/.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

PACKAGE = "secagent_tui"
REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = REPO_ROOT / PACKAGE
PYPROJECT = REPO_ROOT / "pyproject.toml"

# import-linter's own command line (`lint-imports`), run by this interpreter.
CHECKER = "from importlinter.cli import lint_imports_command; lint_imports_command()"

# Builtins that do I/O; an import contract cannot see them.
DOMAIN_DENIED_CALLS = frozenset({"open", "print", "input"})


def lint_imports(config: Path, cwd: Path, pythonpath: Path | None = None) -> tuple[int, str]:
    """Runs import-linter's checker in its own process; returns its exit code and output.

    A process of its own so that the checked package is the one on `pythonpath` (a temporary
    skeleton shadows the installed package) and nothing is cached between runs.
    """
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    result = subprocess.run(
        [sys.executable, "-c", CHECKER, str(config), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def importlinter_config() -> dict[str, Any]:
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


# ------------------------------------------------------------- the contracts themselves


def test_the_package_keeps_its_import_contracts() -> None:
    code, output = lint_imports(PYPROJECT, cwd=REPO_ROOT)
    assert code == 0, output
    assert "0 broken" in output, output


def test_every_contract_is_checked() -> None:
    """Guards against a contract dropped from the config passing by not being there."""
    ids = {contract["id"] for contract in importlinter_config()["contracts"]}
    assert ids == {
        "layers",
        "tui-layers",
        "tui-screens-layers",
        "domain-pure",
        "textual-only-in-tui",
    }


def layered_modules() -> list[str]:
    """Every module a layers contract names, dotted from the package (optional `(name)`
    layers left out): the skeleton below must hold them all for the contracts to run."""
    found = []
    for contract in importlinter_config()["contracts"]:
        if contract["type"] != "layers":
            continue
        for container in contract["containers"]:
            prefix = container.removeprefix(PACKAGE).lstrip(".")
            for layer in contract["layers"]:
                for name in (n.strip() for n in layer.split("|")):
                    if not name.startswith("("):
                        found.append(f"{prefix}.{name}" if prefix else name)
    return found


def write_skeleton(root: Path, extra: dict[str, str]) -> Path:
    """A stand-in `secagent_tui` under `root` with every layer, the real contracts, and `extra`.

    `extra` maps a path under the package to its source. tui/ imports textual, as the real
    one does, so the textual contract's carve-out for tui/ matches something. Every layer is
    a package (a container of another contract must be one; for the rest it makes no odds).
    """
    package = root / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in layered_modules():
        if name == "__main__":
            (package / "__main__.py").write_text("")
            continue
        folder = package.joinpath(*name.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()
    (package / "tui" / "app" / "__init__.py").write_text("import textual\n")
    for rel, source in extra.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(source)
    config = root / "pyproject.toml"
    config.write_text(PYPROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def test_the_contracts_pass_on_a_skeleton_of_the_package(tmp_path: Path) -> None:
    """The baseline for the test below: without the wrong import, nothing is broken."""
    config = write_skeleton(tmp_path, {"store/calls.py": "", "llm/client.py": "import os\n"})
    code, output = lint_imports(config, cwd=tmp_path, pythonpath=tmp_path)
    assert code == 0, output


@pytest.mark.parametrize(
    ("files", "named"),
    [
        pytest.param(
            {"store/calls.py": "", "llm/client.py": "from secagent_tui.store import calls\n"},
            "secagent_tui.llm.client -> secagent_tui.store.calls",
            id="a-peer-imports-a-peer",
        ),
        pytest.param(
            {"pipeline/runner.py": "from secagent_tui.tui import app\n"},
            "secagent_tui.pipeline.runner -> secagent_tui.tui.app",
            id="a-lower-layer-imports-a-higher-one",
        ),
        pytest.param(
            {"tui/screen.py": "import secagent_tui.demo.session\n", "demo/session.py": ""},
            "secagent_tui.tui.screen -> secagent_tui.demo.session",
            id="demo-imported-from-outside-cli",
        ),
        pytest.param(
            {"domain/sla.py": "def f():\n    from secagent_tui.config import x\n"},
            "secagent_tui.domain.sla -> secagent_tui.config",
            id="domain-imports-the-project",
        ),
        pytest.param(
            {"domain/sla.py": "import pathlib\n"},
            "secagent_tui.domain.sla -> pathlib",
            id="domain-imports-an-io-library",
        ),
        pytest.param(
            {"pipeline/runner.py": "from textual.app import App\n"},
            "secagent_tui.pipeline.runner -> textual",
            id="textual-outside-tui",
        ),
        pytest.param(
            {"services/queue.py": "from secagent_tui.cli import main\n", "cli/main.py": ""},
            "secagent_tui.services.queue -> secagent_tui.cli.main",
            id="services-imports-a-front-end",
        ),
        pytest.param(
            {"tui/screens/actions/__init__.py": "from secagent_tui.tui import app\n"},
            "secagent_tui.tui.screens.actions -> secagent_tui.tui.app",
            id="a-screen-imports-the-app-not-the-host",
        ),
        pytest.param(
            {"tui/screens/actions/__init__.py": "from secagent_tui.tui.screens import queue\n"},
            "secagent_tui.tui.screens.actions -> secagent_tui.tui.screens.queue",
            id="the-actions-import-the-queue-a-cycle",
        ),
        pytest.param(
            {"tui/widgets/table.py": "from secagent_tui.tui.screens import finding\n"},
            "secagent_tui.tui.widgets.table -> secagent_tui.tui.screens.finding",
            id="a-widget-imports-a-screen",
        ),
        pytest.param(
            {"unplaced.py": ""},
            "secagent_tui.unplaced",
            id="a-top-level-module-in-no-layer",
        ),
    ],
)
def test_the_contracts_fail_naming_a_wrong_import(
    tmp_path: Path, files: dict[str, str], named: str
) -> None:
    config = write_skeleton(tmp_path, files)
    code, output = lint_imports(config, cwd=tmp_path, pythonpath=tmp_path)
    assert code != 0, output
    assert named in output, output


# ------------------------------------------ what an import contract cannot see (by ast)


def package_sources() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(REPO_ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
    ]


def computed_imports(tree: ast.Module, file: str) -> list[str]:
    """`importlib.import_module(...)` / `__import__(...)` calls: imports no contract sees."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}) or (
            isinstance(func, ast.Attribute) and func.attr == "import_module"
        ):
            found.append(f"{file}:{node.lineno} imports at run time")
    return found


def io_builtin_calls(tree: ast.Module, file: str) -> list[str]:
    return [
        f"{file}:{node.lineno} calls {node.func.id}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in DOMAIN_DENIED_CALLS
    ]


def test_the_scan_sees_the_package() -> None:
    """Guards against the ast checks passing vacuously because no file was found."""
    files = {file for file, _ in package_sources()}
    assert f"{PACKAGE}/domain/__init__.py" in files
    assert len([f for f in files if f.startswith(f"{PACKAGE}/domain/")]) > 3


def test_every_import_is_visible_to_the_contracts() -> None:
    """An import computed at run time would pass every contract unseen, so there is none."""
    violations = [v for file, tree in package_sources() for v in computed_imports(tree, file)]
    assert not violations, "\n".join(violations)


def test_domain_calls_no_io_builtins() -> None:
    violations = [
        v
        for file, tree in package_sources()
        if file.startswith(f"{PACKAGE}/domain/")
        for v in io_builtin_calls(tree, file)
    ]
    assert not violations, "\n".join(violations)


def test_the_ast_checks_flag_what_they_are_for() -> None:
    dynamic = ast.parse("import importlib\nimportlib.import_module('textual')\n__import__('x')\n")
    assert computed_imports(dynamic, "m.py") == [
        "m.py:2 imports at run time",
        "m.py:3 imports at run time",
    ]
    io = ast.parse("def f():\n    print(open('x').read())\n")
    assert sorted(io_builtin_calls(io, "sla.py")) == [
        "sla.py:2 calls open()",
        "sla.py:2 calls print()",
    ]
    assert not computed_imports(ast.parse("import os\nos.path.join('a')\n"), "m.py")
