"""The ecosystems the evidence pass knows, by GitHub's words for them."""

from __future__ import annotations

from .base import Ecosystem, Hit, Loaded, NameForms
from .go import Go
from .maven import Maven
from .npm import Npm
from .pip import Pip
from .rubygems import Rubygems
from .unsupported import Unsupported

__all__ = ["SUPPORTED", "Ecosystem", "Hit", "Loaded", "NameForms", "for_alert"]

SUPPORTED: dict[str, type[Ecosystem]] = {
    "npm": Npm,
    "pip": Pip,
    "maven": Maven,
    "go": Go,
    "rubygems": Rubygems,
}
_ALIASES = {
    "pypi": "pip",
    "python": "pip",
    "golang": "go",
    "gomod": "go",
    "gem": "rubygems",
    "ruby": "rubygems",
    "bundler": "rubygems",
    "gradle": "maven",
    "cargo": "rust",
    "packagist": "composer",
    "hex": "erlang",
    "github-actions": "actions",
}


def for_alert(word: str, package: str) -> Ecosystem:
    """The module for GitHub's ecosystem word, bound to the alert's package."""
    key = word.strip().lower()
    key = _ALIASES.get(key, key)
    cls = SUPPORTED.get(key)
    if cls is not None:
        return cls(package)
    known = tuple(p for c in SUPPORTED.values() for p in c.manifest_patterns)
    return Unsupported(key, package, known)
