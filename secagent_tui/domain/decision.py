"""An analyst's (or automation's) decision about an alert, and the life of its record.

The words are stored in `intents.action` / `intents.status` and read by other tools, so
they are StrEnums: compared, stored and printed as these exact strings."""

from __future__ import annotations

from enum import StrEnum

from secagent_tui.domain.finding import AlertState, DismissReason


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


class SnoozeState(StrEnum):
    """A finding dismissed until a patch exists (`findings.snooze_state`), like GitHub's
    auto-triage rule action: snoozed while no first patched version is known; once a sync
    sees one, the tool reopens it and marks it so that the queue says why it is back. Any
    other decision about the finding ends the mark."""

    SNOOZED = "snoozed"
    PATCH_AVAILABLE = "patch_available"


SNOOZE_REASON = DismissReason.TOLERABLE_RISK
"""The agreed GitHub reason of a snooze: the risk is accepted while nothing can be upgraded."""

SNOOZE_COMMENT = (
    "secagent snooze: dismissed until a patched version exists; "
    "reopened automatically when GitHub lists one."
)
"""The comment a snooze leaves on GitHub, so that anyone reading the alert there knows it
comes back by itself (within GitHub's 280 characters)."""

SNOOZE_ACTOR = "auto:snooze"
"""Who reopens a snoozed finding once its patch exists, in the audit trail."""
