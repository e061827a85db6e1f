"""The layering of DESIGN.md, enforced by reading the source.

Static (`ast`, no importing) so that a violation is caught even in a module nothing
imports yet, and so that importing a module with side effects cannot mask or cause a
failure. Relative imports are resolved, so `from ..tui import app` cannot slip past a
rule written for `secagent_tui.tui`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "secagent_tui"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE
REPO_ROOT = PACKAGE_DIR.parent

# Domain code is pure: these top-level modules do I/O, talk to a service, draw on the
# terminal or schedule work, so a domain module importing one is a design error.
DOMAIN_DENIED = frozenset(
    {
        "os",
        "io",
        "pathlib",
        "glob",
        "socket",
        "ssl",
        "select",
        "selectors",
        "subprocess",
        "multiprocessing",
        "sqlite3",
        "shutil",
        "tempfile",
        "http",
        "urllib",
        "urllib3",
        "requests",
        "httpx",
        "aiohttp",
        "github",
        "git",
        "ollama",
        "sqlalchemy",
        "aiosqlite",
        "asyncpg",
        "psycopg",
        "psycopg2",
        "alembic",
        "keyring",
        "textual",
        "rich",
        "click",
        "asyncio",
        "logging",
    }
)

# Builtins that do I/O; the import rule cannot see them.
DOMAIN_DENIED_CALLS = frozenset({"open", "print", "input"})

# DESIGN.md "Layers": arrows point down only. Layer -> layers it must never import.
FORBIDDEN_UPWARD: dict[str, tuple[str, ...]] = {
    "store": ("pipeline", "tui", "cli"),
    "github": ("pipeline", "tui", "cli"),
    "llm": ("pipeline", "tui", "cli"),
    "pipeline": ("tui", "cli"),
}


@dataclass(frozen=True)
class Import:
    """One imported module, absolute, with where it was written (for the message)."""

    file: str
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.target}"


def module_name(path: Path) -> tuple[str, bool]:
    """Dotted name of a source file and whether it is a package `__init__`."""
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    """Absolute module for `from <level dots><name> import ...` written in `module`."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(package) - 1:
        raise ValueError(f"relative import beyond top-level package in {module}")
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _dynamic_import_target(call: ast.Call) -> str | None:
    """`importlib.import_module("x")` / `__import__("x")` with a literal name."""
    func = call.func
    is_dynamic = (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}) or (
        isinstance(func, ast.Attribute)
        and func.attr == "import_module"
        and isinstance(func.value, ast.Name)
        and func.value.id == "importlib"
    )
    if is_dynamic and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def scan_imports(source: str, module: str, is_package: bool, file: str) -> list[Import]:
    """Every module a source imports, anywhere in it (functions and TYPE_CHECKING too).

    For `from X import a` the target is `X.a`: `a` may be a submodule, and prefix rules on
    `X.a` are right either way (`from secagent_tui import tui` must count as tui).
    """
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, filename=file)):
        if isinstance(node, ast.Import):
            found.extend(Import(file, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                resolve_relative(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                target = base if alias.name == "*" else f"{base}.{alias.name}"
                found.append(Import(file, node.lineno, target))
        elif isinstance(node, ast.Call) and (target := _dynamic_import_target(node)):
            found.append(Import(file, node.lineno, target))
    return found


def scan_calls(source: str, names: Iterable[str], file: str) -> list[str]:
    """Calls of the given builtins, as `file:line calls name()`."""
    wanted = set(names)
    return [
        f"{file}:{node.lineno} calls {node.func.id}()"
        for node in ast.walk(ast.parse(source, filename=file))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in wanted
    ]


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str
    module: str
    is_package: bool
    source: str

    @property
    def imports(self) -> list[Import]:
        return scan_imports(self.source, self.module, self.is_package, self.rel)


def package_sources() -> Iterator[SourceFile]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        module, is_package = module_name(path)
        yield SourceFile(
            path=path,
            rel=path.relative_to(REPO_ROOT).as_posix(),
            module=module,
            is_package=is_package,
            source=path.read_text(encoding="utf-8"),
        )


SOURCES = list(package_sources())


def within(target: str, prefix: str) -> bool:
    """`target` is the module `prefix` or inside it (not merely sharing its spelling)."""
    return target == prefix or target.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    """`secagent_tui.store.db` -> `store`; `secagent_tui.cli` -> `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE else None


# ------------------------------------------------------------------------------- rules


def domain_violations(src: SourceFile) -> list[str]:
    if not within(src.module, f"{PACKAGE}.domain"):
        return []
    bad: list[str] = []
    for imp in src.imports:
        if within(imp.target, PACKAGE) and not within(imp.target, f"{PACKAGE}.domain"):
            bad.append(f"{imp} (domain/ imports nothing of ours outside domain/)")
        elif imp.target.split(".")[0] in DOMAIN_DENIED:
            bad.append(f"{imp} (domain/ is pure: no I/O library)")
    return bad


def domain_io_call_violations(src: SourceFile) -> list[str]:
    if not within(src.module, f"{PACKAGE}.domain"):
        return []
    return [
        f"{call} (domain/ is pure: no I/O builtins)"
        for call in scan_calls(src.source, DOMAIN_DENIED_CALLS, src.rel)
    ]


def textual_violations(src: SourceFile) -> list[str]:
    if within(src.module, f"{PACKAGE}.tui"):
        return []
    return [
        f"{imp} (only secagent_tui/tui/ may import textual)"
        for imp in src.imports
        if within(imp.target, "textual")
    ]


def upward_violations(src: SourceFile) -> list[str]:
    layer = layer_of(src.module)
    forbidden = FORBIDDEN_UPWARD.get(layer or "", ())
    return [
        f"{imp} ({layer}/ must not import {PACKAGE}.{above}: arrows point down only)"
        for imp in src.imports
        for above in forbidden
        if within(imp.target, f"{PACKAGE}.{above}")
    ]


def report(violations: list[str]) -> str:
    return "layering violations:\n  " + "\n  ".join(violations)


# ------------------------------------------------------------------------ rule tests


def test_the_scan_sees_the_package() -> None:
    """Guards against the rules passing vacuously because no file was found."""
    modules = {src.module for src in SOURCES}
    assert f"{PACKAGE}.domain" in modules
    assert any(within(m, f"{PACKAGE}.domain") and m != f"{PACKAGE}.domain" for m in modules)


def test_domain_imports_only_domain_and_no_io_library() -> None:
    violations = [v for src in SOURCES for v in domain_violations(src)]
    assert not violations, report(violations)


def test_domain_calls_no_io_builtins() -> None:
    violations = [v for src in SOURCES for v in domain_io_call_violations(src)]
    assert not violations, report(violations)


def test_only_tui_imports_textual() -> None:
    violations = [v for src in SOURCES for v in textual_violations(src)]
    assert not violations, report(violations)


def test_lower_layers_never_import_upper_layers() -> None:
    violations = [v for src in SOURCES for v in upward_violations(src)]
    assert not violations, report(violations)


# ------------------------------------------------- the scanner itself (known to work)


def synthetic(source: str, rel: str) -> SourceFile:
    """A fake file at `rel` (under secagent_tui/), so rules run on known-bad code."""
    path = REPO_ROOT / rel
    module, is_package = module_name(path)
    return SourceFile(path, rel, module, is_package, source)


def test_scanner_flags_a_domain_module_importing_io_and_another_layer() -> None:
    src = synthetic(
        "import os.path\n"
        "from pathlib import Path\n"
        "from ..store import db\n"
        "from secagent_tui import config\n"
        "from . import finding\n"
        "from .owner import Owner\n"
        "def f():\n"
        "    import logging\n",
        "secagent_tui/domain/policy.py",
    )
    flagged = "\n".join(domain_violations(src))
    assert "secagent_tui/domain/policy.py:1 imports os.path" in flagged
    assert ":2 imports pathlib.Path" in flagged
    assert ":3 imports secagent_tui.store.db" in flagged
    assert ":4 imports secagent_tui.config" in flagged
    assert ":8 imports logging" in flagged
    assert "finding" not in flagged
    assert "Owner" not in flagged


def test_scanner_flags_io_builtins_in_domain() -> None:
    src = synthetic("def f():\n    print(open('x').read())\n", "secagent_tui/domain/sla.py")
    flagged = "\n".join(domain_io_call_violations(src))
    assert "secagent_tui/domain/sla.py:2 calls print()" in flagged
    assert "secagent_tui/domain/sla.py:2 calls open()" in flagged


def test_scanner_flags_textual_outside_tui_including_dynamic_imports() -> None:
    src = synthetic(
        "from textual.app import App\nimport importlib\nimportlib.import_module('textual')\n",
        "secagent_tui/pipeline/runner.py",
    )
    flagged = textual_violations(src)
    assert len(flagged) == 2, flagged
    assert "secagent_tui/pipeline/runner.py:1 imports textual.app.App" in flagged[0]
    assert not textual_violations(synthetic("import textual\n", "secagent_tui/tui/app.py"))


def test_scanner_flags_upward_imports_after_resolving_relative_ones() -> None:
    store = synthetic("from ...pipeline import runner\n", "secagent_tui/store/sub/jobs.py")
    assert "imports secagent_tui.pipeline.runner" in "\n".join(upward_violations(store))
    pipeline = synthetic("from .. import tui, cli\n", "secagent_tui/pipeline/__init__.py")
    flagged = "\n".join(upward_violations(pipeline))
    assert "imports secagent_tui.tui" in flagged
    assert "imports secagent_tui.cli" in flagged
    fine = synthetic("from ..domain.finding import Finding\n", "secagent_tui/llm/client.py")
    assert not upward_violations(fine)


@pytest.mark.parametrize(
    ("module", "is_package", "level", "name", "expected"),
    [
        ("secagent_tui.pipeline.sync", False, 1, "dismissal", "secagent_tui.pipeline.dismissal"),
        ("secagent_tui.pipeline.sync", False, 2, "tui", "secagent_tui.tui"),
        ("secagent_tui.pipeline", True, 1, "sync", "secagent_tui.pipeline.sync"),
        ("secagent_tui.pipeline", True, 2, None, "secagent_tui"),
    ],
)
def test_relative_imports_resolve_like_python(
    module: str, is_package: bool, level: int, name: str | None, expected: str
) -> None:
    assert resolve_relative(module, is_package, level, name) == expected


def test_relative_import_beyond_the_package_is_an_error() -> None:
    with pytest.raises(ValueError, match="beyond top-level"):
        resolve_relative("secagent_tui.cli", False, 3, "x")


def test_prefix_match_respects_module_boundaries() -> None:
    assert within("secagent_tui.tui.app", "secagent_tui.tui")
    assert not within("secagent_tui.tuition", "secagent_tui.tui")
    assert not within("textualize", "textual")
