"""Whether a package the code does not import is reached through one that it does.

Why per project: a repository may hold several projects (a service, a tools folder, a
monorepo's packages), each with its own lockfile. Merging them into one graph let a
dev-only path in `tools/` vouch for a production `service/` that pins the same package
without any lockfile. Here each declaring manifest is judged by the graph of its own
project: the lockfiles beside it, or the nearest ones above it (npm and yarn workspaces
lock at the root). A manifest no graph covers is a doubt.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from secagent_tui.domain.usage import Usage

from .decide import Context, decide
from .ecosystems import Ecosystem
from .graph import DependencyGraph
from .scan import Target

MAX_DEPENDENTS = 30
"""Direct dependents of a package judged in the same pass; more is a doubt."""


def _folder(rel: str) -> str:
    parent = PurePosixPath(rel).parent.as_posix()
    return "" if parent == "." else parent


def project_graphs(eco: Ecosystem, manifests: Mapping[str, str]) -> dict[str, DependencyGraph]:
    """Folder → the dependency graph its manifests and lockfiles draw."""
    by_folder: dict[str, dict[str, str]] = {}
    for rel, text in manifests.items():
        by_folder.setdefault(_folder(rel), {})[rel] = text
    graphs = {}
    for folder, texts in by_folder.items():
        graph = eco.graph(texts)
        if graph is not None:
            graphs[folder] = graph
    return graphs


def graph_for(rel: str, graphs: Mapping[str, DependencyGraph], norm: str) -> DependencyGraph | None:
    """The graph of the project a manifest belongs to: its folder's, else the nearest
    folder above it whose graph knows the package."""
    folder = _folder(rel)
    while True:
        graph = graphs.get(folder)
        if graph is not None and graph.knows(norm):
            return graph
        if not folder:
            return None
        folder = _folder(folder)


def dependents(
    eco: Ecosystem,
    manifests: Mapping[str, str],
    declaring: list[str],
    context: Context,
    reasons: list[str],
) -> list[Target]:
    """Targets for the direct dependencies through which the package can be reached, and
    the doubts (in `context`) where no graph can tell."""
    norm = eco.normalize(eco.package)
    graphs = project_graphs(eco, manifests)
    doubts: list[str] = []
    ancestors: dict[str, list[str]] = {}
    dev_only = False
    directly = {rel: eco.declares_directly(rel, manifests[rel]) for rel in declaring}
    direct_in = {_folder(rel) for rel, direct in directly.items() if direct}
    for rel, direct in directly.items():
        graph = graph_for(rel, graphs, norm)
        if graph is None:
            if not direct and _folder(rel) in direct_in:
                continue  # go.sum beside the go.mod that declares it: judged by that one
            doubts.append(_no_graph(eco, rel, direct))
            continue
        reasons.append(f"Dependency graph for {rel} read from {', '.join(graph.sources)}.")
        paths = [p for p in graph.direct_paths(norm, limit=MAX_DEPENDENTS + 1) if len(p) > 1]
        if len(paths) > MAX_DEPENDENTS:
            doubts.append(
                f"more than {MAX_DEPENDENTS} direct dependencies lead to {eco.package}; "
                "they were not all checked"
            )
            continue
        # A lockfile beside a manifest that asks for it directly: a direct dependency.
        is_direct = direct or norm in graph.direct or _folder(rel) in direct_in
        if not paths:
            if not is_direct:
                doubts.append(
                    f"the dependency graph of {rel} shows no path from a direct dependency to "
                    f"{eco.package}, so what brings it in is not known"
                )
            elif not graph.records_peers:
                doubts.append(
                    f"{', '.join(graph.sources)} records no peer dependencies, so a used "
                    f"package may still load {eco.package} as its peer"
                )
            continue
        production = [p for p in paths if p[0] not in graph.dev_direct]
        if not production:
            dev_only = True
        for path in production:
            ancestors.setdefault(path[0], path)
    if doubts:
        context.graph_doubt = "; ".join(dict.fromkeys(doubts))
    if dev_only and not ancestors:
        context.dev_only = "every dependency that brings it in is development-only"
    context.paths = list(ancestors.values())
    return [_sibling(eco, name, manifests) for name in sorted(ancestors)]


def _no_graph(eco: Ecosystem, rel: str, direct: bool) -> str:
    if direct:
        return (
            f"no dependency graph covers {rel} (no lockfile that records one), so nothing "
            f"shows that no other dependency needs {eco.package}; a direct declaration often "
            "only pins the version that another dependency uses"
        )
    return (
        f"{eco.package} is a transitive dependency ({rel} names it) and no dependency graph "
        "shows what depends on it, so a dependency the code uses may call it"
    )


def _sibling(eco: Ecosystem, package: str, manifests: Mapping[str, str]) -> Target:
    """A dependent judged like the alert's package: it learns the same manifests, and the
    manifests that declare it are declarations, not mentions."""
    sibling = eco.sibling(package)
    for rel, text in manifests.items():
        sibling.learn(rel, text)
    declared = {rel for rel, text in manifests.items() if sibling.declares(rel, text)}
    return Target(sibling, declared_in=declared)


def reach(eco: Ecosystem, targets: list[Target], context: Context) -> str | None:
    """The first path from a dependency that is (or may be) used, as a doubt."""
    used: list[str] = []
    for target in targets:
        usage, _ = decide(target, Context(incomplete=context.incomplete))
        if usage in (Usage.USED, Usage.MAYBE_USED):
            name = eco.normalize(target.eco.package)
            path = next(p for p in context.paths if p[0] == name)
            used.append(f"{' → '.join(path)} ({target.eco.package} is {usage.value})")
    context.shown_paths = used
    if not used:
        context.dev_only = context.dev_only or (
            "every dependency that brings it in is itself unused or development-only"
        )
        return None
    more = f" and {len(used) - 1} more path(s)" if len(used) > 1 else ""
    return f"it is reachable through {used[0]}{more}"
