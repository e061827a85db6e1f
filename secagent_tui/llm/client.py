"""The one way secagent talks to an LLM: the official `ollama.AsyncClient`.

Before any call the model must be allowed by config and present on the server: a refusal
makes no chat request. Every call is reported to the `CallRecorder` the wiring gives the
client, with its tier, model, duration, tokens (`prompt_eval_count`/`eval_count`), outcome
and correlation id; callers that fall back on a bad answer mark the call `fallback`. The
client never writes the store itself: `llm` and `store` are peers, and the wiring joins them
(pipeline/llm_calls.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
import ollama

from secagent_tui.config import LlmConfig
from secagent_tui.domain.errors import SecagentError
from secagent_tui.logs import correlation_id, redact

_TAGS_TTL = 60.0


class ModelRefused(SecagentError):
    """The model is not allowed by config or not on the server; nothing was sent."""


class LlmError(SecagentError):
    """A chat call failed: HTTP error, error line in the stream, cut stream, timeout."""

    def __init__(self, message: str, call_id: int = 0) -> None:
        super().__init__(message)
        self.call_id = call_id


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One chat call, as reported to the recorder."""

    tier: str
    model: str
    finding_id: int | None
    started_at: datetime
    duration_ms: float
    prompt_tokens: int | None
    completion_tokens: int | None
    outcome: str  # ok | error (a caller may later mark an ok call fallback)
    error: str | None
    correlation_id: str


class CallRecorder(Protocol):
    """Where the client reports its calls; the id it returns names the call later."""

    async def record(self, call: CallRecord) -> int: ...

    async def mark_fallback(self, call_id: int, reason: str) -> None: ...


@dataclass
class ChatResult:
    content: str
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    call_id: int = 0


class LlmClient:
    def __init__(
        self, config: LlmConfig, recorder: CallRecorder, *, timeout: float | None = None
    ) -> None:
        self._recorder = recorder
        self._config = config
        self._client = ollama.AsyncClient(
            host=config.host, timeout=timeout or config.timeout_seconds
        )
        self._tags: tuple[float, set[str]] | None = None

    async def _server_models(self) -> set[str]:
        if self._tags is not None and time.monotonic() - self._tags[0] < _TAGS_TTL:
            return self._tags[1]
        try:
            listed = await self._client.list()
        except (ollama.ResponseError, httpx.HTTPError, ConnectionError) as exc:
            raise LlmError(f"cannot list models on {self._config.host}: {_short(exc)}") from exc
        names = {m.model for m in listed.models if m.model}
        self._tags = (time.monotonic(), names)
        return names

    async def ensure_model(self, model: str) -> None:
        if not self._config.is_allowed(model):
            allowed = ", ".join(self._config.allowed_models)
            raise ModelRefused(f"model {model!r} is not in llm.allowed_models ({allowed})")
        if model not in await self._server_models():
            raise ModelRefused(
                f"model {model!r} is not on the Ollama server at {self._config.host}"
            )

    async def chat(
        self,
        tier: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        model: str | None = None,
        format: Any = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
        timeout: float | None = None,
        finding_id: int | None = None,
        on_delta: Callable[[str], Awaitable[None]] | None = None,
    ) -> ChatResult:
        """One chat call. With `on_delta` the answer streams and each piece is handed over
        as it arrives (the sandbox transcript); otherwise one response is awaited."""
        model = model or self._config.model
        started_at = datetime.now(UTC)
        clock = time.perf_counter()
        try:
            await self.ensure_model(model)
        except LlmError as exc:  # the server could not even list its models
            call_id = await self._record(
                tier, model, finding_id, started_at, clock, None, "error", str(exc)
            )
            raise LlmError(str(exc), call_id) from exc
        try:
            call = (
                self._stream(model, messages, format, tools, on_delta)
                if on_delta
                else (self._once(model, messages, format, tools))
            )
            result = await asyncio.wait_for(call, timeout or self._config.timeout_seconds)
        except (
            TimeoutError,
            ollama.ResponseError,
            httpx.HTTPError,
            ConnectionError,
            LlmError,
        ) as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else _short(exc)
            call_id = await self._record(
                tier, model, finding_id, started_at, clock, None, "error", reason
            )
            raise LlmError(f"{tier} call to {model} failed: {reason}", call_id) from exc
        result.call_id = await self._record(
            tier, model, finding_id, started_at, clock, result, "ok", None
        )
        return result

    async def mark_fallback(self, call_id: int, reason: str) -> None:
        if call_id:
            await self._recorder.mark_fallback(call_id, reason)

    async def _once(self, model: str, messages: Any, format: Any, tools: Any) -> ChatResult:
        response = await self._client.chat(
            model=model, messages=list(messages), format=format, tools=tools, stream=False
        )
        return ChatResult(
            content=response.message.content or "",
            tool_calls=_tool_calls(response.message),
            prompt_tokens=response.prompt_eval_count,
            completion_tokens=response.eval_count,
        )

    async def _stream(
        self,
        model: str,
        messages: Any,
        format: Any,
        tools: Any,
        on_delta: Callable[[str], Awaitable[None]],
    ) -> ChatResult:
        result = ChatResult(content="")
        done = False
        stream = await self._client.chat(
            model=model, messages=list(messages), format=format, tools=tools, stream=True
        )
        async for chunk in stream:
            piece = chunk.message.content or ""
            if piece:
                result.content += piece
                await on_delta(piece)
            result.tool_calls.extend(_tool_calls(chunk.message))
            if chunk.done:
                done = True
                result.prompt_tokens = chunk.prompt_eval_count
                result.completion_tokens = chunk.eval_count
        if not done:
            raise LlmError("the stream ended without its final message")
        return result

    async def _record(
        self,
        tier: str,
        model: str,
        finding_id: int | None,
        started_at: datetime,
        clock: float,
        result: ChatResult | None,
        outcome: str,
        error: str | None,
    ) -> int:
        return await self._recorder.record(
            CallRecord(
                tier=tier,
                model=model,
                finding_id=finding_id,
                started_at=started_at,
                duration_ms=round((time.perf_counter() - clock) * 1000, 1),
                prompt_tokens=result.prompt_tokens if result else None,
                completion_tokens=result.completion_tokens if result else None,
                outcome=outcome,
                error=error,
                correlation_id=correlation_id() or "-",
            )
        )


def _tool_calls(message: Any) -> list[tuple[str, dict[str, Any]]]:
    calls = getattr(message, "tool_calls", None) or []
    return [(c.function.name, dict(c.function.arguments or {})) for c in calls]


def _short(exc: BaseException) -> str:
    if isinstance(exc, ollama.ResponseError):
        return f"{exc.status_code}: {exc.error}"[:300]
    text = str(exc).strip().splitlines()
    return redact(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__)[:300]
