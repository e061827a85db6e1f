"""When a finding may be dismissed without a human (docs/architecture.md,
"Auto-dismiss"):
every branch of `decide_after_verdict` and `decide_after_triage`, as pure functions."""

from __future__ import annotations

from typing import Any

import pytest

from secagent_tui.domain.finding import MAX_COMMENT_CHARS, DismissReason, Scope, Severity
from secagent_tui.domain.policy import decide_after_triage, decide_after_verdict
from secagent_tui.domain.triage import Confidence, TriageAction, TriageResult
from secagent_tui.domain.usage import Usage
from secagent_tui.domain.verdict import Verdict, VerdictAction

HIGH, MEDIUM, LOW = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW


def verdict(exploitable: bool | str = False, confidence: Confidence = HIGH) -> Verdict:
    return Verdict(
        is_exploitable=exploitable,
        confidence=confidence,
        exploitability_reasoning="r",
        usage_locations=[],
        suggested_fix="",
        suggested_action=VerdictAction.DISMISS,
        summary="s",
    )


def after_verdict(**overrides: Any) -> Any:
    args: dict[str, Any] = {
        "enabled": True,
        "min_confidence": HIGH,
        "verdict": verdict(),
        "evidence_usage": Usage.NOT_USED,
        "scope": Scope.RUNTIME,
    }
    args.update(overrides)
    return decide_after_verdict(**args)


# ------------------------------------------------------------------------------ after a verdict


def test_verdict_and_evidence_agreeing_dismiss_as_not_used() -> None:
    decision = after_verdict()
    assert decision.dismiss
    assert decision.reason is DismissReason.NOT_USED
    assert "not exploitable (high confidence)" in decision.why
    assert "no use of the package" in decision.why
    assert decision.comment.startswith("secagent auto-dismiss: ")
    assert len(decision.comment) <= MAX_COMMENT_CHARS


def test_disabled_never_dismisses() -> None:
    decision = after_verdict(enabled=False)
    assert not decision.dismiss and decision.why == "auto-dismiss is disabled"
    assert decision.reason is None and decision.comment == ""


@pytest.mark.parametrize("exploitable", [True, "unknown"])
def test_an_exploitable_or_unknown_verdict_never_dismisses(exploitable: bool | str) -> None:
    decision = after_verdict(verdict=verdict(exploitable))
    assert not decision.dismiss
    assert decision.why == f"verdict is_exploitable={exploitable}"


@pytest.mark.parametrize(
    ("confidence", "minimum", "dismiss"),
    [
        (HIGH, HIGH, True),
        (MEDIUM, HIGH, False),
        (LOW, HIGH, False),
        (HIGH, MEDIUM, True),
        (MEDIUM, MEDIUM, True),
        (LOW, MEDIUM, False),
        (LOW, LOW, True),
    ],
)
def test_confidence_must_reach_the_minimum(
    confidence: Confidence, minimum: Confidence, dismiss: bool
) -> None:
    decision = after_verdict(verdict=verdict(False, confidence), min_confidence=minimum)
    assert decision.dismiss is dismiss
    if not dismiss:
        assert decision.why == f"verdict confidence {confidence} is below {minimum}"


@pytest.mark.parametrize("usage", [Usage.USED, Usage.MAYBE_USED, None])
def test_evidence_short_of_not_used_blocks_a_runtime_dismissal(usage: Usage | None) -> None:
    for scope in (Scope.RUNTIME, None):
        decision = after_verdict(evidence_usage=usage, scope=scope)
        assert not decision.dismiss
        assert decision.why == f"the evidence does not agree (usage: {usage or 'unknown'})"


@pytest.mark.parametrize("usage", [Usage.USED, Usage.MAYBE_USED, None])
def test_a_development_dependency_counts_as_agreeing_evidence(usage: Usage | None) -> None:
    decision = after_verdict(evidence_usage=usage, scope=Scope.DEVELOPMENT)
    assert decision.dismiss and decision.reason is DismissReason.NOT_USED
    assert "development dependency" in decision.why


def test_test_only_use_agrees_like_a_development_dependency() -> None:
    decision = after_verdict(evidence_usage=Usage.TEST_ONLY, scope=Scope.RUNTIME)
    assert decision.dismiss and decision.reason is DismissReason.NOT_USED
    assert "only by tests" in decision.why


def test_a_stale_manifest_dismisses_as_inaccurate() -> None:
    decision = after_verdict(evidence_usage=Usage.MANIFEST_GONE, scope=Scope.RUNTIME)
    assert decision.dismiss and decision.reason is DismissReason.INACCURATE


def test_stored_usage_words_parse_to_the_enum_and_unknown_words_to_none() -> None:
    assert Usage.parse("test_only") is Usage.TEST_ONLY
    assert Usage.parse("not used") is None and Usage.parse(None) is None


def test_the_verdict_cannot_override_the_first_failing_check() -> None:
    """Checks run in order: disabled, then exploitability, then confidence, then evidence."""
    assert after_verdict(enabled=False, verdict=verdict(True)).why == "auto-dismiss is disabled"
    low_exploitable = verdict(True, LOW)
    assert after_verdict(verdict=low_exploitable).why == "verdict is_exploitable=True"
    assert "below" in after_verdict(verdict=verdict(False, LOW), evidence_usage=Usage.USED).why


# ------------------------------------------------------------------------------ after triage


def triage(
    action: TriageAction = TriageAction.DISMISS,
    confidence: Confidence = HIGH,
    reason: DismissReason | None = DismissReason.TOLERABLE_RISK,
) -> TriageResult:
    return TriageResult(
        suggested_action=action,
        confidence=confidence,
        needs_sandbox=action is not TriageAction.DISMISS,
        reasoning="r",
        dismiss_reason=reason if action is TriageAction.DISMISS else None,
    )


def after_triage(**overrides: Any) -> Any:
    args: dict[str, Any] = {
        "enabled": True,
        "min_confidence": HIGH,
        "triage": triage(),
        "scope": Scope.DEVELOPMENT,
        "rule_name": None,
    }
    args.update(overrides)
    return decide_after_triage(**args)


def test_triage_dismissal_of_a_confident_development_dependency() -> None:
    decision = after_triage()
    assert decision.dismiss and decision.reason is DismissReason.TOLERABLE_RISK
    assert "development dependency" in decision.why
    assert decision.comment.startswith("secagent auto-dismiss: ")
    assert len(decision.comment) <= MAX_COMMENT_CHARS


def test_triage_disabled_never_dismisses() -> None:
    assert not after_triage(enabled=False).dismiss
    assert not after_triage(enabled=False, rule_name="dev-only low").dismiss


@pytest.mark.parametrize("action", [TriageAction.ANALYZE_CODEBASE, TriageAction.MANUAL_REVIEW])
def test_triage_other_actions_never_dismiss(action: TriageAction) -> None:
    decision = after_triage(triage=triage(action), rule_name="a rule")
    assert not decision.dismiss and decision.why == f"triage suggests {action}"


def test_a_rule_dismisses_whatever_the_confidence_and_scope() -> None:
    for scope in (Scope.RUNTIME, Scope.DEVELOPMENT, None):
        decision = after_triage(
            triage=triage(confidence=LOW), scope=scope, rule_name="dev-only low"
        )
        assert decision.dismiss and decision.reason is DismissReason.TOLERABLE_RISK
        assert decision.why == "config rule 'dev-only low' matched"
        assert "dev-only low" in decision.comment


def test_a_dismissal_without_a_reason_defaults_to_not_used() -> None:
    assert after_triage(triage=triage(reason=None)).reason is DismissReason.NOT_USED
    by_rule = after_triage(triage=triage(reason=None), rule_name="r")
    assert by_rule.reason is DismissReason.NOT_USED


@pytest.mark.parametrize(("confidence", "minimum"), [(MEDIUM, HIGH), (LOW, MEDIUM)])
def test_llm_triage_below_the_minimum_does_not_dismiss(
    confidence: Confidence, minimum: Confidence
) -> None:
    decision = after_triage(triage=triage(confidence=confidence), min_confidence=minimum)
    assert not decision.dismiss
    assert decision.why == f"triage confidence {confidence} is below {minimum}"


@pytest.mark.parametrize("scope", [Scope.RUNTIME, None])
def test_llm_triage_alone_never_dismisses_a_runtime_or_unknown_scope(scope: Scope | None) -> None:
    decision = after_triage(scope=scope)
    assert not decision.dismiss
    assert decision.why == "only development dependencies are dismissed from triage alone"


# ------------------------------------------------------------------------- the severity cap


def test_a_critical_waits_for_an_analyst_under_the_default_cap() -> None:
    capped = after_verdict(severity=Severity.CRITICAL)
    assert not capped.dismiss
    assert capped.why == "severity critical is above auto_dismiss.max_severity (high)"
    assert after_verdict(severity=Severity.HIGH).dismiss
    assert not after_triage(severity=Severity.CRITICAL).dismiss


def test_a_raised_cap_admits_a_critical() -> None:
    raised = {"severity": Severity.CRITICAL, "max_severity": Severity.CRITICAL}
    assert after_verdict(**raised).dismiss
    assert after_triage(**raised).dismiss


def test_a_lowered_cap_holds_back_a_high() -> None:
    assert not after_verdict(severity=Severity.HIGH, max_severity=Severity.MEDIUM).dismiss


def test_only_a_rule_that_names_the_severity_dismisses_above_the_cap() -> None:
    by_scope = after_triage(severity=Severity.CRITICAL, rule_name="dev deps")
    assert not by_scope.dismiss and "max_severity" in by_scope.why
    by_severity = after_triage(
        severity=Severity.CRITICAL, rule_name="criticals in tests", rule_names_severity=True
    )
    assert by_severity.dismiss and "criticals in tests" in by_severity.why
