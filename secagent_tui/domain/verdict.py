"""Tier-3 extracted verdict: the exact field names of DESIGN.md "LLM outputs"."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Strict

from secagent_tui.domain.triage import Confidence


class VerdictAction(StrEnum):
    DISMISS = "dismiss"
    OPEN_PR = "open_pr"
    MANUAL_REVIEW = "manual_review"
    MONITOR = "monitor"


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Strict: "yes", "0" or 0 must not become a boolean that could drive a dismissal.
    is_exploitable: Annotated[bool, Strict()] | Literal["unknown"]
    confidence: Confidence
    exploitability_reasoning: str
    usage_locations: list[str]
    suggested_fix: str
    suggested_action: VerdictAction
    summary: str

    @classmethod
    def fallback(cls, why: str) -> Verdict:
        """Invalid extraction output: say nothing is known and hand it to a person."""
        return cls(
            is_exploitable="unknown",
            confidence=Confidence.LOW,
            exploitability_reasoning=f"fallback: {why}",
            usage_locations=[],
            suggested_fix="",
            suggested_action=VerdictAction.MANUAL_REVIEW,
            summary="Structured extraction failed; review the raw transcript.",
        )
