"""The dataset store: accounts, repositories and alerts the local GitHub server serves.

Everything the server answers comes from a :class:`Dataset`, and tests change GitHub's
side through it (dismiss on github.com, re-score an advisory, archive a repository) while
the server's threads read it; so every public method locks, and every change (generation
excepted) stamps ``updated_at`` with the next tick of the dataset's own clock. Distinct,
strictly increasing ``updated_at`` values are what an incremental ``sort=updated`` sync
relies on.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from .advisories import AdvisoryPool, set_cvss
from .alert_builder import AlertOptions, build_alert
from .alert_states import apply_state
from .model import Account, Repo
from .payloads import simple_repository, simple_user
from .timestamps import DEFAULT_NOW, iso, parse_iso
from .vocabulary import DISMISSED_REASONS, SCOPES, SEVERITIES, AccountType

__all__ = ["Dataset"]


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
        #: Advisories already raised, reused across repositories as on GitHub.
        self.advisories = AdvisoryPool(self.rng)

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
            for repo in self._repos.values():
                _rebase(repo.simple, old, new, seen)
                for alert in repo.alerts.values():
                    _rebase(alert, old, new, seen)
            self.api_url = new

    # -- payload builders ----------------------------------------------------------------

    def user_payload(
        self, login: str, *, type_: AccountType = "User", id_: int = 0
    ) -> dict[str, Any]:
        """GitHub's ``simple-user`` object for ``login`` (users and organizations alike)."""
        acct = self.account(login)
        if acct is not None:
            login, type_, id_ = acct.login, acct.type, acct.id
        elif not id_:
            id_ = 100 + sum(ord(c) for c in login)
        return simple_user(self.api_url, login, type_, id_)

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

    def alerts(
        self, full_name: str | None = None, *, owner: str | None = None
    ) -> list[dict[str, Any]]:
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
            repo.simple = simple_repository(self.api_url, repo, self.user_payload(acct.login))
            self._repos[full] = repo
            return repo

    def add_alert(
        self, full_name: str, *, number: int | None = None, **options: Any
    ) -> dict[str, Any]:
        """Open a new alert on ``full_name`` now, as Dependabot would; returns its payload.

        ``number`` overrides the next free number, for payloads no real GitHub sends (an
        alert number beyond any store's integer range, say) that a client must survive.

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
            if number is None:
                number = max(repo.alerts, default=0) + 1
            elif number in repo.alerts:
                raise ValueError(f"alert {full_name}#{number} already exists")
            alert = build_alert(
                self,
                repo,
                number,
                created_at=stamp,
                updated_at=stamp,
                options=AlertOptions(**options),
            )
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
                set_cvss(sa, self.rng, severity, "vector", v4=v4)
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
                self._apply_state(a, "open", at=now)
            a["updated_at"] = now
            return a

    def mark_fixed(self, full_name: str, number: int) -> dict[str, Any]:
        """The dependency was upgraded: the alert is fixed (from any state)."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            self._apply_state(a, "fixed", at=now)
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
            self._apply_state(a, "dismissed", at=now, reason=reason, comment=comment, by=by)
            a["updated_at"] = now
            return a

    def auto_dismiss(self, full_name: str, number: int) -> dict[str, Any]:
        """A Dependabot auto-triage rule dismissed the alert."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            self._apply_state(a, "auto_dismissed", at=now)
            a["updated_at"] = now
            return a

    def reopen(self, full_name: str, number: int) -> dict[str, Any]:
        """Someone reopened the alert on github.com (or the dependency regressed after a
        fix): state ``open``, dismissal and fix fields cleared."""
        with self.lock:
            a = self.alert(full_name, number)
            now = self.tick()
            self._apply_state(a, "open", at=now)
            a["updated_at"] = now
            return a

    def publish_patch(self, full_name: str, number: int, version: str) -> dict[str, Any]:
        """The advisory gained a first patched version for the alert's package (the alert
        was made with ``patched=False``): the alert's vulnerability, and the advisory's
        entry for it, name the version; the vulnerable range ends below it."""
        with self.lock:
            a = self.alert(full_name, number)
            vulnerable = f"< {version}"
            patch = {"identifier": version}
            sv = a["security_vulnerability"]
            sv["first_patched_version"] = dict(patch)
            sv["vulnerable_version_range"] = vulnerable
            for v in a["security_advisory"]["vulnerabilities"]:
                if v["package"] == sv["package"]:
                    v["first_patched_version"] = dict(patch)
                    v["vulnerable_version_range"] = vulnerable
            now = self.tick()
            a["security_advisory"]["updated_at"] = now
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

    def _apply_state(self, a: dict[str, Any], state: str, *, at: str, **dismissal: Any) -> None:
        apply_state(a, state, at=at, user_payload=self.user_payload, **dismissal)


def _rebase(node: Any, old: str, new: str, seen: set[int]) -> Any:
    """``node`` with every string URL under ``old`` moved under ``new``; containers are
    changed in place, each once (``seen``: the payloads share dicts)."""
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
            node[k] = _rebase(v, old, new, seen)
    return node
