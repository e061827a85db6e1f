"""The pure choices behind a campaign's group actions (domain/campaign.py): which findings a
campaign-wide dismissal covers and with which reason, which an analysis or a reopen
covers, and the order the campaign's findings are listed in."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from support.records import bare_record

from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.campaign import (
    TEST_ONLY_COMMENT,
    CampaignMember,
    campaign_dismissal,
    in_view_order,
    open_records,
    reopenable_records,
)
from secagent_tui.domain.finding import AlertState, AnalysisStatus, DismissReason


def member(
    n: int,
    usage: str | None,
    *,
    state: AlertState = AlertState.OPEN,
    repo: str | None = None,
    **record: Any,
) -> CampaignMember:
    finding = dataclasses.replace(
        synthetic_finding(n), repo=repo or f"acme/repo-{n:02d}", number=n + 1, state=state
    )
    values = {"id": n, "analysis_status": AnalysisStatus.COMPLETED, **record}
    return CampaignMember(bare_record(finding, **values), {"usage": usage} if usage else None)


def test_not_used_evidence_is_dismissed_as_not_used_and_test_only_as_tolerable_risk() -> None:
    members = [
        member(0, "not_used"),
        member(1, "test_only"),
        member(2, "not_used"),
        member(3, "used"),
        member(4, "maybe_used"),
        member(5, None),
        member(6, "manifest_gone"),
    ]
    plan = campaign_dismissal(members)
    by_reason = {g.reason: g for g in plan.groups}
    assert set(by_reason) == {DismissReason.NOT_USED, DismissReason.TOLERABLE_RISK}
    assert [r.id for r in by_reason[DismissReason.NOT_USED].records] == [0, 2]
    assert by_reason[DismissReason.NOT_USED].comment is None
    assert [r.id for r in by_reason[DismissReason.TOLERABLE_RISK].records] == [1]
    assert by_reason[DismissReason.TOLERABLE_RISK].comment == TEST_ONLY_COMMENT
    assert len(TEST_ONLY_COMMENT) <= 280  # GitHub's limit: the comment is sent whole
    assert plan.unsettled == 4 and plan.pinned == 0
    assert sorted(r.id for r in plan.records) == [0, 1, 2] and plan.repositories == 3


def test_a_dismissal_leaves_out_decided_findings_and_ones_an_analyst_reopened() -> None:
    reopened_at = synthetic_finding(3).updated_at + timedelta(days=1)
    members = [
        member(0, "not_used", state=AlertState.DISMISSED),
        member(1, "not_used", state=AlertState.FIXED),
        member(2, "not_used", intent_state=AlertState.DISMISSED, intent_reason="not_used"),
        member(3, "not_used", auto_pinned_at=reopened_at),
        member(4, "not_used"),
    ]
    plan = campaign_dismissal(members)
    assert [r.id for r in plan.records] == [4]
    assert plan.pinned == 1 and plan.unsettled == 0


def test_findings_in_one_repository_count_as_one_repository() -> None:
    members = [member(0, "not_used", repo="acme/web"), member(1, "test_only", repo="acme/web")]
    plan = campaign_dismissal(members)
    assert len(plan.records) == 2 and plan.repositories == 1


def test_a_campaign_without_settled_evidence_has_nothing_to_dismiss() -> None:
    plan = campaign_dismissal([member(0, "used"), member(1, None)])
    assert plan.groups == () and plan.records == [] and plan.unsettled == 2


def test_analysis_covers_the_open_findings_and_reopen_the_dismissed_ones() -> None:
    members = [
        member(0, None),
        member(1, None, state=AlertState.DISMISSED),
        member(2, None, state=AlertState.AUTO_DISMISSED),
        member(3, None, state=AlertState.FIXED),
        member(4, None, intent_state=AlertState.DISMISSED, intent_reason="not_used"),
        member(5, None, state=AlertState.DISMISSED, intent_state=AlertState.OPEN),
    ]
    assert [r.id for r in open_records(members)] == [0, 5]
    assert [r.id for r in reopenable_records(members)] == [1, 4]


def test_the_view_lists_open_findings_first_then_by_repository() -> None:
    members = [
        member(0, None, state=AlertState.FIXED, repo="acme/a"),
        member(1, None, state=AlertState.DISMISSED, repo="acme/a"),
        member(2, None, repo="acme/z"),
        member(3, None, repo="Acme/B"),
    ]
    assert [m.record.id for m in in_view_order(members)] == [3, 2, 1, 0]
