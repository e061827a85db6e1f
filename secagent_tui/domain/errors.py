"""The one base of every error this project raises on purpose.

An error the code means to raise says what went wrong in one line an analyst can act on;
the CLI prints exactly that line and exits non-zero, the TUI shows it as one notification.
Each subclass keeps the standard base that describes its kind (`ValueError` for bad input,
`OSError` for the file system, `GithubException` for GitHub's answers), so a caller that
catches the standard kind still does. The tree is in docs/architecture.md ("Errors").
"""

from __future__ import annotations

MAX_LINE = 300


class SecagentError(Exception):
    def one_line(self) -> str:
        """The message as one line: whitespace folded, long text cut, never empty."""
        text = " ".join(str(self).split()) or type(self).__name__
        return text if len(text) <= MAX_LINE else text[: MAX_LINE - 1] + "…"
