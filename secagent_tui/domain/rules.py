"""Deterministic triage rules (config `[[triage.rules]]`), in the spirit of GitHub's
auto-triage rules: they run before the LLM, cost nothing, and say exactly why they matched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase

from secagent_tui.domain.finding import DismissReason, Finding, Scope, Severity
from secagent_tui.domain.triage import Confidence, TriageAction, TriageResult


class RuleAction(StrEnum):
    DISMISS = "dismiss"
    ANALYZE = "analyze"
    MANUAL_REVIEW = "manual_review"
    # GitHub's "dismiss until a patch is available": a dismissal (tolerable risk) that the
    # tool reopens once a sync sees a first patched version (pipeline/snooze.py).
    SNOOZE_UNTIL_PATCH = "snooze_until_patch"

    @property
    def dismisses(self) -> bool:
        return self in (RuleAction.DISMISS, RuleAction.SNOOZE_UNTIL_PATCH)


@dataclass(frozen=True, slots=True)
class TriageRule:
    """Every given condition must hold; a condition left out matches anything."""

    name: str
    action: RuleAction
    reason: DismissReason | None = None
    comment: str = ""
    severities: tuple[Severity, ...] = ()
    min_severity: Severity | None = None
    scope: Scope | None = None
    ecosystems: tuple[str, ...] = ()
    package: str | None = None
    cwes: tuple[str, ...] = ()
    epss_min: float | None = None
    epss_max: float | None = None
    manifest: str | None = None
    patch_available: bool | None = None

    def matches(self, finding: Finding) -> bool:
        return all(check(self, finding) for check in _CHECKS)


def names_severity(rule: TriageRule) -> bool:
    """Whether the rule says which severities it is for: only such a rule may dismiss above
    `auto_dismiss.max_severity` (a rule on scope alone was not written with criticals in
    mind)."""
    return bool(rule.severities) or rule.min_severity is not None


def _severity(rule: TriageRule, f: Finding) -> bool:
    if rule.severities and f.severity not in rule.severities:
        return False
    return rule.min_severity is None or f.severity.at_least(rule.min_severity)


def _scope(rule: TriageRule, f: Finding) -> bool:
    return rule.scope is None or f.scope is rule.scope


def _ecosystem(rule: TriageRule, f: Finding) -> bool:
    return not rule.ecosystems or f.ecosystem.lower() in {e.lower() for e in rule.ecosystems}


def _package(rule: TriageRule, f: Finding) -> bool:
    return rule.package is None or fnmatchcase(f.package.lower(), rule.package.lower())


def _cwe(rule: TriageRule, f: Finding) -> bool:
    return not rule.cwes or bool({c.upper() for c in rule.cwes} & {c.upper() for c in f.cwe_ids})


def _epss(rule: TriageRule, f: Finding) -> bool:
    if rule.epss_min is None and rule.epss_max is None:
        return True
    if f.epss_percentage is None:
        return False  # unknown EPSS never satisfies an EPSS bound
    low = rule.epss_min if rule.epss_min is not None else float("-inf")
    high = rule.epss_max if rule.epss_max is not None else float("inf")
    return low <= f.epss_percentage <= high


def _manifest(rule: TriageRule, f: Finding) -> bool:
    return rule.manifest is None or fnmatchcase(f.manifest_path, rule.manifest)


def _patch(rule: TriageRule, f: Finding) -> bool:
    if rule.action is RuleAction.SNOOZE_UNTIL_PATCH and f.patched_version is not None:
        return False  # there is nothing to wait for: the finding is for an upgrade
    return rule.patch_available is None or (f.patched_version is not None) == rule.patch_available


_CHECKS = (_severity, _scope, _ecosystem, _package, _cwe, _epss, _manifest, _patch)

_TRIAGE_ACTION = {
    RuleAction.DISMISS: TriageAction.DISMISS,
    RuleAction.ANALYZE: TriageAction.ANALYZE_CODEBASE,
    RuleAction.MANUAL_REVIEW: TriageAction.MANUAL_REVIEW,
    RuleAction.SNOOZE_UNTIL_PATCH: TriageAction.DISMISS,
}


_REASON = {RuleAction.SNOOZE_UNTIL_PATCH: DismissReason.TOLERABLE_RISK}
"""The reason a rule action always dismisses with (the snooze's agreed one)."""


def first_match(rules: Sequence[TriageRule], finding: Finding) -> TriageRule | None:
    return next((rule for rule in rules if rule.matches(finding)), None)


def triage_from_rule(rule: TriageRule) -> TriageResult:
    """A rule's decision in the same shape as the LLM's, with full confidence."""
    return TriageResult(
        suggested_action=_TRIAGE_ACTION[rule.action],
        confidence=Confidence.HIGH,
        needs_sandbox=rule.action is RuleAction.ANALYZE,
        reasoning=f"rule {rule.name!r} matched" + (f": {rule.comment}" if rule.comment else ""),
        dismiss_reason=_REASON.get(rule.action, rule.reason) if rule.action.dismisses else None,
    )
