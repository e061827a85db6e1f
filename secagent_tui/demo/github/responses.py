"""The server's answers: a response value and GitHub's error bodies.

Every endpoint returns a :class:`Response` instead of writing to the socket, so faults can
rewrite an answer (cut its JSON, drop it) after the endpoint made it, and errors carry
GitHub's exact body shape (``message``, ``documentation_url``, ``status`` as a string).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DOCS",
    "DOCS_ALERTS_ORG",
    "DOCS_ALERTS_REPO",
    "DOCS_GET_ALERT",
    "DOCS_RATE",
    "DOCS_UPDATE",
    "Response",
    "error",
    "error_body",
    "json_bytes",
    "json_response",
    "not_found",
    "raw_json_response",
    "validation_failed",
]

DOCS = "https://docs.github.com/rest"
DOCS_ALERTS_REPO = f"{DOCS}/dependabot/alerts#list-dependabot-alerts-for-a-repository"
DOCS_ALERTS_ORG = f"{DOCS}/dependabot/alerts#list-dependabot-alerts-for-an-organization"
DOCS_GET_ALERT = f"{DOCS}/dependabot/alerts#get-a-dependabot-alert"
DOCS_UPDATE = f"{DOCS}/dependabot/alerts#update-a-dependabot-alert"
DOCS_RATE = f"{DOCS}/overview/rate-limits-for-the-rest-api"

_JSON_TYPE = ("Content-Type", "application/json; charset=utf-8")


@dataclass
class Response:
    """One answer: ``drop`` closes the connection without one (``status`` is then 0)."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    drop: bool = False


def json_bytes(obj: Any) -> bytes:
    """Compact JSON, as GitHub sends it."""
    return json.dumps(obj, separators=(",", ":")).encode()


def error_body(status: int, message: str, docs: str = DOCS, **extra: Any) -> dict[str, Any]:
    return {"message": message, "documentation_url": docs, "status": str(status), **extra}


def json_response(status: int, obj: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, json_bytes(obj), [_JSON_TYPE, *headers])


def raw_json_response(status: int, body: bytes, headers: Iterable[tuple[str, str]]) -> Response:
    """A response whose body is already bytes (a fault's canned body)."""
    return Response(status, body, [_JSON_TYPE, *headers])


def error(
    status: int, message: str, docs: str = DOCS, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    """GitHub's error answer: ``status`` with its ``{"message": ...}`` body."""
    return json_response(status, error_body(status, message, docs), headers)


def not_found(docs: str = DOCS) -> Response:
    return error(404, "Not Found", docs)


def validation_failed(resource: str, field_name: str, value: Any) -> Response:
    """GitHub's 422 for a parameter value it does not accept."""
    body = error_body(
        422,
        "Validation Failed",
        DOCS,
        errors=[{"resource": resource, "field": field_name, "code": "invalid", "value": value}],
    )
    return json_response(422, body)
