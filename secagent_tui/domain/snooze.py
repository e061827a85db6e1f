"""Which findings can be snoozed until a patch exists (pipeline/snooze.py does it): the
check is the same for the CLI, the TUI (before its dialog opens) and the pipeline."""

from __future__ import annotations

from secagent_tui.domain.finding import AlertState
from secagent_tui.domain.record import FindingRecord


def snooze_refusal(record: FindingRecord) -> str | None:
    """Why this finding cannot be snoozed, or None."""
    finding = record.finding
    if finding.patched_version is not None:
        return (
            f"{finding.ref} already has a patched version ({finding.patched_version}): "
            "upgrade, or dismiss it with a reason"
        )
    if record.state is AlertState.FIXED:
        return f"{finding.ref} is fixed: there is nothing to snooze"
    return None
