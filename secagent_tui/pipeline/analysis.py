"""The analysis chain as jobs: triage → sandbox → extraction, then auto-dismissal when the
policy allows (docs/architecture.md, "The job model", "Auto-dismiss"). Each tier is its own
job, so a crash resumes at the tier that was running, every failure is retried and, in the end,
shown with its reason."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.domain.decision import SNOOZE_COMMENT, DecisionAction, SnoozeState
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Finding
from secagent_tui.domain.policy import PolicyDecision, decide_after_triage, decide_after_verdict
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.rules import RuleAction, first_match, names_severity, triage_from_rule
from secagent_tui.domain.triage import StoredTriage, TriageAction, TriageResult, TriageSource
from secagent_tui.domain.usage import Usage
from secagent_tui.domain.verdict import Verdict
from secagent_tui.llm.client import LlmClient, LlmError, ModelRefused
from secagent_tui.llm.prompts import (
    agent_messages,
    extraction_messages,
    triage_messages,
    vulnerable_functions,
)
from secagent_tui.pipeline.runner import JobContext, PermanentJobError
from secagent_tui.pipeline.sandbox.evidence import collect_evidence
from secagent_tui.pipeline.sandbox.tools import SandboxTools
from secagent_tui.pipeline.sandbox.workspace import Workspace, WorkspaceError
from secagent_tui.store import jobs as job_store
from secagent_tui.store.analyses import (
    append_transcript,
    create_analysis,
    get_analysis,
    transcript,
    update_analysis,
)
from secagent_tui.store.findings import get_finding_by_id
from secagent_tui.store.intents import PushJob, record_intent
from secagent_tui.store.jobs import JobKind

log = logging.getLogger("secagent.analysis")

AUTO_ACTOR = "secagent-auto"
_FLUSH_CHARS = 200


@dataclass
class AnalysisDeps:
    """Long-lived parts shared by every analysis job of one runner."""

    llm: LlmClient
    workspace: Workspace
    github_token: str | None
    read_only: bool = False
    """`--read-only`: no decision is recorded from any automatic path, so nothing is written
    for GitHub."""


async def enqueue_analysis(
    engine: AsyncEngine,
    config: Config,
    record: FindingRecord,
    *,
    correlation_id: str,
    triage_only: bool = False,
    full: bool = False,
    requested_by: str | None = None,
) -> int:
    """Starts the chain for one finding: an analysis row and its triage job. `full` runs
    all three tiers whatever triage suggests (an analyst asked for the analysis).
    `requested_by`: the actor asking (the later tiers inherit it)."""
    analysis_id = await create_analysis(engine, record.id, correlation_id, config.llm.model)
    await job_store.enqueue(
        engine,
        JobKind.TRIAGE,
        owner=record.finding.owner_name,
        correlation_id=correlation_id,
        finding_id=record.id,
        payload={"analysis_id": analysis_id, "triage_only": triage_only, "full": full},
        max_attempts=config.analysis.max_attempts,
        requested_by=requested_by,
    )
    return analysis_id


async def _finding(ctx: JobContext) -> Finding:
    record = await get_finding_by_id(ctx.engine, ctx.job.finding_id or 0)
    if record is None:
        raise PermanentJobError(f"finding {ctx.job.finding_id} no longer exists")
    return record.finding


class TriageHandler:
    def __init__(self, deps: AnalysisDeps) -> None:
        self._deps = deps

    async def __call__(self, ctx: JobContext) -> None:
        analysis_id = int(ctx.job.payload["analysis_id"])
        finding = await _finding(ctx)
        await update_analysis(ctx.engine, analysis_id, status=AnalysisStatus.RUNNING)
        rule = first_match(ctx.config.triage.rule_list(), finding)
        if rule is not None:
            result, source = triage_from_rule(rule), TriageSource.RULE
        elif ctx.config.triage.use_llm:
            result, source = await self._ask_llm(ctx, finding)
        else:
            result, source = (
                TriageResult.fallback("no rule matched and LLM triage is off"),
                TriageSource.FALLBACK,
            )
        stored = StoredTriage.of(result, source, rule.name if rule else None)
        await update_analysis(ctx.engine, analysis_id, triage=stored)
        full = bool(ctx.job.payload.get("full"))
        if result.suggested_action is TriageAction.DISMISS and not full:
            # An analyst who asked for the full analysis gets it: no dismissal from triage.
            snooze = rule is not None and rule.action is RuleAction.SNOOZE_UNTIL_PATCH
            decision = decide_after_triage(
                enabled=ctx.config.auto_dismiss.enabled,
                min_confidence=ctx.config.auto_dismiss.min_confidence,
                triage=result,
                scope=finding.scope,
                rule_name=rule.name if rule else None,
                # A snooze says on GitHub that the alert comes back (domain/decision.py).
                rule_comment=SNOOZE_COMMENT if snooze else (rule.comment if rule else ""),
                rule_names_severity=rule is not None and names_severity(rule),
                severity=finding.severity,
                max_severity=ctx.config.auto_dismiss.max_severity,
            )
            if decision.dismiss:
                await auto_dismiss(
                    ctx,
                    self._deps,
                    finding,
                    decision,
                    {"tier": "triage", **stored.to_json()},
                    snooze=snooze,
                )
        goes_on = not ctx.job.payload.get("triage_only") and (
            full or result.suggested_action is TriageAction.ANALYZE_CODEBASE or result.needs_sandbox
        )
        if goes_on:
            ctx.enqueue(JobKind.SANDBOX, {"analysis_id": analysis_id})
        else:
            await update_analysis(ctx.engine, analysis_id, status=AnalysisStatus.COMPLETED)

    async def _ask_llm(
        self, ctx: JobContext, finding: Finding
    ) -> tuple[TriageResult, TriageSource]:
        try:
            chat = await self._deps.llm.chat(
                "triage",
                triage_messages(finding),
                format=TriageResult.model_json_schema(),
                timeout=ctx.config.llm.triage_timeout_seconds,
                finding_id=ctx.job.finding_id,
            )
        except ModelRefused as exc:
            raise PermanentJobError(str(exc)) from exc
        except LlmError as exc:
            await self._deps.llm.mark_fallback(exc.call_id, str(exc))
            return TriageResult.fallback(str(exc)), TriageSource.FALLBACK
        try:
            return TriageResult.model_validate_json(chat.content), TriageSource.LLM
        except ValidationError as exc:
            why = f"invalid triage output: {_first_error(exc)}"
            await self._deps.llm.mark_fallback(chat.call_id, why)
            return TriageResult.fallback(why), TriageSource.FALLBACK


class SandboxHandler:
    """Clone, gather deterministic evidence, then let the read-only agent look around."""

    def __init__(self, deps: AnalysisDeps) -> None:
        self._deps = deps

    async def __call__(self, ctx: JobContext) -> None:
        analysis_id = int(ctx.job.payload["analysis_id"])
        finding = await _finding(ctx)
        await update_analysis(ctx.engine, analysis_id, status=AnalysisStatus.RUNNING)
        try:
            root = await asyncio.to_thread(
                self._deps.workspace.prepare,
                finding.repo,
                ctx.config.github.clone_url_template,
                self._deps.github_token,
            )
        except WorkspaceError as exc:
            raise RuntimeError(f"workspace: {exc}") from exc
        evidence = await asyncio.to_thread(
            collect_evidence,
            root,
            finding.ecosystem,
            finding.package,
            vulnerable_functions(finding),
            manifest_path=finding.manifest_path,
        )
        evidence_doc = evidence.as_json()
        await update_analysis(ctx.engine, analysis_id, evidence=evidence_doc)
        await self._agent(ctx, analysis_id, finding, root, evidence_doc)
        ctx.enqueue(JobKind.EXTRACTION, {"analysis_id": analysis_id})

    async def _agent(
        self, ctx: JobContext, analysis_id: int, finding: Finding, root: Any, evidence: dict
    ) -> None:
        limits = ctx.config.analysis
        tools = SandboxTools(root)
        messages = agent_messages(finding, evidence)
        # A rerun of this job starts the conversation again; mark it in the transcript.
        await append_transcript(ctx.engine, analysis_id, "user", messages[-1]["content"])
        deadline = time.monotonic() + limits.agent_max_seconds
        for _step in range(limits.agent_max_steps):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                await append_transcript(ctx.engine, analysis_id, "note", "time budget spent")
                return
            chat = await self._stream_step(ctx, analysis_id, messages, tools, remaining)
            messages.append(
                {
                    "role": "assistant",
                    "content": chat.content,
                    "tool_calls": [
                        {"function": {"name": n, "arguments": a}} for n, a in chat.tool_calls
                    ],
                }
            )
            if not chat.tool_calls:
                return
            for name, arguments in chat.tool_calls:
                await append_transcript(
                    ctx.engine, analysis_id, "tool_call", f"{name}({json.dumps(arguments)})"
                )
                result = await asyncio.to_thread(tools.call, name, arguments)
                await append_transcript(ctx.engine, analysis_id, "tool", result.text)
                messages.append({"role": "tool", "tool_name": name, "content": result.text})
            if tools.bytes_returned > limits.agent_max_bytes:
                await append_transcript(ctx.engine, analysis_id, "note", "byte budget spent")
                return
        await append_transcript(ctx.engine, analysis_id, "note", "step budget spent")

    async def _stream_step(
        self,
        ctx: JobContext,
        analysis_id: int,
        messages: list[dict[str, Any]],
        tools: SandboxTools,
        timeout: float,
    ) -> Any:
        pending: list[str] = []

        async def flush() -> None:
            if pending:
                await append_transcript(ctx.engine, analysis_id, "assistant", "".join(pending))
                pending.clear()

        async def on_delta(piece: str) -> None:
            pending.append(piece)
            if sum(len(p) for p in pending) >= _FLUSH_CHARS:
                await flush()

        try:
            chat = await self._deps.llm.chat(
                "sandbox",
                messages,
                tools=tools.tool_schemas(),
                timeout=timeout,
                finding_id=ctx.job.finding_id,
                on_delta=on_delta,
            )
        except ModelRefused as exc:
            raise PermanentJobError(str(exc)) from exc
        finally:
            await flush()
        return chat


class ExtractionHandler:
    def __init__(self, deps: AnalysisDeps) -> None:
        self._deps = deps

    async def __call__(self, ctx: JobContext) -> None:
        analysis_id = int(ctx.job.payload["analysis_id"])
        finding = await _finding(ctx)
        analysis = await get_analysis(ctx.engine, analysis_id)
        evidence = analysis.evidence or {}
        text = "\n".join(
            f"[{e.role}] {e.content}" for e in await transcript(ctx.engine, analysis_id)
        )
        verdict = await self._extract(ctx, finding, evidence, text)
        await update_analysis(
            ctx.engine,
            analysis_id,
            verdict=verdict,
            status=AnalysisStatus.COMPLETED,
        )
        decision = decide_after_verdict(
            enabled=ctx.config.auto_dismiss.enabled,
            min_confidence=ctx.config.auto_dismiss.min_confidence,
            verdict=verdict,
            evidence_usage=Usage.parse(evidence.get("usage")),
            scope=finding.scope,
            severity=finding.severity,
            max_severity=ctx.config.auto_dismiss.max_severity,
        )
        log.info("auto-dismiss decision for %s: %s", finding.ref, decision.why)
        if decision.dismiss:
            await auto_dismiss(
                ctx,
                self._deps,
                finding,
                decision,
                {"tier": "extraction", "usage": evidence.get("usage"), "verdict": verdict.summary},
            )

    async def _extract(
        self, ctx: JobContext, finding: Finding, evidence: dict[str, Any], text: str
    ) -> Verdict:
        try:
            chat = await self._deps.llm.chat(
                "extraction",
                extraction_messages(finding, evidence, text),
                format=Verdict.model_json_schema(),
                timeout=ctx.config.llm.extraction_timeout_seconds,
                finding_id=ctx.job.finding_id,
            )
        except ModelRefused as exc:
            raise PermanentJobError(str(exc)) from exc
        except LlmError as exc:
            await self._deps.llm.mark_fallback(exc.call_id, str(exc))
            return Verdict.fallback(str(exc))
        try:
            return Verdict.model_validate_json(chat.content).with_safe_locations()
        except ValidationError as exc:
            why = f"invalid extraction output: {_first_error(exc)}"
            await self._deps.llm.mark_fallback(chat.call_id, why)
            return Verdict.fallback(why)


async def auto_dismiss(
    ctx: JobContext,
    deps: AnalysisDeps,
    finding: Finding,
    decision: PolicyDecision,
    detail: dict[str, Any],
    *,
    snooze: bool = False,
) -> None:
    """An automatic dismissal is an intent like an analyst's: local at once, pushed by a job,
    audited as automatic with its reasons, reversible with `reopen`. Automation yields: it
    writes nothing in read-only mode and leaves alone a finding an analyst reopened."""
    if deps.read_only:
        log.info("read-only: %s not dismissed automatically (%s)", finding.ref, decision.why)
        return
    record = await get_finding_by_id(ctx.engine, ctx.job.finding_id or 0)
    if record is None or record.state is not AlertState.OPEN:
        return
    if record.pinned:
        log.info("%s was reopened by an analyst: not dismissed automatically", finding.ref)
        return
    await record_intent(
        ctx.engine,
        record.id,
        DecisionAction.DISMISS,
        reason=decision.reason.value if decision.reason else "not_used",
        comment=decision.comment,
        actor=AUTO_ACTOR,
        correlation_id=ctx.job.correlation_id,
        automatic=True,
        push=PushJob(ctx.job.owner, ctx.config.analysis.max_attempts),
        audit=("auto_dismiss", {"why": decision.why, "snooze": snooze, **detail}),
        snooze=SnoozeState.SNOOZED if snooze else None,
    )
    log.info("auto-dismissed %s: %s", finding.ref, decision.why)


async def mark_analysis_failed(engine: AsyncEngine, payload: dict[str, Any], error: str) -> None:
    if "analysis_id" in payload:
        await update_analysis(
            engine, int(payload["analysis_id"]), status=AnalysisStatus.FAILED, error=error
        )


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc)[:200]
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "output"
    return f"{where}: {first.get('msg', '')}"[:200]
