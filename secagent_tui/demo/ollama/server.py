"""The local Ollama server: lifecycle, routing, the request log and the chat counters.

The real ``ollama`` clients talk to it over real sockets, so everything between our code
and the wire (the client's request models, httpx's pool, NDJSON splitting,
``ResponseError`` parsing) runs as against a real Ollama. This module routes a request to
its endpoint (:mod:`.endpoints`, :mod:`.chat`), turns a :class:`~.endpoints.BadRequest` or
an internal error into Ollama's answer, and logs every request exactly once.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from secagent_tui.demo.local_server import LocalHttpServer, block_until_interrupted

from . import endpoints
from .chat import chat
from .demo_responder import DemoResponder
from .endpoints import BadRequest, json_bytes, send_json
from .handler import OllamaHandler
from .protocol import ChatRequest, Responder
from .request_log import Outcome, RequestRecord

__all__ = ["OllamaServer", "main"]

Endpoint = Callable[["OllamaServer", OllamaHandler, bytes, Outcome], None]

#: path -> method -> endpoint; a known path with another method answers 405.
_ROUTES: dict[str, dict[str, Endpoint]] = {
    "/": {"GET": endpoints.root, "HEAD": endpoints.root},
    "/api/version": {"GET": endpoints.version},
    "/api/tags": {"GET": endpoints.tags},
    "/api/ps": {"GET": endpoints.ps},
    "/api/show": {"POST": endpoints.show},
    "/api/chat": {"POST": chat},
}


class OllamaServer(LocalHttpServer[RequestRecord]):
    """Local Ollama REST API on ``127.0.0.1`` and a free port.

    Use as a context manager (``with OllamaServer() as ol: AsyncClient(host=ol.base_url)``)
    or call :meth:`start`/:meth:`stop`. ``models`` are the pulled models (``/api/tags``);
    chats naming any other model get 404. ``responder`` decides every chat answer
    (default :class:`DemoResponder`) and can be swapped at any time, as can ``latency``
    (seconds added to every request) and ``models``. The in-flight counters count chats
    only (``POST /api/chat``).
    """

    handler_class = OllamaHandler
    thread_name = "ollama-server"

    def __init__(
        self,
        models: Iterable[str] = ("qwen2.5-coder:7b",),
        responder: Responder | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.models: list[str] = list(models)
        #: Decides what every chat answers; replace it at runtime to inject faults.
        self.responder: Responder = responder if responder is not None else DemoResponder()
        #: Seconds of sleep added to every request; change it at any time.
        self.latency = latency
        self._chats: list[ChatRequest] = []
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()

    # -- log and counters --------------------------------------------------------------------

    def requests_matching(self, path: str) -> list[RequestRecord]:
        """Logged requests whose path equals ``path`` (``/api/chat``) or, when ``path`` is
        not a plain path, contains a match of it as a regular expression."""
        if path.startswith("/"):
            return [r for r in self.log if r.path == path]
        rx = re.compile(path)
        return [r for r in self.log if rx.search(r.path)]

    @property
    def chat_requests(self) -> int:
        """``POST /api/chat`` requests answered (any outcome) since start/:meth:`reset_log`."""
        return len(self.requests_matching("/api/chat"))

    @property
    def chats(self) -> list[ChatRequest]:
        """Every parsed chat request the responder was asked about, oldest first."""
        with self._lock:
            return list(self._chats)

    @property
    def in_flight_chats(self) -> int:
        """Chats between request start and the final write of their response (streaming
        included), right now."""
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight_chats(self) -> int:
        """Most chats in flight at once since start or :meth:`reset_log`."""
        with self._lock:
            return self._max_in_flight

    def reset_log(self) -> None:
        """Forget logged requests, chats, errors and the concurrency high-water mark."""
        with self._lock:
            self._log.clear()
            self._chats.clear()
            self._errors.clear()
            self._max_in_flight = self._in_flight

    def record_chat(self, request: ChatRequest) -> None:
        """Keep a parsed chat request (see :attr:`chats`)."""
        with self._lock:
            self._chats.append(request)

    def next_tool_call_id(self) -> str:
        """A fresh tool-call id (``call_00000001``, ...), unique for this server."""
        with self._ids_lock:
            return f"call_{next(self._ids):08x}"

    # -- request handling --------------------------------------------------------------------

    def _handle(self, h: OllamaHandler, body: bytes) -> None:
        path = urlsplit(h.path).path
        method = h.command
        outcome = Outcome(method, path, time.time(), method == "POST" and path == "/api/chat")
        h.outcome = outcome
        if outcome.is_chat:
            self._flight_begins()
        try:
            if self.latency > 0:
                time.sleep(self.latency)
            self._dispatch(h, method, path, body, outcome)
        except (BrokenPipeError, ConnectionResetError):
            outcome.error = "client disconnected"
            h.close_connection = True
        except Exception as exc:
            self._record_error()
            outcome.error = f"{type(exc).__name__}: {exc}"
            if outcome.status is None:
                with contextlib.suppress(OSError):
                    h.send_body(500, json_bytes({"error": outcome.error}), "application/json")
            elif not outcome.committed:
                h.drop()
        finally:
            self._commit(outcome)

    def _commit(self, o: Outcome) -> None:
        """Log the request and release its in-flight slot, once."""
        with self._lock:
            if o.committed:
                return
            o.committed = True
            if o.is_chat:
                self._in_flight -= 1
            self._log.append(
                RequestRecord(
                    method=o.method,
                    path=o.path,
                    model=o.model,
                    status=o.status or 0,
                    stream=o.stream,
                    timestamp=o.started,
                    duration=time.time() - o.started,
                    error=o.error,
                )
            )

    def _dispatch(self, h: OllamaHandler, method: str, path: str, body: bytes, o: Outcome) -> None:
        methods = _ROUTES.get(path)
        if methods is None:
            h.send_body(404, b"404 page not found", "text/plain")
            return
        endpoint = methods.get(method)
        if endpoint is None:
            h.send_body(405, b"405 method not allowed", "text/plain")
            return
        try:
            endpoint(self, h, body, o)
        except BadRequest as bad:
            o.error = bad.message
            send_json(h, bad.status, {"error": bad.message})


def main() -> None:  # pragma: no cover - manual use
    """Serve the demo model until interrupted (``python -m secagent_tui.demo.ollama``)."""
    with OllamaServer() as server:
        print(f"Ollama demo API at {server.base_url}", flush=True)
        block_until_interrupted()
