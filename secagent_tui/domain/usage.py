"""The evidence pass's answer to "does this repository use the package?", as one value.

Why an enum in `domain/`: the auto-dismiss policy acts on it, the evidence pass produces it,
the TUI and the JSON show it. A bare string let a typo (`"not used"`) silently mean "no
support"; here the words are fixed and the policy can ask what a value *allows*.
"""

from __future__ import annotations

from enum import StrEnum


class Usage(StrEnum):
    NOT_USED = "not_used"
    """Proven: every text file read, import names known, no mention, no path from a used
    dependency. The only production-side answer that lets automation dismiss."""
    MAYBE_USED = "maybe_used"
    """Not proven either way; blocks automation and costs an analyst a look."""
    USED = "used"
    """An import, or a framework loader, in production code."""
    TEST_ONLY = "test_only"
    """Use found only under test paths: its code never runs in production."""
    MANIFEST_GONE = "manifest_gone"
    """The alert's manifest no longer exists in the default branch and nothing else
    declares the package: the alert is stale (GitHub's `inaccurate`)."""

    @classmethod
    def parse(cls, value: object) -> Usage | None:
        """A stored evidence document's word, or None for a missing or unknown one."""
        try:
            return cls(str(value)) if value is not None else None
        except ValueError:
            return None

    @property
    def settles(self) -> bool:
        """Whether the evidence alone says the vulnerable code never runs in production."""
        return self in (Usage.NOT_USED, Usage.TEST_ONLY, Usage.MANIFEST_GONE)


def split_location(loc: str) -> tuple[str, int]:
    """An evidence location, `path:line` with an optional trailing `(note)` (`(loader)`),
    as its path and line; a location without a line is all path, line 0. The evidence pass
    sorts by it and the SARIF export points at it."""
    loc = loc.split(" (", 1)[0]
    path, _, line = loc.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return loc, 0
