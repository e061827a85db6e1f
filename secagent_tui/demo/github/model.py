"""The records the dataset holds: accounts, repositories and the advisories behind alerts.

Alerts themselves stay GitHub-shaped ``dict`` payloads (see :mod:`.alert_template`); these
dataclasses hold what GitHub keeps *around* alerts (owners, repository flags the server
obeys, an advisory shared by many alerts), so the server and the generator agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .catalogue import Weakness
from .vocabulary import AccountType

__all__ = ["Account", "Advisory", "Repo"]


@dataclass
class Account:
    """A GitHub organization or user."""

    login: str
    id: int
    type: AccountType
    name: str
    created_at: str


@dataclass
class Repo:
    """One repository and its alerts (alert number → alert payload)."""

    id: int
    owner: Account
    name: str
    private: bool
    created_at: str
    language: str | None = None
    description: str | None = None
    archived: bool = False
    #: False makes every alert endpoint of the repository answer 403 "Dependabot alerts are
    #: disabled for this repository." and hides its alerts from the organization endpoint.
    alerts_enabled: bool = True
    #: GitHub's "delegated alert dismissal": people with write access must *request* a
    #: dismissal, which a reviewer approves; a direct PATCH that dismisses is refused with
    #: 403 (reopening stays allowed).
    delegated_dismissal: bool = False
    alerts: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: The ``simple-repository`` object embedded in every alert of this repository (one shared
    #: dict, so a change such as visibility shows in every alert at once).
    simple: dict[str, Any] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.full_name}"


@dataclass
class Advisory:
    """A security advisory; the same GHSA affects many repositories, as on GitHub."""

    ghsa_id: str
    cve_id: str | None
    cwes: list[Weakness]
    severity: str
    published_at: datetime
    #: (vulnerable_version_range, first patched version or None)
    ranges: list[tuple[str, str | None]]
