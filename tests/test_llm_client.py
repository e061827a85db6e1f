"""The LLM client's record of every call, and the figures `secagent stats` makes of it
(DESIGN.md "Observability"; review #8, #15).

The real `ollama.AsyncClient` talks to the local Ollama server; the server's token counts are
deterministic (characters // 4), so the recorded tokens can be checked exactly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.ext.asyncio import AsyncEngine
from support.pipeline_env import MODEL, rows

from secagent_tui.cli import cli
from secagent_tui.config import LlmConfig
from secagent_tui.demo.ollama import OllamaServer, Reply, ScriptedResponder
from secagent_tui.demo.stack import folder_sections, write_config
from secagent_tui.domain.sla import SlaDays
from secagent_tui.llm.client import LlmClient, LlmError, ModelRefused
from secagent_tui.logs import correlation
from secagent_tui.pipeline.llm_calls import StoredCallRecorder
from secagent_tui.store.metrics import collect_stats
from secagent_tui.store.schema import llm_calls

SYSTEM = "You triage alerts. " * 20  # 380 characters
USER = "Package: lodash\nEcosystem: npm\n" + "x" * 169  # 200 characters
MESSAGES = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]
PROMPT_TOKENS = (len(SYSTEM) + len(USER)) // 4  # what the server reports as prompt_eval_count


@pytest.fixture
def ollama() -> Iterator[OllamaServer]:
    with OllamaServer(models=(MODEL, "other:1b")) as server:
        yield server


def client_for(engine: AsyncEngine, server: OllamaServer, **llm: object) -> LlmClient:
    config = LlmConfig.model_validate({"host": server.base_url, **llm})
    return LlmClient(config, StoredCallRecorder(engine))


async def test_every_call_records_tier_model_duration_tokens_outcome_and_correlation(
    ollama: OllamaServer, lite: AsyncEngine
) -> None:
    answer = json.dumps({"suggested_action": "analyze_codebase"})
    report = "lodash is imported at src/render.js:2 and its template function is called."
    ollama.responder = ScriptedResponder(
        [Reply(content=answer, delay=0.05), Reply(content=report, delay=0.02)]
    )
    client = client_for(lite, ollama)

    with correlation("cid-triage"):
        once = await client.chat("triage", MESSAGES, format={"type": "object"})
    pieces: list[str] = []

    async def on_delta(piece: str) -> None:
        pieces.append(piece)

    with correlation("cid-agent"):
        streamed = await client.chat("sandbox", MESSAGES, on_delta=on_delta)

    assert once.content == answer
    assert "".join(pieces) == streamed.content == report and len(pieces) > 1
    first, second = await rows(lite, llm_calls)
    assert (first["id"], second["id"]) == (once.call_id, streamed.call_id)
    assert first["tier"] == "triage" and second["tier"] == "sandbox"
    assert first["model"] == second["model"] == MODEL
    assert first["correlation_id"] == "cid-triage"
    assert second["correlation_id"] == "cid-agent"
    assert first["outcome"] == second["outcome"] == "ok"
    assert first["error"] is None
    assert first["prompt_tokens"] == second["prompt_tokens"] == PROMPT_TOKENS
    assert first["completion_tokens"] == len(answer) // 4 == once.completion_tokens
    assert second["completion_tokens"] == len(report) // 4 == streamed.completion_tokens
    assert 50 <= first["duration_ms"] < 2000
    assert 20 <= second["duration_ms"] < 2000
    assert first["started_at"] is not None
    assert [r.stream for r in ollama.requests_matching("/api/chat")] == [False, True]


@pytest.mark.parametrize(
    ("reply", "expected", "stream"),
    [
        (Reply(error=(500, "boom")), "500: boom", False),
        (Reply(delay=1.0), "timed out", False),
        (Reply(content="a b c d e f", stream_error="out of memory"), "-1: out of memory", True),
        (Reply(content="a b c d e f", cut_stream=True), "incomplete chunked read", True),
    ],
    ids=["http-500", "timeout", "error-line", "cut-stream"],
)
async def test_failed_calls_are_recorded_as_errors_then_marked_fallback(
    ollama: OllamaServer, lite: AsyncEngine, reply: Reply, expected: str, stream: bool
) -> None:
    ollama.responder = ScriptedResponder([reply])
    client = client_for(lite, ollama)

    async def on_delta(piece: str) -> None:
        return None

    with correlation("cid-fail"), pytest.raises(LlmError, match=expected) as caught:
        await client.chat(
            "extraction", MESSAGES, timeout=0.25, on_delta=on_delta if stream else None
        )

    [call] = await rows(lite, llm_calls)
    assert call["id"] == caught.value.call_id
    assert call["outcome"] == "error" and expected in call["error"]
    assert call["tier"] == "extraction" and call["correlation_id"] == "cid-fail"
    assert call["completion_tokens"] is None
    if expected == "timed out":
        assert 200 <= call["duration_ms"] < 900  # the client's timeout, not the reply's delay

    await client.mark_fallback(caught.value.call_id, "verdict fallback used")

    [call] = await rows(lite, llm_calls)
    assert (call["outcome"], call["error"]) == ("fallback", "verdict fallback used")


async def test_refused_models_make_no_chat_request_and_no_record(
    ollama: OllamaServer, lite: AsyncEngine
) -> None:
    client = client_for(lite, ollama, allowed_models=[MODEL, "ghost:7b"])

    with pytest.raises(ModelRefused, match=r"'other:1b' is not in llm\.allowed_models"):
        await client.chat("triage", MESSAGES, model="other:1b")  # on the server, not allowed
    with pytest.raises(ModelRefused, match=r"'ghost:7b' is not on the Ollama server"):
        await client.chat("triage", MESSAGES, model="ghost:7b")  # allowed, not on the server

    assert ollama.chat_requests == 0
    assert await rows(lite, llm_calls) == []


def _percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (the 'inclusive' definition)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def test_stats_show_calls_latency_tokens_and_fallbacks_by_tier(
    ollama: OllamaServer, lite: AsyncEngine, lite_url: str, tmp_path: Path
) -> None:
    valid = json.dumps({"suggested_action": "dismiss"})
    ollama.responder = ScriptedResponder.by_tier(
        triage=[Reply(content=valid, delay=d) for d in (0.01, 0.03, 0.05, 0.07, 0.2)]
        + [Reply(content="not json")],
        extraction=[Reply(content=valid, delay=0.02), Reply(error=(500, "boom"))],
    )
    client = client_for(lite, ollama)
    triage_schema = {"type": "object", "properties": {"suggested_action": {"type": "string"}}}
    verdict_schema = {"type": "object", "properties": {"is_exploitable": {"type": "boolean"}}}
    for _ in range(6):
        result = await client.chat("triage", MESSAGES, format=triage_schema)
        if result.content == "not json":
            await client.mark_fallback(result.call_id, "invalid triage output")
    await client.chat("extraction", MESSAGES, format=verdict_schema)
    with pytest.raises(LlmError):
        await client.chat("extraction", MESSAGES, format=verdict_schema)

    recorded = await rows(lite, llm_calls)
    stats = (await collect_stats(lite, SlaDays(), datetime.now(UTC))).as_json()

    llm = stats["llm"]
    assert llm["calls"] == 8
    triage, extraction = llm["by_tier"]["triage"], llm["by_tier"]["extraction"]
    durations = [r["duration_ms"] for r in recorded if r["tier"] == "triage"]
    assert triage["calls"] == 6
    assert triage["fallbacks"] == 1 and triage["fallback_rate"] == round(1 / 6, 4)
    assert triage["p50_ms"] == pytest.approx(_percentile(durations, 50), abs=0.1)
    assert triage["p95_ms"] == pytest.approx(_percentile(durations, 95), abs=0.1)
    assert 40 <= triage["p50_ms"] < triage["p95_ms"] and triage["p95_ms"] >= 150
    assert triage["prompt_tokens"] == 6 * PROMPT_TOKENS
    assert triage["completion_tokens"] == 5 * (len(valid) // 4) + len("not json") // 4
    assert extraction["calls"] == 2 and extraction["errors"] == 1
    assert extraction["fallbacks"] == 0
    assert extraction["completion_tokens"] == len(valid) // 4  # the failed call had none

    # The same document from the command line.
    config = tmp_path / "stats.toml"
    write_config(config, folder_sections(tmp_path, lite_url))
    env = {
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SECAGENT_CONFIG": None,
        "SECAGENT_DATABASE_URL": None,
        "GITHUB_TOKEN": None,
    }
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["--config", str(config), "stats", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"llm", "sync", "jobs", "auto_dismiss"} <= set(document)
    assert document["llm"] == llm
    for figures in document["llm"]["by_tier"].values():
        assert {
            "calls",
            "p50_ms",
            "p95_ms",
            "prompt_tokens",
            "completion_tokens",
            "fallbacks",
        } <= set(figures)
