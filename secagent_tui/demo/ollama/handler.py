"""The HTTP side of the local Ollama: one request handler and the writers endpoints use.

Ollama streams chats as NDJSON over chunked transfer encoding and fails in ways a client
must survive (a connection cut mid-stream); the writers here are those wire moves (a whole
body, chunks, the end, a cut), and each logs the request before its final write.
"""

from __future__ import annotations

import contextlib
import socket
from typing import TYPE_CHECKING

from secagent_tui.demo.local_server import LocalHandler

from .request_log import Outcome

if TYPE_CHECKING:
    from .server import OllamaServer

__all__ = ["OllamaHandler"]


class OllamaHandler(LocalHandler):
    # HTTP/1.1 keep-alive and chunked streaming (from LocalHandler), like Ollama's Go server.
    server_version = "ollama-demo"
    app: OllamaServer

    # The request is logged, and leaves the in-flight count, *before* its final write: a
    # client that has read the whole response must find it in the log (no race in tests).
    outcome: Outcome

    def finish(self) -> None:
        # The final flush fails when the socket is already gone (drop() shut it down, or the
        # client hung up mid-stream); that is an outcome, not a server error.
        with contextlib.suppress(OSError):
            super().finish()

    def _serve(self) -> None:
        self.app._handle(self, self.read_body())

    do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = _serve

    # -- writers used by the endpoints -------------------------------------------------------

    def _final(self, status: int | None = None) -> None:
        if status is not None:
            self.outcome.status = status
        self.app._commit(self.outcome)

    def send_body(self, status: int, body: bytes, content_type: str) -> None:
        self._final(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def start_chunked(self, status: int, content_type: str) -> None:
        self.outcome.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))

    def end_chunked(self) -> None:
        self._final()
        self.wfile.write(b"0\r\n\r\n")

    def drop(self) -> None:
        """Close the socket now: no response, or a body cut short."""
        self._final()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
