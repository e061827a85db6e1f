"""How one repository's read ended in a sync: shown per repository in `sync` and the TUI,
stored in the sync run's figures."""

from __future__ import annotations

from enum import StrEnum


class RepoSyncStatus(StrEnum):
    OK = "ok"
    ALERTS_DISABLED = "alerts_disabled"
    """Dependabot alerts are off for the repository: nothing to read, not a failure."""
    NOT_FOUND = "not_found"
    """Gone, or the token cannot see it: nothing to read, not a failure."""
    ERROR = "error"
    PAGE_GUARD = "page_guard"
    """The read stopped at the page limit of one run; the next run goes on from there."""
