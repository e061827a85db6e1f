"""When a finding may be dismissed on GitHub without a human (docs/architecture.md,
"Auto-dismiss").

Only when enabled, and only when two independent sources agree: the LLM's verdict (not
exploitable, confident enough) and the deterministic evidence (the package is proven unused,
or it is a development dependency). Text planted in a repository or an advisory can sway the
model, but not the evidence pass, so it cannot talk the tool into a dismissal alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from secagent_tui.domain.finding import MAX_COMMENT_CHARS, DismissReason, Scope, Severity
from secagent_tui.domain.triage import Confidence, TriageAction, TriageResult
from secagent_tui.domain.usage import Usage
from secagent_tui.domain.verdict import Verdict


@dataclass(frozen=True, slots=True)
class PolicyDecision:
    dismiss: bool
    why: str
    reason: DismissReason | None = None
    comment: str = ""


def _comment(text: str) -> str:
    return text if len(text) <= MAX_COMMENT_CHARS else text[: MAX_COMMENT_CHARS - 1] + "…"


def _evidence_agrees(usage: Usage | None, scope: Scope | None) -> str | None:
    """Why the deterministic evidence supports a dismissal, or None when it does not.

    Test-only use counts like development scope: its code never runs in production.
    """
    if usage is Usage.NOT_USED:
        return "no use of the package was found anywhere in the repository"
    if usage is Usage.TEST_ONLY:
        return "the package is used only by tests"
    if usage is Usage.MANIFEST_GONE:
        return "the alert's manifest no longer exists and nothing else declares the package"
    if scope is Scope.DEVELOPMENT:
        return "development dependency"
    return None


def _above_cap(severity: Severity | None, max_severity: Severity | None) -> str | None:
    """Why the severity is above what automation may dismiss (a critical waits for an
    analyst under the default cap), or None."""
    if severity is None or max_severity is None or not severity.rank > max_severity.rank:
        return None
    return f"severity {severity} is above auto_dismiss.max_severity ({max_severity})"


def decide_after_verdict(
    *,
    enabled: bool,
    min_confidence: Confidence,
    verdict: Verdict,
    evidence_usage: Usage | None,
    scope: Scope | None,
    severity: Severity | None = None,
    max_severity: Severity | None = Severity.HIGH,
) -> PolicyDecision:
    if not enabled:
        return PolicyDecision(False, "auto-dismiss is disabled")
    capped = _above_cap(severity, max_severity)
    if capped:
        return PolicyDecision(False, capped)
    if verdict.is_exploitable is not False:
        return PolicyDecision(False, f"verdict is_exploitable={verdict.is_exploitable}")
    if not verdict.confidence.at_least(min_confidence):
        return PolicyDecision(
            False, f"verdict confidence {verdict.confidence} is below {min_confidence}"
        )
    support = _evidence_agrees(evidence_usage, scope)
    if support is None:
        return PolicyDecision(
            False, f"the evidence does not agree (usage: {evidence_usage or 'unknown'})"
        )
    why = f"not exploitable ({verdict.confidence} confidence) and {support}"
    # A stale alert is GitHub's "inaccurate": the manifest it points at is gone.
    stale = evidence_usage is Usage.MANIFEST_GONE
    reason = DismissReason.INACCURATE if stale else DismissReason.NOT_USED
    return PolicyDecision(True, why, reason, _comment(f"secagent auto-dismiss: {why}."))


def decide_after_triage(
    *,
    enabled: bool,
    min_confidence: Confidence,
    triage: TriageResult,
    scope: Scope | None,
    rule_name: str | None = None,
    rule_comment: str = "",
    rule_names_severity: bool = False,
    severity: Severity | None = None,
    max_severity: Severity | None = Severity.HIGH,
) -> PolicyDecision:
    """A dismissal straight from tier 1: a config rule, or the LLM for a development
    dependency (no codebase evidence exists yet, so only scope can agree). A config rule
    whose conditions name the severity may dismiss above `max_severity`: the analyst wrote
    it for that case."""
    if not enabled:
        return PolicyDecision(False, "auto-dismiss is disabled")
    if triage.suggested_action is not TriageAction.DISMISS:
        return PolicyDecision(False, f"triage suggests {triage.suggested_action}")
    capped = _above_cap(severity, max_severity)
    if capped and not (rule_name is not None and rule_names_severity):
        return PolicyDecision(False, capped)
    reason = triage.dismiss_reason or DismissReason.NOT_USED
    if rule_name is not None:
        why = f"config rule {rule_name!r} matched"
        comment = rule_comment or f"secagent auto-dismiss: {why}."
        return PolicyDecision(True, why, reason, _comment(comment))
    if not triage.confidence.at_least(min_confidence):
        return PolicyDecision(
            False, f"triage confidence {triage.confidence} is below {min_confidence}"
        )
    if scope is not Scope.DEVELOPMENT:
        return PolicyDecision(
            False, "only development dependencies are dismissed from triage alone"
        )
    why = f"triage suggests dismissal ({triage.confidence} confidence) of a development dependency"
    return PolicyDecision(True, why, reason, _comment(f"secagent auto-dismiss: {why}."))
