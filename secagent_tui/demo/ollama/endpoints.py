"""The small endpoints (``/``, ``/api/version``, ``/api/tags``, ``/api/ps``, ``/api/show``)
and the request checks the chat shares with them.

Ollama's errors are ``{"error": "..."}`` bodies with Go's wording (400 for a body that is
not a JSON object or names no model, 404 ``model 'x' not found``); the client turns them
into ``ResponseError``, so they are raised here as :class:`BadRequest` and answered in one
place.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .handler import OllamaHandler
from .models import SERVER_VERSION, is_pulled, model_info, running_models, show_payload
from .request_log import Outcome

if TYPE_CHECKING:
    from .server import OllamaServer

__all__ = [
    "BadRequest",
    "json_bytes",
    "known_model",
    "parse_body",
    "ps",
    "root",
    "send_json",
    "show",
    "tags",
    "version",
]


class BadRequest(Exception):
    """Answer ``status`` with ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_bytes(obj: Any) -> bytes:
    """Compact JSON, as Ollama's Go server writes it."""
    return json.dumps(obj, separators=(",", ":")).encode()


def send_json(h: OllamaHandler, status: int, obj: Any) -> None:
    h.send_body(status, json_bytes(obj), "application/json; charset=utf-8")


def parse_body(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object (:class:`BadRequest` 400 otherwise)."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(400, f"invalid character in request body: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "json: cannot unmarshal request body into an object")
    return data


def known_model(server: OllamaServer, data: dict[str, Any], o: Outcome, *keys: str) -> str:
    """The model the body names under the first of ``keys`` (recorded in ``o``); 400 when
    none, 404 when it is not pulled."""
    name = next((data[k] for k in keys if isinstance(data.get(k), str) and data[k]), None)
    if name is None:
        raise BadRequest(400, "model is required")
    o.model = name
    if not is_pulled(name, list(server.models)):
        raise BadRequest(404, f"model '{name}' not found")
    return name


def root(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    h.send_body(200, b"Ollama is running", "text/plain; charset=utf-8")


def version(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    send_json(h, 200, {"version": SERVER_VERSION})


def tags(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    send_json(h, 200, {"models": [model_info(m) for m in list(server.models)]})


def ps(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    send_json(h, 200, {"models": running_models(list(server.models))})


def show(server: OllamaServer, h: OllamaHandler, body: bytes, o: Outcome) -> None:
    data = parse_body(body)
    name = known_model(server, data, o, "model", "name")
    send_json(h, 200, show_payload(name))
