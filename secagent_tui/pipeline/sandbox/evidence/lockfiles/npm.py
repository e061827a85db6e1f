"""npm-ecosystem lockfiles: package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml.

Why these readers look the way they do: lockfile text comes from arbitrary public repositories,
so every reader must return None (or a partial graph) on garbage instead of raising, must not
recurse on attacker-chosen nesting, and must stay linear in the input. JSON goes through the
stdlib parser (whose nesting limit raises RecursionError, caught here); nested `dependencies`
of package-lock v1 are walked with an explicit stack. yarn.lock and pnpm-lock.yaml are read
line by line: no YAML library is available (or wanted) and the subset these files use is
small. yarn.lock has no root entry, so its graph has an empty `direct`; the caller fills it
from package.json with `direct_from_package_json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from secagent_tui.pipeline.sandbox.evidence.graph import (
    PARSE_ERRORS,
    DependencyGraph,
    untrusted_reader,
)

Normalize = Callable[[str], str]

_DECLARED = ("dependencies", "optionalDependencies", "peerDependencies")
"""package.json sections whose packages are installed with the project (besides dev)."""


def parse(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """Read the npm lockfile at repo-relative `rel`, picking the reader by its file name."""
    name = PurePosixPath(rel).name
    reader: Callable[[str, str, Normalize], DependencyGraph | None] | None = {
        "package-lock.json": parse_package_lock,
        "npm-shrinkwrap.json": parse_package_lock,
        "yarn.lock": parse_yarn_lock,
        "pnpm-lock.yaml": parse_pnpm_lock,
    }.get(name)
    if reader is None:
        return None
    return reader(rel, text, normalize)


def _finish(graph: DependencyGraph) -> DependencyGraph | None:
    graph.dev_direct &= graph.direct
    return None if graph.is_empty() else graph


# ---------------------------------------------------------------------------------------------
# package.json


def direct_from_package_json(
    text: str, normalize: Normalize | None = None
) -> tuple[set[str], set[str]]:
    """(all direct, dev-only direct) from package.json's dependency sections.

    A package listed both in devDependencies and a runtime section is not dev-only: being
    installed for production is what matters for exposure.
    """
    norm = normalize or _identity
    try:
        data = json.loads(text)
    except PARSE_ERRORS:
        return set(), set()
    if not isinstance(data, dict):
        return set(), set()
    runtime = set[str]()
    for section in _DECLARED:
        runtime |= _dict_names(data.get(section), norm)
    dev = _dict_names(data.get("devDependencies"), norm)
    return runtime | dev, dev - runtime


def _identity(name: str) -> str:
    return name


def _dict_names(value: object, normalize: Normalize) -> set[str]:
    if not isinstance(value, dict):
        return set()
    return {normalize(key) for key in value if isinstance(key, str) and key}


# ---------------------------------------------------------------------------------------------
# package-lock.json / npm-shrinkwrap.json


@untrusted_reader
def parse_package_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """package-lock v1 (nested `dependencies`), v2 and v3 (`packages` keyed by install path).

    v2 carries both layouts; the `packages` one is read because only it names the root's
    declared dependencies. v1 has no root entry, so its `direct` comes back empty.
    """
    try:
        data = json.loads(text)
    except PARSE_ERRORS:
        return None
    if not isinstance(data, dict):
        return None
    graph = DependencyGraph(sources=[rel])
    try:
        packages = data.get("packages")
        if isinstance(packages, dict) and packages:
            _read_lock_packages(packages, graph, normalize)
        else:
            graph.records_peers = False  # npm 6 and older left peers to the project
            _read_lock_v1(data.get("dependencies"), graph, normalize)
    except PARSE_ERRORS:
        pass  # keep what was read before the garbage
    return _finish(graph)


def _package_path_name(path: str) -> str:
    """`node_modules/a/node_modules/@s/n` → `@s/n`: the name after the LAST node_modules/."""
    marker = "node_modules/"
    index = path.rfind(marker)
    return path[index + len(marker) :] if index >= 0 else ""


def _read_lock_packages(packages: dict[Any, Any], graph: DependencyGraph, norm: Normalize) -> None:
    dev_seen: set[str] = set()
    prod_seen: set[str] = set()
    runtime: set[str] = set()
    dev: set[str] = set()
    for path, entry in packages.items():
        if not isinstance(path, str) or not isinstance(entry, dict):
            continue
        folder = _package_path_name(path)
        if not folder:
            # The root ("") or a workspace member ("packages/a"): what it declares is direct.
            for section in _DECLARED:
                runtime |= _dict_names(entry.get(section), norm)
            dev |= _dict_names(entry.get("devDependencies"), norm)
            member = entry.get("name")
            if path and isinstance(member, str) and member:
                graph.add_node(norm(member))
            continue
        name = norm(folder)
        graph.add_node(name)
        real = entry.get("name")
        if isinstance(real, str) and real and norm(real) != name:
            # An alias ("node_modules/foo": {"name": "bar"}): dependents require `foo`, the
            # code that runs (and any advisory) is `bar`.
            graph.add_edge(name, norm(real))
        for section in _DECLARED:
            for dep in _dict_names(entry.get(section), norm):
                graph.add_edge(name, dep)
        (dev_seen if entry.get("dev") is True else prod_seen).add(name)
    graph.direct |= runtime | dev
    graph.dev_direct |= dev - runtime
    graph.dev_packages |= dev_seen - prod_seen


def _read_lock_v1(dependencies: object, graph: DependencyGraph, norm: Normalize) -> None:
    """Walk v1's nested `dependencies` with an explicit stack (no recursion on input depth)."""
    dev_seen: set[str] = set()
    prod_seen: set[str] = set()
    stack: list[object] = [dependencies]
    while stack:
        level = stack.pop()
        if not isinstance(level, dict):
            continue
        for raw, entry in level.items():
            if not isinstance(raw, str) or not raw or not isinstance(entry, dict):
                continue
            name = norm(raw)
            graph.add_node(name)
            for dep in _dict_names(entry.get("requires"), norm):
                graph.add_edge(name, dep)
            version = entry.get("version")
            if isinstance(version, str) and version.startswith("npm:"):
                real = _spec_name(version[len("npm:") :])
                if real:
                    graph.add_edge(name, norm(real))
            (dev_seen if entry.get("dev") is True else prod_seen).add(name)
            stack.append(entry.get("dependencies"))
    graph.dev_packages |= dev_seen - prod_seen


# ---------------------------------------------------------------------------------------------
# yarn.lock (v1 and berry)


def _spec_name(spec: str) -> str:
    """`@s/n@^1` → `@s/n`, `a@npm:^1` → `a`: the name ends at the first `@` after position 0."""
    index = spec.find("@", 1)
    return spec[:index] if index > 0 else spec


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _yarn_header_names(header: str) -> list[tuple[str, str]]:
    """(name, real name) for each spec of an entry header such as `"a@^1", a@^2:`.

    The real name differs for npm aliases (`string-width-cjs@npm:string-width@^4.2.0`).
    """
    names: list[tuple[str, str]] = []
    for part in header.rstrip().removesuffix(":").split(","):
        # berry quotes the whole comma-separated header, v1 each spec: strip either way
        spec = part.strip().strip("\"'")
        if not spec or spec.startswith("__metadata"):
            continue
        name = _spec_name(spec)
        rest = spec[len(name) + 1 :]
        real = name
        if rest.startswith("npm:"):
            target = rest[len("npm:") :]
            if target.find("@", 1) > 0:
                real = _spec_name(target)
        names.append((name, real))
    return names


def _yarn_dep_name(line: str) -> str:
    """`"@babel/highlight" "^7"` (v1), `js-tokens: "npm:^4"` (berry) → the dependency name."""
    line = line.strip()
    if line[:1] in "\"'":
        end = line.find(line[0], 1)
        return line[1:end] if end > 0 else ""
    token = line.split(None, 1)[0] if line else ""
    return token.removesuffix(":")


@untrusted_reader
def parse_yarn_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """yarn.lock v1 and berry: entry headers at column 0, fields at 2 spaces, deps at 4.

    Berry workspace entries (`resolution: "x@workspace:..."`) are the project itself, not
    a package; they are left out so the project's name does not become a node. yarn.lock
    records neither the root's declared dependencies nor dev flags, so `direct` and
    `dev_packages` stay empty.
    """
    graph = DependencyGraph(sources=[rel])
    entry = _YarnEntry()
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            entry.add_to(graph)
            entry = _YarnEntry.from_header(line, normalize)
        elif indent <= 3:
            entry.read_field(line.strip())
        elif entry.in_deps and indent <= 5:
            dep = _yarn_dep_name(line)
            if dep:
                entry.deps.add(normalize(dep))
    entry.add_to(graph)
    graph.records_peers = "__metadata:" in text
    return _finish(graph)


_YARN_DEP_SECTIONS = ("dependencies:", "optionalDependencies:", "peerDependencies:")
"""Entry fields whose lines are dependencies. Berry records the peers a package asks for; v1
records none of them."""


@dataclass
class _YarnEntry:
    """One yarn.lock entry while it is read: the (name, real name) pairs of its header, the
    dependencies seen so far, whether it is a workspace (the project itself) and whether the
    lines being read are inside a dependency section."""

    names: list[tuple[str, str]] = field(default_factory=list)
    deps: set[str] = field(default_factory=set)
    workspace: bool = False
    in_deps: bool = False

    @classmethod
    def from_header(cls, line: str, normalize: Normalize) -> _YarnEntry:
        names = [(normalize(n), normalize(r)) for n, r in _yarn_header_names(line)]
        return cls(names=names, workspace="@workspace:" in line)

    def read_field(self, field_line: str) -> None:
        self.in_deps = field_line in _YARN_DEP_SECTIONS
        if field_line.startswith("resolution:") and "@workspace:" in field_line:
            self.workspace = True

    def add_to(self, graph: DependencyGraph) -> None:
        if self.workspace:
            return
        for name, real in self.names:
            graph.add_node(name)
            if real != name:
                graph.add_edge(name, real)
            for dep in self.deps:
                graph.add_edge(name, dep)


# ---------------------------------------------------------------------------------------------
# pnpm-lock.yaml


_YAML_MAX_DEPTH = 6
"""Deepest mapping level the pnpm reader keeps; everything it needs sits at depth ≤ 5."""


def _yaml_key_value(stripped: str) -> tuple[str, str] | None:
    """Split `key: value` / `'quoted: key':` / `key:`; None for lines that are not a pair."""
    if stripped[:1] in "\"'":
        quote = stripped[0]
        end = stripped.find(quote, 1)
        while quote == "'" and end > 0 and stripped[end + 1 : end + 2] == "'":
            end = stripped.find(quote, end + 2)  # '' is an escaped quote in YAML
        if end < 0:
            return None
        key = stripped[1:end].replace("''", "'") if quote == "'" else stripped[1:end]
        rest = stripped[end + 1 :].lstrip()
        if not rest.startswith(":"):
            return None
        return key, _unquote(rest[1:])
    index = stripped.find(": ")
    if index >= 0:
        return stripped[:index], _unquote(stripped[index + 2 :])
    if stripped.endswith(":"):
        return stripped[:-1], ""
    return None


def _yaml_tree(text: str) -> dict[str, Any]:
    """Block mappings of a YAML document as nested dicts, scalars as strings.

    Only what pnpm-lock.yaml uses: `key: value` and `key:` with an indented block. Sequences,
    flow collections (kept as their raw text) and multi-line scalars are not interpreted.
    Indentation is tracked with an explicit stack, and mappings deeper than
    `_YAML_MAX_DEPTH` are dropped, so nesting costs neither recursion nor memory.
    """
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any] | None]] = [(-1, root)]
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith(("#", "- ")) or stripped == "-":
            continue
        indent = len(line) - len(stripped)
        pair = _yaml_key_value(stripped.rstrip())
        if pair is None:
            continue
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        key, value = pair
        if parent is None:
            stack.append((indent, None))
            continue
        if value == "" and len(stack) <= _YAML_MAX_DEPTH:
            child: dict[str, Any] = {}
            parent[key] = child
            stack.append((indent, child))
        else:
            parent[key] = value
            stack.append((indent, None))
    return root


def _pnpm_key_name(key: str, slash_format: bool) -> str:
    """Package name from a `packages:`/`snapshots:` key or an alias version.

    v5: `/a/1.0.0`, `/@s/n/1.0.0_peer@2`; v6: `/a@1.0.0(peer@2)`; v9: `'@s/n@1.0.0(peer@2)'`.
    """
    key = key.strip().lstrip("/")
    key = key.split("(", 1)[0]
    if not slash_format:
        at = key.find("@", 1)  # skips a scope's leading "@"
        if at > 0:
            name = key[:at]
            if name.count("/") == (1 if key.startswith("@") else 0):
                return name
        # no version "@" where v6+ puts one (a v5-style key in an unlabelled file): fall through
    parts = key.split("/")
    if key.startswith("@") and len(parts) >= 2:
        return f"{parts[0]}/{parts[1]}"
    return parts[0]


def _pnpm_version_alias(version: str, slash_format: bool) -> str:
    """The real package name when a dependency's version is an alias (`/string-width@4.2.3`)."""
    version = version.strip()
    if not version or version.startswith(("link:", "file:", "http:", "https:", "git")):
        return ""
    if version.startswith("/") or (not version[0].isdigit() and version.find("@", 1) > 0):
        return _pnpm_key_name(version, slash_format)
    return ""


@untrusted_reader
def parse_pnpm_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """pnpm-lock.yaml v5, v6 and v9.

    Direct dependencies come from `importers:` (every workspace project) or, in single-project
    v5/v6 locks, the top-level `dependencies:`/`devDependencies:`. Edges come from the
    `dependencies:`/`optionalDependencies:` of `packages:` (v5/v6) and `snapshots:` (v9).
    `dev: true` marks a package dev-only unless another version of it is `dev: false` or
    unflagged (pnpm omits the flag for packages that are both).
    """
    try:
        tree = _yaml_tree(text)
    except PARSE_ERRORS:
        return None
    graph = DependencyGraph(sources=[rel])
    version = tree.get("lockfileVersion")
    slash_format = isinstance(version, str) and version.strip("'\"")[:1] in ("3", "4", "5")
    runtime, dev = _pnpm_direct(tree, slash_format, normalize)
    graph.direct |= runtime | dev
    graph.dev_direct |= dev - runtime
    _pnpm_add_packages(graph, tree, slash_format, normalize)
    return _finish(graph)


def _pnpm_direct(
    tree: dict[str, Any], slash_format: bool, normalize: Normalize
) -> tuple[set[str], set[str]]:
    """(runtime, dev) direct dependencies of every importer (the document itself for v5/v6
    single-project locks, plus each entry of `importers:`)."""
    importers: list[object] = [tree]
    found_importers = tree.get("importers")
    if isinstance(found_importers, dict):
        importers.extend(found_importers.values())
    runtime: set[str] = set()
    dev: set[str] = set()
    for importer in importers:
        if not isinstance(importer, dict):
            continue
        for section in ("dependencies", "optionalDependencies", "devDependencies"):
            names = _pnpm_dep_names(importer.get(section), slash_format, normalize)
            (dev if section == "devDependencies" else runtime).update(names)
    return runtime, dev


def _pnpm_add_packages(
    graph: DependencyGraph, tree: dict[str, Any], slash_format: bool, normalize: Normalize
) -> None:
    """Nodes and edges from `packages:` and `snapshots:`, and the packages only dev uses."""
    dev_seen: set[str] = set()
    prod_seen: set[str] = set()
    for section in ("packages", "snapshots"):
        block = tree.get(section)
        if not isinstance(block, dict):
            continue
        for key, entry in block.items():
            if not isinstance(entry, dict):
                entry = {}
            real = entry.get("name")
            raw = real if isinstance(real, str) and real else _pnpm_key_name(key, slash_format)
            if not raw:
                continue
            name = normalize(raw)
            graph.add_node(name)
            for dep_section in ("dependencies", "optionalDependencies"):
                for dep in _pnpm_dep_names(entry.get(dep_section), slash_format, normalize):
                    graph.add_edge(name, dep)
            if entry.get("dev") == "true":
                dev_seen.add(name)
            elif section == "packages":
                prod_seen.add(name)
    graph.dev_packages |= dev_seen - prod_seen


def _pnpm_dep_names(block: object, slash_format: bool, normalize: Normalize) -> set[str]:
    """Names in a `dependencies:` block: `name: version` or `name: {specifier, version}`.

    An alias contributes both its own name and the package it resolves to.
    """
    if not isinstance(block, dict):
        return set()
    names: set[str] = set()
    for key, value in block.items():
        if not key:
            continue
        names.add(normalize(key))
        version = value.get("version") if isinstance(value, dict) else value
        if isinstance(version, str):
            real = _pnpm_version_alias(version, slash_format)
            if real:
                names.add(normalize(real))
    return names
