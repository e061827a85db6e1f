"""The local Ollama: a protocol-faithful chat server and the "models" that answer it.

The server (:class:`OllamaServer`) speaks Ollama's REST API over real sockets; what the
model says is a responder's (:class:`DemoResponder` for the demo, :class:`ScriptedResponder`
for tests), including its failures (:class:`Reply`). ``secagent demo``, the benchmarks and
the test suite run against it; this package exports what they use.
"""

from __future__ import annotations

from .demo_responder import DemoResponder
from .locations import find_locations, is_manifest
from .models import SERVER_VERSION
from .protocol import ChatRequest, Reply, Responder, tier_of
from .request_log import RequestRecord
from .schema import conform, example, is_valid
from .scripted import ScriptedResponder, ScriptExhaustedError
from .server import OllamaServer

__all__ = [
    "SERVER_VERSION",
    "ChatRequest",
    "DemoResponder",
    "OllamaServer",
    "Reply",
    "RequestRecord",
    "Responder",
    "ScriptExhaustedError",
    "ScriptedResponder",
    "conform",
    "example",
    "find_locations",
    "is_manifest",
    "is_valid",
    "tier_of",
]
