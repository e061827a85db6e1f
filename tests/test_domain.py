"""The pure domain: references, words, owners, SLAs, LLM output models and the JSON contract.

No servers and no database: every value here is built in memory.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError
from support.contract import FINDING_ANALYSIS_KEYS, FINDING_JSON_KEYS
from support.records import bare_record

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import (
    AlertState,
    AnalysisStatus,
    DismissReason,
    Finding,
    Severity,
)
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.record import FindingRecord, finding_json
from secagent_tui.domain.refs import FindingRef, RefError
from secagent_tui.domain.sla import SlaDays, is_overdue, sla_due_at
from secagent_tui.domain.triage import (
    Confidence,
    StoredTriage,
    TriageAction,
    TriageResult,
    TriageSource,
)
from secagent_tui.domain.verdict import Verdict, VerdictAction

# --- FindingRef ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "owner", "name", "number"),
    [
        ("acme/web#12", "acme", "web", 12),
        ("Acme-Corp/web.site_v2#1", "Acme-Corp", "web.site_v2", 1),
        ("  acme/web#7  ", "acme", "web", 7),
    ],
)
def test_ref_parses_owner_repo_and_number_and_prints_back(
    text: str, owner: str, name: str, number: int
) -> None:
    ref = FindingRef.parse(text)
    assert (ref.owner, ref.name, ref.number) == (owner, name, number)
    assert ref.repo == f"{owner}/{name}"
    assert str(ref) == text.strip()
    assert FindingRef.parse(str(ref)) == ref


@pytest.mark.parametrize(
    "text",
    ["acme/web", "acme/web#x", "acme#1", "/web#1", "acme/web#0", "acme/web/x#1", ""],
)
def test_ref_refuses_bad_forms_naming_the_bad_value(text: str) -> None:
    with pytest.raises(RefError) as caught:
        FindingRef.parse(text)
    assert repr(text) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_ref_error_names_the_offending_part() -> None:
    with pytest.raises(RefError, match=r"'x' is not a number"):
        FindingRef.parse("acme/web#x")
    with pytest.raises(RefError, match=r"'acme/web/x' is not owner/name"):
        FindingRef.parse("acme/web/x#1")
    with pytest.raises(RefError, match=r"start at 1"):
        FindingRef.parse("acme/web#0")
    with pytest.raises(RefError, match=r"expected owner/repo#number"):
        FindingRef.parse("acme/web")
    # Past the store's 32-bit INTEGER columns: names nothing, said so before any query.
    with pytest.raises(RefError, match=r"2147483648 is past 2147483647"):
        FindingRef.parse("acme/web#2147483648")
    assert FindingRef.parse("acme/web#2147483647").number == 2**31 - 1


# --- Words: severity, state, dismiss reason -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("low", Severity.LOW),
        ("medium", Severity.MEDIUM),
        ("MODERATE", Severity.MEDIUM),
        ("moderate", Severity.MEDIUM),
        (" High ", Severity.HIGH),
        ("CRITICAL", Severity.CRITICAL),
    ],
)
def test_severity_parses_github_and_advisory_words(text: str, expected: Severity) -> None:
    assert Severity.parse(text) is expected


def test_severity_refuses_an_unknown_word_naming_it() -> None:
    with pytest.raises(ValueError, match=r"unknown severity 'severe'"):
        Severity.parse("severe")


def test_severity_orders_low_to_critical() -> None:
    assert Severity.CRITICAL.at_least(Severity.HIGH)
    assert Severity.HIGH.at_least(Severity.HIGH)
    assert not Severity.MEDIUM.at_least(Severity.HIGH)


def test_state_list_parses_a_comma_list_case_insensitively() -> None:
    assert AlertState.parse_list("open, DISMISSED,fixed") == [
        AlertState.OPEN,
        AlertState.DISMISSED,
        AlertState.FIXED,
    ]
    assert AlertState.parse_list("auto_dismissed") == [AlertState.AUTO_DISMISSED]


@pytest.mark.parametrize("text", ["all", "ALL", " all "])
def test_state_list_all_means_every_state(text: str) -> None:
    assert AlertState.parse_list(text) == [
        AlertState.OPEN,
        AlertState.DISMISSED,
        AlertState.FIXED,
        AlertState.AUTO_DISMISSED,
    ]


def test_state_list_refuses_an_unknown_word_naming_it() -> None:
    with pytest.raises(ValueError, match=r"unknown state 'closed'"):
        AlertState.parse_list("open,closed")


def test_state_words_are_githubs() -> None:
    assert {s.value for s in AlertState} == {"open", "dismissed", "fixed", "auto_dismissed"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fix_started", DismissReason.FIX_STARTED),
        ("inaccurate", DismissReason.INACCURATE),
        ("no_bandwidth", DismissReason.NO_BANDWIDTH),
        ("NOT_USED", DismissReason.NOT_USED),
        (" tolerable_risk ", DismissReason.TOLERABLE_RISK),
    ],
)
def test_dismiss_reason_parses_githubs_five_reasons(text: str, expected: DismissReason) -> None:
    assert DismissReason.parse(text) is expected


def test_dismiss_reason_refuses_anything_else_naming_it() -> None:
    with pytest.raises(ValueError, match=r"unknown dismiss reason 'wont_fix'"):
        DismissReason.parse("wont_fix")


# --- Owner --------------------------------------------------------------------------------


def test_owner_takes_kind_as_a_word_and_prints_its_name() -> None:
    owner = Owner("user", "octocat")  # type: ignore[arg-type]
    assert owner.kind is OwnerKind.USER
    assert str(owner) == "octocat"
    assert Owner(OwnerKind.ORG, "acme") == Owner("org", "acme")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "acme/web", " acme", "acme "])
def test_owner_refuses_bad_names_naming_them(name: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(name))):
        Owner(OwnerKind.ORG, name)


def test_owner_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="team"):
        Owner("team", "acme")  # type: ignore[arg-type]


def test_owner_is_immutable() -> None:
    owner = Owner(OwnerKind.ORG, "acme")
    with pytest.raises(dataclasses.FrozenInstanceError):
        owner.name = "other"  # type: ignore[misc]


def test_owner_owns_its_repositories_case_insensitively() -> None:
    owner = Owner(OwnerKind.ORG, "Acme")
    assert owner.owns("acme/web")
    assert owner.owns("ACME/api")
    assert not owner.owns("acme-labs/web")
    assert not owner.owns("other/acme")


# --- SLA ----------------------------------------------------------------------------------

CREATED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("severity", "days"),
    [
        (Severity.CRITICAL, 15),
        (Severity.HIGH, 30),
        (Severity.MEDIUM, 45),
        (Severity.LOW, 90),
    ],
)
def test_sla_due_at_uses_default_days_per_severity(severity: Severity, days: int) -> None:
    assert SlaDays().days_for(severity) == days
    assert sla_due_at(CREATED, severity, SlaDays()) == CREATED + timedelta(days=days)


@pytest.mark.parametrize(
    ("severity", "days"),
    [
        (Severity.CRITICAL, 1),
        (Severity.HIGH, 2),
        (Severity.MEDIUM, 3),
        (Severity.LOW, 4),
    ],
)
def test_sla_due_at_uses_custom_days_per_severity(severity: Severity, days: int) -> None:
    custom = SlaDays(critical=1, high=2, medium=3, low=4)
    assert sla_due_at(CREATED, severity, custom) == CREATED + timedelta(days=days)


def test_is_overdue_only_after_the_due_time() -> None:
    due = CREATED + timedelta(days=15)
    days = SlaDays()
    assert not is_overdue(CREATED, Severity.CRITICAL, days, due - timedelta(seconds=1))
    assert not is_overdue(CREATED, Severity.CRITICAL, days, due)
    assert is_overdue(CREATED, Severity.CRITICAL, days, due + timedelta(seconds=1))
    # The same moment is not overdue for a low-severity alert (90 days).
    assert not is_overdue(CREATED, Severity.LOW, days, due + timedelta(seconds=1))


# --- LLM outputs --------------------------------------------------------------------------

TRIAGE_FIELDS = {"suggested_action", "confidence", "needs_sandbox", "reasoning", "dismiss_reason"}
VERDICT_FIELDS = {
    "is_exploitable",
    "confidence",
    "exploitability_reasoning",
    "usage_locations",
    "suggested_fix",
    "suggested_action",
    "summary",
}

GOOD_TRIAGE = {
    "suggested_action": "dismiss",
    "confidence": "high",
    "needs_sandbox": False,
    "reasoning": "development dependency only",
    "dismiss_reason": "not_used",
}
GOOD_VERDICT = {
    "is_exploitable": False,
    "confidence": "medium",
    "exploitability_reasoning": "the vulnerable function is never called",
    "usage_locations": ["src/app.py:12", "src/util.py"],
    "suggested_fix": "upgrade to 1.2.3",
    "suggested_action": "monitor",
    "summary": "not reachable",
}


def test_triage_result_has_exactly_the_design_field_names() -> None:
    assert set(TriageResult.model_fields) == TRIAGE_FIELDS
    assert set(TriageResult.model_json_schema()["properties"]) == TRIAGE_FIELDS


def test_verdict_has_exactly_the_design_field_names() -> None:
    assert set(Verdict.model_fields) == VERDICT_FIELDS
    assert set(Verdict.model_json_schema()["properties"]) == VERDICT_FIELDS


def test_triage_result_validates_the_design_words() -> None:
    result = TriageResult.model_validate(GOOD_TRIAGE)
    assert result.suggested_action is TriageAction.DISMISS
    assert result.confidence is Confidence.HIGH
    assert result.dismiss_reason is DismissReason.NOT_USED
    assert {a.value for a in TriageAction} == {"dismiss", "analyze_codebase", "manual_review"}
    assert {c.value for c in Confidence} == {"high", "medium", "low"}


def test_triage_result_refuses_extra_keys() -> None:
    with pytest.raises(ValidationError, match="extra"):
        TriageResult.model_validate({**GOOD_TRIAGE, "note": "x"})


@pytest.mark.parametrize(
    ("key", "value"),
    [("suggested_action", "ignore"), ("confidence", "certain"), ("dismiss_reason", "wont_fix")],
)
def test_triage_result_refuses_words_outside_the_contract(key: str, value: str) -> None:
    with pytest.raises(ValidationError):
        TriageResult.model_validate({**GOOD_TRIAGE, key: value})


def test_triage_fallback_is_analyze_codebase_with_low_confidence() -> None:
    result = TriageResult.fallback("timeout")
    assert result.suggested_action is TriageAction.ANALYZE_CODEBASE
    assert result.confidence is Confidence.LOW
    assert result.dismiss_reason is None
    assert "timeout" in result.reasoning
    # A fallback is itself a valid result, so it can be stored and read back.
    assert TriageResult.model_validate(result.model_dump()) == result


def test_verdict_refuses_extra_keys() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Verdict.model_validate({**GOOD_VERDICT, "cvss": 9.8})


@pytest.mark.parametrize("value", [True, False, "unknown"])
def test_verdict_is_exploitable_takes_true_false_or_unknown(value: bool | str) -> None:
    assert Verdict.model_validate({**GOOD_VERDICT, "is_exploitable": value}).is_exploitable == (
        value
    )


def test_verdict_is_exploitable_refuses_maybe() -> None:
    with pytest.raises(ValidationError):
        Verdict.model_validate({**GOOD_VERDICT, "is_exploitable": "maybe"})


def test_verdict_refuses_an_action_outside_the_contract() -> None:
    assert {a.value for a in VerdictAction} == {"dismiss", "open_pr", "manual_review", "monitor"}
    with pytest.raises(ValidationError):
        Verdict.model_validate({**GOOD_VERDICT, "suggested_action": "merge"})


def test_verdict_fallback_is_unknown_and_manual_review() -> None:
    verdict = Verdict.fallback("invalid json")
    assert verdict.is_exploitable == "unknown"
    assert verdict.suggested_action is VerdictAction.MANUAL_REVIEW
    assert verdict.confidence is Confidence.LOW
    assert verdict.usage_locations == []
    assert "invalid json" in verdict.exploitability_reasoning
    assert Verdict.model_validate(verdict.model_dump()) == verdict


# --- A finding as JSON --------------------------------------------------------------------

ISO_UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def _record(**changes: Any) -> FindingRecord:
    return bare_record(changes.pop("finding", synthetic_finding(7)), **changes)


def _parse_z(text: str) -> datetime:
    assert ISO_UTC_Z.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_finding_json_has_exactly_the_required_keys() -> None:
    doc = finding_json(_record(), SlaDays())
    assert set(doc) == FINDING_JSON_KEYS
    assert set(doc["analysis"]) == FINDING_ANALYSIS_KEYS


def test_finding_json_carries_githubs_values() -> None:
    record = _record()
    f = record.finding
    doc = finding_json(record, SlaDays())
    assert doc["ref"] == f"{f.repo}#{f.number}"
    assert FindingRef.parse(doc["ref"]) == FindingRef(*f.repo.split("/"), f.number)
    assert (doc["repo"], doc["number"]) == (f.repo, f.number)
    assert doc["state"] == f.state.value
    assert doc["severity"] == f.severity.value
    assert doc["scope"] == "runtime"
    assert doc["cwe_ids"] == ["CWE-79"]
    assert doc["cvss_score"] == 9.8
    assert doc["epss_percentage"] == 0.0042
    assert doc["pending_push"] is False
    assert doc["analysis"] == {
        "status": "none",
        "triage": None,
        "verdict": None,
        "error": None,
        "previous_run": None,
    }


def test_finding_json_times_are_iso_utc_with_z_and_sla_is_created_plus_days() -> None:
    record = _record()
    f = record.finding
    for days in (SlaDays(), SlaDays(critical=1, high=2, medium=3, low=4)):
        doc = finding_json(record, days)
        created = _parse_z(doc["created_at"])
        assert created == f.created_at
        assert _parse_z(doc["updated_at"]) == f.updated_at
        assert _parse_z(doc["sla_due_at"]) == created + timedelta(days=days.days_for(f.severity))


def test_finding_json_analysis_shows_status_results_and_error() -> None:
    triage = StoredTriage.of(TriageResult.model_validate(GOOD_TRIAGE), TriageSource.LLM)
    verdict = Verdict.model_validate(GOOD_VERDICT)
    doc = finding_json(
        _record(analysis_status=AnalysisStatus.COMPLETED, triage=triage, verdict=verdict),
        SlaDays(),
    )
    assert doc["analysis"] == {
        "status": "completed",
        # The stored documents, key by key: the contract fields and where triage came from.
        "triage": {**GOOD_TRIAGE, "source": "llm"},
        "verdict": GOOD_VERDICT,
        "error": None,
        "previous_run": None,
    }
    failed = finding_json(
        _record(analysis_status=AnalysisStatus.FAILED, analysis_error="ollama down"), SlaDays()
    )
    assert failed["analysis"]["status"] == "failed"
    assert failed["analysis"]["error"] == "ollama down"


def _open_finding() -> Finding:
    finding = synthetic_finding(7)
    finding.state = AlertState.OPEN
    return finding


def test_pending_dismiss_intent_shows_dismissed_with_its_reason_and_pending_push() -> None:
    record = _record(
        finding=_open_finding(),
        intent_state=AlertState.DISMISSED,
        intent_reason="not_used",
        intent_comment="only in tests",
        pending_push=True,
    )
    assert record.state is AlertState.DISMISSED
    doc = finding_json(record, SlaDays())
    assert doc["state"] == "dismissed"
    assert doc["dismissed_reason"] == "not_used"
    assert doc["dismissed_comment"] == "only in tests"
    assert doc["pending_push"] is True


def test_reopen_intent_shows_open_without_githubs_dismissal_reason() -> None:
    finding = synthetic_finding(7)
    finding.state = AlertState.DISMISSED
    finding.dismissed_reason = "tolerable_risk"
    finding.dismissed_comment = "accepted"
    record = _record(finding=finding, intent_state=AlertState.OPEN, pending_push=True)
    doc = finding_json(record, SlaDays())
    assert doc["state"] == "open"
    assert doc["dismissed_reason"] is None
    assert doc["dismissed_comment"] is None
    assert doc["pending_push"] is True


def test_without_intent_githubs_state_and_reason_show() -> None:
    finding = synthetic_finding(7)
    finding.state = AlertState.DISMISSED
    finding.dismissed_reason = "inaccurate"
    finding.dismissed_comment = "false positive"
    doc = finding_json(_record(finding=finding), SlaDays())
    assert (doc["state"], doc["dismissed_reason"], doc["dismissed_comment"]) == (
        "dismissed",
        "inaccurate",
        "false positive",
    )


def test_overdue_counts_only_open_findings_past_their_sla() -> None:
    finding = _open_finding()
    late = sla_due_at(finding.created_at, finding.severity, SlaDays()) + timedelta(seconds=1)
    assert _record(finding=finding).overdue(SlaDays(), late)
    assert not _record(finding=finding).overdue(SlaDays(), late - timedelta(seconds=2))
    dismissed = _record(finding=finding, intent_state=AlertState.DISMISSED, pending_push=True)
    assert not dismissed.overdue(SlaDays(), late)


def test_finding_json_writes_aware_non_utc_times_in_utc_with_z() -> None:
    finding = synthetic_finding(7)
    plus_two = timezone(timedelta(hours=2))
    finding.created_at = finding.created_at.astimezone(plus_two)
    finding.updated_at = finding.updated_at.astimezone(plus_two)
    doc = finding_json(_record(finding=finding), SlaDays())
    for key in ("created_at", "updated_at", "sla_due_at"):
        assert ISO_UTC_Z.match(doc[key]), doc[key]


def test_ref_with_an_overlong_number_blames_the_number() -> None:
    with pytest.raises(RefError) as caught:
        FindingRef.parse("acme/web#12345678901")
    assert "is not owner/name" not in str(caught.value)


def test_verdict_keeps_only_repository_relative_usage_locations() -> None:
    from secagent_tui.domain.verdict import Verdict

    verdict = Verdict.fallback("x").model_copy(
        update={
            "usage_locations": [
                "src/app.py:12",
                "lib/util.js",
                "/etc/passwd",
                "../outside.py:3",
                "a/../../b.py",
                "https://example.invalid/x.py:1",
                "C:/windows/x.py",
                "~/secret",
                "",
                "src/app.py:12",
            ]
        }
    )
    assert verdict.with_safe_locations().usage_locations == ["src/app.py:12", "lib/util.js"]
