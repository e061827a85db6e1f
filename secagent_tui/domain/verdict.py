"""Tier-3 extracted verdict: the exact field names of docs/architecture.md,
"LLM outputs"."""

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

    def with_safe_locations(self) -> Verdict:
        """Only repository-relative `path` or `path:line` strings survive: the model's output
        is untrusted, and these are shown and may be opened as paths."""
        return self.model_copy(update={"usage_locations": safe_locations(self.usage_locations)})

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


def safe_locations(locations: list[str]) -> list[str]:
    kept: list[str] = []
    for raw in locations:
        text = raw.strip()
        path = text.split(":", 1)[0] if ":" in text else text
        parts = path.replace("\\", "/").split("/")
        unsafe = (
            not path
            or path.startswith(("/", "~"))
            or "://" in text
            or ".." in parts
            or (len(text) > 2 and text[1] == ":" and text[2] in "/\\")  # a Windows drive
        )
        if not unsafe and text not in kept:
            kept.append(text)
    return kept
