"""The demo "model": a deterministic stand-in for an LLM for ``secagent demo`` and tests.

No model weights, the same answer for the same prompt, always schema-valid: enough for the
whole pipeline (triage, the codebase agent's tool calls, verdict extraction) to run end to
end on a laptop, and for end-to-end tests to assert on what it says.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .locations import LOCATION, find_locations, is_manifest
from .protocol import ChatRequest, Reply, message_content, tier_of
from .schema import conform, example

__all__ = ["DemoResponder"]

_PACKAGE_LINE = re.compile(r"^\s*package\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_DEV_SCOPE = re.compile(r"\bscope\s*[:=]\s*[\"']?development\b", re.IGNORECASE)
_SEARCH_ARG_NAMES = ("pattern", "query", "regex", "text", "term", "needle")


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
                hit = LOCATION.search(line)
                if hit and not is_manifest(hit.group(1)):
                    quoted.setdefault(line.strip()[:240], None)
        return Reply(content=_report(package, list(quoted)))

    def _other(self, request: ChatRequest) -> Reply:
        last = next(
            (message_content(m) for m in reversed(request.messages) if m.get("role") == "user"),
            "",
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
