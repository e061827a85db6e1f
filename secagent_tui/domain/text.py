"""Payload text made safe to show on a terminal.

Package names, repository names, advisory summaries and GitHub's error messages are written
by whoever publishes a package or runs a server. Printed raw, `ESC ] 0 ; … BEL` retitles the
terminal, `ESC [ …` moves the cursor or repaints what the analyst sees, a newline breaks a
table row in two, and a right-to-left override (U+202E) makes `gpj.exe` read as `exe.jpg`.
`printable` shows each such character as an escape instead (`\\x1b`, `\\n`, `\\u202e`), so
the text stays one line, every character is still visible, and nothing is interpreted.
Machine formats (JSON, CSV) keep the data exact; this is for the human-facing ones only.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls (tab and newline included), DEL and the C1 controls (U+0080-U+009F: 0x9B is a
# one-character CSI on terminals that honour 8-bit controls); the bidirectional marks,
# embeddings, overrides and isolates; the Unicode line and paragraph separators; and lone
# surrogates, which cannot even be encoded for output.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, bidi and separator character shown as an escape.

    Linear (one character class, no backtracking) and the identity on ordinary text, which
    it returns as the same object.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escaped, text)
