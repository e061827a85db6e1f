"""SARIF 2.1.0 export (issue 16, item 4): the pure builder, then `secagent findings --format
sarif` over a real database on both backends, validated against the official OASIS schema
(tests/data/sarif/, see SOURCE.md there) and filtered exactly as `--format json` is.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators
from sqlalchemy import update
from support.analysis_docs import a_verdict, as_json
from support.cli import CliSandbox
from support.records import bare_record

from secagent_tui.cli.output import json_document
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import AlertState, AnalysisStatus, Finding, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sarif import sarif_log, uri_path
from secagent_tui.domain.sla import SlaDays
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade
from secagent_tui.store.schema import findings

SCHEMA_FILE = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"
DAYS = SlaDays()
SHARED_GHSA = "GHSA-4x8r-9cj3-6q2v"


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_errors(doc: Any) -> list[str]:
    """Every violation of the SARIF schema, by path. The validator is the one the schema's
    own `$schema` names (draft-04 for the OASIS file); formats are not checked, and every
    `$ref` is local (`#/definitions/...`), so nothing is fetched."""
    schema = _schema()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]


def _finding(n: int, **fields: Any) -> Finding:
    base = synthetic_finding(n, repos=20)
    return dataclasses.replace(base, **{"state": AlertState.OPEN, **fields})


def _record(finding: Finding, n: int = 1, **fields: Any) -> FindingRecord:
    return bare_record(finding, id=n, **fields)


def _run(doc: dict[str, Any]) -> dict[str, Any]:
    [run] = doc["runs"]
    return run


# ---------------------------------------------------------------------------- the builder


def test_level_follows_severity_and_a_fixed_alert_is_a_pass() -> None:
    records = [
        _record(_finding(i, severity=severity), i)
        for i, severity in enumerate(
            [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
        )
    ]
    records.append(_record(_finding(9, severity=Severity.CRITICAL, state=AlertState.FIXED), 9))

    results = _run(sarif_log(records, DAYS, "1.2.3"))["results"]

    assert [(r["kind"], r["level"]) for r in results] == [
        ("fail", "error"),
        ("fail", "error"),
        ("fail", "warning"),
        ("fail", "note"),
        ("pass", "none"),
    ]


def test_findings_of_one_advisory_share_one_rule_with_its_cvss_cwe_and_help() -> None:
    a1 = _finding(1, ghsa_id=SHARED_GHSA, cwe_ids=["CWE-400", "CWE-1333"], cvss_score=7.5)
    other = _finding(2, cvss_score=None)
    a2 = _finding(3, ghsa_id=SHARED_GHSA, cwe_ids=["CWE-400", "CWE-1333"], cvss_score=7.5)
    records = [_record(a1, 1), _record(other, 2), _record(a2, 3)]

    run = _run(sarif_log(records, DAYS, "1.2.3"))

    rules, results = run["tool"]["driver"]["rules"], run["results"]
    assert [r["id"] for r in rules] == [SHARED_GHSA, other.ghsa_id]
    assert [r["ruleIndex"] for r in results] == [0, 1, 0]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    shared = rules[0]
    assert shared["properties"]["security-severity"] == "7.5"
    assert shared["properties"]["tags"] == ["security", "dependabot", "CWE-400", "CWE-1333"]
    assert shared["helpUri"] == f"https://github.com/advisories/{SHARED_GHSA}"
    assert shared["shortDescription"]["text"] == a1.summary
    # The export's records carry no advisory description: the help says range and patch.
    assert "< 1.2.3" in shared["help"]["text"] and "1.2.3." in shared["help"]["text"]
    assert "security-severity" not in rules[1]["properties"]
    # The results' order is the records' order.
    assert [r["properties"]["ref"] for r in results] == [a1.ref, other.ref, a2.ref]
    assert run["tool"]["driver"]["version"] == "1.2.3"


def test_the_advisory_description_is_the_help_when_the_record_has_it() -> None:
    finding = _finding(1, description="## Impact\nA long description.")

    [rule] = _run(sarif_log([_record(finding)], DAYS, "1"))["tool"]["driver"]["rules"]

    assert rule["fullDescription"]["text"] == "## Impact\nA long description."
    assert rule["help"]["text"] == "## Impact\nA long description."


def test_an_advisory_id_of_another_shape_gets_no_help_uri() -> None:
    finding = _finding(1, ghsa_id="GHSA-../../evil")

    [rule] = _run(sarif_log([_record(finding)], DAYS, "1"))["tool"]["driver"]["rules"]

    assert rule["id"] == "GHSA-../../evil"
    assert "helpUri" not in rule


def test_a_dismissed_finding_is_suppressed_with_its_reason_and_comment() -> None:
    on_github = _finding(
        1,
        state=AlertState.DISMISSED,
        dismissed_reason="tolerable_risk",
        dismissed_comment="behind the VPN",
    )
    local = _finding(2)
    reopened = _finding(3, state=AlertState.DISMISSED, dismissed_reason="inaccurate")
    auto = _finding(4, state=AlertState.AUTO_DISMISSED)
    records = [
        _record(on_github, 1),
        _record(
            local,
            2,
            intent_state=AlertState.DISMISSED,
            intent_reason="not_used",
            intent_comment=None,
            pending_push=True,
        ),
        _record(reopened, 3, intent_state=AlertState.OPEN),
        _record(auto, 4),
        _record(_finding(5), 5),
    ]

    results = _run(sarif_log(records, DAYS, "1"))["results"]

    assert results[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "tolerable_risk: behind the VPN",
        }
    ]
    assert results[1]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "not_used"}
    ]
    assert results[1]["properties"]["pending_push"] is True
    assert "suppressions" not in results[2]  # the analyst's reopen shows at once
    assert results[3]["suppressions"][0]["justification"] == "auto_dismissed"
    assert "suppressions" not in results[4]


def test_the_first_usage_location_of_the_evidence_is_a_related_location() -> None:
    used, calls, unused = (
        _finding(1),
        _finding(2),
        _finding(3, manifest_path="apps/my web/package.json"),
    )
    evidence = {
        1: {"usage": "used", "imports": ["src/app.js:12", "src/z.js:3"], "vulnerable_calls": []},
        2: {
            "usage": "used",
            "imports": ["src/a.js:1"],
            "vulnerable_calls": ["lib/parse.js:40"],
        },
        3: {"usage": "not_used", "imports": [], "mentions": ["README.md:4"]},
    }
    records = [_record(used, 1), _record(calls, 2), _record(unused, 3), _record(_finding(4), 4)]

    results = _run(sarif_log(records, DAYS, "1", evidence))["results"]

    [first] = results[0]["relatedLocations"]
    assert first["physicalLocation"]["artifactLocation"]["uri"] == "src/app.js"
    assert first["physicalLocation"]["region"] == {"startLine": 12}
    assert "import" in first["message"]["text"]
    [call] = results[1]["relatedLocations"]
    assert call["physicalLocation"]["artifactLocation"]["uri"] == "lib/parse.js"
    assert call["physicalLocation"]["region"] == {"startLine": 40}
    assert "relatedLocations" not in results[2]  # a mention is not a use
    assert results[2]["properties"]["usage"] == "not_used"
    assert "relatedLocations" not in results[3]  # no evidence yet
    manifest = results[2]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert manifest == {"uri": "apps/my%20web/package.json", "uriBaseId": "%SRCROOT%"}


def test_message_and_properties_say_package_range_repo_verdict_and_owner() -> None:
    finding = _finding(1, assignees=("octocat",))
    record = _record(
        finding,
        analysis_status=AnalysisStatus.COMPLETED,
        verdict=a_verdict(is_exploitable=False, summary="only the safe API is called"),
    )

    [result] = _run(sarif_log([record], DAYS, "1"))["results"]

    text = result["message"]["text"]
    assert finding.package in text and "< 1.2.3" in text and finding.repo in text
    assert "not exploitable (high confidence): only the safe API is called" in text
    props = result["properties"]
    assert props["ref"] == finding.ref and props["html_url"] == finding.html_url
    assert props["assignees"] == ["octocat"] and props["state"] == "open"
    assert props["sla_due_at"].endswith("Z") and props["exploitable"] is False
    assert result["partialFingerprints"] == {"repository/v1": finding.repo, "alert/v1": finding.ref}


def test_control_characters_in_payload_text_survive_as_json_escapes() -> None:
    summary = "ESC\x1b[31m red, NUL\x00, DEL\x7f, newline\nend"
    finding = _finding(1, summary=summary, package="pkg\tname")

    data = json_document(sarif_log([_record(finding)], DAYS, "1"))

    assert b"\x1b" not in data and b"\x00" not in data and b"\\u001b" in data
    run = _run(json.loads(data))
    assert run["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == summary
    assert run["results"][0]["properties"]["package"] == "pkg\tname"


def test_uri_path_encodes_what_a_uri_reference_cannot_hold() -> None:
    assert uri_path("a/b-c_d.e~/package.json") == "a/b-c_d.e~/package.json"
    assert uri_path("my dir/#1/ü.json") == "my%20dir/%231/%C3%BC.json"


def test_a_log_of_every_kind_of_result_validates_against_the_schema() -> None:
    records = [
        _record(_finding(1, ghsa_id=SHARED_GHSA), 1, verdict=a_verdict(is_exploitable="unknown")),
        _record(_finding(2, ghsa_id=SHARED_GHSA, state=AlertState.DISMISSED), 2),
        _record(_finding(3, state=AlertState.FIXED, cvss_score=None, cve_id=None), 3),
        _record(_finding(4, summary="bell\x07", manifest_path=""), 4),
    ]
    evidence = {
        1: {"usage": "used", "imports": ["src/app.js:0", "x.js:2"]},
        4: {"loaders": ["a.yml"]},
    }

    doc = json.loads(json_document(sarif_log(records, DAYS, "0.1.0", evidence)))

    assert schema_errors(doc) == []
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    assert schema_errors({**doc, "version": "2.0.0"})  # the validator does reject


def test_an_empty_export_is_a_valid_log_with_no_results() -> None:
    doc = sarif_log([], DAYS, "1")

    assert schema_errors(doc) == []
    assert _run(doc)["results"] == [] and _run(doc)["tool"]["driver"]["rules"] == []


# ------------------------------------------------------------------ the CLI, both backends

SEEDED = [
    *(_finding(i, ghsa_id=SHARED_GHSA) for i in range(5)),  # one advisory, five repositories
    _finding(
        5,
        state=AlertState.DISMISSED,
        dismissed_reason="not_used",
        dismissed_comment="only in the build\x1b[0m script",
    ),
    _finding(6, state=AlertState.FIXED),
    *(synthetic_finding(i, repos=20) for i in range(7, 40)),
]
EVIDENCE = {SEEDED[0].ref: {"usage": "used", "imports": ["src/index.js:7"], "mentions": []}}


def _seed(url: str) -> None:
    async def _go() -> None:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            await upsert_findings(engine, SEEDED)
            async with engine.begin() as conn:
                for finding in SEEDED:
                    if doc := EVIDENCE.get(finding.ref):
                        await conn.execute(
                            update(findings)
                            .where(
                                findings.c.repo == finding.repo,
                                findings.c.number == finding.number,
                            )
                            .values(evidence=doc, verdict=as_json(a_verdict(True)))
                        )
        finally:
            await engine.dispose()

    asyncio.run(_go())


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> tuple[CliSandbox, Path]:
    sandbox = CliSandbox(tmp_path)
    _seed(database_url)
    return sandbox, sandbox.write_config(f'[database]\nurl = "{database_url}"\n')


def _export(cli: tuple[CliSandbox, Path], fmt: str, *args: str) -> Any:
    sandbox, config = cli
    result = sandbox.invoke("--config", str(config), "findings", *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout_bytes)


def _sarif_refs(doc: dict[str, Any]) -> list[str]:
    return [r["properties"]["ref"] for r in _run(doc)["results"]]


def test_findings_format_sarif_validates_and_holds_every_finding(
    cli: tuple[CliSandbox, Path],
) -> None:
    doc = _export(cli, "sarif", "--state", "all")

    assert schema_errors(doc) == []
    run = _run(doc)
    as_listed = [item["ref"] for item in _export(cli, "json", "--state", "all")]
    assert _sarif_refs(doc) == as_listed and len(as_listed) == len(SEEDED)
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len({f.ghsa_id for f in SEEDED})
    by_ref = {r["properties"]["ref"]: r for r in run["results"]}
    shared = {by_ref[f.ref]["ruleIndex"] for f in SEEDED[:5]}
    assert len(shared) == 1 and rules[shared.pop()]["id"] == SHARED_GHSA
    dismissed = by_ref[SEEDED[5].ref]
    assert dismissed["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "not_used: only in the build\x1b[0m script",
        }
    ]
    assert by_ref[SEEDED[6].ref]["kind"] == "pass"
    [use] = by_ref[SEEDED[0].ref]["relatedLocations"]
    assert use["physicalLocation"]["artifactLocation"]["uri"] == "src/index.js"
    assert use["physicalLocation"]["region"]["startLine"] == 7
    assert "Verdict: exploitable" in by_ref[SEEDED[0].ref]["message"]["text"]
    assert "relatedLocations" not in by_ref[SEEDED[1].ref]
    assert run["tool"]["driver"]["name"] == "secagent-tui"


@pytest.mark.parametrize(
    "args",
    [
        ("--state", "dismissed"),
        ("--state", "open", "--severity", "critical,high"),
        ("--state", "all", "--repo", "acme/repo-000*", "--limit", "3"),
        (),
    ],
    ids=["dismissed", "severity", "repo-limit", "default-open"],
)
def test_filters_choose_the_same_findings_as_for_json(
    cli: tuple[CliSandbox, Path], args: tuple[str, ...]
) -> None:
    sarif = _export(cli, "sarif", *args)
    listed = [item["ref"] for item in _export(cli, "json", *args)]

    assert _sarif_refs(sarif) == listed
    assert 0 < len(listed) < len(SEEDED)
    assert schema_errors(sarif) == []
    if args == ("--state", "dismissed"):
        assert all(r.get("suppressions") for r in _run(sarif)["results"])
