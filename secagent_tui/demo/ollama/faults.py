"""How a failing :class:`Reply` goes on the wire, as a real Ollama fails.

The pipeline must survive an HTTP error before any byte, an ``{"error": ...}`` line in the
middle of a 200 stream (the client raises ``ResponseError`` with status -1), and a
connection cut before ``done``; a test asks for one by the reply it scripts, and these
functions are the only place that turns that wish into bytes (or their absence).
"""

from __future__ import annotations

from .endpoints import json_bytes, send_json
from .handler import OllamaHandler
from .protocol import Reply
from .request_log import Outcome

__all__ = ["fails_stream", "fails_whole", "refused", "streamed_share"]

_CUT = "connection cut"


def refused(h: OllamaHandler, o: Outcome, reply: Reply) -> bool:
    """``reply.error``: the HTTP error, before any byte of an answer. Whether it was sent."""
    if reply.error is None:
        return False
    status, message = reply.error
    o.error = message
    send_json(h, status, {"error": message})
    return True


def fails_whole(h: OllamaHandler, o: Outcome, reply: Reply) -> bool:
    """A non-streaming answer that fails: a cut closes without a response, a stream error
    is a 500 with that error, as Ollama does. Whether it failed."""
    if reply.cut_stream:
        o.status = 0
        o.error = _CUT
        h.drop()
        return True
    if reply.stream_error is not None:
        o.error = reply.stream_error
        send_json(h, 500, {"error": reply.stream_error})
        return True
    return False


def streamed_share(reply: Reply, pieces: list[str]) -> list[str]:
    """The pieces a stream sends before it fails (about half), or all of them."""
    if reply.cut_stream or reply.stream_error is not None:
        return pieces[: len(pieces) // 2]
    return pieces


def fails_stream(h: OllamaHandler, o: Outcome, reply: Reply) -> bool:
    """After the content chunks of a stream: cut the connection, or end the 200 response
    with an ``{"error": ...}`` line instead of ``done``. Whether it failed."""
    if reply.cut_stream:
        o.error = _CUT
        h.drop()
        return True
    if reply.stream_error is not None:
        o.error = reply.stream_error
        h.write_chunk(json_bytes({"error": reply.stream_error}) + b"\n")
        h.end_chunked()
        return True
    return False
