"""An analyst's (or automation's) decision about an alert, and the life of its record.

The words are stored in `intents.action` / `intents.status` and read by other tools, so
they are StrEnums: compared, stored and printed as these exact strings."""

from __future__ import annotations

from enum import StrEnum

from secagent_tui.domain.finding import AlertState


class DecisionAction(StrEnum):
    DISMISS = "dismiss"
    REOPEN = "reopen"
    ASSIGN = "assign"  # sets the alert's assignees (intents.assignees); the state stays

    @property
    def wanted_state(self) -> AlertState:
        """The alert state on GitHub that this decision asks for (an assignment asks for
        none: ValueError)."""
        if self is DecisionAction.ASSIGN:
            raise ValueError("an assignment asks for no alert state")
        return AlertState.DISMISSED if self is DecisionAction.DISMISS else AlertState.OPEN

    @classmethod
    def parse(cls, value: str) -> DecisionAction:
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown action {value!r} (dismiss, reopen)") from None


class IntentStatus(StrEnum):
    """pending: recorded here, not yet confirmed by GitHub; confirmed: GitHub answered with
    the state asked for; superseded: a newer decision (or a newer change on GitHub) replaced
    it before its push; refused: GitHub refused it for good (its message is kept)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"
    REFUSED = "refused"


class PushStatus(StrEnum):
    """The latest decision's push as the queue shows it (none while all goes well)."""

    RETRYING = "retrying"  # failed for a transient reason; tried again at a known time
    REFUSED = "refused"  # GitHub's permanent answer; the state is GitHub's again
