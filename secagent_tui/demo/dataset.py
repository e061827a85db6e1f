"""Deterministic GitHub data (accounts, repositories, Dependabot alerts) for the local server.

Everything the demo GitHub server answers comes from a :class:`Dataset`. The alerts are plain
``dict`` payloads shaped exactly like GitHub's ``dependabot-alert`` component: each is a deep
copy of :data:`ALERT_TEMPLATE` (GitHub's own documented example, transcribed below so the
package never reads reference files at run time) with its fields overwritten. Keeping GitHub's
shape rather than inventing one is the point: the client code under test must cope with the
real payload, including its awkward corners (missing ``relationship``/``epss``, ``epss``
percentiles sent as strings, ``null`` CVE ids and CVSS vectors, ``null`` scopes).

A seeded :class:`random.Random` drives generation, so one seed always gives the same data. The
first alerts of every dataset follow a fixed *coverage plan* (see ``_COVERAGE_PLAN``) so that
even a small dataset (eleven alerts or more) contains every ecosystem, state, scope and edge
payload; the rest are drawn with realistic weights.

The dataset has its own clock. Every change (generation excepted) takes the next tick of that
clock as ``updated_at``, so ``updated_at`` values stay distinct and strictly increasing — which
is what an incremental ``sort=updated`` sync relies on. All public methods lock, so tests may
mutate the data while the server's threads read it.
"""

from __future__ import annotations

import copy
import random
import string
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

__all__ = [
    "ALERT_TEMPLATE",
    "DEFAULT_NOW",
    "DISMISSED_REASONS",
    "ECOSYSTEMS",
    "RELATIONSHIPS",
    "SCOPES",
    "SEVERITIES",
    "STATES",
    "Account",
    "Dataset",
    "Repo",
    "generate_dataset",
    "iso",
    "parse_iso",
]

# --------------------------------------------------------------------------------------------
# GitHub's vocabulary (API version 2022-11-28)
# --------------------------------------------------------------------------------------------

#: Ecosystem words exactly as the alerts API spells them (``rust`` for Cargo, ``pip`` for PyPI).
ECOSYSTEMS: tuple[str, ...] = (
    "npm",
    "pip",
    "maven",
    "go",
    "rubygems",
    "nuget",
    "composer",
    "rust",
    "pub",
    "swift",
    "actions",
)
STATES: tuple[str, ...] = ("open", "dismissed", "fixed", "auto_dismissed")
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
SCOPES: tuple[str | None, ...] = ("runtime", "development", None)
RELATIONSHIPS: tuple[str | None, ...] = ("direct", "transitive", "unknown", "inconclusive", None)
DISMISSED_REASONS: tuple[str, ...] = (
    "fix_started",
    "inaccurate",
    "no_bandwidth",
    "not_used",
    "tolerable_risk",
)

#: Fixed default "now" so a given seed yields byte-identical payloads on every run.
DEFAULT_NOW = datetime(2025, 6, 2, 12, 0, 0, tzinfo=UTC)

AccountType = Literal["Organization", "User"]

# --------------------------------------------------------------------------------------------
# The real payload: GitHub docs, "Get a Dependabot alert" 200 example (alert_example.json)
# --------------------------------------------------------------------------------------------

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

# --------------------------------------------------------------------------------------------
# Realistic catalogue
# --------------------------------------------------------------------------------------------

#: Package names per ecosystem, spelled as GitHub's advisory database spells them.
PACKAGES: dict[str, tuple[str, ...]] = {
    "npm": (
        "lodash",
        "minimist",
        "axios",
        "express",
        "jsonwebtoken",
        "semver",
        "ws",
        "follow-redirects",
        "@babel/traverse",
        "braces",
        "webpack-dev-server",
        "vite",
    ),
    "pip": (
        "django",
        "requests",
        "jinja2",
        "pyyaml",
        "urllib3",
        "cryptography",
        "pillow",
        "werkzeug",
        "ansible",
        "black",
    ),
    "maven": (
        "org.yaml:snakeyaml",
        "com.fasterxml.jackson.core:jackson-databind",
        "org.apache.logging.log4j:log4j-core",
        "org.springframework:spring-web",
        "commons-io:commons-io",
        "io.netty:netty-codec-http2",
    ),
    "go": (
        "golang.org/x/net",
        "golang.org/x/crypto",
        "github.com/gin-gonic/gin",
        "google.golang.org/grpc",
        "github.com/golang-jwt/jwt/v4",
        "google.golang.org/protobuf",
    ),
    "rubygems": ("nokogiri", "rack", "actionpack", "activesupport", "puma", "rexml"),
    "nuget": (
        "Newtonsoft.Json",
        "System.Text.Encodings.Web",
        "Microsoft.AspNetCore.Http",
        "System.Data.SqlClient",
        "Azure.Identity",
    ),
    "composer": (
        "guzzlehttp/guzzle",
        "symfony/http-kernel",
        "laravel/framework",
        "twig/twig",
        "phpmailer/phpmailer",
    ),
    "rust": ("tokio", "openssl", "hyper", "regex", "h2", "time"),
    "pub": ("http", "archive", "shelf", "flutter_secure_storage"),
    "swift": (
        "github.com/apple/swift-nio-http2",
        "github.com/vapor/vapor",
        "github.com/swift-server/async-http-client",
    ),
    "actions": (
        "tj-actions/changed-files",
        "actions/download-artifact",
        "reviewdog/action-setup",
        "actions/checkout",
    ),
}

#: Manifest paths Dependabot reports per ecosystem (lockfiles and manifests alike).
MANIFESTS: dict[str, tuple[str, ...]] = {
    "npm": ("package-lock.json", "package.json", "yarn.lock", "frontend/package-lock.json"),
    "pip": ("requirements.txt", "poetry.lock", "requirements/dev.txt", "Pipfile.lock", "uv.lock"),
    "maven": ("pom.xml", "service/pom.xml"),
    "go": ("go.mod", "tools/go.mod"),
    "rubygems": ("Gemfile.lock",),
    "nuget": ("src/App/App.csproj", "packages.config", "packages.lock.json"),
    "composer": ("composer.lock",),
    "rust": ("Cargo.lock",),
    "pub": ("pubspec.lock",),
    "swift": ("Package.resolved",),
    "actions": (".github/workflows/ci.yml", ".github/workflows/release.yml"),
}

_LANGUAGE = {
    "npm": "TypeScript",
    "pip": "Python",
    "maven": "Java",
    "go": "Go",
    "rubygems": "Ruby",
    "nuget": "C#",
    "composer": "PHP",
    "rust": "Rust",
    "pub": "Dart",
    "swift": "Swift",
    "actions": None,
}

#: (cwe_id, name, summary template). The summary reads like a real advisory title.
CWES: tuple[tuple[str, str, str], ...] = (
    (
        "CWE-79",
        "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
        "Cross-site Scripting in {pkg}",
    ),
    (
        "CWE-89",
        "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
        "SQL Injection in {pkg}",
    ),
    (
        "CWE-1321",
        "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')",
        "Prototype Pollution in {pkg}",
    ),
    (
        "CWE-1333",
        "Inefficient Regular Expression Complexity",
        "Regular Expression Denial of Service (ReDoS) in {pkg}",
    ),
    (
        "CWE-400",
        "Uncontrolled Resource Consumption",
        "{pkg} vulnerable to Denial of Service via crafted input",
    ),
    (
        "CWE-22",
        "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
        "Path Traversal in {pkg}",
    ),
    (
        "CWE-502",
        "Deserialization of Untrusted Data",
        "Deserialization of Untrusted Data in {pkg}",
    ),
    ("CWE-918", "Server-Side Request Forgery (SSRF)", "Server-Side Request Forgery in {pkg}"),
    ("CWE-287", "Improper Authentication", "Authentication bypass in {pkg}"),
    (
        "CWE-200",
        "Exposure of Sensitive Information to an Unauthorized Actor",
        "{pkg} exposes sensitive information to an unauthorized actor",
    ),
    (
        "CWE-532",
        "Insertion of Sensitive Information into Log File",
        "Insertion of Sensitive Information into Log File in {pkg}",
    ),
    (
        "CWE-601",
        "URL Redirection to Untrusted Site ('Open Redirect')",
        "Open Redirect in {pkg}",
    ),
    (
        "CWE-94",
        "Improper Control of Generation of Code ('Code Injection')",
        "Remote Code Execution via code injection in {pkg}",
    ),
    (
        "CWE-78",
        "Improper Neutralization of Special Elements used in an OS Command "
        "('OS Command Injection')",
        "OS Command Injection in {pkg}",
    ),
    (
        "CWE-770",
        "Allocation of Resources Without Limits or Throttling",
        "{pkg} allocates resources without limits or throttling",
    ),
    ("CWE-20", "Improper Input Validation", "Improper Input Validation in {pkg}"),
    (
        "CWE-347",
        "Improper Verification of Cryptographic Signature",
        "Improper signature verification in {pkg}",
    ),
    (
        "CWE-444",
        "Inconsistent Interpretation of HTTP Requests ('HTTP Request/Response Smuggling')",
        "HTTP Request Smuggling in {pkg}",
    ),
)

#: Real CVSS vectors with their real base scores, per advisory severity.
_CVSS_V3: dict[str, tuple[tuple[str, float], ...]] = {
    "critical": (
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 9.1),
    ),
    "high": (
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1),
    ),
    "medium": (
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", 5.9),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", 5.4),
    ),
    "low": (
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1),
        ("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N", 2.5),
        ("CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N", 2.2),
    ),
}
_CVSS_V4: dict[str, tuple[str, float]] = {
    "critical": ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3),
    "high": ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 8.7),
    "medium": ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", 5.1),
    "low": ("CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 2.1),
}

_ORG_REPO_NAMES = (
    "web",
    "api",
    "payments",
    "auth-service",
    "mobile-app",
    "infra",
    "data-pipeline",
    "billing",
    "gateway",
    "search",
    "notifications",
    "admin-portal",
    "analytics",
    "sdk-python",
    "sdk-js",
    "docs",
)
_USER_REPO_NAMES = ("dotfiles", "blog", "side-project", "homelab", "scripts", "cv")

#: Logins of the people who dismiss alerts in generated data (``dismissed_by``).
ANALYSTS: tuple[str, ...] = ("octocat", "mona", "hubot")

_COMMENTS = (
    "Only used by the test runner.",
    "Vulnerable code path is not reachable from our entry points.",
    "Upgrade scheduled for the next sprint.",
    "This alert is accurate but we use a sanitizer.",
    None,
)

# Weights of the random (post-coverage-plan) alerts.
_STATE_W = {"open": 55, "dismissed": 20, "fixed": 18, "auto_dismissed": 7}
_SEV_W = {"low": 15, "medium": 40, "high": 33, "critical": 12}
_ECO_W = {
    "npm": 30,
    "pip": 20,
    "maven": 10,
    "go": 10,
    "rubygems": 7,
    "nuget": 5,
    "composer": 5,
    "rust": 5,
    "pub": 2,
    "swift": 2,
    "actions": 4,
}

#: Sentinels: ``_MISSING`` drops a key from the payload, ``_RANDOM`` lets the generator choose.
_MISSING: Any = object()
_RANDOM: Any = object()

#: Attributes forced on the first alerts of a dataset (in generation order) so even small
#: datasets cover every ecosystem, state, scope and awkward payload. ``i`` in the comments is
#: the alert's position in generation order.
_COVERAGE_PLAN: tuple[dict[str, Any], ...] = (
    # The documented example's corners: string percentile, direct relationship.
    {"percentile_as_string": True, "relationship": "direct"},
    # An older payload (PyGithub replay): no relationship, no epss, no assignees.
    {"relationship": _MISSING, "epss": False, "assignees": False},
    {"cve": False, "percentile_as_string": True},
    # No CVSS at all: GitHub sends a null vector and a 0.0 score.
    {"cvss": "null_vector"},
    {"patched": False, "cwe_count": 2},
    # Defensive corner: both vector and score null.
    {"cvss": "null_both", "relationship": None},
    {"epss": False},
    {"cwe_count": 0, "relationship": "transitive"},
    {"relationship": _MISSING},
    {"cve": False, "epss": False},
    {"percentile_as_string": True, "relationship": "unknown"},
    {"relationship": "inconclusive"},
)


def iso(dt: datetime) -> str:
    """GitHub's timestamp format: ISO 8601, UTC, seconds, ``Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Inverse of :func:`iso` (accepts ``Z`` and offsets)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass
class Account:
    """A GitHub organization or user."""

    login: str
    id: int
    type: AccountType
    name: str
    created_at: str


@dataclass
class Repo:
    """One repository and its alerts (alert number → alert payload)."""

    id: int
    owner: Account
    name: str
    private: bool
    created_at: str
    language: str | None = None
    description: str | None = None
    archived: bool = False
    #: False makes every alert endpoint of the repository answer 403 "Dependabot alerts are
    #: disabled for this repository." and hides its alerts from the organization endpoint.
    alerts_enabled: bool = True
    #: GitHub's "delegated alert dismissal": people with write access must *request* a
    #: dismissal, which a reviewer approves; a direct PATCH that dismisses is refused with
    #: 403 (reopening stays allowed).
    delegated_dismissal: bool = False
    alerts: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: The ``simple-repository`` object embedded in every alert of this repository (one shared
    #: dict, so a change such as visibility shows in every alert at once).
    simple: dict[str, Any] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.full_name}"


@dataclass
class _Advisory:
    ghsa_id: str
    cve_id: str | None
    cwes: list[tuple[str, str, str]]
    severity: str
    published_at: datetime
    ranges: list[tuple[str, str | None]]  # (vulnerable_version_range, first patched | None)


class Dataset:
    """Accounts, repositories and alerts served by the demo GitHub server.

    Read with :meth:`account`, :meth:`repo`, :meth:`alert`, :meth:`alerts`; change with the
    mutation helpers, each of which stamps ``updated_at`` with :meth:`tick`. Payload dicts are
    live: treat them as read-only and use the helpers, which lock and keep fields consistent.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        now: datetime = DEFAULT_NOW,
        api_url: str = "https://api.github.com",
        live_clock: bool = False,
    ) -> None:
        """``live_clock`` makes ticks follow the wall clock (never going backwards), for the
        demo; the default fixed clock keeps tests deterministic."""
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.api_url = api_url.rstrip("/")
        self.live_clock = live_clock
        self._now = now.astimezone(UTC).replace(microsecond=0)
        self._accounts: dict[str, Account] = {}
        self._repos: dict[str, Repo] = {}
        self._next_account_id = 1000
        self._next_repo_id = 500_000
        self._advisories: dict[tuple[str, str], list[_Advisory]] = {}
        self._ghsa_seen: set[str] = set()
        self._plan_index = 0

    # -- clock ---------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The latest tick (every ``updated_at`` in the dataset is at or before it)."""
        with self.lock:
            return self._now

    def tick(self) -> str:
        """Advance the clock by at least one second and return it as a GitHub timestamp."""
        with self.lock:
            nxt = self._now + timedelta(seconds=1)
            if self.live_clock:
                wall = datetime.now(UTC).replace(microsecond=0)
                nxt = max(nxt, wall)
            self._now = nxt
            return iso(nxt)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (e.g. to make the next change look much later)."""
        with self.lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    # -- URLs ----------------------------------------------------------------------------

    def rebase(self, api_url: str) -> None:
        """Point every API URL in the data at ``api_url`` (the server calls this on start).

        ``url`` fields must name the server the client talks to, as GitHub's do; ``html_url``
        fields keep pointing at https://github.com.
        """
        new = api_url.rstrip("/")
        with self.lock:
            old = self.api_url
            if new == old:
                return
            seen: set[int] = set()

            def walk(node: Any) -> Any:
                if isinstance(node, str):
                    if node == old or node.startswith(old + "/"):
                        return new + node[len(old) :]
                    return node
                if isinstance(node, dict | list):
                    if id(node) in seen:
                        return node
                    seen.add(id(node))
                    items = node.items() if isinstance(node, dict) else enumerate(node)
                    for k, v in list(items):
                        node[k] = walk(v)
                return node

            for repo in self._repos.values():
                walk(repo.simple)
                for alert in repo.alerts.values():
                    walk(alert)
            self.api_url = new

    # -- payload builders ----------------------------------------------------------------

    def user_payload(self, login: str, *, type_: AccountType = "User", id_: int = 0) -> dict:
        """GitHub's ``simple-user`` object for ``login`` (users and organizations alike)."""
        acct = self.account(login)
        if acct is not None:
            login, type_, id_ = acct.login, acct.type, acct.id
        elif not id_:
            id_ = 100 + sum(ord(c) for c in login)
        base = f"{self.api_url}/users/{login}"
        return {
            "login": login,
            "id": id_,
            "node_id": ("U_" if type_ == "User" else "O_") + _node(id_),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{id_}?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"https://github.com/{login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": type_,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _simple_repo(self, repo: Repo) -> dict[str, Any]:
        base = f"{self.api_url}/repos/{repo.full_name}"
        return {
            "id": repo.id,
            "node_id": "R_" + _node(repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user_payload(repo.owner.login),
            "private": repo.private,
            "html_url": repo.html_url,
            "description": repo.description,
            "fork": False,
            "url": base,
            "hooks_url": f"{base}/hooks",
            "issues_url": f"{base}/issues{{/number}}",
            "pulls_url": f"{base}/pulls{{/number}}",
            "contents_url": f"{base}/contents/{{+path}}",
            "languages_url": f"{base}/languages",
        }

    # -- queries -------------------------------------------------------------------------

    def account(self, login: str) -> Account | None:
        """The account named ``login`` (case-insensitive, like GitHub), or None."""
        with self.lock:
            return self._accounts.get(login.lower())

    def accounts(self) -> list[Account]:
        with self.lock:
            return list(self._accounts.values())

    def repo(self, full_name: str) -> Repo | None:
        """The repository ``owner/name`` (case-insensitive), or None."""
        with self.lock:
            return self._repos.get(full_name.lower())

    def repo_by_id(self, repo_id: int) -> Repo | None:
        with self.lock:
            return next((r for r in self._repos.values() if r.id == repo_id), None)

    def repos(self, owner: str | None = None) -> list[Repo]:
        """Repositories, of one owner when given, in creation order."""
        with self.lock:
            return [
                r
                for r in self._repos.values()
                if owner is None or r.owner.login.lower() == owner.lower()
            ]

    def _repo_or_raise(self, full_name: str) -> Repo:
        repo = self.repo(full_name)
        if repo is None:
            raise KeyError(f"no repository {full_name!r}")
        return repo

    def alert(self, full_name: str, number: int) -> dict[str, Any]:
        """The live payload of alert ``number`` of ``full_name`` (KeyError when absent)."""
        with self.lock:
            repo = self._repo_or_raise(full_name)
            if number not in repo.alerts:
                raise KeyError(f"no alert {full_name}#{number}")
            return repo.alerts[number]

    def alerts(self, full_name: str | None = None, *, owner: str | None = None) -> list[dict]:
        """Alerts of one repository, of one owner, or all; in (repository, number) order."""
        with self.lock:
            repos = [self._repo_or_raise(full_name)] if full_name else self.repos(owner)
            return [a for r in repos for _, a in sorted(r.alerts.items())]

    def iter_alerts(self) -> Iterator[tuple[Repo, dict[str, Any]]]:
        """(repository, alert) for every alert; a snapshot taken under the lock."""
        with self.lock:
            pairs = [(r, a) for r in self._repos.values() for a in r.alerts.values()]
        return iter(pairs)

    def counts(self) -> dict[str, dict[str, int]]:
        """How many alerts per state, severity, ecosystem and scope (for tests and the demo)."""
        out: dict[str, dict[str, int]] = {"state": {}, "severity": {}, "ecosystem": {}, "scope": {}}
        for _, a in self.iter_alerts():
            for key, value in (
                ("state", a["state"]),
                ("severity", a["security_advisory"]["severity"]),
                ("ecosystem", a["dependency"]["package"]["ecosystem"]),
                ("scope", str(a["dependency"].get("scope"))),
            ):
                out[key][value] = out[key].get(value, 0) + 1
        return out

    # -- building ------------------------------------------------------------------------

    def add_account(self, login: str, type_: AccountType, *, name: str | None = None) -> Account:
        """Create an organization or user (no-op returning the existing one if present)."""
        with self.lock:
            existing = self.account(login)
            if existing is not None:
                return existing
            acct = Account(
                login=login,
                id=self._next_account_id,
                type=type_,
                name=name or login.replace("-", " ").title(),
                created_at=iso(self._now - timedelta(days=2000 + self._next_account_id % 97)),
            )
            self._next_account_id += 1
            self._accounts[login.lower()] = acct
            return acct

    def add_repository(
        self,
        owner: str,
        name: str,
        *,
        private: bool = False,
        owner_type: AccountType | None = None,
        language: str | None = None,
        description: str | None = None,
    ) -> Repo:
        """Create a repository (and its owner if needed; ``owner_type`` defaults to User)."""
        with self.lock:
            acct = self.account(owner) or self.add_account(owner, owner_type or "User")
            full = f"{acct.login}/{name}".lower()
            if full in self._repos:
                raise ValueError(f"repository {acct.login}/{name} already exists")
            repo = Repo(
                id=self._next_repo_id,
                owner=acct,
                name=name,
                private=private,
                created_at=iso(self._now - timedelta(days=900 - self._next_repo_id % 300)),
                language=language,
                description=description or f"{name.replace('-', ' ').capitalize()} service",
            )
            self._next_repo_id += 1
            repo.simple = self._simple_repo(repo)
            self._repos[full] = repo
            return repo

    def _advisory(
        self, ecosystem: str, package: str, severity: str | None, *, fresh: bool = False
    ) -> _Advisory:
        """An advisory for the package: usually one already used elsewhere (the same GHSA
        affects many repositories, as on GitHub), sometimes a new one."""
        rng = self.rng
        pool = self._advisories.setdefault((ecosystem, package), [])
        candidates = [a for a in pool if severity is None or a.severity == severity]
        if candidates and not fresh and rng.random() < 0.7:
            return rng.choice(candidates)
        sev = severity or _weighted(rng, _SEV_W)
        ghsa = _ghsa(rng)
        while ghsa in self._ghsa_seen:
            ghsa = _ghsa(rng)
        self._ghsa_seen.add(ghsa)
        published = self._now - timedelta(days=rng.randint(400, 1800), minutes=rng.randint(0, 1439))
        cve = f"CVE-{published.year}-{rng.randint(1000, 49999)}"
        n_cwe = rng.choices((0, 1, 2), weights=(10, 75, 15))[0]
        cwes = rng.sample(CWES, n_cwe)
        adv = _Advisory(ghsa, cve, cwes, sev, published, _version_ranges(rng, ecosystem))
        pool.append(adv)
        return adv

    def _next_plan(self) -> dict[str, Any]:
        if self._plan_index < len(_COVERAGE_PLAN):
            plan = dict(_COVERAGE_PLAN[self._plan_index])
            i = self._plan_index
            plan.setdefault("ecosystem", ECOSYSTEMS[i % len(ECOSYSTEMS)])
            plan.setdefault("state", STATES[i % len(STATES)])
            plan.setdefault("scope", SCOPES[i % len(SCOPES)])
            plan.setdefault("severity", SEVERITIES[(i + 1) % len(SEVERITIES)])
        else:
            plan = {}
        self._plan_index += 1
        return plan

    def _build_alert(
        self,
        repo: Repo,
        number: int,
        *,
        created_at: datetime,
        updated_at: datetime,
        ecosystem: str | None = None,
        package: str | None = None,
        manifest_path: str | None = None,
        severity: str | None = None,
        state: str = "open",
        scope: Any = _MISSING,
        relationship: Any = _RANDOM,
        epss: bool | None = None,
        percentile_as_string: bool | None = None,
        cve: bool | None = None,
        cvss: str | None = None,
        patched: bool | None = None,
        cwe_count: int | None = None,
        assignees: bool | None = None,
        dismissed_reason: str | None = None,
        dismissed_comment: str | None = None,
        dismissed_by: str | None = None,
        stack: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        rng = self.rng
        if ecosystem is None:
            if stack and rng.random() < 0.8:
                ecosystem = rng.choice(stack)
            else:
                ecosystem = _weighted(rng, _ECO_W)
        if ecosystem not in ECOSYSTEMS:
            raise ValueError(f"unknown ecosystem {ecosystem!r}")
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        package = package or rng.choice(PACKAGES[ecosystem])
        taken = {
            (a["security_advisory"]["ghsa_id"], a["dependency"]["manifest_path"])
            for a in repo.alerts.values()
        }
        # One alert per (advisory, manifest) in a repository, as on GitHub.
        manifest = manifest_path or rng.choice(MANIFESTS[ecosystem])
        adv = self._advisory(ecosystem, package, severity)
        tries = 0
        while (adv.ghsa_id, manifest) in taken:
            tries += 1
            adv = self._advisory(ecosystem, package, severity, fresh=tries > 3)
            if manifest_path is None:
                manifest = rng.choice(MANIFESTS[ecosystem])
        sev = adv.severity

        a = copy.deepcopy(ALERT_TEMPLATE)
        a["number"] = number
        dep = a["dependency"]
        dep["package"] = {"ecosystem": ecosystem, "name": package}
        dep["manifest_path"] = manifest
        if scope is _MISSING:
            scope = rng.choices(SCOPES, weights=(60, 30, 10))[0]
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        dep["scope"] = scope
        if relationship is _RANDOM:
            relationship = (
                _MISSING
                if rng.random() < 0.1
                else rng.choices(RELATIONSHIPS, weights=(45, 40, 6, 3, 6))[0]
            )
        if relationship is _MISSING:
            del dep["relationship"]
        else:
            dep["relationship"] = relationship

        sa = a["security_advisory"]
        sa["ghsa_id"] = adv.ghsa_id
        has_cve = cve if cve is not None else rng.random() >= 0.1
        sa["cve_id"] = adv.cve_id if has_cve else None
        cwes = adv.cwes
        if cwe_count is not None:
            cwes = list(CWES[number % len(CWES) : number % len(CWES) + cwe_count])
            if len(cwes) < cwe_count:
                cwes = list(CWES[:cwe_count])
        short = package.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        title = cwes[0][2] if cwes else "{pkg} contains a security vulnerability"
        sa["summary"] = title.format(pkg=short)
        sa["description"] = _description(rng, short, cwes, adv)
        patched_flag = patched if patched is not None else rng.random() >= 0.08
        vulns = []
        for rng_text, fixed in adv.ranges:
            vulns.append(
                {
                    "package": {"ecosystem": ecosystem, "name": package},
                    "severity": sev,
                    "vulnerable_version_range": rng_text if patched_flag else ">= 0",
                    "first_patched_version": (
                        {"identifier": fixed} if (fixed and patched_flag) else None
                    ),
                }
            )
        if not patched_flag:
            vulns = vulns[:1]
        sa["vulnerabilities"] = vulns
        sa["severity"] = sev
        cvss_mode = cvss or ("null_vector" if rng.random() < 0.08 else "vector")
        _set_cvss(sa, rng, sev, cvss_mode, v4=rng.random() < 0.5)
        if epss is None:
            epss = rng.random() >= 0.1
        if epss:
            pct = round(rng.betavariate(0.4, 12), 5)
            percentile = round(min(0.99999, pct**0.25 + rng.random() * 0.05), 5)
            as_string = (
                percentile_as_string if percentile_as_string is not None else rng.random() < 0.2
            )
            sa["epss"] = {
                "percentage": pct,
                "percentile": f"{percentile}e0" if as_string else percentile,
            }
        else:
            del sa["epss"]
        sa["cwes"] = [{"cwe_id": c[0], "name": c[1]} for c in cwes]
        sa["identifiers"] = [{"type": "GHSA", "value": adv.ghsa_id}]
        sa["references"] = []
        if sa["cve_id"]:
            sa["identifiers"].append({"type": "CVE", "value": sa["cve_id"]})
            sa["references"].append({"url": f"https://nvd.nist.gov/vuln/detail/{sa['cve_id']}"})
        sa["references"].append({"url": f"https://github.com/advisories/{adv.ghsa_id}"})
        sa["published_at"] = iso(adv.published_at)
        sa["updated_at"] = iso(adv.published_at + timedelta(days=3, hours=number % 24))
        sa["withdrawn_at"] = None
        a["security_vulnerability"] = copy.deepcopy(vulns[0])

        a["url"] = f"{self.api_url}/repos/{repo.full_name}/dependabot/alerts/{number}"
        a["html_url"] = f"{repo.html_url}/security/dependabot/{number}"
        a["created_at"] = iso(created_at)
        a["updated_at"] = iso(updated_at)
        if assignees is None:
            assignees = rng.random() >= 0.1
        if assignees:
            a["assignees"] = [self.user_payload(rng.choice(ANALYSTS))] if rng.random() < 0.1 else []
        else:
            del a["assignees"]
        a["repository"] = repo.simple
        _apply_state(
            self,
            a,
            state,
            at=a["updated_at"],
            reason=dismissed_reason or rng.choice(DISMISSED_REASONS),
            comment=dismissed_comment if dismissed_comment is not None else rng.choice(_COMMENTS),
            by=dismissed_by or rng.choice(ANALYSTS),
        )
        return a

    def add_alert(self, full_name: str, **options: Any) -> dict[str, Any]:
        """Open a new alert on ``full_name`` now, as Dependabot would; returns its payload.

        Options (all optional): ``ecosystem``, ``package``, ``manifest_path``, ``severity``,
        ``state`` (default ``open``), ``scope`` (``runtime``/``development``/None),
        ``relationship`` (a value, or omitted for random), ``epss`` (False drops it),
        ``percentile_as_string``, ``cve`` (False gives a null ``cve_id``), ``cvss``
        (``vector``/``null_vector``/``null_both``), ``patched`` (False: no fix),
        ``cwe_count``, ``assignees`` (False drops the key), ``dismissed_reason``,
        ``dismissed_comment``, ``dismissed_by``.
        """
        with self.lock:
            repo = self._repo_or_raise(full_name)
            stamp = parse_iso(self.tick())
            number = max(repo.alerts, default=0) + 1
            alert = self._build_alert(repo, number, created_at=stamp, updated_at=stamp, **options)
            repo.alerts[number] = alert
            return alert

    # -- mutations (each stamps updated_at with a new tick) ------------------------------

    def set_severity(self, full_name: str, number: int, severity: str) -> dict[str, Any]:
        """The advisory was re-scored (severity and matching CVSS change)."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        with self.lock:
            a = self.alert(full_name, number)
            sa = a["security_advisory"]
            sa["severity"] = severity
            for v in sa["vulnerabilities"]:
                v["severity"] = severity
            a["security_vulnerability"]["severity"] = severity
            if sa["cvss"]["vector_string"] is not None:
                v4 = (sa.get("cvss_severities") or {}).get("cvss_v4") is not None
                _set_cvss(sa, self.rng, severity, "vector", v4=v4)
            now = self.tick()
            sa["updated_at"] = now
            a["updated_at"] = now
            return a

    def set_scope(self, full_name: str, number: int, scope: str | None) -> dict[str, Any]:
        """The dependency moved scope. Like GitHub, an auto-dismissed alert whose dependency
        becomes runtime is reopened."""
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        with self.lock:
            a = self.alert(full_name, number)
            a["dependency"]["scope"] = scope
            now = self.tick()
            if a["state"] == "auto_dismissed" and scope == "runtime":
                _apply_state(self, a, "open", at=now)
            a["updated_at"] = now
            return a

    def mark_fixed(self, full_name: str, number: int) -> dict[str, Any]:
        """The dependency was upgraded: the alert is fixed (from any state)."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            _apply_state(self, a, "fixed", at=now)
            a["updated_at"] = now
            return a

    def dismiss(
        self,
        full_name: str,
        number: int,
        reason: str = "tolerable_risk",
        comment: str | None = None,
        *,
        by: str = "octocat",
    ) -> dict[str, Any]:
        """Someone dismissed the alert (on github.com, or through the server's PATCH)."""
        if reason not in DISMISSED_REASONS:
            raise ValueError(f"unknown dismissed_reason {reason!r}")
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            _apply_state(self, a, "dismissed", at=now, reason=reason, comment=comment, by=by)
            a["updated_at"] = now
            return a

    def auto_dismiss(self, full_name: str, number: int) -> dict[str, Any]:
        """A Dependabot auto-triage rule dismissed the alert."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            _apply_state(self, a, "auto_dismissed", at=now)
            a["updated_at"] = now
            return a

    def reopen(self, full_name: str, number: int) -> dict[str, Any]:
        """Someone reopened the alert on github.com (or the dependency regressed after a
        fix): state ``open``, dismissal and fix fields cleared."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            _apply_state(self, a, "open", at=now)
            a["updated_at"] = now
            return a

    def set_assignees(self, full_name: str, number: int, logins: list[str]) -> dict[str, Any]:
        """Replace the alert's assignees."""
        with self.lock:
            a = self.alert(full_name, number)
            a["assignees"] = [self.user_payload(login) for login in logins]
            a["updated_at"] = self.tick()
            return a

    def set_alerts_enabled(self, full_name: str, enabled: bool) -> Repo:
        """Turn Dependabot alerts off (403 on its endpoints) or back on for a repository."""
        with self.lock:
            repo = self._repo_or_raise(full_name)
            repo.alerts_enabled = enabled
            return repo

    def set_delegated_dismissal(self, full_name: str, enabled: bool) -> Repo:
        """Require dismissal requests in a repository (direct dismissals answer 403)."""
        with self.lock:
            repo = self._repo_or_raise(full_name)
            repo.delegated_dismissal = enabled
            return repo

    def set_archived(self, full_name: str, archived: bool) -> Repo:
        """Archive a repository (its alert endpoints then answer 403, as GitHub's do)."""
        with self.lock:
            repo = self._repo_or_raise(full_name)
            repo.archived = archived
            return repo

    def set_private(self, full_name: str, private: bool) -> Repo:
        with self.lock:
            repo = self._repo_or_raise(full_name)
            repo.private = private
            repo.simple["private"] = private
            return repo


def _apply_state(
    ds: Dataset,
    a: dict[str, Any],
    state: str,
    *,
    at: str,
    reason: str | None = None,
    comment: str | None = None,
    by: str | None = None,
) -> None:
    """Set ``state`` and make every state-dependent field agree with it."""
    a["state"] = state
    dismissed = state == "dismissed"
    a["dismissed_at"] = at if dismissed else None
    a["dismissed_by"] = ds.user_payload(by or "octocat") if dismissed else None
    a["dismissed_reason"] = (reason or "tolerable_risk") if dismissed else None
    a["dismissed_comment"] = comment if dismissed else None
    a["fixed_at"] = at if state == "fixed" else None
    a["auto_dismissed_at"] = at if state == "auto_dismissed" else None


def _set_cvss(sa: dict[str, Any], rng: random.Random, sev: str, mode: str, *, v4: bool) -> None:
    if mode == "vector":
        vector, score = rng.choice(_CVSS_V3[sev])
        sa["cvss"] = {"vector_string": vector, "score": score}
        v4v, v4s = _CVSS_V4[sev]
        sa["cvss_severities"] = {
            "cvss_v3": {"vector_string": vector, "score": score},
            "cvss_v4": {"vector_string": v4v, "score": v4s} if v4 else None,
        }
    elif mode == "null_vector":
        # What GitHub sends for an advisory without CVSS.
        sa["cvss"] = {"vector_string": None, "score": 0.0}
        sa["cvss_severities"] = {
            "cvss_v3": {"vector_string": None, "score": 0.0},
            "cvss_v4": {"vector_string": None, "score": 0.0},
        }
    elif mode == "null_both":
        sa["cvss"] = {"vector_string": None, "score": None}
        sa["cvss_severities"] = None
    else:
        raise ValueError(f"unknown cvss mode {mode!r}")


_GHSA_ALPHABET = "23456789cfghjmpqrvwx"


def _ghsa(rng: random.Random) -> str:
    part = lambda: "".join(rng.choice(_GHSA_ALPHABET) for _ in range(4))  # noqa: E731
    return f"GHSA-{part()}-{part()}-{part()}"


def _node(n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    out = []
    n = n * 7919 + 104729
    while n:
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "kgDO" + "".join(out)


def _version_ranges(rng: random.Random, ecosystem: str) -> list[tuple[str, str | None]]:
    """One or two vulnerable ranges with their first patched version."""
    major = rng.randint(0, 6)
    minor = rng.randint(0, 20)
    patch = rng.randint(1, 15)
    fixed = f"{major}.{minor}.{patch}"
    if ecosystem == "actions":
        fixed = f"{major + 1}.{minor}.{patch}"
    ranges: list[tuple[str, str | None]] = [(f">= {major}.0.0, < {fixed}", fixed)]
    if major > 0 and rng.random() < 0.4:
        older = f"{major - 1}.{rng.randint(0, 20)}.{rng.randint(1, 15)}"
        ranges.append((f"< {older}", older))
    return ranges


def _description(
    rng: random.Random, pkg: str, cwes: list[tuple[str, str, str]], adv: _Advisory
) -> str:
    kind = cwes[0][1] if cwes else "a security weakness"
    first_fix = next((f for _, f in adv.ranges if f), None)
    lines = [
        f"### Impact\n\nAffected versions of `{pkg}` are vulnerable to {kind}.",
        rng.choice(
            (
                "An attacker who controls input passed to the affected function can exploit it.",
                "Applications that process untrusted data with the affected API are at risk.",
                "Exploitation requires the vulnerable code path to be reachable from user input.",
            )
        ),
    ]
    if first_fix:
        lines.append(f"### Patches\n\nUpgrade to `{pkg}` {first_fix} or later.")
    else:
        lines.append("### Patches\n\nNo patched version is available yet.")
    lines.append("### Workarounds\n\nValidate and sanitize untrusted input before use.")
    return "\n\n".join(lines)


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


def generate_dataset(
    orgs: Mapping[str, int] | None = None,
    users: Mapping[str, int] | None = None,
    alerts_per_repo: int | Callable[[random.Random, str], int] = 12,
    *,
    seed: int = 0,
    now: datetime | None = None,
    api_url: str = "https://api.github.com",
    private_ratio: float = 0.4,
    history_days: int = 400,
    live_clock: bool = False,
) -> Dataset:
    """Build a deterministic dataset.

    ``orgs`` and ``users`` map a login to its number of repositories (both None: one org
    ``acme`` with 4 repositories and one user ``jdoe`` with 2). ``alerts_per_repo`` is a count
    or ``f(rng, full_name) -> count``. Repository names are predictable: an org's repositories
    are ``web``, ``api``, ``payments``, ... and a user's ``dotfiles``, ``blog``, ... in that
    order (``-2``, ``-3`` suffixes beyond the lists). A user's first repository is always public
    (``GET /users/{user}/repos`` lists public repositories only).

    Alerts are created within the last ``history_days`` before ``now`` (default
    :data:`DEFAULT_NOW`), with distinct ``updated_at`` values all earlier than ``now``; the
    first alerts follow the coverage plan (every ecosystem, state, scope and edge payload once
    the dataset has eleven alerts or more).
    """
    if orgs is None and users is None:
        orgs, users = {"acme": 4}, {"jdoe": 2}
    ds = Dataset(seed=seed, now=now or DEFAULT_NOW, api_url=api_url, live_clock=live_clock)
    rng = ds.rng
    start = ds.now

    plans: list[tuple[Repo, int, tuple[str, ...]]] = []
    for kind, owners, names in (
        ("Organization", orgs or {}, _ORG_REPO_NAMES),
        ("User", users or {}, _USER_REPO_NAMES),
    ):
        for login, n_repos in owners.items():
            ds.add_account(login, kind)  # type: ignore[arg-type]
            for i in range(n_repos):
                base = names[i % len(names)]
                name = base if i < len(names) else f"{base}-{i // len(names) + 1}"
                first = _weighted(rng, _ECO_W)
                second = _weighted(rng, {e: w for e, w in _ECO_W.items() if e != first})
                stack = (first, second)
                private = (rng.random() < private_ratio) and not (kind == "User" and i == 0)
                repo = ds.add_repository(login, name, private=private, language=_LANGUAGE[stack[0]])
                count = (
                    alerts_per_repo(rng, repo.full_name)
                    if callable(alerts_per_repo)
                    else alerts_per_repo
                )
                plans.append((repo, max(0, int(count)), stack))

    # Interleave repositories so the coverage plan spreads over several of them.
    used_updates: set[datetime] = set()
    remaining = {repo.id: count for repo, count, _ in plans}
    while any(remaining.values()):
        for repo, _, stack in plans:
            if not remaining[repo.id]:
                continue
            remaining[repo.id] -= 1
            number = len(repo.alerts) + 1
            age = timedelta(seconds=rng.randint(3600, history_days * 86400))
            created = start - age
            updated = created + timedelta(seconds=rng.randint(0, int(age.total_seconds()) - 60))
            while updated in used_updates or updated >= start:
                updated -= timedelta(seconds=1)
            created = min(created, updated)
            used_updates.add(updated)
            opts = ds._next_plan()
            if "state" not in opts:
                opts["state"] = _weighted(rng, _STATE_W)
            repo.alerts[number] = ds._build_alert(
                repo, number, created_at=created, updated_at=updated, stack=stack, **opts
            )
    return ds
