"""The local Ollama server, driven by the real ``ollama`` client over real sockets.

These tests pin the protocol facts the LLM tiers rely on (NDJSON streaming, metrics on the
final chunk, tool calls, structured outputs, ``{"error": ...}`` bodies and mid-stream error
lines, what the client raises for each failure) and the demo model's behaviour; if the server
drifted from Ollama, triage/sandbox/extraction tests built on it would prove nothing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import ollama
import pytest
from pydantic import BaseModel

from secagent_tui.demo.ollama import (
    ChatRequest,
    DemoResponder,
    OllamaServer,
    Reply,
    ScriptedResponder,
    conform,
    find_locations,
    is_valid,
)
from secagent_tui.domain.triage import TriageResult
from secagent_tui.domain.verdict import Verdict

MODEL = "qwen2.5-coder:7b"


@pytest.fixture
def server() -> Iterator[OllamaServer]:
    with OllamaServer() as srv:
        yield srv


@pytest.fixture
async def client(server: OllamaServer) -> AsyncIterator[ollama.AsyncClient]:
    async with ollama.AsyncClient(host=server.base_url, timeout=10) as c:
        yield c


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


async def collect(stream: AsyncIterator[ollama.ChatResponse]) -> list[ollama.ChatResponse]:
    return [part async for part in stream]


# -- discovery ------------------------------------------------------------------------------


async def test_list_shows_models_with_details() -> None:
    with OllamaServer(models=(MODEL, "llama3.2")) as srv:
        async with ollama.AsyncClient(host=srv.base_url) as c:
            listed = await c.list()
    names = [m.model for m in listed.models]
    assert names == [MODEL, "llama3.2:latest"]
    first = listed.models[0]
    assert first.digest and len(first.digest) == 64
    assert first.size and first.size > 0
    assert first.modified_at is not None
    assert first.details is not None
    assert first.details.format == "gguf"
    assert first.details.family == "qwen2"
    assert first.details.parameter_size == "7B"
    assert first.details.quantization_level == "Q4_K_M"


async def test_version_show_and_unknown_model_on_show(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as raw:
        version = (await raw.get("/api/version")).json()
        assert isinstance(version["version"], str) and version["version"]
        assert (await raw.get("/")).text == "Ollama is running"
    shown = await client.show(MODEL)
    assert shown.details is not None and shown.details.family == "qwen2"
    assert "tools" in (shown.capabilities or [])
    with pytest.raises(ollama.ResponseError) as err:
        await client.show("nope:1b")
    assert err.value.status_code == 404
    assert err.value.error == "model 'nope:1b' not found"


async def test_untagged_name_means_latest() -> None:
    with OllamaServer(models=("llama3.2",)) as srv:
        async with ollama.AsyncClient(host=srv.base_url) as c:
            resp = await c.chat("llama3.2:latest", user("hi"))
            assert resp.done
            resp = await c.chat("llama3.2", user("hi"))
            assert resp.model == "llama3.2"  # echoed as sent, as Ollama does


# -- chat -----------------------------------------------------------------------------------


async def test_chat_non_stream(server: OllamaServer, client: ollama.AsyncClient) -> None:
    server.responder = ScriptedResponder([Reply(content="Hello from the demo model.")])
    prompt = user("x" * 40)
    resp = await client.chat(MODEL, prompt)
    assert resp.model == MODEL
    assert resp.message.role == "assistant"
    assert resp.message.content == "Hello from the demo model."
    assert resp.done is True and resp.done_reason == "stop"
    assert resp.prompt_eval_count == 10  # 40 characters // 4
    assert resp.eval_count == len("Hello from the demo model.") // 4
    for metric in ("total_duration", "load_duration", "prompt_eval_duration", "eval_duration"):
        assert isinstance(getattr(resp, metric), int) and getattr(resp, metric) > 0
    (record,) = server.requests_matching("/api/chat")
    assert (record.status, record.stream, record.model) == (200, False, MODEL)
    assert server.chats[0].messages == prompt and server.chats[0].stream is False


async def test_chat_stream_chunks_concatenate_and_end_with_metrics(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    content = "The quick brown fox jumps over the lazy dog.\nSecond line."
    server.responder = ScriptedResponder([Reply(content=content, done_reason="length")])
    parts = await collect(await client.chat(MODEL, user("tell me"), stream=True))
    assert len(parts) > 3
    assert all(p.done is False for p in parts[:-1])
    assert "".join(p.message.content or "" for p in parts) == content
    final = parts[-1]
    assert final.done is True and final.done_reason == "length"
    assert final.eval_count == len(content) // 4
    assert final.prompt_eval_count == 1  # max(1, 7 // 4)
    assert final.total_duration and final.eval_duration
    assert server.log[-1].stream is True and server.log[-1].status == 200


async def test_stream_is_ndjson_over_the_wire(server: OllamaServer) -> None:
    """No ``stream`` key means streaming, as in Ollama (the client always sends the key)."""
    server.responder = ScriptedResponder([Reply(content="a b")])
    async with httpx.AsyncClient(base_url=server.base_url) as raw:
        resp = await raw.post("/api/chat", json={"model": MODEL, "messages": user("x")})
    assert resp.headers["content-type"] == "application/x-ndjson"
    assert resp.headers["transfer-encoding"] == "chunked"
    lines = [json.loads(line) for line in resp.text.splitlines()]
    assert [line["done"] for line in lines] == [False, False, True]
    assert {"model", "created_at", "message"} <= set(lines[0])


async def test_structured_output_round_trips(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    class Person(BaseModel):
        name: str
        age: int

    schema = Person.model_json_schema()

    def respond(request: ChatRequest) -> Reply:
        assert request.format == schema
        return Reply(content=json.dumps({"name": "Ada", "age": 36}))

    server.responder = ScriptedResponder([respond])
    resp = await client.chat(MODEL, user("who?"), format=schema)
    assert Person.model_validate_json(resp.message.content or "") == Person(name="Ada", age=36)


SEARCH_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "search",
        "description": "Search the repository for a regular expression.",
        "parameters": {
            "type": "object",
            "properties": {"pattern": {"type": "string", "description": "regex"}},
            "required": ["pattern"],
        },
    },
}
AGENT_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "list_directory",
            "description": "List a directory of the clone.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file of the clone.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    },
    SEARCH_TOOL,
]


@pytest.mark.parametrize("stream", [False, True])
async def test_tool_calls_parse(
    server: OllamaServer, client: ollama.AsyncClient, stream: bool
) -> None:
    call = {"name": "search", "arguments": {"pattern": "lodash", "max": 5}}
    server.responder = ScriptedResponder([Reply(tool_calls=[call])])
    if stream:
        parts = await collect(
            await client.chat(MODEL, user("go"), tools=[SEARCH_TOOL], stream=True)
        )
        message = next(p.message for p in parts if p.message.tool_calls)
        assert parts[-1].done
    else:
        message = (await client.chat(MODEL, user("go"), tools=[SEARCH_TOOL])).message
    assert message.tool_calls is not None
    function = message.tool_calls[0].function
    assert function.name == "search"
    assert dict(function.arguments) == {"pattern": "lodash", "max": 5}
    assert server.chats[0].tool_names == ["search"]


# -- errors and faults ----------------------------------------------------------------------


async def test_unknown_model_is_404(server: OllamaServer, client: ollama.AsyncClient) -> None:
    with pytest.raises(ollama.ResponseError) as err:
        await client.chat("gpt-oss:120b", user("hi"))
    assert err.value.status_code == 404
    assert err.value.error == "model 'gpt-oss:120b' not found"
    stream = await client.chat("gpt-oss:120b", user("hi"), stream=True)
    with pytest.raises(ollama.ResponseError) as err:
        await collect(stream)
    assert err.value.status_code == 404
    assert [r.status for r in server.requests_matching("/api/chat")] == [404, 404]
    assert server.chats == []  # the responder was never asked


async def test_bad_requests_are_400_with_error_body(server: OllamaServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as raw:
        bad_json = await raw.post("/api/chat", content=b"{not json")
        no_model = await raw.post("/api/chat", json={"messages": []})
        unknown_path = await raw.get("/api/nope")
    assert bad_json.status_code == 400 and isinstance(bad_json.json()["error"], str)
    assert no_model.status_code == 400 and no_model.json() == {"error": "model is required"}
    assert unknown_path.status_code == 404


@pytest.mark.parametrize("stream", [False, True])
async def test_http_error_reply(
    server: OllamaServer, client: ollama.AsyncClient, stream: bool
) -> None:
    server.responder = ScriptedResponder([Reply(error=(500, "llama runner process terminated"))])
    with pytest.raises(ollama.ResponseError) as err:
        if stream:
            await collect(await client.chat(MODEL, user("hi"), stream=True))
        else:
            await client.chat(MODEL, user("hi"))
    assert err.value.status_code == 500
    assert err.value.error == "llama runner process terminated"


async def test_mid_stream_error_line(server: OllamaServer, client: ollama.AsyncClient) -> None:
    server.responder = ScriptedResponder([Reply(content="one two three four", stream_error="oom")])
    seen: list[str] = []
    with pytest.raises(ollama.ResponseError) as err:
        async for part in await client.chat(MODEL, user("hi"), stream=True):
            seen.append(part.message.content or "")
    assert err.value.status_code == -1 and err.value.error == "oom"
    assert "".join(seen) == "one two"  # half the chunks arrived before the error
    # The client stops reading at the error line, which may be before the server's handler
    # has finished the response and logged it: wait for the log entry, briefly.
    deadline = time.monotonic() + 5
    while not server.log and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    record = server.log[-1]
    assert record.status == 200 and record.error == "oom"


async def test_mid_stream_error_without_stream_is_500(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    server.responder = ScriptedResponder([Reply(content="x", stream_error="oom")])
    with pytest.raises(ollama.ResponseError) as err:
        await client.chat(MODEL, user("hi"))
    assert (err.value.status_code, err.value.error) == (500, "oom")


async def test_cut_stream_raises_httpx_protocol_error(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    """The real client does not wrap a cut stream: the raw httpx error escapes iteration."""
    server.responder = ScriptedResponder(
        [Reply(content="a b c d e f", cut_stream=True), Reply(content="x", cut_stream=True)]
    )
    seen: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        async for part in await client.chat(MODEL, user("hi"), stream=True):
            seen.append(part.message.content or "")
    assert "".join(seen) == "a b c"
    with pytest.raises(httpx.RemoteProtocolError):
        await client.chat(MODEL, user("hi"))
    assert [r.error for r in server.log] == ["connection cut", "connection cut"]
    assert [r.status for r in server.log] == [200, 0]
    # The server is still healthy for the next request (a fresh connection).
    server.responder = ScriptedResponder([Reply(content="ok")])
    assert (await client.chat(MODEL, user("hi"))).message.content == "ok"


async def test_exhausted_script_answers_500_and_is_recorded(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    server.responder = ScriptedResponder([Reply(content="only one")])
    assert (await client.chat(MODEL, user("1"))).message.content == "only one"
    with pytest.raises(ollama.ResponseError) as err:
        await client.chat(MODEL, user("2"))
    assert err.value.status_code == 500
    assert "ScriptExhaustedError" in err.value.error
    assert len(server.errors) == 1 and "no reply left" in server.errors[0]


async def test_scripts_by_tier_and_by_match(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    server.responder = ScriptedResponder.by_tier(
        triage=[Reply(content="T1"), Reply(content="T2")],
        sandbox=Reply(content="S"),
        default=Reply(content="D"),
    )
    triage_schema = TriageResult.model_json_schema()
    # Interleaved arrival: each tier still gets its own script, in order.
    assert (await client.chat(MODEL, user("a"), tools=[SEARCH_TOOL])).message.content == "S"
    assert (await client.chat(MODEL, user("b"), format=triage_schema)).message.content == "T1"
    assert (await client.chat(MODEL, user("c"), format=triage_schema)).message.content == "T2"
    assert (await client.chat(MODEL, user("d"), format=triage_schema)).message.content == "D"
    assert (await client.chat(MODEL, user("e"), tools=[SEARCH_TOOL])).message.content == "S"

    server.responder = ScriptedResponder.by_match(
        [(lambda r: "lodash" in r.text, [Reply(content="L")])]
    )
    assert (await client.chat(MODEL, user("about lodash"))).message.content == "L"
    with pytest.raises(ollama.ResponseError):  # rule used up, no default
        await client.chat(MODEL, user("about lodash"))
    with pytest.raises(ValueError, match="unknown tier"):
        ScriptedResponder.by_tier(triag=[])


async def test_concurrent_chats_overlap(server: OllamaServer, client: ollama.AsyncClient) -> None:
    server.responder = lambda _req: Reply(content="slow answer here", delay=0.2)

    async def one(i: int) -> str:
        if i % 2:
            parts = await collect(await client.chat(MODEL, user(str(i)), stream=True))
            return "".join(p.message.content or "" for p in parts)
        return (await client.chat(MODEL, user(str(i)))).message.content or ""

    started = time.perf_counter()
    answers = await asyncio.gather(*(one(i) for i in range(5)))
    elapsed = time.perf_counter() - started
    assert answers == ["slow answer here"] * 5
    assert server.max_in_flight_chats == 5
    assert server.in_flight_chats == 0
    assert elapsed < 0.8  # overlapped, not 5 x 0.2 s
    assert server.chat_requests == 5

    server.reset_log()
    assert server.log == [] and server.max_in_flight_chats == 0 and server.chat_requests == 0


async def test_latency_applies_to_every_request(
    server: OllamaServer, client: ollama.AsyncClient
) -> None:
    server.latency = 0.15
    started = time.perf_counter()
    await client.list()
    assert time.perf_counter() - started >= 0.15
    assert server.log[-1].duration >= 0.15


def test_sync_client_and_stop(server: OllamaServer) -> None:
    sync = ollama.Client(host=server.base_url)
    assert sync.chat(MODEL, user("hello")).message.content
    parts = list(sync.chat(MODEL, user("hello"), stream=True))
    assert parts[-1].done
    server.stop()
    with pytest.raises(ConnectionError):
        ollama.Client(host=server.base_url).chat(MODEL, user("hello"))


# -- the demo model -------------------------------------------------------------------------


TRIAGE_PROMPT = """Triage this Dependabot alert.
Package: {package}
Ecosystem: npm
Scope: {scope}
Severity: high
Advisory: Prototype pollution in template()."""


@pytest.mark.parametrize("stream", [False, True])
async def test_demo_triage_is_a_valid_triage_result(
    client: ollama.AsyncClient, stream: bool
) -> None:
    schema = TriageResult.model_json_schema()
    system = {"role": "system", "content": "If Scope: development, consider dismissing."}

    async def triage(scope: str) -> TriageResult:
        messages = [system, *user(TRIAGE_PROMPT.format(package="lodash", scope=scope))]
        if stream:
            parts = await collect(await client.chat(MODEL, messages, format=schema, stream=True))
            text = "".join(p.message.content or "" for p in parts)
        else:
            text = (await client.chat(MODEL, messages, format=schema)).message.content or ""
        return TriageResult.model_validate_json(text)

    dev = await triage("development")
    assert (dev.suggested_action, dev.confidence, dev.needs_sandbox) == (
        "dismiss",
        "medium",
        False,
    )
    assert dev.dismiss_reason == "not_used" and "lodash" in dev.reasoning
    runtime = await triage("runtime")  # the system prompt's words do not trigger a dismissal
    assert runtime.suggested_action == "analyze_codebase" and runtime.needs_sandbox is True
    assert runtime.dismiss_reason is None


async def test_demo_verdict_is_a_valid_verdict(client: ollama.AsyncClient) -> None:
    schema = Verdict.model_json_schema()
    transcript = (
        "Package: lodash\nTranscript:\nsearch lodash ->\nsrc/app.js:3: const _ = require('lodash')"
        "\nlib/util/merge.ts:41: _.merge(a, b)\nsee https://github.com:443/x at 10:20"
    )
    found = await client.chat(MODEL, user(transcript), format=schema)
    verdict = Verdict.model_validate_json(found.message.content or "")
    assert verdict.is_exploitable is True
    assert verdict.usage_locations == ["src/app.js:3", "lib/util/merge.ts:41"]

    instructions = {"role": "system", "content": "Locations look like src/app.py:12."}
    messages = [instructions, *user("Package: lodash\nNo usage found.")]
    none = await client.chat(MODEL, messages, format=schema)
    verdict = Verdict.model_validate_json(none.message.content or "")
    assert verdict.is_exploitable is False and verdict.confidence == "medium"
    assert verdict.usage_locations == []


async def run_agent(client: ollama.AsyncClient, repo: dict[str, str]) -> tuple[str, list[str]]:
    """A minimal version of the sandbox loop: call tools until the model answers in text."""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "You analyse a repository with read-only tools."},
        {"role": "user", "content": "Is the vulnerable package used?\nPackage: lodash\n"},
    ]
    calls: list[str] = []
    for _ in range(5):
        resp = await client.chat(MODEL, messages, tools=AGENT_TOOLS)
        if not resp.message.tool_calls:
            return resp.message.content or "", calls
        messages.append(
            {
                "role": "assistant",
                "content": resp.message.content or "",
                "tool_calls": [c.model_dump() for c in resp.message.tool_calls],
            }
        )
        for call in resp.message.tool_calls:
            name, args = call.function.name, dict(call.function.arguments)
            calls.append(f"{name}({json.dumps(args)})")
            assert name == "search"
            hits = [
                f"{path}:{n}: {line}"
                for path, text in repo.items()
                for n, line in enumerate(text.splitlines(), 1)
                if args["pattern"] in line
            ]
            messages.append(
                {"role": "tool", "tool_name": name, "content": "\n".join(hits) or "no matches"}
            )
    raise AssertionError("agent did not finish")


async def test_demo_agent_calls_search_then_reports(client: ollama.AsyncClient) -> None:
    repo = {"src/app.js": "const x = 1;\nconst _ = require('lodash');\n", "README.md": "hi"}
    report, calls = await run_agent(client, repo)
    assert calls == ['search({"pattern": "lodash"})']
    assert "src/app.js:2: const _ = require('lodash');" in report

    verdict_resp = await client.chat(
        MODEL, user(f"Transcript:\n{report}"), format=Verdict.model_json_schema()
    )
    verdict = Verdict.model_validate_json(verdict_resp.message.content or "")
    assert verdict.is_exploitable is True and verdict.usage_locations == ["src/app.js:2"]

    report, calls = await run_agent(client, {"src/app.js": "const x = 1;\n"})
    assert len(calls) == 1 and "no usage of lodash" in report.lower()


async def test_demo_other_requests(client: ollama.AsyncClient) -> None:
    echo = await client.chat(MODEL, user("ping"))
    assert "ping" in (echo.message.content or "")
    as_json = await client.chat(MODEL, user("ping"), format="json")
    assert isinstance(json.loads(as_json.message.content or ""), dict)

    class Odd(BaseModel):
        tags: list[str]
        level: int
        mode: str = "a"

    odd = await client.chat(MODEL, user("x"), format=Odd.model_json_schema())
    Odd.model_validate_json(odd.message.content or "")


def test_conform_keeps_valid_values_and_repairs_the_rest() -> None:
    schema = TriageResult.model_json_schema()
    wanted = {
        "suggested_action": "explode",
        "confidence": "high",
        "needs_sandbox": "yes",
        "reasoning": "r" * 5000,
        "dismiss_reason": "because",
        "extra": 1,
    }
    fixed = conform(wanted, schema)
    assert is_valid(fixed, schema)
    result = TriageResult.model_validate(fixed)
    assert result.confidence == "high" and len(result.reasoning) == 4000
    assert "extra" not in fixed
    text = "a/b.py:1 x.go:2 a/b.py:1 at 12:30 via https://h.example.com:443/x"
    assert find_locations(text) == ["a/b.py:1", "x.go:2"]


def test_demo_responder_search_argument_follows_the_tool_schema() -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "search",
            "parameters": {
                "type": "object",
                "properties": {"query": {"type": "string"}, "path": {"type": "string"}},
                "required": ["query", "path"],
            },
        },
    }
    req = ChatRequest(model=MODEL, messages=user("Package: pyyaml"), tools=[tool])
    reply = DemoResponder()(req)
    assert reply.tool_calls == [{"name": "search", "arguments": {"query": "pyyaml", "path": "."}}]
