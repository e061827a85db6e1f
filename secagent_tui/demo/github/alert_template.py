"""GitHub's documented example Dependabot alert, the shape every generated alert copies.

Generated alerts are deep copies of :data:`ALERT_TEMPLATE` (the "Get a Dependabot alert" 200
example of GitHub's docs, transcribed so the package never reads reference files at run
time) with their values replaced, so the payload shape cannot drift from GitHub's, awkward
corners included.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["ALERT_TEMPLATE"]

_OCTOCAT: dict[str, Any] = {
    "login": "octocat",
    "id": 1,
    "node_id": "MDQ6VXNlcjE=",
    "avatar_url": "https://github.com/images/error/octocat_happy.gif",
    "gravatar_id": "",
    "url": "https://api.github.com/users/octocat",
    "html_url": "https://github.com/octocat",
    "followers_url": "https://api.github.com/users/octocat/followers",
    "following_url": "https://api.github.com/users/octocat/following{/other_user}",
    "gists_url": "https://api.github.com/users/octocat/gists{/gist_id}",
    "starred_url": "https://api.github.com/users/octocat/starred{/owner}{/repo}",
    "subscriptions_url": "https://api.github.com/users/octocat/subscriptions",
    "organizations_url": "https://api.github.com/users/octocat/orgs",
    "repos_url": "https://api.github.com/users/octocat/repos",
    "events_url": "https://api.github.com/users/octocat/events{/privacy}",
    "received_events_url": "https://api.github.com/users/octocat/received_events",
    "type": "User",
    "site_admin": False,
}

#: GitHub's documented example alert, field for field and in GitHub's key order. Generated
#: alerts are deep copies of it with values replaced, so the shape cannot drift from GitHub's.
ALERT_TEMPLATE: dict[str, Any] = {
    "number": 1,
    "state": "open",
    "dependency": {
        "package": {"ecosystem": "pip", "name": "ansible"},
        "manifest_path": "path/to/requirements.txt",
        "scope": "runtime",
        "relationship": "direct",
    },
    "security_advisory": {
        "ghsa_id": "GHSA-8f4m-hccc-8qph",
        "cve_id": "CVE-2021-20191",
        "summary": "Insertion of Sensitive Information into Log File in ansible",
        "description": (
            "A flaw was found in ansible. Credentials, such as secrets, are being disclosed in "
            "console log by default and not protected by no_log feature when using those "
            "modules. An attacker can take advantage of this information to steal those "
            "credentials. The highest threat from this vulnerability is to data confidentiality."
        ),
        "vulnerabilities": [
            {
                "package": {"ecosystem": "pip", "name": "ansible"},
                "severity": "medium",
                "vulnerable_version_range": ">= 2.9.0, < 2.9.18",
                "first_patched_version": {"identifier": "2.9.18"},
            },
            {
                "package": {"ecosystem": "pip", "name": "ansible"},
                "severity": "medium",
                "vulnerable_version_range": "< 2.8.19",
                "first_patched_version": {"identifier": "2.8.19"},
            },
            {
                "package": {"ecosystem": "pip", "name": "ansible"},
                "severity": "medium",
                "vulnerable_version_range": ">= 2.10.0, < 2.10.7",
                "first_patched_version": {"identifier": "2.10.7"},
            },
        ],
        "severity": "medium",
        "cvss": {
            "vector_string": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
            "score": 5.5,
        },
        "cvss_severities": {
            "cvss_v3": {
                "vector_string": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
                "score": 5.5,
            },
            "cvss_v4": {
                "vector_string": "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                "score": 8.5,
            },
        },
        "epss": {"percentage": 0.00045, "percentile": "0.16001e0"},
        "cwes": [{"cwe_id": "CWE-532", "name": "Insertion of Sensitive Information into Log File"}],
        "identifiers": [
            {"type": "GHSA", "value": "GHSA-8f4m-hccc-8qph"},
            {"type": "CVE", "value": "CVE-2021-20191"},
        ],
        "references": [
            {"url": "https://nvd.nist.gov/vuln/detail/CVE-2021-20191"},
            {"url": "https://access.redhat.com/security/cve/cve-2021-20191"},
            {"url": "https://bugzilla.redhat.com/show_bug.cgi?id=1916813"},
        ],
        "published_at": "2021-06-01T17:38:00Z",
        "updated_at": "2021-08-12T23:06:00Z",
        "withdrawn_at": None,
    },
    "security_vulnerability": {
        "package": {"ecosystem": "pip", "name": "ansible"},
        "severity": "medium",
        "vulnerable_version_range": "< 2.8.19",
        "first_patched_version": {"identifier": "2.8.19"},
    },
    "url": "https://api.github.com/repos/octocat/hello-world/dependabot/alerts/1",
    "html_url": "https://github.com/octocat/hello-world/security/dependabot/1",
    "created_at": "2022-06-14T15:21:52Z",
    "updated_at": "2022-06-14T15:21:52Z",
    "dismissed_at": None,
    "dismissed_by": None,
    "dismissed_reason": None,
    "dismissed_comment": None,
    "fixed_at": None,
    # Present in real api.github.com responses (PyGithub replay data), absent from the docs
    # example; always sent today, so always present here.
    "auto_dismissed_at": None,
    "assignees": [copy.deepcopy(_OCTOCAT)],
}
