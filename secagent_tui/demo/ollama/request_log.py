"""One record per request the local Ollama served, and the outcome it is built from.

Tests assert on what a chat ended as even when the status was 200 (a mid-stream error
line, a cut stream, a client that hung up), so handling fills an :class:`Outcome` as it
goes and the server logs it as a :class:`RequestRecord` exactly once, before the final
write (a client that has read a whole response always finds it in the log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Outcome", "RequestRecord"]


class RequestRecord(NamedTuple):
    """One request as the server saw it.

    ``status`` is the HTTP status sent (0: connection closed without a response);
    ``error`` says what went wrong even when the status was 200 (a mid-stream error line,
    a cut stream, a client that hung up); ``timestamp`` is wall-clock arrival time and
    ``duration`` the seconds until the final write (the last chunk, or the whole body).
    """

    method: str
    path: str
    model: str | None
    status: int
    stream: bool
    timestamp: float
    duration: float
    error: str | None = None


@dataclass
class Outcome:
    """What the log records about a request, filled in as handling proceeds."""

    method: str
    path: str
    started: float
    is_chat: bool
    committed: bool = False
    status: int | None = None
    model: str | None = None
    stream: bool = False
    error: str | None = None
