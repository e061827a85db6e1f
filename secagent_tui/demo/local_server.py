"""The server plumbing shared by the local protocol servers (GitHub, Ollama).

Both answer real clients over real sockets on ``127.0.0.1``, so both need the same things
from the stdlib server: a free port, a serving thread, HTTP/1.1 keep-alive without Nagle
delays, and a :meth:`LocalHttpServer.stop` that also closes the keep-alive connections the
clients pool (a stopped server must not keep answering). Each protocol server subclasses
:class:`LocalHttpServer` and :class:`LocalHandler` and adds its own routes and log.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, Self, TypeVar

__all__ = ["LocalHandler", "LocalHttpServer", "block_until_interrupted"]

RecordT = TypeVar("RecordT")


class _ThreadingServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The stdlib default backlog of 5 refuses bursts of parallel connections (benchmarks run
    # dozens of client threads or concurrent chats); GitHub accepts up to 100 concurrent
    # requests.
    request_queue_size = 128
    app: LocalHttpServer[Any]


class LocalHandler(BaseHTTPRequestHandler):
    """Request handler base: keep-alive, no Nagle, connection tracking, no stderr log.

    Subclasses set ``server_version``, narrow :attr:`app` to their server class and define
    the ``do_*`` methods.
    """

    protocol_version = "HTTP/1.1"  # keep-alive (clients pool sockets) and chunked streaming
    sys_version = ""
    timeout = 30  # idle keep-alive sockets close after this
    server: _ThreadingServer
    #: The protocol server answering this request.
    app: LocalHttpServer[Any]

    def setup(self) -> None:
        self.app = self.server.app
        super().setup()
        # Headers and body (or the chunks of a stream) go out as separate small writes;
        # without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK add ~40 ms per
        # write burst on a kept-alive connection, latency the real servers do not have and
        # that only the servers' ``latency``/``delay`` settings should add.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.app._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.app._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence stderr logging: the request log is the record."""

    def read_body(self) -> bytes:
        """The request body, as long as ``Content-Length`` says (empty without one)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""


class LocalHttpServer(Generic[RecordT]):
    """A local HTTP server on ``host`` and a port (0: a free one), served in a daemon thread.

    Use as a context manager or call :meth:`start`/:meth:`stop`. Subclasses set
    :attr:`handler_class` and :attr:`thread_name`, and may hook :meth:`_on_start`. Shared
    state for their logs: ``_lock`` guards ``_log`` (records of type ``RecordT``),
    ``_errors`` and the in-flight counters ``_in_flight``/``_max_in_flight``.
    """

    #: The request handler; its ``app`` is this server.
    handler_class: ClassVar[type[LocalHandler]]
    #: Prefix of the serving thread's name (``"<thread_name>:<port>"``).
    thread_name: ClassVar[str]

    def __init__(self, *, host: str, port: int) -> None:
        self.host = host
        self._port = port
        self._httpd: _ThreadingServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._log: list[RecordT] = []
        self._errors: list[str] = []
        self._in_flight = 0
        self._max_in_flight = 0

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind and serve in a daemon thread (idempotent)."""
        if self._httpd is not None:
            return self
        httpd = _ThreadingServer((self.host, self._port), self.handler_class)
        httpd.app = self
        self._httpd = httpd
        self._port = httpd.server_address[1]
        self._on_start()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"{self.thread_name}:{self._port}",
        )
        self._thread.start()
        return self

    def _on_start(self) -> None:
        """Called once bound (:attr:`port` and :attr:`base_url` are final), before serving."""

    def stop(self) -> None:
        """Stop serving and close every open connection (pooled keep-alive ones included,
        so a stopped server cannot keep answering)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: where to point a client."""
        return f"http://{self.host}:{self._port}"

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    # -- log, errors and counters ------------------------------------------------------------

    @property
    def log(self) -> list[RecordT]:
        """A copy of the request log, oldest first. A request is appended before its
        response's final write, so a client that has read a whole response always finds it
        here."""
        with self._lock:
            return list(self._log)

    @property
    def errors(self) -> list[str]:
        """Tracebacks of internal errors (answered 500, or the response cut short once
        started). Tests should expect none unless they provoke one."""
        with self._lock:
            return list(self._errors)

    def _record_error(self) -> None:
        """Keep the traceback of the exception being handled (see :attr:`errors`)."""
        with self._lock:
            self._errors.append(traceback.format_exc())

    def _flight_begins(self) -> None:
        """Count one more request in flight and raise the high-water mark. The caller takes
        it back with ``self._in_flight -= 1`` under ``_lock``."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)


def block_until_interrupted() -> None:
    """Sleep until Ctrl-C (for the servers' ``python -m`` entry points)."""
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)
