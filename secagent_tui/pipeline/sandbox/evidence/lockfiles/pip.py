"""Python lockfiles: poetry.lock, uv.lock and pip-compile output.

Why: an app importing `requests` is exposed to a vulnerable `urllib3` it never imports; the
edges that say so live in these files. They are untrusted input: TOML goes through `tomllib`
(its recursion on nested arrays raises RecursionError, caught here) and everything read from
the parsed document is type-checked before use, so a wrong shape yields a partial graph or
None rather than an exception. pip-compile output is read line by line.

poetry.lock carries no root entry, so its `direct` comes back empty and the caller fills it
from pyproject.toml with `direct_from_pyproject`. A plain requirements.txt (no `# via`
comments) is a list, not a graph, and gives None.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from secagent_tui.pipeline.sandbox.evidence.graph import (
    PARSE_ERRORS,
    DependencyGraph,
    untrusted_reader,
)

Normalize = Callable[[str], str]

DEV_GROUPS = frozenset({"dev", "test", "tests", "lint", "docs", "typing"})
"""Group names that mean "not installed in production" (poetry groups, optional extras)."""

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
"""The distribution name at the start of a PEP 508 requirement (extras/versions follow)."""

_DEV_FILE_TOKENS = frozenset(
    {"dev", "develop", "test", "tests", "testing", "lint", "docs", "doc", "typing", "ci", "mypy"}
)
"""Tokens of a requirements-file name (`requirements-dev.in`, `docs.in`) that mean dev-only."""


def parse(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """Read the Python lockfile at repo-relative `rel`, picking the reader by its file name."""
    path = PurePosixPath(rel)
    name = path.name.lower()
    if name == "poetry.lock":
        return parse_poetry_lock(rel, text, normalize)
    if name == "uv.lock":
        return parse_uv_lock(rel, text, normalize)
    in_requirements_dir = any(part.lower() == "requirements" for part in path.parts[:-1])
    listed = "requirements" in name or "constraints" in name or in_requirements_dir
    if name.endswith(".txt") and listed:
        return parse_pip_compile(rel, text, normalize)
    return None


def _identity(name: str) -> str:
    return name


def _requirement_name(requirement: object) -> str:
    if not isinstance(requirement, str):
        return ""
    match = _REQUIREMENT_NAME.match(requirement)
    return match.group(1) if match else ""


def _finish(graph: DependencyGraph) -> DependencyGraph | None:
    graph.dev_direct &= graph.direct
    return None if graph.is_empty() else graph


def _load_toml(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except PARSE_ERRORS:
        return None


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _tables(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# ---------------------------------------------------------------------------------------------
# pyproject.toml


def direct_from_pyproject(
    text: str, normalize: Normalize | None = None
) -> tuple[set[str], set[str]]:
    """(all direct, dev-only direct) from pyproject.toml, across PEP 621, PEP 735 and Poetry.

    `[project] dependencies` and optional extras are runtime (an extra is for users), except
    extras named like a dev group. `[dependency-groups]`, `[tool.poetry.dev-dependencies]`
    and poetry groups named dev/test/tests/lint/docs/typing are dev. A name declared both
    ways is runtime.
    """
    norm = normalize or _identity
    data = _load_toml(text)
    if data is None:
        return set(), set()
    runtime: set[str] = set()
    dev: set[str] = set()
    try:
        project = _table(data.get("project"))
        runtime |= _requirement_names(project.get("dependencies"), norm)
        for group, requirements in _table(project.get("optional-dependencies")).items():
            target = dev if str(group).lower() in DEV_GROUPS else runtime
            target |= _requirement_names(requirements, norm)
        for requirements in _table(data.get("dependency-groups")).values():
            dev |= _requirement_names(requirements, norm)
        tool = _table(data.get("tool"))
        poetry = _table(tool.get("poetry"))
        runtime |= _poetry_names(poetry.get("dependencies"), norm)
        dev |= _poetry_names(poetry.get("dev-dependencies"), norm)
        for group, body in _table(poetry.get("group")).items():
            target = dev if str(group).lower() in DEV_GROUPS else runtime
            target |= _poetry_names(_table(body).get("dependencies"), norm)
        dev |= _requirement_names(_table(tool.get("uv")).get("dev-dependencies"), norm)
        for requirements in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
            dev |= _requirement_names(requirements, norm)
    except PARSE_ERRORS:
        pass  # keep what was read
    return runtime | dev, dev - runtime


def _requirement_names(requirements: object, normalize: Normalize) -> set[str]:
    if not isinstance(requirements, list):
        return set()
    names = (_requirement_name(item) for item in requirements)
    return {normalize(name) for name in names if name}


def _poetry_names(table: object, normalize: Normalize) -> set[str]:
    return {
        normalize(key)
        for key in _table(table)
        if isinstance(key, str) and key and key.lower() != "python"
    }


# ---------------------------------------------------------------------------------------------
# poetry.lock


@untrusted_reader
def parse_poetry_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """`[[package]]` entries with their `[package.dependencies]` keys as edges.

    Optional dependencies (`optional = true`, behind an extra) are edges too: whether the
    extra is enabled is not in the lockfile, and an extra edge only errs towards "maybe used".
    `[package.extras]` names are edges too, though they may name packages that are not
    locked: fastapi's `python-multipart` sits there when the extra was not asked for, and
    the app may still install and use it. Old locks mark
    dev-only packages `category = "dev"`; Poetry 2 locks list `groups`, and a package is
    dev-only when all its groups are dev groups.
    """
    data = _load_toml(text)
    if data is None:
        return None
    graph = DependencyGraph(sources=[rel])
    dev_seen: set[str] = set()
    prod_seen: set[str] = set()
    for package in _tables(data.get("package")):
        raw = package.get("name")
        if not isinstance(raw, str) or not raw:
            continue
        name = normalize(raw)
        graph.add_node(name)
        for dep in _table(package.get("dependencies")):
            if isinstance(dep, str) and dep:
                graph.add_edge(name, normalize(dep))
        # An extra's packages are locked as optional dependencies only when the extra was
        # asked for; the names in `[package.extras]` are edges either way (more edges only
        # err towards "maybe used").
        for requirements in _table(package.get("extras")).values():
            for dep in _requirement_names(requirements, normalize):
                graph.add_edge(name, dep)
        (dev_seen if _poetry_dev_only(package) else prod_seen).add(name)
    graph.dev_packages |= dev_seen - prod_seen
    return _finish(graph)


def _poetry_dev_only(package: dict[str, Any]) -> bool:
    category = package.get("category")
    if isinstance(category, str):
        return category.lower() == "dev"
    groups = package.get("groups")
    if isinstance(groups, list) and groups:
        return all(isinstance(group, str) and group.lower() in DEV_GROUPS for group in groups)
    return False


# ---------------------------------------------------------------------------------------------
# uv.lock


@untrusted_reader
def parse_uv_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """`[[package]]` with `dependencies = [{ name = ... }]` and optional-dependencies as edges.

    The project's own package(s) (`source = { virtual = "." }` / `{ editable = "." }`, or a
    workspace member named in `[manifest] members`) give `direct`; their
    `[package.dev-dependencies]` (dependency groups) give `dev_direct`. They are not nodes
    themselves, so the project's name is not mistaken for a dependency.
    """
    data = _load_toml(text)
    if data is None:
        return None
    graph = DependencyGraph(sources=[rel])
    members = {
        normalize(member)
        for member in _list(_table(data.get("manifest")).get("members"))
        if isinstance(member, str) and member
    }
    runtime: set[str] = set()
    dev: set[str] = set()
    for package in _tables(data.get("package")):
        raw = package.get("name")
        if not isinstance(raw, str) or not raw:
            continue
        name = normalize(raw)
        deps = _uv_names(package.get("dependencies"), normalize)
        for extra in _table(package.get("optional-dependencies")).values():
            deps |= _uv_names(extra, normalize)
        if _uv_is_root(package) or name in members:
            runtime |= deps
            for group in _table(package.get("dev-dependencies")).values():
                dev |= _uv_names(group, normalize)
            continue
        graph.add_node(name)
        for dep in deps:
            graph.add_edge(name, dep)
    graph.direct |= runtime | dev
    graph.dev_direct |= dev - runtime
    return _finish(graph)


def _uv_is_root(package: dict[str, Any]) -> bool:
    source = _table(package.get("source"))
    return source.get("virtual") == "." or source.get("editable") == "."


def _uv_names(entries: object, normalize: Normalize) -> set[str]:
    names = (entry.get("name") for entry in _tables(entries))
    return {normalize(name) for name in names if isinstance(name, str) and name}


# ---------------------------------------------------------------------------------------------
# pip-compile output


def _is_dev_file(reference: str) -> bool:
    """Whether `-r requirements/dev.in`'s file name says development-only."""
    stem = PurePosixPath(reference.strip().replace("\\", "/")).name.lower()
    tokens = set(re.split(r"[-_.]", stem))
    return bool(tokens & _DEV_FILE_TOKENS)


@untrusted_reader
def parse_pip_compile(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """pip-compile output: pinned lines followed by `# via` comments naming their dependents.

    `# via requests` (or a multi-line `# via` list) makes an edge requests → package. A via
    entry `-r file` / `-c file`, or `proj (pyproject.toml)`/`(setup.py)`/`(setup.cfg)`, makes
    the package direct; it is dev-only when every such file is named like a dev file
    (`dev.in`, `requirements-test.in`, `docs.in`). Old pip-tools' inline `pkg==1  # via a, b`
    is read too. A file with no `# via` at all is a plain requirements list: None.
    """
    reader = _PipCompileReader(DependencyGraph(sources=[rel]), normalize)
    for line in text.splitlines():
        reader.read_line(line)
    return reader.finish()


class _PipCompileReader:
    """The state of one pip-compile file read line by line: the package whose annotations
    are being read (`current`), whether a multi-line `# via` list is open, whether any
    `# via` was seen, and which files reference each direct package."""

    def __init__(self, graph: DependencyGraph, normalize: Normalize) -> None:
        self.graph = graph
        self.normalize = normalize
        self.saw_via = False
        self.current = ""
        self.in_via_list = False
        self.origins: dict[str, list[bool]] = {}  # direct package -> is each referencing file dev?

    def read_line(self, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            # A blank line ends a package's annotations (pip-compile puts one before its
            # "unsafe packages" section), so later comments cannot attach to it.
            self.in_via_list = False
            self.current = ""
        elif stripped.startswith("#"):
            self._comment(line, stripped[1:].strip())
        else:
            self.in_via_list = False
            if not (line[:1].isspace() or stripped.startswith("-")):
                self._requirement(stripped)  # not `--hash=...` continuations or pip options

    def _comment(self, line: str, comment: str) -> None:
        if comment == "via" or comment.startswith("via "):
            self.saw_via = True
            rest = comment[len("via") :].strip()
            self.in_via_list = not rest
            for entry in rest.split(","):
                self._add_via(entry)
        elif self.in_via_list and line[:1].isspace():
            self._add_via(comment)
        else:
            self.in_via_list = False
            if not line[:1].isspace():
                self.current = ""  # a column-0 comment (`# setuptools`) is not an annotation

    def _requirement(self, stripped: str) -> None:
        requirement, _, inline = stripped.partition("#")
        name = _requirement_name(requirement)
        self.current = self.normalize(name) if name else ""
        if self.current:
            self.graph.add_node(self.current)
        inline = inline.strip()
        if inline.startswith("via"):
            self.saw_via = True
            for entry in inline[len("via") :].split(","):
                self._add_via(entry)

    def _add_via(self, entry: str) -> None:
        entry = entry.strip()
        if not entry or not self.current:
            return
        if entry.startswith(("-r", "-c")):
            reference = entry[2:].strip()
            self.origins.setdefault(self.current, []).append(_is_dev_file(reference))
            return
        if entry.endswith(("(pyproject.toml)", "(setup.py)", "(setup.cfg)")):
            self.origins.setdefault(self.current, []).append(False)
            return
        dependent = _requirement_name(entry)
        if dependent:
            self.graph.add_edge(self.normalize(dependent), self.current)

    def finish(self) -> DependencyGraph | None:
        """The graph, or None for a plain requirements list (no `# via` at all)."""
        if not self.saw_via:
            return None
        for name, dev_flags in self.origins.items():
            self.graph.direct.add(name)
            if all(dev_flags):
                self.graph.dev_direct.add(name)
        return _finish(self.graph)
