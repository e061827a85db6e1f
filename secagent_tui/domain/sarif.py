"""Findings as one SARIF 2.1.0 log (`secagent findings --format sarif`).

Why SARIF: it is the one format other security tools read (code-scanning dashboards,
aggregators, review bots), so an analyst's Dependabot triage — the verdicts, the evidence
and the dismissals — can travel to them instead of staying in this tool. The shape follows
the conventions GitHub's code scanning reads: one rule per advisory with its CVSS score as
`security-severity`, CWE ids among the rule's `tags`, and a suppression for an alert that
was dismissed, so a consumer does not count it as an open problem.

Pure: records and evidence documents in, a JSON-ready dict out. Payload text is copied as
it is (a control character in a summary stays one, and the JSON writer escapes it), because
the log is data for other tools, not something painted on a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from secagent_tui.domain.finding import AlertState, Finding, Severity
from secagent_tui.domain.record import FindingRecord, finding_json
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.usage import split_location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "secagent-tui"
INFORMATION_URI = (
    "https://docs.github.com/en/code-security/dependabot/dependabot-alerts/about-dependabot-alerts"
)
"""The project has no published home page; the driver points at what its results are
(Dependabot alerts) until it has one."""

SOURCE_ROOT = "%SRCROOT%"
"""Manifest paths are relative to the root of their repository (code scanning's base id)."""

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}

_GHSA = re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}")
"""GitHub's advisory id alphabet: only an id of this shape is put into an advisory URL,
so a payload's odd `ghsa_id` cannot make the rule's `helpUri` point elsewhere."""

_USE_KINDS = (
    ("vulnerable_calls", "a call of the advisory's vulnerable function"),
    ("imports", "an import"),
    ("loaders", "a framework loader"),
    ("test_uses", "a use under test paths"),
)
"""Where the evidence pass saw the package used, most telling first: the first location of
the first non-empty list is the result's related location."""

_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")

_SUPPRESSED = (AlertState.DISMISSED, AlertState.AUTO_DISMISSED)


def sarif_log(
    records: Sequence[FindingRecord],
    days: SlaDays,
    tool_version: str,
    evidence: Mapping[int, Mapping[str, Any] | None] | None = None,
) -> dict[str, Any]:
    """One run with one rule per advisory (in the order advisories first appear) and one
    result per record, in the records' order. `evidence` maps a record's id to its evidence
    document, when the caller read them (a record does not carry it: it is kilobytes)."""
    evidence = evidence or {}
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for record in records:
        ghsa = record.finding.ghsa_id
        if ghsa not in rule_index:
            rule_index[ghsa] = len(rules)
            rules.append(_rule(record.finding))
        results.append(_result(record, rule_index[ghsa], days, evidence.get(record.id)))
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": INFORMATION_URI,
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


# ------------------------------------------------------------------------------- rules


def advisory_uri(ghsa_id: str) -> str | None:
    return f"https://github.com/advisories/{ghsa_id}" if _GHSA.fullmatch(ghsa_id) else None


def advisory_text(f: Finding) -> str:
    """The advisory's own description when the record carries it (only a finding opened
    alone does); otherwise what the alert says: summary, affected range, first patch."""
    if f.description.strip():
        return f.description
    parts = [f.summary]
    if f.vulnerable_version_range:
        parts.append(f"Vulnerable versions: {f.vulnerable_version_range}.")
    parts.append(
        f"Patched version: {f.patched_version}."
        if f.patched_version
        else "No patched version is available yet."
    )
    return "\n".join(parts)


def _rule(f: Finding) -> dict[str, Any]:
    text = advisory_text(f)
    properties: dict[str, Any] = {
        "tags": ["security", "dependabot", *f.cwe_ids],
        "precision": "high",
    }
    if f.cvss_score is not None:
        properties["security-severity"] = f"{f.cvss_score:.1f}"
    rule: dict[str, Any] = {
        "id": f.ghsa_id,
        "name": f.cve_id or f.ghsa_id,
        "shortDescription": {"text": f.summary},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": properties,
    }
    if uri := advisory_uri(f.ghsa_id):
        rule["helpUri"] = uri
    return rule


# ----------------------------------------------------------------------------- results


def _result(
    record: FindingRecord,
    index: int,
    days: SlaDays,
    evidence: Mapping[str, Any] | None,
) -> dict[str, Any]:
    f = record.finding
    doc = finding_json(record, days)
    result: dict[str, Any] = {
        "ruleId": f.ghsa_id,
        "ruleIndex": index,
        "message": {"text": _message(record)},
        "locations": [_manifest_location(f)],
        "partialFingerprints": {"repository/v1": f.repo, "alert/v1": f.ref},
        "properties": _properties(record, doc, evidence),
    }
    if record.state is AlertState.FIXED:
        # A fixed alert was checked and holds no problem any more: SARIF's "pass", which
        # takes no level. A consumer counting failures must not count it.
        result["kind"] = "pass"
        result["level"] = "none"
    else:
        result["kind"] = "fail"
        result["level"] = _LEVEL[f.severity]
    if use := first_use(evidence):
        result["relatedLocations"] = [use]
    if record.state in _SUPPRESSED:
        result["suppressions"] = [_suppression(record)]
    return result


def _message(record: FindingRecord) -> str:
    f = record.finding
    head = f"{f.ecosystem} package {f.package}"
    if f.vulnerable_version_range:
        head += f" {f.vulnerable_version_range}"
    head += f" in {f.repo} ({f.manifest_path}): {f.summary}"
    sentences = [head.rstrip(". ")]
    if f.patched_version:
        sentences.append(f"Patched in {f.patched_version}")
    if verdict := record.verdict:
        sentences.append(
            f"Verdict: {_exploitable_word(verdict.is_exploitable)}"
            f" ({verdict.confidence} confidence): {verdict.summary.rstrip('. ')}"
        )
    return ". ".join(sentences) + "."


def _exploitable_word(value: bool | str) -> str:
    if value is True:
        return "exploitable"
    if value is False:
        return "not exploitable"
    return "exploitability unknown"


def _manifest_location(f: Finding) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri_path(f.manifest_path), "uriBaseId": SOURCE_ROOT}
        },
        "message": {"text": f"manifest declaring {f.package}"},
    }


def first_use(evidence: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The first place the evidence saw the package used, as a SARIF location (a file and,
    when the evidence names one, a line), or None when it saw no use."""
    if not evidence:
        return None
    for key, what in _USE_KINDS:
        places = evidence.get(key)
        if not isinstance(places, list):
            continue
        for place in places:
            if isinstance(place, str) and (location := _file_location(place)):
                location["id"] = 1
                location["message"] = {"text": f"first use found by the evidence pass: {what}"}
                return location
    return None


def _file_location(place: str) -> dict[str, Any] | None:
    """`path:line`, `path:line (note)` or `path` → a physical location."""
    path, line = split_location(place)
    if not path:
        return None
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri_path(path), "uriBaseId": SOURCE_ROOT}
    }
    if line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def uri_path(path: str) -> str:
    """A repository-relative path as a relative URI reference: every byte outside the
    unreserved set and `/` percent-encoded, so a space or `#` in a path stays part of it."""
    return "".join(
        chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in path.encode("utf-8", "surrogatepass")
    )


def _suppression(record: FindingRecord) -> dict[str, Any]:
    """Dismissed on GitHub (or by the analyst, on its way there): suppressed outside the
    log, accepted, with GitHub's reason and the analyst's comment as the justification."""
    reason = record.dismissed_reason
    if reason is None and record.state is AlertState.AUTO_DISMISSED:
        reason = "auto_dismissed"
    parts = [p for p in (reason, record.dismissed_comment) if p]
    suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
    if parts:
        suppression["justification"] = ": ".join(parts)
    return suppression


def _properties(
    record: FindingRecord, doc: Mapping[str, Any], evidence: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What a consumer needs to act on the result without this tool: the alert's ref and
    URL, its state, who has it, when it is due, and what the analysis concluded."""
    props = {
        key: doc[key]
        for key in (
            "ref",
            "repo",
            "number",
            "state",
            "severity",
            "package",
            "ecosystem",
            "scope",
            "cve_id",
            "cvss_score",
            "epss_percentage",
            "vulnerable_version_range",
            "patched_version",
            "html_url",
            "created_at",
            "sla_due_at",
            "dismissed_reason",
            "dismissed_comment",
            "pending_push",
        )
    }
    props["assignees"] = list(record.assignees)
    props["analysis_status"] = record.analysis_status.value
    if record.verdict is not None:
        props["exploitable"] = record.verdict.is_exploitable
    if evidence and isinstance(evidence.get("usage"), str):
        props["usage"] = evidence["usage"]
    return props
