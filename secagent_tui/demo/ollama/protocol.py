"""The responder protocol: a parsed chat request in, the model's :class:`Reply` out.

What the "model" says is decided by a responder, a callable ``ChatRequest -> Reply``, so
tests script the model's answers (and its failures) without touching HTTP; this module is
the contract both sides share, and :func:`tier_of` tells the pipeline's tiers apart by the
request's shape alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ChatRequest",
    "Predicate",
    "Reply",
    "ReplySpec",
    "Responder",
    "message_content",
    "tier_of",
]


def message_content(message: Mapping[str, Any]) -> str:
    """A wire message's ``content`` ("" when the client left it out or it is not text)."""
    content = message.get("content")
    return content if isinstance(content, str) else ""


@dataclass
class ChatRequest:
    """One ``POST /api/chat`` as the responder sees it (parsed and validated; ``model`` is
    the name as the client sent it, like the ``model`` Ollama echoes back).

    ``messages`` are the wire dicts (``role``, ``content``, optional ``tool_calls`` and
    ``tool_name``); the client drops empty fields, so ``content`` may be missing. ``raw`` is
    the whole request body, for anything not lifted into a field (``think``, ``keep_alive``).
    """

    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None
    format: Any = None
    stream: bool = True
    options: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """Every message's content, joined by newlines (what "the prompt says")."""
        return "\n".join(message_content(m) for m in self.messages)

    @property
    def user_text(self) -> str:
        """The user messages only, so rules in a system prompt cannot trigger a branch."""
        return "\n".join(message_content(m) for m in self.messages if m.get("role") == "user")

    @property
    def conversation_text(self) -> str:
        """Every non-system message's content: the transcript, without the instructions
        (whose examples, such as ``src/app.py:12``, are not findings)."""
        return "\n".join(message_content(m) for m in self.messages if m.get("role") != "system")

    @property
    def first_user(self) -> str:
        return next((message_content(m) for m in self.messages if m.get("role") == "user"), "")

    @property
    def tool_results(self) -> list[str]:
        """Contents of ``role: tool`` messages, oldest first."""
        return [message_content(m) for m in self.messages if m.get("role") == "tool"]

    @property
    def tool_names(self) -> list[str]:
        return [str((t.get("function") or {}).get("name") or "") for t in self.tools or []]

    @property
    def schema(self) -> dict[str, Any] | None:
        """The JSON schema passed as ``format``, or None (no format, or ``"json"``)."""
        return self.format if isinstance(self.format, dict) else None

    @property
    def schema_properties(self) -> set[str]:
        schema = self.schema
        props = schema.get("properties") if schema else None
        return set(props) if isinstance(props, dict) else set()

    @property
    def tier(self) -> str:
        """``extraction`` | ``triage`` | ``sandbox`` | ``chat``; see :func:`tier_of`."""
        return tier_of(self)


def tier_of(request: ChatRequest) -> str:
    """Which pipeline tier a request belongs to, from its shape alone (never its text).

    ``extraction``: ``format`` is a schema with ``is_exploitable`` (the Verdict);
    ``triage``: a schema with ``suggested_action`` or ``needs_sandbox`` (the TriageResult);
    ``sandbox``: tools are offered (the codebase agent); ``chat``: anything else.
    """
    props = request.schema_properties
    if "is_exploitable" in props:
        return "extraction"
    if props & {"suggested_action", "needs_sandbox"}:
        return "triage"
    if request.tools:
        return "sandbox"
    return "chat"


@dataclass
class Reply:
    """What the "model" answers, including the ways a real server fails.

    * ``content`` / ``tool_calls`` (each ``{"name": ..., "arguments": {...}}``): the message.
    * ``error=(status, message)``: an HTTP error with body ``{"error": message}``, before any
      byte of a stream (the client raises ``ResponseError(message, status)``).
    * ``stream_error``: when streaming, about half of the content, then an
      ``{"error": ...}`` line on the 200 response (``ResponseError``, status -1); for a
      non-streaming request, a 500 with that error, as Ollama does.
    * ``cut_stream``: close the connection after about half the chunks, without the final
      chunk (non-streaming: close without a response).
    * ``delay``: seconds before the first byte (time to first token), on top of ``latency``.
    * ``done_reason``: ``stop`` or ``length``.
    """

    content: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    error: tuple[int, str] | None = None
    stream_error: str | None = None
    cut_stream: bool = False
    delay: float = 0.0
    done_reason: str = "stop"


Responder = Callable[[ChatRequest], Reply]
ReplySpec = Reply | Callable[[ChatRequest], Reply]
Predicate = Callable[[ChatRequest], bool]
