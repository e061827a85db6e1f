"""The alert parser: GitHub's real payloads, their awkward corners, the demo dataset, and a
property test over payloads shaped like GitHub's schema.

The example payloads in tests/data/ are copies of the reference examples (GitHub's docs and a
real api.github.com response recorded by PyGithub); tests never read the shared folder.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secagent_tui.demo.github import generate_dataset
from secagent_tui.domain.finding import AlertState, Finding, Scope, Severity
from secagent_tui.github.parser import AlertParseError, parse_alert

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def example() -> dict[str, Any]:
    """GitHub docs, "Get a Dependabot alert" 200 example."""
    return load("alert_example.json")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the real payloads, every field -------------------------------------------------------


def test_docs_example_every_field(example: dict[str, Any]) -> None:
    f = parse_alert(example)
    assert isinstance(f, Finding)
    assert f.repo == "octocat/hello-world"
    assert f.number == 1
    assert f.state is AlertState.OPEN
    assert f.severity is Severity.MEDIUM
    assert f.package == "ansible"
    assert f.ecosystem == "pip"
    assert f.manifest_path == "path/to/requirements.txt"
    assert f.scope is Scope.RUNTIME
    assert f.relationship == "direct"
    assert f.ghsa_id == "GHSA-8f4m-hccc-8qph"
    assert f.cve_id == "CVE-2021-20191"
    assert f.summary == "Insertion of Sensitive Information into Log File in ansible"
    assert f.description.startswith("A flaw was found in ansible. Credentials")
    assert f.description == example["security_advisory"]["description"]
    assert f.cvss_score == 5.5
    assert f.cvss_vector == "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"
    assert f.epss_percentage == 0.00045
    assert isinstance(f.epss_percentile, float)
    assert f.epss_percentile == pytest.approx(0.16001)  # sent as the string "0.16001e0"
    assert f.cwe_ids == ["CWE-532"]
    assert f.vulnerable_version_range == "< 2.8.19"
    assert f.patched_version == "2.8.19"
    assert f.html_url == "https://github.com/octocat/hello-world/security/dependabot/1"
    assert f.created_at == utc(2022, 6, 14, 15, 21, 52)
    assert f.updated_at == utc(2022, 6, 14, 15, 21, 52)
    assert f.created_at.utcoffset() == timedelta(0)
    assert f.dismissed_at is None
    assert f.fixed_at is None
    assert f.dismissed_reason is None
    assert f.dismissed_comment is None
    assert f.raw is example
    assert f.ref == "octocat/hello-world#1"


def test_docs_dismissed_example_every_field() -> None:
    raw = load("alert_example_dismissed.json")
    f = parse_alert(raw)
    assert f.repo == "octocat/hello-world"
    assert f.number == 2
    assert f.state is AlertState.DISMISSED
    assert f.severity is Severity.HIGH
    assert (f.package, f.ecosystem) == ("django", "pip")
    assert f.manifest_path == "path/to/requirements.txt"
    assert f.scope is Scope.RUNTIME
    assert f.relationship == "direct"
    assert f.ghsa_id == "GHSA-rf4j-j272-fj86"
    assert f.cve_id == "CVE-2018-6188"
    assert f.summary.startswith("Django allows remote attackers to obtain potentially sensitive")
    assert f.description.startswith("django.contrib.auth.forms.AuthenticationForm in Django 2.0")
    assert f.cvss_score == 7.5
    assert f.cvss_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert f.epss_percentage is None  # this example has no epss key
    assert f.epss_percentile is None
    assert f.cwe_ids == ["CWE-200"]
    assert f.vulnerable_version_range == ">= 2.0.0, < 2.0.2"
    assert f.patched_version == "2.0.2"
    assert f.html_url == "https://github.com/octocat/hello-world/security/dependabot/2"
    assert f.created_at == utc(2022, 6, 15, 7, 43, 3)
    assert f.updated_at == utc(2022, 8, 23, 14, 29, 47)
    assert f.dismissed_at == utc(2022, 8, 23, 14, 29, 47)
    assert f.fixed_at is None
    assert f.dismissed_reason == "tolerable_risk"
    assert f.dismissed_comment == "This alert is accurate but we use a sanitizer."
    assert f.raw is raw


def test_real_pygithub_replay_every_field() -> None:
    """A real api.github.com response (Jan 2024): no relationship, epss or assignees, and an
    auto_dismissed_at key."""
    raw = load("alert_real_pygithub_replay_dismissed.json")
    assert "relationship" not in raw["dependency"]
    assert "epss" not in raw["security_advisory"]
    assert "cvss_severities" not in raw["security_advisory"]
    f = parse_alert(raw)
    assert f.repo == "coopernetes/PyGithub"
    assert f.number == 1
    assert f.state is AlertState.DISMISSED
    assert f.severity is Severity.MEDIUM
    assert (f.package, f.ecosystem) == ("jinja2", "pip")
    assert f.manifest_path == "requirements/docs.txt"
    assert f.scope is Scope.RUNTIME
    assert f.relationship is None
    assert f.ghsa_id == "GHSA-h5c8-rqwp-cp95"
    assert f.cve_id == "CVE-2024-22195"
    assert f.summary == (
        "Jinja vulnerable to HTML attribute injection when passing user input as keys to "
        "xmlattr filter"
    )
    assert f.description.startswith("The `xmlattr` filter in affected versions of Jinja")
    assert f.cvss_score == 5.4
    assert f.cvss_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"
    assert f.epss_percentage is None
    assert f.epss_percentile is None
    assert f.cwe_ids == ["CWE-79"]
    assert f.vulnerable_version_range == "< 3.1.3"
    assert f.patched_version == "3.1.3"
    assert f.html_url == "https://github.com/coopernetes/PyGithub/security/dependabot/1"
    assert f.created_at == utc(2024, 1, 20, 17, 12, 38)
    assert f.updated_at == utc(2024, 1, 22, 2, 33, 2)
    assert f.dismissed_at == utc(2024, 1, 22, 2, 33, 2)
    assert f.fixed_at is None
    assert f.dismissed_reason == "tolerable_risk"
    assert f.dismissed_comment == "Example comment"
    assert f.raw is raw


def test_parse_does_not_change_the_payload(example: dict[str, Any]) -> None:
    before = copy.deepcopy(example)
    parse_alert(example)
    assert example == before


# --- repository ---------------------------------------------------------------------------


def test_repo_argument_wins(example: dict[str, Any]) -> None:
    example["repository"] = {"full_name": "someone/else"}
    assert parse_alert(example, "acme/web").repo == "acme/web"


def test_repo_from_repository_full_name_of_the_org_endpoint(example: dict[str, Any]) -> None:
    example["repository"] = {"id": 1, "full_name": "acme/payments", "name": "payments"}
    assert parse_alert(example).repo == "acme/payments"


def test_repo_from_html_url_then_url(example: dict[str, Any]) -> None:
    assert parse_alert(example).repo == "octocat/hello-world"
    del example["html_url"]
    assert parse_alert(example).repo == "octocat/hello-world"  # from url
    example["url"] = "https://ghe.example.com/api/v3/repos/team/svc.v2/dependabot/alerts/1"
    assert parse_alert(example).repo == "team/svc.v2"


def test_repo_from_a_github_enterprise_html_url(example: dict[str, Any]) -> None:
    example["html_url"] = "https://ghe.example.com/team/svc/security/dependabot/1"
    del example["url"]
    assert parse_alert(example).repo == "team/svc"


@pytest.mark.parametrize(
    "repository", [None, {}, {"full_name": None}, {"full_name": "no-slash"}, "acme/web"]
)
def test_no_repo_anywhere_is_an_error_naming_the_alert(
    example: dict[str, Any], repository: Any
) -> None:
    example["repository"] = repository
    example["html_url"] = "https://github.com/octocat"
    del example["url"]
    with pytest.raises(AlertParseError, match=r"alert #1\b.*repository") as caught:
        parse_alert(example)
    assert isinstance(caught.value, ValueError)


# --- state, severity, scope, relationship -------------------------------------------------


@pytest.mark.parametrize("word", ["open", "dismissed", "fixed", "auto_dismissed"])
def test_every_github_state(example: dict[str, Any], word: str) -> None:
    example["state"] = word
    assert parse_alert(example).state is AlertState(word)


@pytest.mark.parametrize("word", ["reopened", "", None, 3])
def test_unknown_state_is_refused_not_guessed(example: dict[str, Any], word: Any) -> None:
    example["state"] = word
    with pytest.raises(AlertParseError, match=r"#1: field 'state'"):
        parse_alert(example)


def test_missing_state_is_refused(example: dict[str, Any]) -> None:
    del example["state"]
    with pytest.raises(AlertParseError, match=r"'state'"):
        parse_alert(example)


@pytest.mark.parametrize(
    ("word", "severity"),
    [
        ("low", Severity.LOW),
        ("medium", Severity.MEDIUM),
        ("moderate", Severity.MEDIUM),
        ("MODERATE", Severity.MEDIUM),
        ("High", Severity.HIGH),
        ("critical", Severity.CRITICAL),
    ],
)
def test_severity_is_the_advisorys(example: dict[str, Any], word: str, severity: Severity) -> None:
    example["security_advisory"]["severity"] = word
    example["security_vulnerability"]["severity"] = (
        "low" if severity is not Severity.LOW else "high"
    )
    assert parse_alert(example).severity is severity


@pytest.mark.parametrize("advisory_severity", [None, "", "unknown", 3, "missing"])
def test_severity_falls_back_to_the_vulnerabilitys(
    example: dict[str, Any], advisory_severity: Any
) -> None:
    if advisory_severity == "missing":
        del example["security_advisory"]["severity"]
    else:
        example["security_advisory"]["severity"] = advisory_severity
    example["security_vulnerability"]["severity"] = "critical"
    assert parse_alert(example).severity is Severity.CRITICAL


def test_no_severity_anywhere_is_an_error_naming_the_field(example: dict[str, Any]) -> None:
    example["security_advisory"]["severity"] = "bogus"
    del example["security_vulnerability"]["severity"]
    with pytest.raises(AlertParseError, match=r"octocat/hello-world#1: .*severity.*'bogus'"):
        parse_alert(example)


@pytest.mark.parametrize(
    ("value", "scope"),
    [
        ("runtime", Scope.RUNTIME),
        ("development", Scope.DEVELOPMENT),
        (None, None),
        ("unknown", None),
        ("test", None),
        ("missing", None),
    ],
)
def test_scope(example: dict[str, Any], value: Any, scope: Scope | None) -> None:
    if value == "missing":
        del example["dependency"]["scope"]
    else:
        example["dependency"]["scope"] = value
    assert parse_alert(example).scope is scope


@pytest.mark.parametrize("value", ["direct", "transitive", "unknown", "inconclusive", None])
def test_relationship_is_kept_in_githubs_words(example: dict[str, Any], value: Any) -> None:
    example["dependency"]["relationship"] = value
    assert parse_alert(example).relationship == value


def test_missing_relationship_is_none(example: dict[str, Any]) -> None:
    del example["dependency"]["relationship"]
    assert parse_alert(example).relationship is None


# --- advisory fields ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "missing"])
def test_cve_id_none_when_null_or_missing(example: dict[str, Any], value: Any) -> None:
    if value == "missing":
        del example["security_advisory"]["cve_id"]
    else:
        example["security_advisory"]["cve_id"] = value
    assert parse_alert(example).cve_id is None


def test_null_cvss_vector_gives_no_score(example: dict[str, Any]) -> None:
    """What GitHub sends for an advisory without CVSS: a null vector and a 0.0 score."""
    sa = example["security_advisory"]
    sa["cvss"] = {"vector_string": None, "score": 0.0}
    sa["cvss_severities"] = {
        "cvss_v3": {"vector_string": None, "score": 0.0},
        "cvss_v4": {"vector_string": None, "score": 0.0},
    }
    f = parse_alert(example)
    assert f.cvss_score is None
    assert f.cvss_vector is None


def test_null_cvss_vector_and_score(example: dict[str, Any]) -> None:
    sa = example["security_advisory"]
    sa["cvss"] = {"vector_string": None, "score": None}
    sa["cvss_severities"] = None
    f = parse_alert(example)
    assert (f.cvss_score, f.cvss_vector) == (None, None)


def test_cvss_missing_falls_back_to_cvss_v3(example: dict[str, Any]) -> None:
    sa = example["security_advisory"]
    del sa["cvss"]
    sa["cvss_severities"]["cvss_v3"] = {"vector_string": "CVSS:3.1/AV:N/X", "score": 9.8}
    f = parse_alert(example)
    assert (f.cvss_score, f.cvss_vector) == (9.8, "CVSS:3.1/AV:N/X")


def test_cvss_v4_alone_is_not_used_as_the_cvss_score(example: dict[str, Any]) -> None:
    sa = example["security_advisory"]
    del sa["cvss"]
    sa["cvss_severities"]["cvss_v3"] = None
    f = parse_alert(example)
    assert (f.cvss_score, f.cvss_vector) == (None, None)


def test_no_cvss_at_all(example: dict[str, Any]) -> None:
    del example["security_advisory"]["cvss"]
    del example["security_advisory"]["cvss_severities"]
    f = parse_alert(example)
    assert (f.cvss_score, f.cvss_vector) == (None, None)


@pytest.mark.parametrize(
    ("epss", "percentage", "percentile"),
    [
        ({"percentage": 0.00045, "percentile": "0.16001e0"}, 0.00045, 0.16001),
        ({"percentage": "0.00045", "percentile": 0.16001}, 0.00045, 0.16001),
        ({"percentage": 0, "percentile": 1}, 0.0, 1.0),
        ([{"percentage": 0.25, "percentile": "0.9e0"}], 0.25, 0.9),
        ([{"percentage": 0.25, "percentile": 0.9}, {"percentage": 0.5}], 0.25, 0.9),
        ([], None, None),
        (None, None, None),
        ({}, None, None),
        ({"percentage": None, "percentile": None}, None, None),
        ({"percentage": "n/a", "percentile": "NaN"}, None, None),
        ({"percentage": 0.1}, 0.1, None),
        ("0.1", None, None),
    ],
)
def test_epss_shapes(
    example: dict[str, Any], epss: Any, percentage: float | None, percentile: float | None
) -> None:
    example["security_advisory"]["epss"] = epss
    f = parse_alert(example)
    assert f.epss_percentage == percentage
    assert f.epss_percentile == (pytest.approx(percentile) if percentile is not None else None)
    for value in (f.epss_percentage, f.epss_percentile):
        assert value is None or type(value) is float


def test_missing_epss(example: dict[str, Any]) -> None:
    del example["security_advisory"]["epss"]
    f = parse_alert(example)
    assert (f.epss_percentage, f.epss_percentile) == (None, None)


def test_cwes(example: dict[str, Any]) -> None:
    sa = example["security_advisory"]
    sa["cwes"] = [{"cwe_id": "CWE-79", "name": "XSS"}, {"cwe_id": "CWE-89", "name": "SQLi"}]
    assert parse_alert(example).cwe_ids == ["CWE-79", "CWE-89"]
    sa["cwes"] = []
    assert parse_alert(example).cwe_ids == []
    del sa["cwes"]
    assert parse_alert(example).cwe_ids == []
    sa["cwes"] = None
    assert parse_alert(example).cwe_ids == []


def test_no_patched_version(example: dict[str, Any]) -> None:
    example["security_vulnerability"]["first_patched_version"] = None
    example["security_vulnerability"]["vulnerable_version_range"] = ">= 0"
    f = parse_alert(example)
    assert f.patched_version is None
    assert f.vulnerable_version_range == ">= 0"


def test_package_falls_back_to_the_vulnerabilitys(example: dict[str, Any]) -> None:
    del example["dependency"]["package"]
    example["security_vulnerability"]["package"] = {"ecosystem": "npm", "name": "lodash"}
    f = parse_alert(example)
    assert (f.package, f.ecosystem) == ("lodash", "npm")


# --- dismissal and fix --------------------------------------------------------------------


def test_auto_dismissed_uses_auto_dismissed_at(example: dict[str, Any]) -> None:
    example["state"] = "auto_dismissed"
    example["dismissed_at"] = None
    example["auto_dismissed_at"] = "2024-03-01T10:00:00Z"
    f = parse_alert(example)
    assert f.state is AlertState.AUTO_DISMISSED
    assert f.dismissed_at == utc(2024, 3, 1, 10)
    assert f.dismissed_reason is None


def test_auto_dismissed_keeps_a_dismissed_at_github_gave(example: dict[str, Any]) -> None:
    example["state"] = "auto_dismissed"
    example["dismissed_at"] = "2024-02-01T10:00:00Z"
    example["auto_dismissed_at"] = "2024-03-01T10:00:00Z"
    assert parse_alert(example).dismissed_at == utc(2024, 2, 1, 10)


def test_auto_dismissed_at_is_ignored_for_other_states(example: dict[str, Any]) -> None:
    example["auto_dismissed_at"] = "2024-03-01T10:00:00Z"
    assert parse_alert(example).dismissed_at is None


def test_fixed(example: dict[str, Any]) -> None:
    example["state"] = "fixed"
    example["fixed_at"] = "2023-01-02T03:04:05Z"
    f = parse_alert(example)
    assert f.state is AlertState.FIXED
    assert f.fixed_at == utc(2023, 1, 2, 3, 4, 5)


# --- timestamps ---------------------------------------------------------------------------


def test_timestamps_are_aware_utc(example: dict[str, Any]) -> None:
    example["created_at"] = "2022-06-14T17:21:52+02:00"
    example["updated_at"] = "2022-06-14T15:21:52.250Z"
    f = parse_alert(example)
    assert f.created_at == utc(2022, 6, 14, 15, 21, 52)
    assert f.created_at.tzinfo is UTC
    assert f.updated_at == datetime(2022, 6, 14, 15, 21, 52, 250000, tzinfo=UTC)
    assert f.updated_at.tzinfo is UTC


def test_garbage_optional_timestamp_is_none(example: dict[str, Any]) -> None:
    example["dismissed_at"] = "yesterday"
    example["fixed_at"] = 12
    f = parse_alert(example)
    assert (f.dismissed_at, f.fixed_at) == (None, None)


# --- tolerance and strictness -------------------------------------------------------------


def test_unknown_extra_fields_are_ignored(example: dict[str, Any]) -> None:
    example["dismissal_request"] = {"id": 1, "status": "pending"}
    example["future_field"] = [1, 2, 3]
    example["dependency"]["future"] = {"x": None}
    example["security_advisory"]["epss"]["future"] = "y"
    f = parse_alert(example)
    assert f.package == "ansible"
    assert f.raw is example


def test_minimal_payload_parses() -> None:
    raw = {
        "number": 5,
        "state": "open",
        "dependency": {"package": {"ecosystem": "npm", "name": "lodash"}},
        "security_advisory": {"severity": "high"},
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-02T00:00:00Z",
    }
    f = parse_alert(raw, "acme/web")
    assert (f.repo, f.number, f.package, f.severity) == ("acme/web", 5, "lodash", Severity.HIGH)
    assert (f.manifest_path, f.ghsa_id, f.summary, f.description, f.html_url) == ("",) * 5
    assert (f.scope, f.relationship, f.cve_id, f.cvss_score, f.epss_percentage) == (None,) * 5
    assert (f.vulnerable_version_range, f.patched_version, f.dismissed_at) == (None,) * 3
    assert f.cwe_ids == []


def _delete(raw: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node = raw
    for key in parents:
        node = node[key]
    del node[last]


@pytest.mark.parametrize(
    ("paths", "field"),
    [
        (["number"], "number"),
        (["state"], "state"),
        (["created_at"], "created_at"),
        (["updated_at"], "updated_at"),
        (
            ["dependency.package.name", "security_vulnerability.package.name"],
            "dependency.package.name",
        ),
        (
            ["dependency.package.ecosystem", "security_vulnerability.package.ecosystem"],
            "dependency.package.ecosystem",
        ),
        (
            ["security_advisory.severity", "security_vulnerability.severity"],
            "security_advisory.severity",
        ),
    ],
)
def test_missing_required_field_is_an_error_naming_it(
    example: dict[str, Any], paths: list[str], field: str
) -> None:
    for path in paths:
        _delete(example, path)
    with pytest.raises(AlertParseError) as caught:
        parse_alert(example)
    message = str(caught.value)
    assert f"'{field}'" in message
    if field != "number":
        assert "#1" in message


@pytest.mark.parametrize("number", [None, "1", 1.0, True, 0, -3])
def test_bad_number_is_refused(example: dict[str, Any], number: Any) -> None:
    example["number"] = number
    with pytest.raises(AlertParseError, match=r"'number' is"):
        parse_alert(example)


@pytest.mark.parametrize("value", ["2022-13-45T00:00:00Z", "", None, 1655220112])
def test_bad_created_at_is_refused(example: dict[str, Any], value: Any) -> None:
    example["created_at"] = value
    with pytest.raises(AlertParseError, match=r"octocat/hello-world#1: field 'created_at'"):
        parse_alert(example)


@pytest.mark.parametrize("raw", [None, [], "alert", 1])
def test_non_object_payload_is_refused(raw: Any) -> None:
    with pytest.raises(AlertParseError):
        parse_alert(raw)


@pytest.mark.parametrize("key", ["dependency", "security_advisory", "security_vulnerability"])
def test_wrong_typed_objects_are_treated_as_missing(example: dict[str, Any], key: str) -> None:
    example[key] = ["not", "an", "object"]
    if key == "dependency":
        f = parse_alert(example)  # the package comes from security_vulnerability
        assert (f.package, f.manifest_path, f.scope) == ("ansible", "", None)
    elif key == "security_advisory":
        f = parse_alert(example)  # severity from security_vulnerability
        assert (f.severity, f.ghsa_id, f.cvss_score, f.cwe_ids) == (Severity.MEDIUM, "", None, [])
    else:
        f = parse_alert(example)
        assert (f.vulnerable_version_range, f.patched_version) == (None, None)


# --- the demo dataset ---------------------------------------------------------------------


def test_every_demo_alert_parses_and_matches_its_payload() -> None:
    ds = generate_dataset()
    pairs = list(ds.iter_alerts())
    assert len(pairs) >= 11  # the coverage plan is complete
    findings = []
    for repo, alert in pairs:
        f = parse_alert(alert)
        assert f.repo == repo.full_name  # from repository.full_name
        assert parse_alert(alert, repo.full_name).repo == repo.full_name
        assert f.raw is alert
        assert f.number == alert["number"]
        assert f.state.value == alert["state"]
        assert f.severity.value == alert["security_advisory"]["severity"]
        assert f.package == alert["dependency"]["package"]["name"]
        assert f.ecosystem == alert["dependency"]["package"]["ecosystem"]
        assert f.manifest_path == alert["dependency"]["manifest_path"]
        assert f.ghsa_id == alert["security_advisory"]["ghsa_id"]
        assert f.cve_id == alert["security_advisory"]["cve_id"]
        assert f.created_at <= f.updated_at
        assert f.created_at.tzinfo is UTC
        if f.state is AlertState.DISMISSED:
            assert f.dismissed_at is not None and f.dismissed_reason is not None
        if f.state is AlertState.AUTO_DISMISSED:
            assert f.dismissed_at is not None
        if f.state is AlertState.FIXED:
            assert f.fixed_at is not None
        findings.append(f)
    # The awkward corners the dataset promises are all there, and all parsed.
    assert {f.state for f in findings} == set(AlertState)
    assert {f.scope for f in findings} == {Scope.RUNTIME, Scope.DEVELOPMENT, None}
    assert any(f.relationship is None for f in findings)
    assert any(f.epss_percentage is None for f in findings)
    percentiles = [f.raw["security_advisory"].get("epss", {}).get("percentile") for f in findings]
    assert any(isinstance(p, str) for p in percentiles)
    assert any(f.cve_id is None for f in findings)
    assert any(f.cvss_score is None for f in findings)
    assert any(f.patched_version is None for f in findings)


def test_a_larger_demo_dataset_parses() -> None:
    ds = generate_dataset({"big": 10}, {"solo": 2}, 30, seed=7)
    alerts = [alert for _, alert in ds.iter_alerts()]
    assert len(alerts) == 360
    for alert in alerts:
        f = parse_alert(alert)
        assert f.epss_percentage is None or 0.0 <= f.epss_percentage <= 1.0
        assert f.epss_percentile is None or 0.0 <= f.epss_percentile <= 1.0


# --- property test: payloads shaped like GitHub's schema ----------------------------------

_timestamps = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_iso = st.one_of(
    _timestamps.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    _timestamps.map(lambda d: d.isoformat()),  # +00:00, sometimes with microseconds
    _timestamps.map(lambda d: d.astimezone(timezone(timedelta(hours=-5))).isoformat()),
)
_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _words)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_words, inner, max_size=3),
    max_leaves=8,
)
_extras = st.dictionaries(
    st.text(min_size=1, max_size=12).map(lambda k: "x_" + k), _json, max_size=2
)


_keep = st.sampled_from([True, True, True, True, False])  # an optional key is dropped 1 in 5


@st.composite
def _object(draw: st.DrawFn, required: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    """A JSON object with the required keys, optional keys dropped at random, extra keys."""
    out = draw(_extras)
    for key, strategy in required.items():
        out[key] = draw(strategy)
    for key, strategy in optional.items():
        if draw(_keep):
            out[key] = draw(strategy)
    return out


_severity_words = st.sampled_from(
    ["low", "medium", "high", "critical", "moderate", "MODERATE", "LOW", "High", " critical "]
)
_unit = st.floats(min_value=0.0, max_value=1.0)
_unit_any = st.one_of(_unit, _unit.map(str), _unit.map(lambda x: f"{x:.5f}e0"))
_epss_obj = _object({}, {"percentage": _unit_any | st.none(), "percentile": _unit_any | st.none()})
_epss = st.one_of(_epss_obj, st.lists(_epss_obj, max_size=2), st.none())
_vector = st.sampled_from(
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N"]
)
_score_obj = st.fixed_dictionaries(
    {
        "vector_string": _vector | st.none(),
        "score": st.floats(min_value=0.0, max_value=10.0) | st.none(),
    }
)
_package = st.fixed_dictionaries(
    {
        "ecosystem": st.sampled_from(["npm", "pip", "maven", "go", "rust", "actions"]),
        # What GitHub can send as a name: no NUL, no lone surrogates (a payload with them is
        # refused, tested in the hostile-payload tests below).
        "name": st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
            min_size=1,
            max_size=20,
        ),
    }
)
_cwe_id = st.from_regex(r"CWE-[0-9]{1,4}", fullmatch=True)
_first_patched = st.none() | st.fixed_dictionaries({"identifier": st.none() | _words})


_advisory = _object(
    {},
    {
        "severity": _severity_words | st.none(),
        "ghsa_id": st.from_regex(r"GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", fullmatch=True),
        "cve_id": st.none() | st.from_regex(r"CVE-20[0-9]{2}-[0-9]{4,6}", fullmatch=True),
        "summary": _words,
        "description": _words,
        "vulnerabilities": st.lists(_json, max_size=2),
        "cvss": _score_obj | st.none(),
        "cvss_severities": _object({}, {"cvss_v3": _score_obj | st.none()}) | st.none(),
        "epss": _epss,
        "cwes": st.none()
        | st.lists(st.fixed_dictionaries({"cwe_id": _cwe_id, "name": _words}), max_size=3),
        "identifiers": st.lists(_json, max_size=2),
        "references": st.lists(_json, max_size=2),
        "published_at": _iso,
        "updated_at": _iso,
        "withdrawn_at": st.none() | _iso,
    },
)
_vulnerability = _object(
    {},
    {
        "package": _package,
        "severity": _severity_words,
        "vulnerable_version_range": st.none() | _words,
        "first_patched_version": _first_patched,
    },
)
_dependency = _object(
    {},
    {
        "package": _package,
        "manifest_path": _words,
        "scope": st.sampled_from(["runtime", "development", None, "Development", "unknown"]),
        "relationship": st.sampled_from(["direct", "transitive", "unknown", "inconclusive", None]),
    },
)
_owner_repo = st.tuples(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,15}", fullmatch=True),
    # GitHub never names a repository "." or ".." (the parser refuses them: path segments).
    st.from_regex(r"[A-Za-z0-9._-]{1,20}", fullmatch=True).filter(lambda n: n not in {".", ".."}),
)


@st.composite
def alert_payloads(draw: st.DrawFn) -> tuple[dict[str, Any], str, str | None]:
    """(payload, expected repo, repo argument or None) for a valid alert."""
    owner, name = draw(_owner_repo)
    number = draw(st.integers(min_value=1, max_value=10**7))
    state = draw(st.sampled_from(["open", "dismissed", "fixed", "auto_dismissed"]))
    html_url = f"https://github.com/{owner}/{name}/security/dependabot/{number}"
    raw = draw(
        _object(
            {
                "number": st.just(number),
                "state": st.just(state),
                "dependency": _dependency,
                "security_advisory": _advisory,
                "created_at": _iso,
                "updated_at": _iso,
            },
            {
                "security_vulnerability": _vulnerability,
                "url": st.just(
                    f"https://api.github.com/repos/{owner}/{name}/dependabot/alerts/{number}"
                ),
                "html_url": st.just(html_url),
                "repository": st.just({"full_name": f"{owner}/{name}", "name": name}),
                "dismissed_at": st.none() | _iso,
                "dismissed_by": st.none() | _json,
                "dismissed_reason": st.none() | st.sampled_from(["not_used", "tolerable_risk"]),
                "dismissed_comment": st.none() | _words,
                "fixed_at": st.none() | _iso,
                "auto_dismissed_at": st.none() | _iso,
                "assignees": st.lists(_json, max_size=2),
                "dismissal_request": _json,
            },
        )
    )
    argument = draw(st.none() | st.just("given/by-caller"))
    has_repo_key = any(k in raw for k in ("url", "html_url", "repository"))
    if argument is None and not has_repo_key:
        raw["html_url"] = html_url
    expected = argument or f"{owner}/{name}"
    return raw, expected, argument


def _expected_severity(raw: dict[str, Any]) -> Severity | None:
    """The advisory's severity, else the vulnerability's; None when neither has one."""
    for owner in ("security_advisory", "security_vulnerability"):
        word = raw.get(owner, {}).get("severity")
        if word is not None:
            return Severity.parse(word)
    return None


def _expected_package(raw: dict[str, Any]) -> dict[str, str] | None:
    for owner in ("dependency", "security_vulnerability"):
        package = raw.get(owner, {}).get("package")
        if package is not None:
            return package
    return None


def _check_invariants(f: Finding, raw: dict[str, Any], expected_repo: str) -> None:
    assert f.raw is raw
    assert f.repo == expected_repo
    assert f.number == raw["number"]
    assert isinstance(f.state, AlertState)
    assert f.state.value == raw["state"]
    assert isinstance(f.severity, Severity)
    assert f.severity is _expected_severity(raw)
    assert f.scope is None or isinstance(f.scope, Scope)
    assert f.cve_id is None or (isinstance(f.cve_id, str) and f.cve_id)
    for value in (f.epss_percentage, f.epss_percentile):
        assert value is None or (type(value) is float and 0.0 <= value <= 1.0)
    if f.cvss_vector is None:
        assert f.cvss_score is None
    assert all(isinstance(c, str) for c in f.cwe_ids)
    for stamp in (f.created_at, f.updated_at):
        assert stamp.tzinfo is not None and stamp.utcoffset() == timedelta(0)
    for maybe in (f.dismissed_at, f.fixed_at):
        assert maybe is None or maybe.utcoffset() == timedelta(0)
    for text in (f.package, f.ecosystem, f.manifest_path, f.ghsa_id, f.summary, f.html_url):
        assert isinstance(text, str)
    assert f.package and f.ecosystem


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alert_payloads())
def test_property_valid_payloads_parse_with_invariants(
    case: tuple[dict[str, Any], str, str | None],
) -> None:
    raw, expected_repo, argument = case
    package = _expected_package(raw)
    if package is None or _expected_severity(raw) is None:
        field = "package.name" if package is None else "severity"
        with pytest.raises(AlertParseError, match=rf"#{raw['number']}: field '[a-z_.]*{field}'"):
            parse_alert(raw, argument)
        return
    f = parse_alert(raw, argument)
    _check_invariants(f, raw, expected_repo)
    assert (f.package, f.ecosystem) == (package["name"], package["ecosystem"])
    epss = raw["security_advisory"].get("epss")
    if isinstance(epss, list):
        epss = epss[0] if epss else None
    if not epss or epss.get("percentage") is None:
        assert f.epss_percentage is None
    else:
        assert f.epss_percentage == pytest.approx(float(epss["percentage"]))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a payload (dict keys and list indexes)."""
    out: list[tuple[Any, ...]] = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        out.append((*prefix, key))
        out.extend(_paths(value, (*prefix, key)))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alert_payloads(), st.data())
def test_property_corrupted_payloads_parse_or_raise_alert_parse_error(
    case: tuple[dict[str, Any], str, str | None], data: st.DataObject
) -> None:
    """Replace or delete any field with any JSON: parse gives a finding or an AlertParseError,
    never another exception."""
    raw, _, argument = case
    paths = _paths(raw)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths))
        node: Any = raw
        try:
            for key in path[:-1]:
                node = node[key]
            if data.draw(st.booleans()):
                node[path[-1]] = data.draw(_json)
            elif isinstance(node, dict):
                del node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier corruption removed this path
    try:
        f = parse_alert(raw, argument)
    except AlertParseError as exc:
        assert str(exc)
        return
    assert f.raw is raw
    assert isinstance(f.state, AlertState) and isinstance(f.severity, Severity)
    assert f.created_at.utcoffset() == timedelta(0)
    assert f.cve_id is None or isinstance(f.cve_id, str)
    for value in (f.epss_percentage, f.epss_percentile):
        assert value is None or type(value) is float
