"""Ruby lockfiles: Gemfile.lock / gems.locked, plus the Gemfile's groups for dev-only gems.

Why: a Rails app never `require`s `nokogiri` itself, yet it runs through `rails-html-sanitizer`
→ `loofah` → `nokogiri`. Bundler's lockfile records those edges in a fixed, indentation-based
layout that a line reader handles in one linear pass, so no Ruby is ever evaluated. The lock
does not say which gems are development-only; that comes from the Gemfile's `group` blocks
via `direct_from_gemfile`, again read as text, never executed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from secagent_tui.pipeline.sandbox.evidence.graph import (
    DependencyGraph,
    untrusted_reader,
)

Normalize = Callable[[str], str]

DEV_GROUPS = frozenset({"development", "test", "dev", "ci", "lint", "docs"})
"""Bundler group names that mean "not installed in production"."""

_SPEC_SECTIONS = frozenset({"GEM", "GIT", "PATH", "PLUGIN SOURCE"})
"""Lockfile sections whose `specs:` list gems and their dependencies."""

_GEM_CALL = re.compile(r"""^gem\s*\(?\s*["']([^"']+)["']""")
_GROUP_OPTION = re.compile(r"""\bgroups?\s*(?::|=>)\s*(\[[^\]]*\]|:\w+|["'][^"']*["'])""")
_SYMBOL = re.compile(r""":(\w+)|["'](\w+)["']""")
_BLOCK_OPENER = re.compile(r"^(if|unless|case|begin|while|until|for|def|class|module)\b")
_OPENS_DO_BLOCK = re.compile(r"\bdo\s*(\|[^|]*\|)?\s*(#.*)?$")


def parse(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """Read the Bundler lockfile at repo-relative `rel`, picking the reader by its file name."""
    if PurePosixPath(rel).name in ("Gemfile.lock", "gems.locked"):
        return parse_gemfile_lock(rel, text, normalize)
    return None


def _gem_name(line: str) -> str:
    """`    loofah (2.25.2)` / `  foo!` / `      nokogiri (>= 1.12.0)` → the gem name."""
    token = line.strip().split(" ", 1)[0]
    return token.removesuffix("!")


@untrusted_reader
def parse_gemfile_lock(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """`GEM`/`GIT`/`PATH` specs (4-space gems, 6-space dependencies) and `DEPENDENCIES`.

    Platform variants (`nokogiri (1.19.4-x86_64-linux-gnu)`) are the same gem. `dev_direct`
    stays empty and every direct gem is in `dev_unknown`: only the Gemfile knows groups, and
    merging it in (see `direct_from_gemfile`) decides them.
    """
    graph = DependencyGraph(sources=[rel])
    section = ""
    in_specs = False
    current = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            section = line.strip()
            in_specs = False
            current = ""
            continue
        indent = len(line) - len(line.lstrip(" "))
        if section == "DEPENDENCIES":
            if indent == 2:
                name = _gem_name(line)
                if name:
                    graph.direct.add(normalize(name))
                    graph.dev_unknown.add(normalize(name))
            continue
        if section not in _SPEC_SECTIONS:
            continue
        if indent == 2:
            in_specs = line.strip() == "specs:"
            current = ""
        elif in_specs and indent == 4:
            name = _gem_name(line)
            current = normalize(name) if name else ""
            graph.add_node(current)
        elif in_specs and indent == 6 and current:
            dep = _gem_name(line)
            if dep:
                graph.add_edge(current, normalize(dep))
    return None if graph.is_empty() else graph


def _groups_in(text: str) -> set[str]:
    return {(a or b).lower() for a, b in _SYMBOL.findall(text)}


def direct_from_gemfile(text: str, normalize: Normalize | None = None) -> tuple[set[str], set[str]]:
    """(all direct, dev-only direct) from a Gemfile's `gem` lines and their groups.

    A gem is dev-only when it sits in `group :development, :test do ... end` (or carries a
    `group:`/`groups:` option) and every group it is in is a dev group. Blocks are tracked
    with a do/end stack (other `do` blocks such as `platforms` and `if ... end` keep the
    enclosing groups); a gem listed both ways is runtime.
    """
    norm = normalize or (lambda name: name)
    runtime: set[str] = set()
    dev: set[str] = set()
    stack: list[set[str] | None] = []  # groups a block adds (None: a non-group block)
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line == "end" or line.startswith(("end ", "end#", "end.")):
            if stack:
                stack.pop()
            continue
        match = _GEM_CALL.match(line)
        if match:
            groups = _gem_groups(line, stack)
            name = norm(match.group(1))
            (dev if groups and groups <= DEV_GROUPS else runtime).add(name)
            if _OPENS_DO_BLOCK.search(line):
                stack.append(None)
        else:
            opens, groups_added = _block_opened_by(line)
            if opens:
                stack.append(groups_added)
    return runtime | dev, dev - runtime


def _gem_groups(line: str, stack: list[set[str] | None]) -> set[str]:
    """The groups a `gem` line is in: every enclosing group block's, plus its own option."""
    groups: set[str] = set()
    for block in stack:
        if block:
            groups |= block
    option = _GROUP_OPTION.search(line)
    if option:
        groups |= _groups_in(option.group(1))
    return groups


def _block_opened_by(line: str) -> tuple[bool, set[str] | None]:
    """Whether a line (not a `gem` line) opens a do/end block, and the groups it adds
    (None for a non-group block such as `platforms`, or `if ... end`)."""
    if line.startswith("group") and _OPENS_DO_BLOCK.search(line):
        return True, _groups_in(line[len("group") :].split(" do", 1)[0]) or None
    return bool(_OPENS_DO_BLOCK.search(line) or _BLOCK_OPENER.match(line)), None
