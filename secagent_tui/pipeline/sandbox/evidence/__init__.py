"""Deterministic evidence: does a repository use a vulnerable dependency?

Why this exists (docs/architecture.md, "The evidence rule", "Auto-dismiss"):
an LLM verdict alone must never dismiss an alert, because text planted in a repository or an
advisory can talk a model into anything. An automatic dismissal also needs this pass to say
`not_used` (or `test_only`, or `manifest_gone`), so it is built to be wrong only in the safe
direction. "Not used" is proven only when:

- every regular file of the clone was read as text (no folder skipped by name, no suffix
  list: only provably opaque binaries are left out), and none could not be read;
- the package's import names come from real metadata, not a guess;
- no import, loader or mention of any of its name forms exists outside the manifests that
  declare it, and no import anywhere computes its module name at run time;
- for a package that the code does not import, the lockfile's dependency graph shows that
  nothing the code uses depends on it.

Anything short of that is `maybe_used`, with a sentence in `reasons` saying why. Use found
only under test paths is `test_only`. Repository files are untrusted input: they are only
ever read as text, never executed or imported (`safe_open`).

Layout: `scan` (one pass, no ecosystem named), `decide` (the rules above), `ecosystems/`
(one module per ecosystem behind `ecosystems.base.Ecosystem`), `lockfiles/` and `graph`
(dependency graphs), `names` (import-name tables from `data/`), `walk`, `reading`, `model`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from secagent_tui.domain.usage import Usage

from . import reach
from .calls import Vulnerable
from .decide import Context, decide
from .ecosystems import SUPPORTED, Ecosystem, for_alert
from .model import LIST_CAP, Evidence, finish
from .reading import read_text
from .scan import ScanResult, Target, scan
from .walk import Tree, missing_submodules, walk

__all__ = ["LIST_CAP", "SUPPORTED_ECOSYSTEMS", "Evidence", "Usage", "collect_evidence"]

SUPPORTED_ECOSYSTEMS = frozenset(SUPPORTED)


def collect_evidence(
    root: Path,
    ecosystem: str,
    package: str,
    vulnerable_functions: Sequence[str] = (),
    *,
    manifest_path: str | None = None,
    max_file_bytes: int = 32_000_000,
    max_files: int = 100_000,
) -> Evidence:
    """Read the clone at `root` as text and decide whether `package` is used.

    `ecosystem` and `package` are GitHub's words (`npm`/`lodash`, `pip`/`PyYAML`,
    `maven`/`org.yaml:snakeyaml`, `go`/`golang.org/x/net`, `rubygems`/`activesupport`);
    `manifest_path` is the alert's. `max_files` bounds the files read (and, times ten, the
    directory entries walked); hitting either bound makes the answer `maybe_used`.
    """
    root = Path(root).resolve(strict=True)
    if not root.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    package = package.strip()
    if not package:
        raise ValueError("package name is empty")
    eco = for_alert(ecosystem, package)
    tree = walk(root, max_entries=max_files * 10)
    tree.incomplete.extend(missing_submodules(root, max_file_bytes))
    reasons: list[str] = []
    manifest_texts = _manifests(eco, tree, max_file_bytes, reasons)
    for rel, text in manifest_texts.items():
        eco.learn(rel, text)
    declaring = sorted(rel for rel, text in manifest_texts.items() if eco.declares(rel, text))
    if not eco.supported:
        return _unsupported(eco, declaring, reasons)

    primary = Target(eco, declared_in=set(declaring))
    context = Context(incomplete=list(tree.incomplete), declared=bool(declaring))
    dependents = reach.dependents(eco, manifest_texts, declaring, context, reasons)
    if manifest_path and not declaring and _gone(eco, tree, root, manifest_path):
        context.manifest_gone = manifest_path

    files = tree.files
    if len(files) > max_files:
        context.incomplete.append(
            f"{len(files)} files exceed the {max_files}-file limit; "
            f"{len(files) - max_files} were not read"
        )
        files = files[:max_files]
    vulnerable = Vulnerable.parse(vulnerable_functions)
    result, calls = scan(
        files,
        [primary, *dependents],
        vulnerable,
        max_file_bytes=max_file_bytes,
        aliases=tree.aliases,
    )
    result.unreadable.update(tree.blocked)
    if result.unreadable:
        first_rel = min(result.unreadable)
        context.incomplete.append(
            f"{len(result.unreadable)} file(s) could not be read completely, e.g. {first_rel} "
            f"{result.unreadable[first_rel]}"
        )
    if dependents:
        doubt = reach.reach(eco, dependents, context)
        if doubt:
            context.graph_doubt = "; ".join(filter(None, [context.graph_doubt, doubt]))

    usage, head = decide(primary, context)
    notes = _notes(primary, tree, result, usage, context, calls, vulnerable)
    caps: list[str] = []
    return Evidence(
        ecosystem=eco.name,
        package=package,
        supported=True,
        manifests=finish(declaring, "manifests", caps),
        imports=finish(primary.imports, "imports", caps),
        vulnerable_calls=finish(calls, "vulnerable_calls", caps),
        files_scanned=result.files_read,
        files_unreadable=finish(result.unreadable, "files_unreadable", caps),
        scan_complete=not context.incomplete,
        usage=usage,
        reasons=head + notes + reasons + caps,
        mentions=finish(primary.mentions, "mentions", caps),
        loaders=finish(primary.loaders, "loaders", caps),
        test_uses=finish(primary.test_uses, "test_uses", caps),
        computed_imports=finish(primary.computed, "computed_imports", caps),
        reachable_through=finish(context.shown_paths, "reachable_through", caps),
        names_certain=primary.forms.certain,
    )


def _manifests(
    eco: Ecosystem, tree: Tree, max_file_bytes: int, reasons: list[str]
) -> dict[str, str]:
    texts: dict[str, str] = {}
    for rel, path in tree.files:
        if not eco.is_manifest(rel):
            continue
        read = read_text(path, max_file_bytes)
        if read.text is None:
            reasons.append(f"Manifest {rel} {read.why}; it was not checked.")
        else:
            texts[rel] = read.text
    return texts


def _gone(eco: Ecosystem, tree: Tree, root: Path, manifest_path: str) -> bool:
    """Whether the alert's manifest is gone with the package (the caller knows nothing
    declares it any more). Its folder may keep other manifests: a lockfile there or at a
    workspace root above lists every package the project installs, so its silence settles it
    (poetry.lock replaced by uv.lock); a bare package.json left after its lockfile was
    deleted does not, since the packages it asks for still bring their dependencies in."""
    rel = manifest_path.strip().lstrip("/")
    if not rel or ".." in Path(rel).parts or os.path.lexists(root / rel):
        return False
    folder = PurePosixPath(rel).parent
    left = [
        other
        for other, _ in tree.files
        if PurePosixPath(other).parent == folder and eco.is_manifest(other)
    ]
    # A workspace locks its members at its root (uv, npm, yarn, pnpm, Cargo-like layouts).
    above = {folder, *folder.parents}
    locked = any(
        PurePosixPath(other).parent in above and eco.is_lockfile(other) for other, _ in tree.files
    )
    return not left or locked


def _notes(
    target: Target,
    tree: Tree,
    result: ScanResult,
    usage: Usage,
    context: Context,
    calls: list[str],
    vulnerable: Vulnerable,
) -> list[str]:
    notes = list(target.eco.notes) + tree.notes
    if usage is Usage.USED and context.incomplete:
        notes.append(
            f"The scan was incomplete ({'; '.join(context.incomplete)}); that cannot undo a "
            "found import."
        )
    if target.test_uses and usage is not Usage.TEST_ONLY:
        notes.append(
            f"Tests use it too: {len(set(target.test_uses))} place(s), e.g. "
            f"{min(target.test_uses)}."
        )
    if target.test_computed:
        notes.append(
            f"{len(set(target.test_computed))} computed import(s) in tests only (e.g. "
            f"{min(target.test_computed)}): they cannot load it in production."
        )
    if result.opaque:
        kinds = ", ".join(f"{kind} ({n})" for kind, n in sorted(result.opaque.items()))
        notes.append(f"Binary files with no readable names were not searched: {kinds}.")
    if calls:
        notes.append(
            f"{len(set(calls))} call(s) of the advisory's vulnerable functions "
            f"({', '.join(sorted(vulnerable.shorts))}) found, first at {min(calls)}."
        )
    elif vulnerable:
        names = ", ".join(sorted(vulnerable.shorts))
        notes.append(
            f"No call of the advisory's vulnerable functions ({names}) was found; calls "
            "through other names cannot be ruled out."
        )
    return notes


def _unsupported(eco: Ecosystem, manifests: list[str], reasons: list[str]) -> Evidence:
    label = eco.label
    head = [
        f"The {label} ecosystem is not supported by the evidence pass, so no source was "
        "scanned and usage cannot be proven either way: maybe_used."
    ]
    if manifests:
        head.append(f"{eco.package} is named in {len(manifests)} manifest(s), e.g. {manifests[0]}.")
    listed = finish(manifests, "manifests", reasons)
    return Evidence(
        ecosystem=label,
        package=eco.package,
        supported=False,
        manifests=listed,
        imports=[],
        vulnerable_calls=[],
        files_scanned=0,
        files_unreadable=[],
        scan_complete=False,
        usage=Usage.MAYBE_USED,
        reasons=head + reasons,
        names_certain=False,
    )
