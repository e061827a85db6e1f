"""``POST /api/chat``: check the request, ask the responder, answer whole or streamed.

Ollama streams by default (NDJSON, ``done:false`` chunks then one ``done:true`` line with
``done_reason`` and the metrics) and answers one object for ``"stream": false``; tool calls
come back in ``message.tool_calls[].function`` with ``arguments`` an object. The client's
parsing of all of it is under test, so the shapes are Ollama's. Token counts are
deterministic stand-ins: characters // 4 (at least 1) of the prompt and of the reply.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .endpoints import BadRequest, json_bytes, known_model, parse_body, send_json
from .faults import fails_stream, fails_whole, refused, streamed_share
from .handler import OllamaHandler
from .protocol import ChatRequest, Reply, message_content
from .request_log import Outcome

if TYPE_CHECKING:
    from .server import OllamaServer

__all__ = ["chat", "split_stream"]

#: The most content lines one streamed reply is split into.
MAX_STREAM_CHUNKS = 400


def chat(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    """The chat endpoint (a responder exception propagates: the server answers 500)."""
    request = _chat_request(server, parse_body(body), o)
    server.record_chat(request)
    responder = server.responder
    started_ns = time.perf_counter_ns()
    reply = responder(request)
    if reply.delay > 0:
        time.sleep(reply.delay)
    if refused(h, o, reply):
        return
    tool_calls = _tool_calls(server, reply)
    metrics = _Metrics.count(request.messages, reply, tool_calls, started_ns)
    if o.stream:
        _answer_stream(h, o, request, reply, tool_calls, metrics)
    else:
        _answer_whole(h, o, request, reply, tool_calls, metrics)


def _chat_request(server: OllamaServer, data: dict[str, Any], o: Outcome) -> ChatRequest:
    """The checked request (``stream`` and ``model`` recorded in ``o`` as they are read)."""
    stream = data.get("stream")
    o.stream = True if stream is None else bool(stream)
    model = known_model(server, data, o, "model")
    messages = data.get("messages") or []
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise BadRequest(400, "json: cannot unmarshal messages into []api.Message")
    tools = data.get("tools")
    if tools is not None and not isinstance(tools, list):
        raise BadRequest(400, "json: cannot unmarshal tools into []api.Tool")
    return ChatRequest(
        model=model,
        messages=messages,
        tools=tools or None,
        format=data.get("format") or None,
        stream=o.stream,
        options=data.get("options"),
        raw=data,
    )


def _tool_calls(server: OllamaServer, reply: Reply) -> list[dict[str, Any]]:
    """The reply's tool calls as Ollama sends them, each with a fresh id."""
    return [
        {
            "id": server.next_tool_call_id(),
            "function": {
                "index": i,
                "name": call["name"],
                "arguments": dict(call.get("arguments") or {}),
            },
        }
        for i, call in enumerate(reply.tool_calls)
    ]


@dataclass(frozen=True)
class _Metrics:
    """The final line's counters; durations are stand-ins, except that the total is at
    least the real time since the responder was asked."""

    done_reason: str
    prompt_tokens: int
    eval_tokens: int
    started_ns: int

    @classmethod
    def count(
        cls,
        messages: list[dict[str, Any]],
        reply: Reply,
        tool_calls: list[dict[str, Any]],
        started_ns: int,
    ) -> _Metrics:
        prompt_chars = sum(
            len(message_content(m))
            + (len(json.dumps(m["tool_calls"])) if m.get("tool_calls") else 0)
            for m in messages
        )
        reply_chars = len(reply.content) + (len(json.dumps(tool_calls)) if tool_calls else 0)
        return cls(
            reply.done_reason, max(1, prompt_chars // 4), max(1, reply_chars // 4), started_ns
        )

    def done(self) -> dict[str, Any]:
        """The ``done: true`` fields, timed now."""
        load, prompt_ns = 1_000_000, self.prompt_tokens * 50_000
        eval_ns = self.eval_tokens * 5_000_000
        elapsed = time.perf_counter_ns() - self.started_ns
        return {
            "done_reason": self.done_reason,
            "done": True,
            "total_duration": max(elapsed, load + prompt_ns + eval_ns),
            "load_duration": load,
            "prompt_eval_count": self.prompt_tokens,
            "prompt_eval_duration": prompt_ns,
            "eval_count": self.eval_tokens,
            "eval_duration": eval_ns,
        }


def _now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _answer_whole(
    h: OllamaHandler,
    o: Outcome,
    request: ChatRequest,
    reply: Reply,
    tool_calls: list[dict[str, Any]],
    metrics: _Metrics,
) -> None:
    """``"stream": false``: one JSON object with the message and the metrics."""
    if fails_whole(h, o, reply):
        return
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    payload = {"model": request.model, "created_at": _now_rfc3339(), "message": message}
    send_json(h, 200, {**payload, **metrics.done()})


def _chunk(request: ChatRequest, message: dict[str, Any], **extra: Any) -> bytes:
    obj = {"model": request.model, "created_at": _now_rfc3339(), "message": message}
    return json_bytes({**obj, **extra}) + b"\n"


def _answer_stream(
    h: OllamaHandler,
    o: Outcome,
    request: ChatRequest,
    reply: Reply,
    tool_calls: list[dict[str, Any]],
    metrics: _Metrics,
) -> None:
    """NDJSON: the content in pieces, the tool calls, then the ``done`` line."""
    pieces = streamed_share(reply, split_stream(reply.content))
    h.start_chunked(200, "application/x-ndjson")
    for piece in pieces:
        h.write_chunk(_chunk(request, {"role": "assistant", "content": piece}, done=False))
    if fails_stream(h, o, reply):
        return
    if tool_calls:
        msg = {"role": "assistant", "content": "", "tool_calls": tool_calls}
        h.write_chunk(_chunk(request, msg, done=False))
    h.write_chunk(_chunk(request, {"role": "assistant", "content": ""}, **metrics.done()))
    h.end_chunked()


def split_stream(content: str) -> list[str]:
    """Token-like pieces (a word with its leading whitespace), merged so that a long reply
    is at most :data:`MAX_STREAM_CHUNKS` lines; concatenated they are exactly ``content``."""
    if not content:
        return []
    words = re.findall(r"\s*\S+|\s+", content)
    per = max(1, -(-len(words) // MAX_STREAM_CHUNKS))
    return ["".join(words[i : i + per]) for i in range(0, len(words), per)]
