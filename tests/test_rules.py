"""Deterministic triage rules (config `[[triage.rules]]`, docs/architecture.md,
"Auto-dismiss"):
every condition, the first-match order, the rule's decision, and the config validation."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from secagent_tui.config import ConfigError, load_config
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import DismissReason, Finding, Scope, Severity
from secagent_tui.domain.rules import RuleAction, TriageRule, first_match, triage_from_rule
from secagent_tui.domain.triage import Confidence, TriageAction


def finding(**changes: Any) -> Finding:
    base = dataclasses.replace(
        synthetic_finding(0),
        severity=Severity.HIGH,
        scope=Scope.RUNTIME,
        ecosystem="npm",
        package="lodash",
        manifest_path="package.json",
        cwe_ids=["CWE-79"],
        epss_percentage=0.05,
        patched_version="4.17.21",
    )
    return dataclasses.replace(base, **changes)


def rule(**conditions: Any) -> TriageRule:
    return TriageRule(name="r", action=RuleAction.ANALYZE, **conditions)


def test_a_rule_without_conditions_matches_anything() -> None:
    assert rule().matches(finding())
    assert rule().matches(finding(scope=None, epss_percentage=None, cwe_ids=[]))


@pytest.mark.parametrize(
    ("severities", "severity", "matches"),
    [
        ((Severity.LOW,), Severity.LOW, True),
        ((Severity.LOW,), Severity.MEDIUM, False),
        ((Severity.LOW, Severity.CRITICAL), Severity.CRITICAL, True),
        ((Severity.LOW, Severity.CRITICAL), Severity.HIGH, False),
    ],
)
def test_severity_list(severities: tuple[Severity, ...], severity: Severity, matches: bool) -> None:
    assert rule(severities=severities).matches(finding(severity=severity)) is matches


@pytest.mark.parametrize(
    ("minimum", "severity", "matches"),
    [
        (Severity.HIGH, Severity.CRITICAL, True),
        (Severity.HIGH, Severity.HIGH, True),
        (Severity.HIGH, Severity.MEDIUM, False),
        (Severity.LOW, Severity.LOW, True),
        (Severity.CRITICAL, Severity.HIGH, False),
    ],
)
def test_min_severity(minimum: Severity, severity: Severity, matches: bool) -> None:
    assert rule(min_severity=minimum).matches(finding(severity=severity)) is matches


def test_severity_list_and_minimum_must_both_hold() -> None:
    both = rule(severities=(Severity.LOW, Severity.HIGH), min_severity=Severity.MEDIUM)
    assert both.matches(finding(severity=Severity.HIGH))
    assert not both.matches(finding(severity=Severity.LOW))
    assert not both.matches(finding(severity=Severity.CRITICAL))


@pytest.mark.parametrize(
    ("scope", "matches"),
    [(Scope.DEVELOPMENT, True), (Scope.RUNTIME, False), (None, False)],
)
def test_scope(scope: Scope | None, matches: bool) -> None:
    """GitHub sends a null scope when it cannot tell; that is not 'development'."""
    assert rule(scope=Scope.DEVELOPMENT).matches(finding(scope=scope)) is matches


@pytest.mark.parametrize(
    ("ecosystem", "matches"), [("npm", True), ("NPM", True), ("pip", True), ("maven", False)]
)
def test_ecosystem_list_ignores_case(ecosystem: str, matches: bool) -> None:
    assert rule(ecosystems=("npm", "Pip")).matches(finding(ecosystem=ecosystem)) is matches


@pytest.mark.parametrize(
    ("pattern", "package", "matches"),
    [
        ("eslint-*", "eslint-plugin-react", True),
        ("eslint-*", "eslint", False),
        ("ESLint-*", "eslint-config-x", True),  # package names compare without case
        ("@types/*", "@types/node", True),
        ("org.yaml:*", "org.yaml:snakeyaml", True),
        ("lodash", "lodash", True),
        ("lodash", "lodash.template", False),
        ("lodash?template", "lodash.template", True),
    ],
)
def test_package_glob(pattern: str, package: str, matches: bool) -> None:
    assert rule(package=pattern).matches(finding(package=package)) is matches


@pytest.mark.parametrize(
    ("cwes", "found", "matches"),
    [
        (("CWE-502",), ["CWE-502"], True),
        (("cwe-502",), ["CWE-502"], True),
        (("CWE-502", "CWE-94"), ["CWE-79", "CWE-94"], True),
        (("CWE-502",), ["CWE-79"], False),
        (("CWE-502",), [], False),
    ],
)
def test_cwe_any_of(cwes: tuple[str, ...], found: list[str], matches: bool) -> None:
    assert rule(cwes=cwes).matches(finding(cwe_ids=found)) is matches


@pytest.mark.parametrize(
    ("low", "high", "epss", "matches"),
    [
        (None, 0.01, 0.005, True),
        (None, 0.01, 0.01, True),  # bounds are inclusive
        (None, 0.01, 0.0100001, False),
        (0.1, None, 0.1, True),
        (0.1, None, 0.09, False),
        (0.1, 0.5, 0.3, True),
        (0.1, 0.5, 0.6, False),
        (0.0, 1.0, 0.0, True),
        (None, 0.01, None, False),  # unknown EPSS never satisfies a bound...
        (0.0, None, None, False),
        (0.0, 1.0, None, False),
    ],
)
def test_epss_range(
    low: float | None, high: float | None, epss: float | None, matches: bool
) -> None:
    assert rule(epss_min=low, epss_max=high).matches(finding(epss_percentage=epss)) is matches


def test_unknown_epss_matches_a_rule_without_epss_bounds() -> None:
    assert rule(severities=(Severity.HIGH,)).matches(finding(epss_percentage=None))


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("package.json", "package.json", True),
        ("package.json", "web/package.json", False),
        ("*/package.json", "web/package.json", True),
        ("test/**", "test/fixtures/package.json", True),
        ("test/**", "src/package.json", False),
        ("**/requirements-dev.txt", "tools/requirements-dev.txt", True),
        ("*.lock", "Gemfile.lock", True),
    ],
)
def test_manifest_glob(pattern: str, path: str, matches: bool) -> None:
    assert rule(manifest=pattern).matches(finding(manifest_path=path)) is matches


@pytest.mark.parametrize(
    ("wanted", "patched", "matches"),
    [(True, "1.2.3", True), (True, None, False), (False, None, True), (False, "1.2.3", False)],
)
def test_patch_available(wanted: bool, patched: str | None, matches: bool) -> None:
    assert rule(patch_available=wanted).matches(finding(patched_version=patched)) is matches


def test_every_condition_must_hold() -> None:
    strict = rule(
        severities=(Severity.LOW,),
        scope=Scope.DEVELOPMENT,
        ecosystems=("npm",),
        package="eslint-*",
        cwes=("CWE-400",),
        epss_max=0.01,
        manifest="package.json",
        patch_available=True,
    )
    fitting = finding(
        severity=Severity.LOW,
        scope=Scope.DEVELOPMENT,
        package="eslint-plugin-x",
        cwe_ids=["CWE-400"],
        epss_percentage=0.001,
    )
    assert strict.matches(fitting)
    for change in (
        {"severity": Severity.MEDIUM},
        {"scope": Scope.RUNTIME},
        {"ecosystem": "pip"},
        {"package": "lodash"},
        {"cwe_ids": ["CWE-79"]},
        {"epss_percentage": 0.5},
        {"manifest_path": "web/package.json"},
        {"patched_version": None},
    ):
        assert not strict.matches(dataclasses.replace(fitting, **change)), change


def test_first_match_wins_in_config_order() -> None:
    dev = TriageRule(
        "dev", RuleAction.DISMISS, DismissReason.TOLERABLE_RISK, scope=Scope.DEVELOPMENT
    )
    low = TriageRule("low", RuleAction.MANUAL_REVIEW, severities=(Severity.LOW,))
    target = finding(scope=Scope.DEVELOPMENT, severity=Severity.LOW)
    assert first_match([dev, low], target) is dev
    assert first_match([low, dev], target) is low
    assert first_match([dev, low], finding()) is None
    assert first_match([], target) is None


@pytest.mark.parametrize(
    ("action", "expected", "sandbox"),
    [
        (RuleAction.DISMISS, TriageAction.DISMISS, False),
        (RuleAction.ANALYZE, TriageAction.ANALYZE_CODEBASE, True),
        (RuleAction.MANUAL_REVIEW, TriageAction.MANUAL_REVIEW, False),
    ],
)
def test_a_rule_decision_has_the_llm_shape_with_full_confidence(
    action: RuleAction, expected: TriageAction, sandbox: bool
) -> None:
    decided = triage_from_rule(
        TriageRule("dev-only", action, DismissReason.TOLERABLE_RISK, comment="not shipped")
    )
    assert decided.suggested_action is expected
    assert decided.confidence is Confidence.HIGH
    assert decided.needs_sandbox is sandbox
    assert decided.reasoning == "rule 'dev-only' matched: not shipped"
    expected_reason = DismissReason.TOLERABLE_RISK if action is RuleAction.DISMISS else None
    assert decided.dismiss_reason is expected_reason


# ------------------------------------------------------------------------------ config


def load(tmp_path: Path, body: str) -> Any:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return load_config(path, env={})


def test_rules_from_config_become_domain_rules(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "[[triage.rules]]\n"
        'name = "dev-only low"\naction = "dismiss"\nreason = "tolerable_risk"\n'
        'comment = "Development dependency; not shipped."\n'
        'scope = "development"\nseverity = ["low", "medium"]\necosystem = ["npm"]\n'
        'package = "eslint-*"\ncwe = ["CWE-400"]\nepss_min = 0.0\nepss_max = 0.01\n'
        'manifest = "test/**"\npatch_available = true\n\n'
        "[[triage.rules]]\n"
        'name = "critical deserialization"\naction = "manual_review"\n'
        'min_severity = "critical"\ncwe = ["CWE-502"]\n',
    )
    first, second = config.triage.rule_list()
    assert first == TriageRule(
        name="dev-only low",
        action=RuleAction.DISMISS,
        reason=DismissReason.TOLERABLE_RISK,
        comment="Development dependency; not shipped.",
        severities=(Severity.LOW, Severity.MEDIUM),
        scope=Scope.DEVELOPMENT,
        ecosystems=("npm",),
        package="eslint-*",
        cwes=("CWE-400",),
        epss_min=0.0,
        epss_max=0.01,
        manifest="test/**",
        patch_available=True,
    )
    assert second.action is RuleAction.MANUAL_REVIEW
    assert second.min_severity is Severity.CRITICAL and second.reason is None


@pytest.mark.parametrize(
    ("rule_toml", "key", "why"),
    [
        ('name = "x"\naction = "dismiss"\n', "triage.rules.0.reason", "GitHub's five reasons"),
        ('name = "x"\naction = "dismiss"\nreason = "wontfix"\n', "triage.rules.0.reason", ""),
        ('name = "x"\naction = "delete"\n', "triage.rules.0.action", ""),
        ('action = "analyze"\n', "triage.rules.0.name", "required key missing"),
        ('name = "x"\naction = "analyze"\nepss_max = 5\n', "triage.rules.0.epss_max", ""),
        (
            'name = "x"\naction = "analyze"\nseverity = ["urgent"]\n',
            "triage.rules.0.severity.0",
            "",
        ),
        ('name = "x"\naction = "analyze"\nscope = "prod"\n', "triage.rules.0.scope", ""),
        (
            'name = "x"\naction = "analyze"\nseverty = ["low"]\n',
            "triage.rules.0.severty",
            "did you mean",
        ),
        (
            f'name = "x"\naction = "dismiss"\nreason = "not_used"\ncomment = "{"c" * 281}"\n',
            "triage.rules.0.comment",
            "",
        ),
    ],
    ids=[
        "dismiss-without-reason",
        "unknown-reason",
        "unknown-action",
        "no-name",
        "epss-out-of-range",
        "unknown-severity",
        "unknown-scope",
        "misspelt-key",
        "comment-too-long",
    ],
)
def test_bad_rules_are_refused_with_one_line_naming_the_key(
    tmp_path: Path, rule_toml: str, key: str, why: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"[[triage.rules]]\n{rule_toml}")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'config.toml'}: {key}: ")
    assert why in message


def test_the_second_rule_is_named_by_its_index(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r": triage\.rules\.1\.reason: "):
        load(
            tmp_path,
            '[[triage.rules]]\nname = "a"\naction = "analyze"\n\n'
            '[[triage.rules]]\nname = "b"\naction = "dismiss"\n',
        )


def test_rule_and_view_severities_accept_the_advisory_word_moderate() -> None:
    from secagent_tui.config import TriageRuleConfig, ViewConfig
    from secagent_tui.domain.finding import Severity

    rule = TriageRuleConfig(
        name="r", action="analyze", severity=["moderate"], min_severity="MODERATE"
    )
    assert rule.severity == [Severity.MEDIUM] and rule.min_severity is Severity.MEDIUM
    assert ViewConfig(name="v", severity=["moderate"]).severity == [Severity.MEDIUM]
