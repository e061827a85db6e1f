"""A finding as the analyst sees it: GitHub's data plus the local intent and analysis.

`finding_json` is the fixed JSON shape of `secagent findings --format json` (docs/architecture.md,
"Fixed interfaces");
other tools parse it, so its keys are a contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from secagent_tui.domain.decision import PushStatus, SnoozeState
from secagent_tui.domain.finding import AlertState, AnalysisStatus, DismissReason, Finding
from secagent_tui.domain.sla import SlaDays, is_overdue, sla_due_at
from secagent_tui.domain.triage import StoredTriage
from secagent_tui.domain.verdict import Verdict, VerdictAction


@dataclass(slots=True)
class FindingRecord:
    id: int
    finding: Finding
    intent_state: AlertState | None
    intent_reason: str | None
    intent_comment: str | None
    pending_push: bool
    analysis_status: AnalysisStatus
    triage: StoredTriage | None
    verdict: Verdict | None
    analysis_error: str | None
    auto_pinned_at: datetime | None = None
    push_status: PushStatus | None = None
    push_error: str | None = None
    # The verdict of the run before the latest, while the latest has none (failed, queued,
    # running): shown labelled "previous run", never as the current run's.
    previous_verdict: Verdict | None = None
    previous_verdict_at: datetime | None = None
    # An analyst's assignment (None: none recorded, or GitHub changed the assignees since),
    # ordered against GitHub's `updated_at` like `intent_state` (the merge rule).
    intent_assignees: tuple[str, ...] | None = None
    intent_assignees_at: datetime | None = None
    # Dismissed until a patch exists, or reopened because one now does (domain/decision).
    snooze: SnoozeState | None = None

    @property
    def assignees(self) -> tuple[str, ...]:
        """An analyst's assignment shows at once; GitHub's assignees show otherwise."""
        if self.intent_assignees is not None:
            return self.intent_assignees
        return self.finding.assignees

    def suggested_dismiss_reason(self) -> DismissReason | None:
        """The reason the analysis points at: triage's when it suggested one, else "not used"
        when the verdict found the vulnerable code unreachable and suggests dismissing.
        A suggestion only pre-selects the dialog; the analyst still chooses and confirms."""
        if self.triage is not None and self.triage.dismiss_reason is not None:
            return self.triage.dismiss_reason
        verdict = self.verdict
        if (
            verdict is not None
            and verdict.is_exploitable is False
            and verdict.suggested_action is VerdictAction.DISMISS
        ):
            return DismissReason.NOT_USED
        return None

    @property
    def pinned(self) -> bool:
        """An analyst reopened it: automation leaves it alone until an analyst decides
        otherwise or GitHub changes the alert after the reopen."""
        if self.auto_pinned_at is None:
            return False
        return self.finding.updated_at <= self.auto_pinned_at

    @property
    def state(self) -> AlertState:
        """An analyst's intent shows at once; GitHub's state shows otherwise."""
        return self.intent_state or self.finding.state

    @property
    def dismissed_reason(self) -> str | None:
        if self.intent_state is AlertState.DISMISSED:
            return self.intent_reason
        if self.intent_state is AlertState.OPEN:
            return None
        return self.finding.dismissed_reason

    @property
    def dismissed_comment(self) -> str | None:
        if self.intent_state is AlertState.DISMISSED:
            return self.intent_comment
        if self.intent_state is AlertState.OPEN:
            return None
        return self.finding.dismissed_comment

    def overdue(self, days: SlaDays, now: datetime) -> bool:
        return self.state is AlertState.OPEN and is_overdue(
            self.finding.created_at, self.finding.severity, days, now
        )


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, whatever zone the value carries (naive counts as UTC)."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # what the store returns: the same text, without two copies
        return value.isoformat()[:-6] + "Z"  # "+00:00" off
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _verdict_json(verdict: Verdict | None) -> dict[str, Any] | None:
    return verdict.model_dump(mode="json") if verdict else None


def finding_json(record: FindingRecord, days: SlaDays) -> dict[str, Any]:
    f = record.finding
    return {
        "ref": f.ref,
        "repo": f.repo,
        "number": f.number,
        "state": record.state.value,
        "severity": f.severity.value,
        "package": f.package,
        "ecosystem": f.ecosystem,
        "manifest_path": f.manifest_path,
        "scope": f.scope.value if f.scope else None,
        "ghsa_id": f.ghsa_id,
        "cve_id": f.cve_id,
        "summary": f.summary,
        "cvss_score": f.cvss_score,
        "epss_percentage": f.epss_percentage,
        "cwe_ids": list(f.cwe_ids),
        "vulnerable_version_range": f.vulnerable_version_range,
        "patched_version": f.patched_version,
        "html_url": f.html_url,
        "created_at": _iso(f.created_at),
        "updated_at": _iso(f.updated_at),
        "sla_due_at": _iso(sla_due_at(f.created_at, f.severity, days)),
        "dismissed_reason": record.dismissed_reason,
        "dismissed_comment": record.dismissed_comment,
        "pending_push": record.pending_push,
        "analysis": {
            "status": record.analysis_status.value,
            "triage": record.triage.to_json() if record.triage else None,
            "verdict": _verdict_json(record.verdict),
            "error": record.analysis_error,
            "previous_run": (
                {
                    "verdict": _verdict_json(record.previous_verdict),
                    "finished_at": _iso(record.previous_verdict_at),
                }
                if record.previous_verdict and not record.verdict
                else None
            ),
        },
    }
