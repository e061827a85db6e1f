"""One value for every owner of repositories, so no code path is written twice for users and
organizations (docs/architecture.md, "The review, item by item", #3 and #6)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OwnerKind(StrEnum):
    ORG = "org"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Owner:
    """A GitHub organization or user whose repositories' alerts are synced.

    The kind only decides how alerts are listed (one org endpoint, or the user's repositories);
    everything downstream treats both the same.
    """

    kind: OwnerKind
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", OwnerKind(self.kind))
        if not self.name or "/" in self.name or self.name.strip() != self.name:
            raise ValueError(f"invalid owner name {self.name!r}")

    def __str__(self) -> str:
        return self.name

    def owns(self, repo: str) -> bool:
        """Whether `owner/name` belongs to this owner (GitHub logins are case-insensitive)."""
        owner, slash, name = repo.partition("/")
        return bool(slash and name) and owner.lower() == self.name.lower()
