"""Ecosystems the evidence pass cannot reason about: their manifests are named, nothing
more, and the answer is always "maybe used"."""

from __future__ import annotations

import re
from typing import ClassVar

from ..paths import matches
from .base import Ecosystem, NameForms

MANIFESTS: dict[str, tuple[str, ...]] = {
    "nuget": (
        "*.csproj",
        "*.fsproj",
        "*.vbproj",
        "packages.config",
        "packages.lock.json",
        "Directory.Packages.props",
        "Directory.Build.props",
        "*.nuspec",
        "paket.dependencies",
        "paket.lock",
    ),
    "composer": ("composer.json", "composer.lock"),
    "rust": ("Cargo.toml", "Cargo.lock"),
    "pub": ("pubspec.yaml", "pubspec.lock"),
    "swift": ("Package.swift", "Package.resolved"),
    "erlang": ("mix.exs", "mix.lock", "rebar.config", "rebar.lock"),
    "actions": (".github/workflows/*.yml", ".github/workflows/*.yaml", "action.yml", "action.yaml"),
}


class Unsupported(Ecosystem):
    supported: ClassVar[bool] = False

    def __init__(self, ecosystem: str, package: str, known: tuple[str, ...] = ()) -> None:
        super().__init__(package)
        self.word = ecosystem
        patterns = MANIFESTS.get(ecosystem)
        if patterns is None:  # an unknown word: any manifest of any ecosystem we know
            patterns = tuple(p for ps in MANIFESTS.values() for p in ps) + known
        self._patterns = patterns

    @property
    def label(self) -> str:
        return self.word or "unnamed"

    def sibling(self, package: str) -> Ecosystem:
        return Unsupported(self.word, package, self._patterns)

    def is_manifest(self, rel: str) -> bool:
        return matches(self._patterns, rel)

    def name_forms(self) -> NameForms:
        return NameForms((self.package,), certain=False, uncertain_why="unsupported")

    def forms(self) -> str:
        return repr(self.package)

    def declares(self, rel: str, text: str) -> bool:
        return (
            re.search(rf"(?<![\w.\-]){re.escape(self.package)}(?![\w\-])", text, re.I) is not None
        )
