"""`owner/repo#12`: how analysts name a finding on the command line and in the TUI."""

from __future__ import annotations

import re
from dataclasses import dataclass

from secagent_tui.domain.errors import SecagentError

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})"
MAX_NUMBER = 2**31 - 1
"""The largest alert number or row id the store can hold: its INTEGER columns are 32-bit on
PostgreSQL. A larger one names nothing, and the database would refuse it as an error."""

_REF = re.compile(rf"^(?P<owner>{_NAME})/(?P<repo>{_NAME})#(?P<number>[0-9]{{1,10}})$")


class RefError(ValueError, SecagentError):
    """A reference an analyst typed that is not `owner/repo#number`."""


@dataclass(frozen=True, slots=True, order=True)
class FindingRef:
    owner: str
    name: str
    number: int

    @property
    def repo(self) -> str:
        return f"{self.owner}/{self.name}"

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}#{self.number}"

    @classmethod
    def parse(cls, text: str) -> FindingRef:
        candidate = text.strip()
        match = _REF.match(candidate)
        if match is None:
            if "#" not in candidate:
                raise RefError(
                    f"bad reference {text!r}: expected owner/repo#number, e.g. acme/web#12"
                )
            repo, _, number = candidate.rpartition("#")
            if not (number.isascii() and number.isdigit()) or len(number) > 10:
                raise RefError(f"bad reference {text!r}: alert number {number!r} is not a number")
            raise RefError(f"bad reference {text!r}: repository {repo!r} is not owner/name")
        number = int(match["number"])
        if number < 1:
            raise RefError(f"bad reference {text!r}: alert numbers start at 1")
        if number > MAX_NUMBER:
            raise RefError(f"bad reference {text!r}: alert number {number} is past {MAX_NUMBER}")
        return cls(match["owner"], match["repo"], number)
