"""Tier-1 triage result: the exact field names other tools read (docs/architecture.md,
"LLM outputs")."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from secagent_tui.domain.finding import DismissReason


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    def at_least(self, other: Confidence) -> bool:
        return self.rank >= other.rank


class TriageAction(StrEnum):
    DISMISS = "dismiss"
    ANALYZE_CODEBASE = "analyze_codebase"
    MANUAL_REVIEW = "manual_review"


class TriageResult(BaseModel):
    """Passed as `format=` to the model, so the schema is the contract with the LLM too."""

    model_config = ConfigDict(extra="forbid")

    suggested_action: TriageAction
    confidence: Confidence
    needs_sandbox: bool
    reasoning: str = Field(max_length=4000)
    dismiss_reason: DismissReason | None = None

    @classmethod
    def fallback(cls, why: str) -> TriageResult:
        """What a failed LLM call yields: look at the code, trust nothing (never a crash)."""
        return cls(
            suggested_action=TriageAction.ANALYZE_CODEBASE,
            confidence=Confidence.LOW,
            needs_sandbox=True,
            reasoning=f"fallback: {why}"[:4000],
            dismiss_reason=None,
        )


class TriageSource(StrEnum):
    """Where a stored triage came from: a config rule, the model, or the safe fallback."""

    RULE = "rule"
    LLM = "llm"
    FALLBACK = "fallback"


class StoredTriage(TriageResult):
    """A triage as the store keeps it: the LLM's contract fields plus where it came from
    (and the rule's name when a rule decided). `findings --format json` shows this shape."""

    source: TriageSource
    rule: str | None = None

    @classmethod
    def of(cls, result: TriageResult, source: TriageSource, rule: str | None = None) -> Self:
        return cls(**result.model_dump(), source=source, rule=rule)

    def result(self) -> TriageResult:
        """The contract fields alone, for the policy and anything that compares results."""
        return TriageResult(**self.model_dump(exclude={"source", "rule"}))

    def to_json(self) -> dict[str, object]:
        """The stored document: `rule` appears only when a rule decided, as it always has."""
        return self.model_dump(mode="json", exclude={"rule"} if self.rule is None else set())
