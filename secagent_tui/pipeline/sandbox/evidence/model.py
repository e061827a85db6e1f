"""What the evidence pass hands to the pipeline, the prompt and the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from secagent_tui.domain.usage import Usage, split_location

LIST_CAP = 200
"""Longest list an Evidence carries (the document goes into an LLM prompt and the DB)."""


@dataclass(frozen=True)
class Evidence:
    """What the evidence pass found. Locations are repo-relative POSIX `path` / `path:line`."""

    ecosystem: str
    package: str
    supported: bool
    manifests: list[str]
    imports: list[str]
    vulnerable_calls: list[str]
    files_scanned: int
    files_unreadable: list[str]
    scan_complete: bool
    usage: Usage
    reasons: list[str]
    mentions: list[str] = field(default_factory=list)
    """Places outside imports that name the package: never proof of use, always a doubt."""
    loaders: list[str] = field(default_factory=list)
    """`path:line (loader)`: configuration that makes a framework load the package."""
    test_uses: list[str] = field(default_factory=list)
    """Imports, loaders and mentions under test paths: use that never runs in production."""
    computed_imports: list[str] = field(default_factory=list)
    """Imports whose module name is computed at run time: absence cannot be proven."""
    reachable_through: list[str] = field(default_factory=list)
    """Dependency paths (`requests → urllib3`) from a used direct dependency."""
    names_certain: bool = True
    """Whether the import names searched come from real metadata rather than a guess."""

    def as_json(self) -> dict[str, Any]:
        return {
            "ecosystem": self.ecosystem,
            "package": self.package,
            "supported": self.supported,
            "usage": self.usage.value,
            "scan_complete": self.scan_complete,
            "files_scanned": self.files_scanned,
            "files_unreadable": list(self.files_unreadable),
            "manifests": list(self.manifests),
            "imports": list(self.imports),
            "vulnerable_calls": list(self.vulnerable_calls),
            "mentions": list(self.mentions),
            "loaders": list(self.loaders),
            "test_uses": list(self.test_uses),
            "computed_imports": list(self.computed_imports),
            "reachable_through": list(self.reachable_through),
            "names_certain": self.names_certain,
            "reasons": list(self.reasons),
        }


def finish(items: Iterable[str], label: str, reasons: list[str]) -> list[str]:
    """Sorted (numerically by line), de-duplicated, capped at LIST_CAP; the cap is reported."""
    unique = sorted(set(items), key=split_location)
    if len(unique) > LIST_CAP:
        reasons.append(f"{label}: {len(unique)} found, only the first {LIST_CAP} are listed.")
        return unique[:LIST_CAP]
    return unique


def first(items: Iterable[str]) -> str:
    return min(items, key=split_location)
