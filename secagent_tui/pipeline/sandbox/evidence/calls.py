"""Call sites of the advisory's vulnerable functions, for the analyst and the agent.

Calls never decide usage (an import does); they say where to look first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .text import Lines, alternation


@dataclass(frozen=True)
class Vulnerable:
    """Call-site patterns of the advisory's vulnerable functions."""

    shorts: frozenset[str]  # `template` from `_.template` / `lodash.template`
    qualified: frozenset[str]  # `_.template`, `Yaml.load`: specific enough to search anywhere

    @classmethod
    def parse(cls, functions: Sequence[str]) -> Vulnerable:
        shorts: set[str] = set()
        qualified: set[str] = set()
        for raw in functions:
            parts = [p for p in re.split(r"[.#/:]+|::", raw.strip().removesuffix("()")) if p]
            parts = [p for p in parts if re.fullmatch(r"[\w$]+", p)]
            if not parts:
                continue
            shorts.add(parts[-1])
            if len(parts) >= 2:
                qualified.add(f"{parts[-2]}.{parts[-1]}")
        return cls(frozenset(shorts), frozenset(qualified))

    def __bool__(self) -> bool:
        return bool(self.shorts)

    @staticmethod
    def call_regex(names: Iterable[str], ruby: bool = False) -> re.Pattern[str] | None:
        names = set(names)
        if not names:
            return None
        alt = alternation(names)
        # `name(` and `.name(`, not a definition. Ruby calls need no parentheses.
        pattern = rf"(?<![\w$])(?<!def )(?<!function )(?:{alt})\s*\("
        if ruby:
            pattern += rf"|\.(?:{alt})\b(?!\s*=[^=])"
        return re.compile(pattern)

    def qualified_regex(self) -> re.Pattern[str] | None:
        if not self.qualified:
            return None
        return re.compile(rf"(?<![\w$.])(?:{alternation(self.qualified)})\s*\(")

    def aliases(self, bindings: Iterable[tuple[str, str]]) -> set[str]:
        """Local names bound to a vulnerable function (`{ template as t }`, subpath default)."""
        return {local for imported, local in bindings if imported in self.shorts}


def calls_in(regex: re.Pattern[str] | None, text: str, rel: str, lines: Lines) -> list[str]:
    return [] if regex is None else [f"{rel}:{lines(m.start())}" for m in regex.finditer(text)]
