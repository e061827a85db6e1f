"""Which dismissal reason the analysis points at (pre-selected in the dismiss dialog)."""

from __future__ import annotations

from typing import Any

from support.analysis_docs import a_triage, a_verdict
from support.records import bare_record

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import AnalysisStatus, DismissReason
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.verdict import VerdictAction


def _record(**fields: Any) -> FindingRecord:
    finding = fields.pop("finding", synthetic_finding(1))
    return bare_record(finding, **{"analysis_status": AnalysisStatus.COMPLETED, **fields})


def test_triage_s_reason_wins() -> None:
    triage = a_triage("dismiss", dismiss_reason="tolerable_risk")
    unreachable = a_verdict(is_exploitable=False, suggested_action=VerdictAction.DISMISS)
    record = _record(triage=triage, verdict=unreachable)
    assert record.suggested_dismiss_reason() is DismissReason.TOLERABLE_RISK


def test_a_verdict_of_unreachable_code_suggests_not_used() -> None:
    verdict = a_verdict(is_exploitable=False, suggested_action=VerdictAction.DISMISS)
    assert _record(verdict=verdict).suggested_dismiss_reason() is DismissReason.NOT_USED


def test_nothing_is_suggested_without_a_clear_answer() -> None:
    assert _record().suggested_dismiss_reason() is None
    for verdict in (
        a_verdict(is_exploitable="unknown", suggested_action=VerdictAction.DISMISS),
        a_verdict(is_exploitable=True, suggested_action=VerdictAction.DISMISS),
        a_verdict(is_exploitable=False, suggested_action=VerdictAction.MANUAL_REVIEW),
    ):
        assert _record(verdict=verdict).suggested_dismiss_reason() is None
