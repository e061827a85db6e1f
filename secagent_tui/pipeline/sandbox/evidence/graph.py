"""Dependency graphs read from lockfiles, for deciding whether a transitive package is reachable.

Why this exists: an import scan can prove that a repository's code never imports `urllib3`, yet
the app is still exposed when it imports `requests`. A package the code never imports is only
"not used" when every package that depends on it, up to the project's direct dependencies, is
itself unused or development-only. Answering that needs the edges a lockfile records.

The graph is deliberately name-level (versions are dropped): two versions of one package in a
lockfile are one node, so an edge from either counts. That can only add paths, which errs
towards "maybe used" (the safe direction for an auto-dismissal).

Lockfiles are untrusted input. The graph itself does no parsing; its traversals are iterative
and bounded by the number of nodes, so a cyclic or enormous graph cannot recurse or loop.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Reader = Callable[[str, str, Callable[[str], str]], "DependencyGraph | None"]

PARSE_ERRORS: tuple[type[Exception], ...] = (
    ValueError,  # includes json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeError
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
)
"""What reading a garbage lockfile can raise; MemoryError and the like are left to propagate."""


def untrusted_reader(reader: Reader) -> Reader:
    """Make a lockfile reader return None instead of raising on input it did not foresee.

    The readers type-check what they read, but lockfile text comes from arbitrary public
    repositories and one unforeseen shape must cost one file's graph, not the whole
    evidence pass.
    """

    @functools.wraps(reader)
    def guarded(rel: str, text: str, normalize: Callable[[str], str]) -> DependencyGraph | None:
        try:
            return reader(rel, text, normalize)
        except PARSE_ERRORS:
            return None

    return guarded


@dataclass
class DependencyGraph:
    """What one or more lockfiles say about who depends on whom.

    `edges` maps a normalized package name to the normalized names it depends on. `direct` is
    what the project itself declares (any group); `dev_direct` the subset of `direct` that is
    development/test-only. `dev_packages` are packages the lockfile itself flags dev-only (npm
    `"dev": true`, pnpm `dev: true`, poetry `category = "dev"`); it may be empty when the
    format carries no such flag. `dev_unknown` are names in `direct` whose dev/production
    status this source cannot tell (Gemfile.lock's `DEPENDENCIES` has no groups): on its own
    such a name counts as production, but in a merge it does not outvote a manifest that
    says "dev".
    """

    sources: list[str] = field(default_factory=list)
    edges: dict[str, set[str]] = field(default_factory=dict)
    direct: set[str] = field(default_factory=set)
    dev_direct: set[str] = field(default_factory=set)
    dev_packages: set[str] = field(default_factory=set)
    dev_unknown: set[str] = field(default_factory=set)
    records_peers: bool = True
    """Whether the format records peer and optional edges (yarn v1 and package-lock v1 do
    not): without them, a direct dependency with no dependent may still be the peer that a
    used package loads."""

    def add_node(self, name: str) -> None:
        """Record a package even when it has no dependencies, so `knows` sees it."""
        if name:
            self.edges.setdefault(name, set())

    def add_edge(self, source: str, target: str) -> None:
        """Record `source` depends on `target`; empty names (garbage lines) are dropped."""
        if not source or not target or source == target:
            self.add_node(source)
            return
        self.edges.setdefault(source, set()).add(target)

    def is_empty(self) -> bool:
        """A parser that found nothing returns None rather than an empty graph."""
        return not self.edges and not self.direct

    def nodes(self) -> set[str]:
        """Every name the graph mentions: sources, targets and direct dependencies."""
        names = set(self.edges)
        for targets in self.edges.values():
            names.update(targets)
        names.update(self.direct)
        return names

    def knows(self, name: str) -> bool:
        """Whether the graph has anything to say about `name`.

        A package the graph does not know must not be called unreachable: absence from the
        lockfile means the graph is incomplete, not that nothing depends on it.
        """
        if name in self.edges or name in self.direct:
            return True
        return any(name in targets for targets in self.edges.values())

    def merge(self, other: DependencyGraph) -> DependencyGraph:
        """Union of two graphs (several lockfiles, or a lockfile plus its manifest).

        A name stays dev-only only if no graph declares it as a production dependency: one
        manifest saying "runtime" outweighs another saying "dev", because a wrong "dev" could
        dismiss a live alert. A name in a graph's `dev_unknown` is no such declaration.
        Likewise a graph that carries dev flags is authoritative for the names it knows: a
        name it does not flag dev is taken as production.
        """
        edges: dict[str, set[str]] = {name: set(targets) for name, targets in self.edges.items()}
        for name, targets in other.edges.items():
            edges.setdefault(name, set()).update(targets)
        prod_direct = self._declared_production() | other._declared_production()
        dev_direct = (self.dev_direct | other.dev_direct) - prod_direct
        dev_unknown = (self.dev_unknown | other.dev_unknown) - prod_direct - dev_direct
        dev_packages = self.dev_packages | other.dev_packages
        for graph in (self, other):
            if graph.dev_packages:
                dev_packages -= graph.nodes() - graph.dev_packages
        sources = list(dict.fromkeys([*self.sources, *other.sources]))
        return DependencyGraph(
            sources=sources,
            edges=edges,
            direct=self.direct | other.direct,
            dev_direct=dev_direct,
            dev_packages=dev_packages,
            dev_unknown=dev_unknown,
            # Lockfiles of one project: if one records peers, the merge has their edges.
            records_peers=self.records_peers or other.records_peers,
        )

    def _declared_production(self) -> set[str]:
        return self.direct - self.dev_direct - self.dev_unknown

    def _reversed(self) -> dict[str, set[str]]:
        """Dependents of each name; rebuilt per query because `edges` is a mutable dict."""
        reverse: dict[str, set[str]] = {}
        for name, targets in self.edges.items():
            for target in targets:
                reverse.setdefault(target, set()).add(name)
        return reverse

    def direct_paths(self, target: str, limit: int = 20) -> list[list[str]]:
        """Shortest paths direct → … → target, at most one per distinct direct ancestor.

        Each path starts at a direct dependency and ends at `target` (a direct `target` gives
        the one-element path `[target]`). Breadth-first over reversed edges with a visited
        set, so cycles terminate and each direct ancestor is reached first by a shortest path;
        the search continues through direct nodes because a direct dependency can also sit
        below another one. At most `limit` paths, nearest ancestors first, ties by name.
        """
        if limit <= 0:
            return []
        reverse = self._reversed()
        toward_target: dict[str, str | None] = {target: None}
        queue: deque[str] = deque([target])
        paths: list[list[str]] = []
        while queue and len(paths) < limit:
            node = queue.popleft()
            if node in self.direct:
                path = [node]
                step = toward_target[node]
                while step is not None:
                    path.append(step)
                    step = toward_target[step]
                paths.append(path)
            for dependent in sorted(reverse.get(node, ())):
                if dependent not in toward_target:
                    toward_target[dependent] = node
                    queue.append(dependent)
        return paths

    def direct_ancestors(self, target: str) -> set[str]:
        """Every direct dependency that (transitively) depends on `target`, itself included."""
        reverse = self._reversed()
        seen = {target}
        queue: deque[str] = deque([target])
        while queue:
            node = queue.popleft()
            for dependent in reverse.get(node, ()):
                if dependent not in seen:
                    seen.add(dependent)
                    queue.append(dependent)
        return seen & self.direct
