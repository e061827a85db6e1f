"""A finding's record as a sync leaves it, for tests of pure functions over records (the
JSON and SARIF documents, filters, campaign plans, screens): no decision, no analysis,
unless a test says otherwise."""

from __future__ import annotations

from typing import Any

from secagent_tui.domain.finding import AnalysisStatus, Finding
from secagent_tui.domain.record import FindingRecord


def bare_record(finding: Finding, **fields: Any) -> FindingRecord:
    """`finding`'s record with id 1, nothing decided and nothing analysed; `fields` replace
    any of those."""
    values: dict[str, Any] = {
        "id": 1,
        "finding": finding,
        "intent_state": None,
        "intent_reason": None,
        "intent_comment": None,
        "pending_push": False,
        "analysis_status": AnalysisStatus.NONE,
        "triage": None,
        "verdict": None,
        "analysis_error": None,
        **fields,
    }
    return FindingRecord(**values)
