"""The one small interface every ecosystem module implements.

Why a per-ecosystem module behind one interface (in the shape of httpx's transports): the
shared scan must know no ecosystem by name, so adding one is a new module here, never an
`isinstance` in the scan. An ecosystem answers only questions about *its own* conventions:
how a package is spelled and imported, which files declare it, which configuration makes a
framework load it, which paths are its tests, and how its lockfiles draw the dependency
graph. Everything that decides usage lives in the shared code.

Every method takes repository text, which is untrusted: none may execute, import or
evaluate it, and each must stay roughly linear in the size of its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar

from ..graph import DependencyGraph
from ..paths import matches


@dataclass(frozen=True, slots=True)
class Hit:
    """One import: where it starts, and the names it binds (imported name, local name)."""

    offset: int
    bindings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Loaded:
    """Configuration that makes a framework load the package, and which loader that is."""

    offset: int
    loader: str


@dataclass(frozen=True, slots=True)
class NameForms:
    """Every spelling of the package searched as a raw mention in every file.

    `folded` terms are matched ignoring case (package names: registries fold them);
    `exact` terms keep their case (module paths: `import YAML` is not `import yaml`).
    `certain` is False when an import name is a guess, which can never prove absence.
    """

    folded: tuple[str, ...]
    exact: tuple[str, ...] = ()
    certain: bool = True
    uncertain_why: str = ""


class Ecosystem:
    """How one ecosystem names, declares, imports and locks one package."""

    name: ClassVar[str] = ""
    supported: ClassVar[bool] = True
    source_suffixes: ClassVar[frozenset[str]] = frozenset()
    """Languages whose import syntax this module parses (precision only, never coverage)."""
    source_names: ClassVar[frozenset[str]] = frozenset()
    shebang_words: ClassVar[tuple[str, ...]] = ()
    manifest_patterns: ClassVar[tuple[str, ...]] = ()
    lockfile_patterns: ClassVar[tuple[str, ...]] = ()
    test_dirs: ClassVar[frozenset[str]] = frozenset()
    """Folder names that hold this ecosystem's tests beyond the shared ones (`spec`)."""
    test_patterns: ClassVar[tuple[str, ...]] = ()
    """Path patterns of this ecosystem's tests (`src/it/*`); `*` also matches `/`."""
    bare_calls: ClassVar[bool] = False
    """Whether a call needs no parentheses (Ruby's `obj.method arg`)."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.notes: list[str] = []

    # ---- identity
    @classmethod
    def normalize(cls, name: str) -> str:
        return name.strip().lower()

    @property
    def label(self) -> str:
        """The ecosystem's word for people (an unsupported one keeps GitHub's)."""
        return self.name or "unnamed"

    def sibling(self, package: str) -> Ecosystem:
        """The same ecosystem bound to another package (a dependent in the graph)."""
        return type(self)(package)

    def name_forms(self) -> NameForms:
        raise NotImplementedError

    def forms(self) -> str:
        """The spellings searched, for the reasons."""
        raise NotImplementedError

    # ---- files
    def is_manifest(self, rel: str) -> bool:
        return matches(self.manifest_patterns, rel)

    def is_lockfile(self, rel: str) -> bool:
        return matches(self.lockfile_patterns, rel)

    def is_source(self, rel: str, text: str) -> bool:
        """Whether the file is in one of its languages: by suffix, name or `#!` line."""
        name = PurePosixPath(rel).name
        if PurePosixPath(name).suffix.lower() in self.source_suffixes:
            return True
        if name in self.source_names:
            return True
        if self.shebang_words and text.startswith("#!") and "." not in name:
            first = text[:200].split("\n", 1)[0].lower()
            return any(word in first for word in self.shebang_words)
        return False

    # ---- manifests
    def learn(self, rel: str, text: str) -> None:
        """See every manifest before the scan (npm aliases, Gemfile groups and options)."""

    def declares(self, rel: str, text: str) -> bool:
        """Whether this manifest or lockfile names the package as a dependency."""
        raise NotImplementedError

    def declares_directly(self, rel: str, text: str) -> bool:
        """Whether the project itself asks for it here (not only a lockfile's resolution)."""
        return not self.is_lockfile(rel) and self.declares(rel, text)

    def manifest_mentions(self, rel: str, text: str) -> list[int]:
        """Offsets in a declaring manifest that name it *outside* a declaration (scripts)."""
        return []

    def manifest_loaders(self, rel: str, text: str) -> list[Loaded]:
        """Loaders inside a manifest that declares it (a console entry point in pyproject);
        `loaders` is not asked there, since a declaration is not a load."""
        return []

    def direct_declarations(self, rel: str, text: str) -> tuple[set[str], set[str]] | None:
        """(every direct dependency, the development-only ones) a project manifest such as
        package.json declares; None for a file that is no such manifest."""
        return None

    def lockfile_graph(self, rel: str, text: str) -> DependencyGraph | None:
        """The graph one file draws (a lockfile, a pip-compile output), or None."""
        return None

    def graph(self, manifests: Mapping[str, str]) -> DependencyGraph | None:
        """The dependency graph the lockfiles among `manifests` draw, with the direct
        dependencies the project manifests declare; None when no file holds a graph.

        A name is development-only when every manifest declaring it says so: one that asks
        for it at run time wins, because a wrong "dev" could dismiss a live alert."""
        graphs: list[DependencyGraph] = []
        prod: set[str] = set()
        dev: set[str] = set()
        for rel, text in manifests.items():
            declared = self.direct_declarations(rel, text)
            if declared is not None:
                every, dev_only = declared
                prod |= every - dev_only
                dev |= dev_only
                continue
            parsed = self.lockfile_graph(rel, text)
            if parsed is not None:
                graphs.append(parsed)
        if not graphs:
            return None
        merged = graphs[0]
        for other in graphs[1:]:
            merged = merged.merge(other)
        merged.direct |= prod | dev
        merged.dev_direct = (merged.dev_direct | dev) - prod
        return merged

    # ---- code
    def find_imports(self, rel: str, text: str) -> list[Hit]:
        """Imports in a source file of this ecosystem's languages."""
        return []

    def computed_imports(self, rel: str, text: str) -> list[int]:
        """Imports whose module is computed at run time (`import_module(x)`)."""
        return []

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        """Configuration in any file that makes a framework load the package."""
        return []

    def loader_needles(self) -> tuple[str, ...]:
        """Substrings (lower case) of files whose loaders may name the package without
        spelling it (`jdbc:`, `Bundler.require`); files with none are not asked."""
        return ()

    def runtime_doubt(self) -> str | None:
        """Why it may be used without any import or mention (a driver loaded by URL)."""
        return None
