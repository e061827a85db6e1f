"""Where a line of a finding's history comes from."""

from __future__ import annotations

from enum import StrEnum


class HistorySource(StrEnum):
    AUDIT = "audit"
    """An audit event: a decision, an automatic dismissal, a refusal."""
    INTENT = "intent"
    """An analyst's (or the policy's) recorded decision, pending or settled."""
    PUSH = "push"
    """A job that sends a decision to GitHub."""
