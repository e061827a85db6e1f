"""One raw Dependabot alert payload (GitHub's JSON as a dict) → :class:`Finding`.

This runs for every alert of every synced owner (tens of thousands per organization), so it is
plain dict access: no pydantic, no copies. ``Finding.raw`` is the input dict itself.

Strict only where a finding would be meaningless otherwise: ``number``, ``state`` (an unknown
future state is refused, not guessed), a repository, ``created_at``/``updated_at``, the
package name and ecosystem, and a severity (``Finding.severity`` cannot be empty). Everything
else is optional: a missing, null or malformed optional field gives None (or ``""``/``[]``
for the non-optional strings and lists), and unknown extra keys are ignored. Every refusal is
an :class:`AlertParseError` naming the field and the alert number.

Every value must also fit where the store keeps it, on SQLite and PostgreSQL alike: the
number an INTEGER (1..2**31-1), a string its column's length, no NUL (PostgreSQL text holds
none) and no lone surrogate (not encodable as UTF-8). A required field that does not fit
refuses the alert; an optional one is read as absent, as when malformed; a score outside its
scale (CVSS 0..10, EPSS 0..1) is not a score. One such alert must never fail the batch it
arrived in (issue 15: an alert numbered 2**70 aborted its owner's whole sync).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.finding import AlertState, Finding, Scope, Severity
from secagent_tui.domain.owner import login_problem

__all__ = ["AlertParseError", "parse_alert"]


class AlertParseError(ValueError, SecagentError):
    """A payload that cannot become a finding; the message names the field and the alert."""


_EMPTY: dict[str, Any] = {}  # read-only stand-in for a missing object; never mutated

_STATES: dict[str, AlertState] = {s.value: s for s in AlertState}
_SEVERITIES: dict[str, Severity] = {s.value: s for s in Severity}
_SEVERITIES["moderate"] = Severity.MEDIUM
_SCOPES: dict[str, Scope] = {s.value: s for s in Scope}

MAX_ALERT_NUMBER = 2**31 - 1
"""The store's `findings.number` is an INTEGER, 32 bits on PostgreSQL."""

# Column lengths of store/schema.findings, for the strings a finding maps to a column.
_PACKAGE_CHARS = 300
_ECOSYSTEM_CHARS = 30
_ID_CHARS = 40  # ghsa_id, cve_id
_SHORT_CHARS = 20  # relationship
_REASON_CHARS = 30
_VECTOR_CHARS = 200  # cvss_vector, vulnerable_version_range
_VERSION_CHARS = 100

# owner/name as GitHub spells repositories; the owner column holds 100 characters. Checked
# because the name goes into API paths and clone URLs later: `..` must never be one.
_FULL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/(?!\.\.?\Z)[A-Za-z0-9._-]{1,100}")
# https://github.com/OWNER/REPO/security/dependabot/N (GHES: any host)
_HTML_URL = re.compile(r"^https?://[^/]+/([^/]+)/([^/]+)/security/dependabot/\d+/?\Z")
# https://api.github.com/repos/OWNER/REPO/dependabot/alerts/N (GHES: .../api/v3/repos/...)
_API_URL = re.compile(r"/repos/([^/]+)/([^/]+)/dependabot/alerts/\d+/?\Z")


def parse_alert(raw: dict[str, Any], repo: str | None = None) -> Finding:
    """Turn GitHub's ``dependabot-alert`` payload into a :class:`Finding`.

    ``repo`` (``owner/name``) wins when given; otherwise it comes from ``repository.full_name``
    (organization endpoint), then from ``html_url`` or ``url``. Raises :class:`AlertParseError`
    (a ``ValueError``) and nothing else.
    """
    if not isinstance(raw, dict):
        raise AlertParseError(f"alert payload is a {type(raw).__name__}, not a JSON object")
    number = _number(raw)
    state = _state(raw, number)
    if repo is None:
        repo = _repo_of(raw, number)
    where = f"{repo}#{number}"

    dependency = _object(raw, "dependency")
    advisory = _object(raw, "security_advisory")
    vulnerability = _object(raw, "security_vulnerability")
    dep_pkg = _object(dependency, "package")
    vuln_pkg = _object(vulnerability, "package")
    package = _package_field(dep_pkg, vuln_pkg, "name", where, _PACKAGE_CHARS)
    ecosystem = _package_field(dep_pkg, vuln_pkg, "ecosystem", where, _ECOSYSTEM_CHARS)
    severity = _required_severity(advisory, vulnerability, where)

    created_at = _required_time(raw, "created_at", repo, number)
    updated_at = _required_time(raw, "updated_at", repo, number)
    dismissed_at = _time(raw.get("dismissed_at"))
    if dismissed_at is None and state is AlertState.AUTO_DISMISSED:
        dismissed_at = _time(raw.get("auto_dismissed_at"))

    cvss_score, cvss_vector = _cvss(advisory)
    epss_percentage, epss_percentile = _epss(advisory)
    patched = vulnerability.get("first_patched_version")
    patched_version = (
        _str(patched.get("identifier"), _VERSION_CHARS) if isinstance(patched, dict) else None
    )

    return Finding(
        repo=repo,
        number=number,
        state=state,
        severity=severity,
        package=package,
        ecosystem=ecosystem,
        manifest_path=_str(dependency.get("manifest_path")) or "",
        scope=_scope(dependency.get("scope")),
        relationship=_str(dependency.get("relationship"), _SHORT_CHARS),
        ghsa_id=_str(advisory.get("ghsa_id"), _ID_CHARS) or "",
        cve_id=_str(advisory.get("cve_id"), _ID_CHARS) or None,
        summary=_str(advisory.get("summary")) or "",
        cvss_score=cvss_score,
        cvss_vector=cvss_vector,
        epss_percentage=epss_percentage,
        epss_percentile=epss_percentile,
        cwe_ids=_cwe_ids(advisory),
        vulnerable_version_range=_str(vulnerability.get("vulnerable_version_range"), _VECTOR_CHARS),
        patched_version=patched_version,
        html_url=_str(raw.get("html_url")) or "",
        created_at=created_at,
        updated_at=updated_at,
        dismissed_at=dismissed_at,
        fixed_at=_time(raw.get("fixed_at")),
        dismissed_reason=_str(raw.get("dismissed_reason"), _REASON_CHARS),
        dismissed_comment=_str(raw.get("dismissed_comment")),
        assignees=_assignees(raw.get("assignees")),
        description=_str(advisory.get("description")) or "",
        raw=raw,
    )


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _number(raw: dict[str, Any]) -> int:
    """The alert's number, which every message names; refused unless an integer the store
    holds (1..2**31-1)."""
    number = raw.get("number")
    if type(number) is not int or not 1 <= number <= MAX_ALERT_NUMBER:
        raise AlertParseError(
            f"alert{_where_hint(raw)}: field 'number' is {_shown(number)}, not an alert "
            f"number (1..{MAX_ALERT_NUMBER})"
        )
    return number


def _where_hint(raw: dict[str, Any]) -> str:
    """` (owner/name)` when the payload names its repository, so a bad number is traceable."""
    try:
        return f" in {_repo_of(raw, 0)}"
    except AlertParseError:
        return ""


def _shown(value: Any) -> str:
    """A value for an error message: a huge integer's repr could be megabytes (or raise)."""
    if type(value) is int and value.bit_length() > 256:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _state(raw: dict[str, Any], number: int) -> AlertState:
    """GitHub's state word (case and spaces forgiven); an unknown state is refused, not guessed."""
    state_word = raw.get("state")
    state = None
    if isinstance(state_word, str):
        state = _STATES.get(state_word) or _STATES.get(state_word.strip().lower())
    if state is None:
        allowed = ", ".join(_STATES)
        raise AlertParseError(
            f"alert #{number}: field 'state' is {state_word!r} (expected one of {allowed})"
        )
    return state


def _object(container: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested JSON object, or the read-only empty one when it is missing or not an object."""
    value = container.get(key)
    return value if isinstance(value, dict) else _EMPTY


def _package_field(
    dep_pkg: dict[str, Any], vuln_pkg: dict[str, Any], field: str, where: str, limit: int
) -> str:
    """``dependency.package.<field>``, else the vulnerability's; a finding needs one that
    fits its column."""
    for package in (dep_pkg, vuln_pkg):
        value = package.get(field)
        if isinstance(value, str) and value:
            if not _storable(value, limit):
                raise AlertParseError(
                    f"{where}: field 'dependency.package.{field}' is {_shown(value)}: longer "
                    f"than {limit} characters, or holds NUL or unencodable characters"
                )
            return value
    raise AlertParseError(f"{where}: field 'dependency.package.{field}' is missing or empty")


def _required_severity(
    advisory: dict[str, Any], vulnerability: dict[str, Any], where: str
) -> Severity:
    """The advisory's severity, else the vulnerability's; a finding cannot have none."""
    severity = _severity(advisory.get("severity")) or _severity(vulnerability.get("severity"))
    if severity is None:
        raise AlertParseError(
            f"{where}: field 'security_advisory.severity' is "
            f"{advisory.get('severity')!r} (expected low, medium/moderate, high or critical)"
        )
    return severity


def _epss(advisory: dict[str, Any]) -> tuple[float | None, float | None]:
    """(percentage, percentile) from ``epss``, an object or a one-item list; Nones if absent."""
    epss = advisory.get("epss")
    if isinstance(epss, list):
        epss = epss[0] if epss else None
    if not isinstance(epss, dict):
        return None, None
    return _score(epss.get("percentage"), 1.0), _score(epss.get("percentile"), 1.0)


def _cwe_ids(advisory: dict[str, Any]) -> list[str]:
    cwes = advisory.get("cwes")
    if not isinstance(cwes, list):
        return []
    return [
        c["cwe_id"]
        for c in cwes
        if isinstance(c, dict) and isinstance(c.get("cwe_id"), str) and _storable(c["cwe_id"], 40)
    ]


def _assignees(users: Any) -> tuple[str, ...]:
    """The logins of GitHub's `assignees` user objects, in GitHub's order. Optional like
    `cwes`: a missing or null key (older payloads) or a malformed list is none, and an entry
    that is not a user object with a GitHub login is left out; the login later goes into a
    PATCH body and a filter, so nothing else may pass for one."""
    if not isinstance(users, list):
        return ()
    return tuple(
        u["login"]
        for u in users
        if isinstance(u, dict)
        and isinstance(u.get("login"), str)
        and login_problem(u["login"]) is None
    )


def _scope(scope_word: Any) -> Scope | None:
    if not isinstance(scope_word, str):
        return None
    return _SCOPES.get(scope_word) or _SCOPES.get(scope_word.strip().lower())


def _repo_of(raw: dict[str, Any], number: int) -> str:
    repository = raw.get("repository")
    if isinstance(repository, dict):
        full_name = repository.get("full_name")
        if isinstance(full_name, str):
            if _FULL_NAME.fullmatch(full_name):
                return full_name
            raise AlertParseError(
                f"alert #{number}: field 'repository.full_name' is {_shown(full_name)}, "
                "not owner/name"
            )
    for key, pattern in (("html_url", _HTML_URL), ("url", _API_URL)):
        value = raw.get(key)
        match = pattern.search(value) if isinstance(value, str) else None
        if match:
            full_name = f"{match.group(1)}/{match.group(2)}"
            if _FULL_NAME.fullmatch(full_name):
                return full_name
    raise AlertParseError(
        f"alert #{number}: no repository (no 'repository.full_name', and neither 'html_url' "
        f"nor 'url' names one)"
    )


def _storable(text: str, limit: int | None = None) -> bool:
    """Whether the store can keep `text` in a column of `limit` characters (None: TEXT)."""
    if (limit is not None and len(text) > limit) or "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as JSON's "\ud800" decodes
        return False
    return True


def _str(value: Any, limit: int | None = None) -> str | None:
    """A string the store can keep, else None (a malformed optional field)."""
    return value if isinstance(value, str) and _storable(value, limit) else None


def _score(value: Any, top: float) -> float | None:
    """A score on a 0..`top` scale, else None: anything outside it is not that score."""
    number = _float(value)
    return number if number is not None and 0.0 <= number <= top else None


def _severity(value: Any) -> Severity | None:
    if not isinstance(value, str):
        return None
    found = _SEVERITIES.get(value)
    if found is not None:
        return found
    try:
        return Severity.parse(value)
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    """A finite float from a number or a numeric string (``"0.16001e0"``), else None."""
    if type(value) is float:
        return value if math.isfinite(value) else None
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:  # beyond float range: not a score
            return None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _cvss(advisory: dict[str, Any]) -> tuple[float | None, str | None]:
    """(score, vector) from ``cvss``, else ``cvss_severities.cvss_v3``; (None, None) when
    GitHub gives no vector (it then sends a 0.0 or null score, which means "not scored")."""
    cvss = advisory.get("cvss")
    if isinstance(cvss, dict):
        vector = cvss.get("vector_string")
        if isinstance(vector, str) and vector:
            return _score(cvss.get("score"), 10.0), _str(vector, _VECTOR_CHARS)
    severities = advisory.get("cvss_severities")
    if isinstance(severities, dict):
        v3 = severities.get("cvss_v3")
        if isinstance(v3, dict):
            vector = v3.get("vector_string")
            if isinstance(vector, str) and vector:
                return _score(v3.get("score"), 10.0), _str(vector, _VECTOR_CHARS)
    return None, None


def _time(value: Any) -> datetime | None:
    """GitHub's ``2022-06-14T15:21:52Z`` → aware UTC datetime; None for null or garbage."""
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    tz = stamp.tzinfo
    if tz is UTC:
        return stamp
    if tz is None:  # GitHub always sends Z; a naive time is taken as UTC
        return stamp.replace(tzinfo=UTC)
    try:
        return stamp.astimezone(UTC)
    except OverflowError:
        return None


def _required_time(raw: dict[str, Any], key: str, repo: str, number: int) -> datetime:
    value = raw.get(key)
    stamp = _time(value)
    if stamp is None:
        raise AlertParseError(
            f"{repo}#{number}: field {key!r} is {value!r}, not an ISO 8601 timestamp"
        )
    return stamp
