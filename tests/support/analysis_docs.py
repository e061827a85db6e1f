"""Whole, valid triage and verdict values for tests that store an analysis: the store reads
its documents back into the domain's models, so a half document would read as absent."""

from __future__ import annotations

from typing import Any

from secagent_tui.domain.triage import StoredTriage
from secagent_tui.domain.verdict import Verdict


def a_triage(
    action: str = "analyze_codebase", confidence: str = "medium", **fields: Any
) -> StoredTriage:
    doc: dict[str, Any] = {
        "suggested_action": action,
        "confidence": confidence,
        "needs_sandbox": action == "analyze_codebase",
        "reasoning": "test triage",
        "dismiss_reason": "not_used" if action == "dismiss" else None,
        "source": "llm",
    }
    return StoredTriage.model_validate({**doc, **fields})


def a_verdict(
    is_exploitable: bool | str = False, confidence: str = "high", **fields: Any
) -> Verdict:
    doc: dict[str, Any] = {
        "is_exploitable": is_exploitable,
        "confidence": confidence,
        "exploitability_reasoning": "test verdict",
        "usage_locations": [],
        "suggested_fix": "",
        "suggested_action": "monitor" if is_exploitable is False else "manual_review",
        "summary": "test verdict",
    }
    return Verdict.model_validate({**doc, **fields})


def as_json(value: StoredTriage | Verdict) -> dict[str, Any]:
    """The document the store keeps for the value."""
    if isinstance(value, StoredTriage):
        return value.to_json()
    return value.model_dump(mode="json")
