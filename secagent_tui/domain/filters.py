"""Which findings an analyst is looking at: the `findings` command's options and the TUI's
filter chips and saved views build the same value, so both show the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from fnmatch import fnmatchcase

from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.finding import AlertState, Scope, Severity
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.sla import SlaDays

UNASSIGNED = "-"
"""`FindingFilter.assignee` for findings nobody is assigned to: no GitHub login is "-"."""

MINE = "mine"
"""What an analyst types for their own login; the front end resolves it (`resolve_assignee`)
before a filter is built, so a filter always holds a login or UNASSIGNED."""


def resolve_assignee(word: str, my_login: str) -> str:
    """`mine` → the analyst's login, `none`/`unassigned` → UNASSIGNED, else the login."""
    lowered = word.strip().lower()
    if lowered == MINE:
        return my_login
    if lowered in ("none", "unassigned", UNASSIGNED):
        return UNASSIGNED
    return word.strip()


@dataclass(frozen=True, slots=True)
class FindingFilter:
    states: Sequence[AlertState] = (AlertState.OPEN,)
    severities: Sequence[Severity] = ()
    min_severity: Severity | None = None
    ecosystems: Sequence[str] = ()
    scope: Scope | None = None
    repo_glob: str | None = None
    owner: str | None = None
    has_verdict: bool | None = None
    exploitable: bool | None = None  # True: verdict says exploitable; False: says not
    overdue: bool | None = None
    pending_push: bool | None = None
    # A login (case-insensitive, as GitHub's), or UNASSIGNED; over the effective assignees.
    assignee: str | None = None
    snooze: SnoozeState | None = None  # snoozed until a patch, or reopened as patch available
    text: str = ""  # free text over repository, package, GHSA, CVE and summary
    limit: int | None = None

    def with_changes(self, **changes: object) -> FindingFilter:
        return replace(self, **changes)  # type: ignore[arg-type]

    def matches(self, record: FindingRecord, days: SlaDays, now: datetime) -> bool:
        """The conditions the store does not already apply in SQL (states, severities,
        owner are applied there too, and again here so the function stands alone)."""
        f = record.finding
        checks = (
            not self.states or record.state in self.states,
            not self.severities or f.severity in self.severities,
            self.min_severity is None or f.severity.at_least(self.min_severity),
            not self.ecosystems or f.ecosystem.lower() in {e.lower() for e in self.ecosystems},
            self.scope is None or f.scope is self.scope,
            self.repo_glob is None or fnmatchcase(f.repo.lower(), self.repo_glob.lower()),
            self.owner is None or f.owner_name.lower() == self.owner.lower(),
            self.has_verdict is None or (record.verdict is not None) == self.has_verdict,
            self.exploitable is None or _exploitable(record) is self.exploitable,
            self.overdue is None or record.overdue(days, now) == self.overdue,
            self.pending_push is None or record.pending_push == self.pending_push,
            self.assignee is None or _assigned(record, self.assignee),
            self.snooze is None or record.snooze is self.snooze,
            not self.text or _text_hit(record, self.text),
        )
        return all(checks)

    def chips(self) -> list[str]:
        """Short labels of the active conditions, for the TUI's filter bar."""
        out = self._alert_chips()
        for name, value in (
            ("verdict", self.has_verdict),
            ("exploitable", self.exploitable),
            ("overdue", self.overdue),
            ("pending", self.pending_push),
        ):
            if value is not None:
                out.append(name if value else f"!{name}")
        if self.assignee:
            out.append("assignee:" + ("none" if self.assignee == UNASSIGNED else self.assignee))
        if self.snooze:
            out.append(self.snooze.value.replace("_", "-"))
        if self.text:
            out.append(f"/{self.text}")
        return out

    def _alert_chips(self) -> list[str]:
        """The chips of what GitHub says of the alert (state, severity, place)."""
        out: list[str] = []
        if set(self.states) != {AlertState.OPEN}:
            out.append("state:" + (",".join(s.value for s in self.states) or "all"))
        if self.severities:
            out.append("sev:" + ",".join(s.value for s in self.severities))
        if self.min_severity:
            out.append(f"sev>={self.min_severity.value}")
        if self.ecosystems:
            out.append("eco:" + ",".join(self.ecosystems))
        if self.scope:
            out.append(f"scope:{self.scope.value}")
        if self.repo_glob:
            out.append(f"repo:{self.repo_glob}")
        if self.owner:
            out.append(f"owner:{self.owner}")
        return out


def _assigned(record: FindingRecord, assignee: str) -> bool:
    if assignee == UNASSIGNED:
        return not record.assignees
    return assignee.lower() in {login.lower() for login in record.assignees}


def _exploitable(record: FindingRecord) -> bool | None:
    value = record.verdict.is_exploitable if record.verdict else None
    return value if isinstance(value, bool) else None


def _text_hit(record: FindingRecord, text: str) -> bool:
    f = record.finding
    needle = text.lower()
    haystack = (f.repo, f.package, f.ghsa_id, f.cve_id or "", f.summary)
    return any(needle in part.lower() for part in haystack)
