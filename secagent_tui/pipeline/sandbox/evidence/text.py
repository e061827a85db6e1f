"""Small text helpers shared by the scan and the ecosystem modules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable


class Lines:
    """Offset → 1-based line number; the newlines are found on the first question only,
    since most files of a clone never need a line number."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines: list[int] | None = None

    def __call__(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect.bisect_left(self._newlines, offset) + 1


def alternation(items: Iterable[str]) -> str:
    """Longest first, so `lodash.template` is tried before `lodash` in one regex."""
    return "|".join(re.escape(i) for i in sorted(set(items), key=lambda s: (-len(s), s)))


def token_regex(
    words: Iterable[str], *, ignore_case: bool = True, dot_after: bool = True
) -> re.Pattern[str] | None:
    """Each word as a whole token: `lodash` must not match `my-lodash` or `lodash.template`
    (unless `dot_after`, for module paths: `yaml.load` names `yaml`)."""
    words = [w for w in set(words) if w]
    if not words:
        return None
    after = r"(?![\w\-])" if dot_after else r"(?![\w\-]|\.\w)"
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w.\-@$])(?:{alternation(words)}){after}", flags)
