"""A protocol-faithful local Ollama server for tests, benchmarks and ``secagent demo``.

The real ``ollama.AsyncClient``/``ollama.Client`` talk to it over real sockets on 127.0.0.1,
so everything between our code and the wire (the client's request models, httpx's connection
pool, NDJSON line splitting, ``ResponseError`` parsing) runs exactly as it does against a real
Ollama. A mock at the Python level would have hidden the failures the pipeline must survive:
an ``{"error": ...}`` line in the middle of a stream, a connection cut before ``done``, a 404
for a model that is not pulled, slow answers that pile up concurrent calls.

What it follows from Ollama (facts in the design's reference notes):

* ``GET /api/tags``, ``GET /api/ps``, ``GET /api/version``, ``POST /api/show`` and
  ``GET /`` ("Ollama is running").
* ``POST /api/chat`` streams by default (``application/x-ndjson``, chunked transfer encoding,
  one object per line, ``done:false`` chunks then one ``done:true`` line with ``done_reason``
  and the metrics); ``"stream": false`` answers one JSON object. Tool calls come back in
  ``message.tool_calls[].function.{name, arguments}`` with ``arguments`` an object.
* Errors are ``{"error": "..."}`` bodies: 404 ``model 'x' not found``, 400 for a body that is
  not JSON or lacks ``model``; a failure after streaming started is an ``{"error": ...}``
  line on a 200 response (the client raises ``ResponseError`` with status -1).
* Model names without a tag mean ``:latest``, as in Ollama.
* Token counts are deterministic stand-ins: ``prompt_eval_count`` = characters of all
  messages // 4, ``eval_count`` = characters of the reply // 4 (at least 1 each).

What the "model" says is decided by a *responder*, a callable ``ChatRequest -> Reply``:

* :class:`DemoResponder` — a deterministic stand-in good enough for ``secagent demo`` and
  end-to-end tests (triage, the codebase agent, verdict extraction; see its docstring).
* :class:`ScriptedResponder` — answers from a list, in order, or keyed by predicates/tiers.
* any function; swap it at runtime with ``server.responder = ...``.

Faults are replies: ``Reply(error=(500, "boom"))``, ``Reply(stream_error="...")``,
``Reply(cut_stream=True)``, ``Reply(delay=2.0)``; plus ``server.latency`` for every request.
Tests read back what happened from :attr:`OllamaServer.log`, :attr:`OllamaServer.chats` and
the concurrency counters (:attr:`OllamaServer.in_flight_chats`,
:attr:`OllamaServer.max_in_flight_chats`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from secagent_tui.demo.local_server import LocalHandler, LocalHttpServer, block_until_interrupted

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
    "find_locations",
    "is_valid",
    "tier_of",
]

#: What ``GET /api/version`` answers (a server version; the Python client is 0.6.x).
SERVER_VERSION = "0.12.3"

_MODIFIED_AT = "2025-05-04T17:37:44.706015396-07:00"
_MAX_STREAM_CHUNKS = 400


# --------------------------------------------------------------------------------------------
# The responder protocol
# --------------------------------------------------------------------------------------------


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
        return "\n".join(_content(m) for m in self.messages)

    @property
    def user_text(self) -> str:
        """The user messages only, so rules in a system prompt cannot trigger a branch."""
        return "\n".join(_content(m) for m in self.messages if m.get("role") == "user")

    @property
    def conversation_text(self) -> str:
        """Every non-system message's content: the transcript, without the instructions
        (whose examples, such as ``src/app.py:12``, are not findings)."""
        return "\n".join(_content(m) for m in self.messages if m.get("role") != "system")

    @property
    def first_user(self) -> str:
        return next((_content(m) for m in self.messages if m.get("role") == "user"), "")

    @property
    def tool_results(self) -> list[str]:
        """Contents of ``role: tool`` messages, oldest first."""
        return [_content(m) for m in self.messages if m.get("role") == "tool"]

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


class ScriptExhaustedError(RuntimeError):
    """A scripted responder was asked for more replies than it was given. The server answers
    500 and records it in :attr:`OllamaServer.errors`, so a test that under-scripted a run
    sees both a failed call and the reason."""


class ScriptedResponder:
    """Answers from a script, so a test decides exactly what the model says and when it fails.

    ``ScriptedResponder([r1, r2, ...])`` answers requests in arrival order; each item is a
    :class:`Reply` or a callable ``ChatRequest -> Reply`` (to look at the prompt). When the
    script runs out it raises :class:`ScriptExhaustedError` (the server answers 500 and
    records the error), unless ``default`` is given, which then answers everything else.

    Keyed scripts, for pipelines that interleave tiers under concurrency (where arrival order
    across tiers is not deterministic):

    * :meth:`by_match` takes ``[(predicate, spec), ...]``; a request uses the first rule whose
      predicate is true *and* that still has replies. ``spec`` is a Reply or callable (used
      for every match) or a list of them (consumed in order, one per match).
    * :meth:`by_tier` is ``by_match`` keyed by :func:`tier_of`:
      ``ScriptedResponder.by_tier(triage=[...], sandbox=[...], extraction=Reply(...))``.

    :attr:`requests` holds every request seen, :attr:`remaining` the replies left (lists).
    Thread-safe: the server calls it from many threads at once.
    """

    def __init__(self, replies: Iterable[ReplySpec] = (), *, default: ReplySpec | None = None):
        self._rules: list[tuple[Predicate, list[ReplySpec] | ReplySpec]] = [
            (_always, list(replies))
        ]
        self.default = default
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()

    @classmethod
    def by_match(
        cls,
        rules: Iterable[tuple[Predicate, Sequence[ReplySpec] | ReplySpec]],
        *,
        default: ReplySpec | None = None,
    ) -> ScriptedResponder:
        """Rules tried in order; see the class docstring."""
        script = cls(default=default)
        script._rules = [
            (pred, list(spec) if isinstance(spec, list | tuple) else spec) for pred, spec in rules
        ]
        return script

    @classmethod
    def by_tier(
        cls, *, default: ReplySpec | None = None, **tiers: Sequence[ReplySpec] | ReplySpec
    ) -> ScriptedResponder:
        """Scripts keyed by tier name (``triage``, ``sandbox``, ``extraction``, ``chat``)."""
        unknown = set(tiers) - {"triage", "sandbox", "extraction", "chat"}
        if unknown:
            raise ValueError(f"unknown tier(s): {', '.join(sorted(unknown))}")
        rules = [(_tier_is(name), spec) for name, spec in tiers.items()]
        return cls.by_match(rules, default=default)

    @property
    def remaining(self) -> int:
        """Replies left in list-valued rules (single-reply rules never run out)."""
        with self._lock:
            return sum(len(spec) for _, spec in self._rules if isinstance(spec, list))

    def __call__(self, request: ChatRequest) -> Reply:
        spec: ReplySpec | None = None
        with self._lock:
            self.requests.append(request)
            for predicate, rule in self._rules:
                if isinstance(rule, list) and not rule:
                    continue
                if not predicate(request):
                    continue
                spec = rule.pop(0) if isinstance(rule, list) else rule
                break
            else:
                spec = self.default
        if spec is None:
            raise ScriptExhaustedError(
                f"scripted responder has no reply left for a {request.tier} request "
                f"(request #{len(self.requests)}, model {request.model!r})"
            )
        return spec if isinstance(spec, Reply) else spec(request)


def _always(_: ChatRequest) -> bool:
    return True


def _tier_is(name: str) -> Predicate:
    def predicate(request: ChatRequest) -> bool:
        return tier_of(request) == name

    predicate.__name__ = f"tier_is_{name}"
    return predicate


# --------------------------------------------------------------------------------------------
# The demo "model"
# --------------------------------------------------------------------------------------------

# `path:line` references: a relative path whose last part has an extension or that has a
# slash, then a line number. Not preceded by a path/URL character, so `github.com:443` inside
# a URL and ISO times (`10:20`) are not taken for code locations.
_LOCATION = re.compile(
    r"(?<![\w/.:@+-])((?:[\w.@+-]+/)*[\w@+-]+(?:\.[\w-]+)+|(?:[\w.@+-]+/)+[\w.@+-]+):(\d+)\b"
)
_PACKAGE_LINE = re.compile(r"^\s*package\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_DEV_SCOPE = re.compile(r"\bscope\s*[:=]\s*[\"']?development\b", re.IGNORECASE)
_SEARCH_ARG_NAMES = ("pattern", "query", "regex", "text", "term", "needle")


_MANIFESTS = re.compile(
    r"(^|/)(package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|"
    r"requirements[^/]*\.txt|pyproject\.toml|setup\.(py|cfg)|Pipfile(\.lock)?|poetry\.lock|"
    r"uv\.lock|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|go\.(mod|sum)|"
    r"modules\.txt|Gemfile(\.lock)?|[^/]*\.gemspec|deps-[^/]*\.txt)$"
)


def is_manifest(path: str) -> bool:
    """A dependency manifest or lockfile: naming a package there is not using it."""
    return bool(_MANIFESTS.search(path))


def find_locations(text: str) -> list[str]:
    """Distinct ``path:line`` references in ``text`` outside manifests and lockfiles, in
    order of first appearance."""
    seen: dict[str, None] = {}
    for m in _LOCATION.finditer(text):
        if not is_manifest(m.group(1)):
            seen.setdefault(f"{m.group(1)}:{m.group(2)}", None)
    return list(seen)


class DemoResponder:
    """A deterministic stand-in for an LLM, good enough for ``secagent demo`` and end-to-end
    tests: no model weights, same answer for the same prompt, always schema-valid.

    It recognises the request by its shape (:func:`tier_of`), never by trusting prompt text
    to choose a branch:

    * **extraction** (``format`` has ``is_exploitable``): if the non-system messages contain
      ``path:line`` references, ``is_exploitable: true`` with those as ``usage_locations``,
      ``open_pr``; otherwise ``false``, confidence ``medium``, ``dismiss``. Medium, because a
      demo model must never clear the default ``high`` auto-dismiss bar on its own.
    * **triage** (``suggested_action``/``needs_sandbox``): when a *user* message says
      ``Scope: development``, ``dismiss`` / ``medium`` / ``not_used`` without sandbox;
      otherwise ``analyze_codebase`` with ``needs_sandbox: true`` (conservative).
    * **sandbox** (tools offered): the first user message names the package on a line
      ``Package: NAME`` (the prompt convention this responder relies on). With no tool result
      yet in the conversation it calls ``search`` for NAME (argument ``pattern``, or
      whichever of ``query``/``regex``/``text``... the tool declares, else its first
      required parameter). Once a ``role: tool`` message exists it answers a plain-text
      report quoting every tool-result line that holds a ``path:line`` reference, or
      saying no usage was found.
    * any other ``format`` schema: a generated schema-valid object; ``format: "json"``:
      ``{"response": ...}``; no format: a short echo of the last user message.

    Whatever it builds is then *conformed* to the given schema (unknown keys dropped, missing
    required keys generated, enum/type/maxLength enforced), so it only ever uses the schema's
    own property names and enum values.
    """

    def __init__(self, *, delay: float = 0.0) -> None:
        """:param delay: seconds of "thinking" per reply, for a demo that feels like a model."""
        self.delay = delay

    def __call__(self, request: ChatRequest) -> Reply:
        tier = tier_of(request)
        if tier == "extraction":
            reply = self._extraction(request)
        elif tier == "triage":
            reply = self._triage(request)
        elif tier == "sandbox":
            reply = self._agent(request)
        else:
            reply = self._other(request)
        reply.delay = self.delay
        return reply

    @staticmethod
    def package_of(request: ChatRequest) -> str | None:
        """The ``Package: NAME`` of the first user message (then of any user message)."""
        for text in (request.first_user, request.user_text):
            m = _PACKAGE_LINE.search(text)
            if m:
                return m.group(1).strip("`'\",;")
        return None

    def _structured(self, request: ChatRequest, wanted: dict[str, Any]) -> Reply:
        schema = request.schema or {}
        value = conform(wanted, schema)
        return Reply(content=json.dumps(value))

    def _triage(self, request: ChatRequest) -> Reply:
        package = self.package_of(request) or "the package"
        if _DEV_SCOPE.search(request.user_text):
            wanted: dict[str, Any] = {
                "suggested_action": "dismiss",
                "confidence": "medium",
                "needs_sandbox": False,
                "reasoning": (
                    f"{package} is a development-scope dependency: it is not shipped in the "
                    "runtime artifact, so the vulnerable code is not reachable in production."
                ),
                "dismiss_reason": "not_used",
            }
        else:
            wanted = {
                "suggested_action": "analyze_codebase",
                "confidence": "medium",
                "needs_sandbox": True,
                "reasoning": (
                    f"{package} is a runtime dependency; whether the vulnerable code is "
                    "reachable depends on how the codebase uses it, so analyse the code."
                ),
                "dismiss_reason": None,
            }
        return self._structured(request, wanted)

    def _extraction(self, request: ChatRequest) -> Reply:
        locations = find_locations(request.conversation_text)
        package = self.package_of(request) or "the package"
        if locations:
            wanted: dict[str, Any] = {
                "is_exploitable": True,
                "confidence": "medium",
                "exploitability_reasoning": (
                    f"The analysis found {len(locations)} place(s) where {package} is used; "
                    "the vulnerable code may be reachable from them."
                ),
                "usage_locations": locations,
                "suggested_fix": f"Upgrade {package} to the first patched version.",
                "suggested_action": "open_pr",
                "summary": f"{package} is used at {', '.join(locations[:3])}.",
            }
        else:
            wanted = {
                "is_exploitable": False,
                "confidence": "medium",
                "exploitability_reasoning": (
                    f"The analysis found no usage of {package} in the repository."
                ),
                "usage_locations": [],
                "suggested_fix": f"Upgrade {package} when convenient.",
                "suggested_action": "dismiss",
                "summary": f"No usage of {package} found.",
            }
        return self._structured(request, wanted)

    def _agent(self, request: ChatRequest) -> Reply:
        package = self.package_of(request)
        results = request.tool_results
        if not results:
            tool = _find_tool(request.tools or [], "search")
            if tool is not None and package:
                return Reply(
                    tool_calls=[{"name": "search", "arguments": _search_arguments(tool, package)}]
                )
            return Reply(content=_report(package, []))
        quoted: dict[str, None] = {}
        for result in results:
            for line in result.splitlines():
                hit = _LOCATION.search(line)
                if hit and not is_manifest(hit.group(1)):
                    quoted.setdefault(line.strip()[:240], None)
        return Reply(content=_report(package, list(quoted)))

    def _other(self, request: ChatRequest) -> Reply:
        last = next(
            (_content(m) for m in reversed(request.messages) if m.get("role") == "user"), ""
        )
        echo = f"demo model {request.model}: {' '.join(last.split())[:200]}"
        if request.schema is not None:
            return self._structured(request, {})
        if request.format == "json":
            return Reply(content=json.dumps({"response": echo}))
        return Reply(content=echo)


def _find_tool(tools: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for tool in tools:
        function = tool.get("function") or {}
        if function.get("name") == name:
            return function
    return None


def _search_arguments(function: dict[str, Any], package: str) -> dict[str, Any]:
    """Arguments for a ``search`` tool: the package name in its query-like parameter, and a
    schema-valid value for any other required parameter (``path`` → ``"."``)."""
    params = function.get("parameters") or {}
    props: dict[str, Any] = params.get("properties") or {}
    required: list[str] = list(params.get("required") or [])
    key = next((k for k in _SEARCH_ARG_NAMES if k in props), None)
    if key is None:
        key = next((k for k in required if k in props), None) or next(iter(props), "pattern")
    args: dict[str, Any] = {key: package}
    for name in required:
        if name in args:
            continue
        sub = props.get(name) or {}
        args[name] = "." if "path" in name or "dir" in name else example(sub, params)
    return args


def _report(package: str | None, quoted: list[str]) -> str:
    name = package or "the vulnerable package"
    if not quoted:
        return (
            f"Analysis of {name}: no usage of {name} was found in the repository by the "
            "searches made. No import or call site was seen."
        )
    lines = "\n".join(f"- {q}" for q in quoted[:50])
    return (
        f"Analysis of {name}: the package is referenced in {len(quoted)} place(s):\n"
        f"{lines}\n"
        "These call sites may reach the vulnerable code and should be reviewed."
    )


# --------------------------------------------------------------------------------------------
# A small JSON-schema conformer (enough for pydantic's output; no dependency)
# --------------------------------------------------------------------------------------------


def _resolve(schema: Any, root: Mapping[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref`` (``#/$defs/X``, ``#/definitions/X``) until a concrete schema."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        ref = str(schema["$ref"])
        target: Any = root
        for part in ref.lstrip("#").strip("/").split("/"):
            if not part:
                continue
            target = target.get(part) if isinstance(target, dict) else None
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**(target or {}), **merged}
        seen += 1
    return schema if isinstance(schema, dict) else {}


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def is_valid(value: Any, schema: Any, root: Mapping[str, Any] | None = None) -> bool:
    """Whether ``value`` satisfies the subset of JSON Schema pydantic emits."""
    root = root if root is not None else (schema if isinstance(schema, dict) else {})
    s = _resolve(schema, root)
    if "const" in s and value != s["const"]:
        return False
    if "enum" in s and value not in s["enum"]:
        return False
    for key in ("anyOf", "oneOf"):
        if key in s and not any(is_valid(value, b, root) for b in s[key]):
            return False
    if "allOf" in s and not all(is_valid(value, b, root) for b in s["allOf"]):
        return False
    types = s.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_TYPES.get(t, lambda _v: True)(value) for t in names):
            return False
    if isinstance(value, str) and not (
        s.get("minLength", 0) <= len(value) <= s.get("maxLength", len(value))
    ):
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in s and value < s["minimum"]:
            return False
        if "maximum" in s and value > s["maximum"]:
            return False
    if isinstance(value, list):
        if len(value) < s.get("minItems", 0) or len(value) > s.get("maxItems", len(value)):
            return False
        if "items" in s and not all(is_valid(v, s["items"], root) for v in value):
            return False
    if isinstance(value, dict):
        props = s.get("properties") or {}
        if any(r not in value for r in s.get("required") or []):
            return False
        if s.get("additionalProperties") is False and any(k not in props for k in value):
            return False
        if not all(is_valid(v, props[k], root) for k, v in value.items() if k in props):
            return False
    return True


def example(schema: Any, root: Mapping[str, Any] | None = None) -> Any:
    """A deterministic value valid against ``schema`` (first enum/branch, empty/zero values)."""
    root = root if root is not None else (schema if isinstance(schema, dict) else {})
    s = _resolve(schema, root)
    if "const" in s:
        return s["const"]
    if s.get("enum"):
        return s["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if s.get(key):
            return example(s[key][0], root)
    types = s.get("type")
    kind = (types[0] if types else None) if isinstance(types, list) else types
    if kind is None:
        kind = "object" if "properties" in s else "string"
    if kind == "string":
        return "x" * s.get("minLength", 0) if s.get("minLength") else "demo"
    if kind in ("integer", "number"):
        return s.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    if kind == "array":
        return [example(s.get("items") or {}, root) for _ in range(s.get("minItems", 0))]
    props = s.get("properties") or {}
    return {k: example(props[k], root) for k in s.get("required") or [] if k in props}


def conform(value: Any, schema: Any, root: Mapping[str, Any] | None = None) -> Any:
    """``value`` made valid against ``schema``: keep what is valid, truncate strings that are
    too long, drop keys the schema does not declare, generate what is missing or wrong."""
    root = root if root is not None else (schema if isinstance(schema, dict) else {})
    s = _resolve(schema, root)
    if isinstance(value, dict) and ("properties" in s or s.get("type") == "object"):
        props: dict[str, Any] = s.get("properties") or {}
        out = {k: conform(v, props[k], root) for k, v in value.items() if k in props}
        for name in s.get("required") or []:
            if name not in out and name in props:
                out[name] = example(props[name], root)
        if is_valid(out, s, root):
            return out
    if is_valid(value, s, root):
        return value
    if isinstance(value, str) and "maxLength" in s and is_valid(value[: s["maxLength"]], s, root):
        return value[: s["maxLength"]]
    if isinstance(value, list) and "items" in s:
        items = [conform(v, s["items"], root) for v in value][: s.get("maxItems", len(value))]
        if is_valid(items, s, root):
            return items
    for branch in (s.get("anyOf") or s.get("oneOf") or []) if value is not None else []:
        candidate = conform(value, branch, root)
        if is_valid(candidate, s, root):
            return candidate
    return example(s, root)


# --------------------------------------------------------------------------------------------
# Request log
# --------------------------------------------------------------------------------------------


class RequestRecord(NamedTuple):
    """One request as the server saw it.

    ``status`` is the HTTP status sent (0: connection closed without a response);
    ``error`` says what went wrong even when the status was 200 (a mid-stream error line,
    a cut stream, a client that hung up); ``timestamp`` is wall-clock arrival time and
    ``duration`` the seconds until the final write (the last chunk, or the whole body).
    """

    method: str
    path: str
    model: str | None
    status: int
    stream: bool
    timestamp: float
    duration: float
    error: str | None = None


def _json(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def _now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _content(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    return content if isinstance(content, str) else ""


def _normalise(name: str) -> str:
    """Ollama's model naming: no tag means ``:latest``."""
    name = name.strip()
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


def _model_info(name: str) -> dict[str, Any]:
    """Deterministic metadata for a model name, shaped like ``/api/tags`` entries."""
    base, _, tag = _normalise(name).rpartition(":")
    family_src = base.rsplit("/", 1)[-1]
    family = re.split(r"[-:]", family_src)[0]
    family = re.sub(r"\.\d+$", "", family) or "llama"
    m = re.search(r"(\d+(?:\.\d+)?)b", tag.lower())
    parameter_size = f"{m.group(1)}B" if m else "7B"
    digest = hashlib.sha256(name.encode()).hexdigest()
    billions = float(m.group(1)) if m else 7.0
    return {
        "name": _normalise(name),
        "model": _normalise(name),
        "modified_at": _MODIFIED_AT,
        "size": int(billions * 0.62e9) + int(digest[:6], 16),
        "digest": digest,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": family,
            "families": [family],
            "parameter_size": parameter_size,
            "quantization_level": "Q4_K_M",
        },
    }


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Handler(LocalHandler):
    # HTTP/1.1 keep-alive and chunked streaming (from LocalHandler), like Ollama's Go server.
    server_version = "ollama-demo"
    app: OllamaServer

    def finish(self) -> None:
        # The final flush fails when the socket is already gone (drop() shut it down, or the
        # client hung up mid-stream); that is an outcome, not a server error.
        with contextlib.suppress(OSError):
            super().finish()

    def _serve(self) -> None:
        self.app._handle(self, self.read_body())

    do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = _serve

    # -- writers used by the app -------------------------------------------------------------

    # The request is logged, and leaves the in-flight count, *before* its final write: a
    # client that has read the whole response must find it in the log (no race in tests).
    outcome: _Outcome

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


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class OllamaServer(LocalHttpServer[RequestRecord]):
    """Local Ollama REST API on ``127.0.0.1`` and a free port.

    Use as a context manager (``with OllamaServer() as ol: AsyncClient(host=ol.base_url)``)
    or call :meth:`start`/:meth:`stop`. ``models`` are the pulled models (``/api/tags``);
    chats naming any other model get 404. ``responder`` decides every chat answer
    (default :class:`DemoResponder`) and can be swapped at any time, as can ``latency``
    (seconds added to every request) and ``models``. The in-flight counters count chats
    only (``POST /api/chat``).
    """

    handler_class = _Handler
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

    # -- request handling --------------------------------------------------------------------

    def _handle(self, h: _Handler, body: bytes) -> None:
        path = urlsplit(h.path).path
        method = h.command
        outcome = _Outcome(method, path, time.time(), method == "POST" and path == "/api/chat")
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
                    h.send_body(500, _json({"error": outcome.error}), "application/json")
            elif not outcome.committed:
                h.drop()
        finally:
            self._commit(outcome)

    def _commit(self, o: _Outcome) -> None:
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

    def _dispatch(self, h: _Handler, method: str, path: str, body: bytes, o: _Outcome) -> None:
        routes: dict[str, dict[str, Callable[[_Handler, bytes, _Outcome], None]]] = {
            "/": {"GET": self._root, "HEAD": self._root},
            "/api/version": {"GET": self._version},
            "/api/tags": {"GET": self._tags},
            "/api/ps": {"GET": self._ps},
            "/api/show": {"POST": self._show},
            "/api/chat": {"POST": self._chat},
        }
        methods = routes.get(path)
        if methods is None:
            h.send_body(404, b"404 page not found", "text/plain")
            return
        handler = methods.get(method)
        if handler is None:
            h.send_body(405, b"405 method not allowed", "text/plain")
            return
        try:
            handler(h, body, o)
        except _BadRequest as bad:
            o.error = bad.message
            self._send_json(h, o, bad.status, {"error": bad.message})

    @staticmethod
    def _send_json(h: _Handler, o: _Outcome, status: int, obj: Any) -> None:
        h.send_body(status, _json(obj), "application/json; charset=utf-8")

    def _root(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        h.send_body(200, b"Ollama is running", "text/plain; charset=utf-8")

    def _version(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        self._send_json(h, o, 200, {"version": SERVER_VERSION})

    def _tags(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        self._send_json(h, o, 200, {"models": [_model_info(m) for m in list(self.models)]})

    def _ps(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        models = []
        for name in list(self.models)[:1]:
            info = _model_info(name)
            models.append(
                {
                    **{k: info[k] for k in ("name", "model", "size", "digest", "details")},
                    "expires_at": "2099-01-01T00:00:00Z",
                    "size_vram": info["size"],
                    "context_length": 4096,
                }
            )
        self._send_json(h, o, 200, {"models": models})

    def _parse_body(self, body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise _BadRequest(400, f"invalid character in request body: {exc}") from None
        if not isinstance(data, dict):
            raise _BadRequest(400, "json: cannot unmarshal request body into an object")
        return data

    def _known_model(self, data: dict[str, Any], o: _Outcome, *keys: str) -> str:
        name = next((data[k] for k in keys if isinstance(data.get(k), str) and data[k]), None)
        if name is None:
            raise _BadRequest(400, "model is required")
        o.model = name
        if _normalise(name) not in {_normalise(m) for m in list(self.models)}:
            raise _BadRequest(404, f"model '{name}' not found")
        return name

    def _show(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        data = self._parse_body(body)
        name = self._known_model(data, o, "model", "name")
        info = _model_info(_normalise(name))
        family = info["details"]["family"]
        self._send_json(
            h,
            o,
            200,
            {
                "modelfile": f"# Modelfile generated by the demo server\nFROM {name}\n",
                "parameters": 'stop "<|im_end|>"',
                "template": "{{ .System }}\n{{ .Prompt }}",
                "details": info["details"],
                "model_info": {
                    "general.architecture": family,
                    "general.parameter_count": int(info["size"] / 0.62),
                    f"{family}.context_length": 32768,
                },
                "capabilities": ["completion", "tools"],
                "modified_at": info["modified_at"],
            },
        )

    def _chat(self, h: _Handler, body: bytes, o: _Outcome) -> None:
        data = self._parse_body(body)
        stream = data.get("stream")
        o.stream = True if stream is None else bool(stream)
        model = self._known_model(data, o, "model")
        messages = data.get("messages") or []
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise _BadRequest(400, "json: cannot unmarshal messages into []api.Message")
        tools = data.get("tools")
        if tools is not None and not isinstance(tools, list):
            raise _BadRequest(400, "json: cannot unmarshal tools into []api.Tool")
        request = ChatRequest(
            model=model,
            messages=messages,
            tools=tools or None,
            format=data.get("format") or None,
            stream=o.stream,
            options=data.get("options"),
            raw=data,
        )
        with self._lock:
            self._chats.append(request)
        responder = self.responder
        started_ns = time.perf_counter_ns()
        reply = responder(request)  # an exception here is a 500, recorded in `errors`
        if reply.delay > 0:
            time.sleep(reply.delay)
        if reply.error is not None:
            status, message = reply.error
            o.error = message
            self._send_json(h, o, status, {"error": message})
            return

        tool_calls = [
            {
                "id": f"call_{next(self._ids):08x}",
                "function": {
                    "index": i,
                    "name": call["name"],
                    "arguments": dict(call.get("arguments") or {}),
                },
            }
            for i, call in enumerate(reply.tool_calls)
        ]
        prompt_chars = sum(
            len(_content(m)) + (len(json.dumps(m["tool_calls"])) if m.get("tool_calls") else 0)
            for m in messages
        )
        reply_chars = len(reply.content) + (len(json.dumps(tool_calls)) if tool_calls else 0)
        prompt_tokens = max(1, prompt_chars // 4)
        eval_tokens = max(1, reply_chars // 4)

        def metrics() -> dict[str, Any]:
            load, prompt_ns, eval_ns = 1_000_000, prompt_tokens * 50_000, eval_tokens * 5_000_000
            elapsed = time.perf_counter_ns() - started_ns
            return {
                "done_reason": reply.done_reason,
                "done": True,
                "total_duration": max(elapsed, load + prompt_ns + eval_ns),
                "load_duration": load,
                "prompt_eval_count": prompt_tokens,
                "prompt_eval_duration": prompt_ns,
                "eval_count": eval_tokens,
                "eval_duration": eval_ns,
            }

        if not o.stream:
            if reply.cut_stream:
                o.status = 0
                o.error = "connection cut"
                h.drop()
                return
            if reply.stream_error is not None:
                o.error = reply.stream_error
                self._send_json(h, o, 500, {"error": reply.stream_error})
                return
            message: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if tool_calls:
                message["tool_calls"] = tool_calls
            payload = {"model": request.model, "created_at": _now_rfc3339(), "message": message}
            self._send_json(h, o, 200, {**payload, **metrics()})
            return

        pieces = _split_stream(reply.content)
        fail = reply.cut_stream or reply.stream_error is not None
        if fail:
            pieces = pieces[: len(pieces) // 2]
        h.start_chunked(200, "application/x-ndjson")

        def chunk(message: dict[str, Any], **extra: Any) -> bytes:
            obj = {"model": request.model, "created_at": _now_rfc3339(), "message": message}
            return _json({**obj, **extra}) + b"\n"

        for piece in pieces:
            h.write_chunk(chunk({"role": "assistant", "content": piece}, done=False))
        if reply.cut_stream:
            o.error = "connection cut"
            h.drop()
            return
        if reply.stream_error is not None:
            o.error = reply.stream_error
            h.write_chunk(_json({"error": reply.stream_error}) + b"\n")
            h.end_chunked()
            return
        if tool_calls:
            msg = {"role": "assistant", "content": "", "tool_calls": tool_calls}
            h.write_chunk(chunk(msg, done=False))
        h.write_chunk(chunk({"role": "assistant", "content": ""}, **metrics()))
        h.end_chunked()


@dataclass
class _Outcome:
    """What the log records about a request, filled in as handling proceeds."""

    method: str
    path: str
    started: float
    is_chat: bool
    committed: bool = False
    status: int | None = None
    model: str | None = None
    stream: bool = False
    error: str | None = None


def _split_stream(content: str) -> list[str]:
    """Token-like pieces (a word with its leading whitespace), merged so that a long reply
    is at most ``_MAX_STREAM_CHUNKS`` lines; concatenated they are exactly ``content``."""
    if not content:
        return []
    words = re.findall(r"\s*\S+|\s+", content)
    per = max(1, -(-len(words) // _MAX_STREAM_CHUNKS))
    return ["".join(words[i : i + per]) for i in range(0, len(words), per)]


def main() -> None:  # pragma: no cover - manual use
    """Serve the demo model until interrupted (``python -m secagent_tui.demo.ollama_server``)."""
    with OllamaServer() as server:
        print(f"Ollama demo API at {server.base_url}", flush=True)
        block_until_interrupted()


if __name__ == "__main__":  # pragma: no cover
    main()
