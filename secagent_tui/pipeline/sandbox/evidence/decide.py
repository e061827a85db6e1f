"""From what the scan found to one `Usage`, with the sentences that say why.

The order is the asymmetry of docs/architecture.md, "The evidence rule": use in production wins;
then any doubt makes the answer "maybe used"; only with no doubt left can test-only use,
a stale manifest or "not used" be said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from secagent_tui.domain.usage import Usage

from .model import first
from .scan import Target


@dataclass
class Context:
    """What the rest of the pass knows about a target, beyond its scan."""

    incomplete: list[str] = field(default_factory=list)
    declared: bool = True
    manifest_gone: str | None = None  # the alert's manifest path, when it no longer exists
    graph_doubt: str | None = None  # a transitive package's path from a used dependency
    dev_only: str | None = None  # why every path to it is development-only
    paths: list[list[str]] = field(default_factory=list)  # direct → … → package
    shown_paths: list[str] = field(default_factory=list)  # paths from used dependencies


def doubts(target: Target, context: Context) -> list[str]:
    """Everything that stops "not used" from being proven, each as a clause."""
    eco = target.eco
    found = [f"the scan is incomplete: {why}" for why in context.incomplete]
    if not target.forms.certain and target.forms.uncertain_why:
        found.append(target.forms.uncertain_why)
    if target.computed:
        found.append(
            f"{len(set(target.computed))} computed import(s) whose module is chosen at run "
            f"time, e.g. {first(target.computed)}"
        )
    if target.mentions:
        found.append(
            f"it is named in {len(set(target.mentions))} place(s) outside its declarations, "
            f"e.g. {first(target.mentions)}: it may run as a program or be loaded by name"
        )
    runtime = eco.runtime_doubt()
    if runtime:
        found.append(runtime.rstrip("."))
    if context.graph_doubt:
        found.append(context.graph_doubt)
    if not context.declared and context.manifest_gone is None:
        found.append(
            "no manifest or lockfile names it, so the name forms searched may not be the "
            "ones this repository uses"
        )
    if not target.sources and not target.test_uses and context.manifest_gone is None:
        found.append(
            f"no {eco.name} source file exists, so the package can only be used as a "
            "program or by other dependencies, which imports cannot show"
        )
    return found


def decide(target: Target, context: Context) -> tuple[Usage, list[str]]:
    package = target.eco.package
    uses = target.imports + target.loaders
    if uses:
        if target.imports:
            head = (
                f"{package} is imported: {len(set(target.imports))} import(s) found "
                f"({target.eco.forms()}), first at {first(target.imports)}."
            )
        else:
            head = f"{package} is loaded by configuration: {first(target.loaders)}."
        if target.imports and target.loaders:
            head += f" Also loaded by configuration: {first(target.loaders)}."
        return Usage.USED, [head]
    stale = context.manifest_gone is not None and not context.incomplete
    if stale and not target.mentions and not target.computed:
        return Usage.MANIFEST_GONE, [
            f"The alert's manifest {context.manifest_gone} no longer exists in the default "
            f"branch and no other manifest declares {package}: the alert is stale "
            "(GitHub's 'inaccurate')."
        ]
    found = doubts(target, context)
    if found:
        return Usage.MAYBE_USED, [
            f"No import of {package} found in production code ({target.eco.forms()}), but "
            "not_used is not proven: " + "; ".join(found) + "."
        ]
    if target.test_uses:
        return Usage.TEST_ONLY, [
            f"{package} is used only by tests: {len(set(target.test_uses))} place(s), e.g. "
            f"{first(target.test_uses)}; its code never runs in production."
        ]
    why = context.dev_only or "nothing that the code uses depends on it"
    return Usage.NOT_USED, [
        f"Not used: every text file of the repository was read and none imports, loads or "
        f"names {package} ({target.eco.forms()}); {why}."
    ]
