"""What a progress pane says about work under way, as pure arithmetic: a dismissal batch's
pushes (one PATCH per alert, paced by the write limiter) and their ETA, and a sync's
repositories done of those expected.

The TUI's progress pane and any headless caller read the same figures, so none of this may
know about the database or Textual; the store fills these values and the pane draws them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from secagent_tui.domain.decision import IntentStatus
from secagent_tui.domain.sync_status import RepoSyncStatus


class PushResult(StrEnum):
    """One decision of a batch as the pane shows it."""

    PENDING = "pending"
    PUSHED = "pushed"
    RETRYING = "retrying"
    REFUSED = "refused"
    SUPERSEDED = "superseded"
    """A newer decision (or a newer change on GitHub) replaced it before it was pushed."""

    @property
    def settled(self) -> bool:
        """Nothing more will be sent for it."""
        return self not in (PushResult.PENDING, PushResult.RETRYING)


def push_result(status: IntentStatus, *, retry_scheduled: bool) -> PushResult:
    """A pending intent with a next try recorded is retrying (a transient failure happened);
    one without is still waiting for its first write slot."""
    if status is IntentStatus.PENDING:
        return PushResult.RETRYING if retry_scheduled else PushResult.PENDING
    return {
        IntentStatus.CONFIRMED: PushResult.PUSHED,
        IntentStatus.REFUSED: PushResult.REFUSED,
        IntentStatus.SUPERSEDED: PushResult.SUPERSEDED,
    }[status]


@dataclass(frozen=True, slots=True)
class BatchCounts:
    total: int
    pushed: int
    pending: int
    retrying: int
    refused: int
    superseded: int

    @property
    def settled(self) -> int:
        """How far the bar has gone: every decision nothing more will be sent for."""
        return self.pushed + self.refused + self.superseded

    @property
    def remaining(self) -> int:
        return self.pending + self.retrying

    @property
    def finished(self) -> bool:
        return self.remaining == 0


def batch_counts(results: Iterable[PushResult]) -> BatchCounts:
    counts = Counter(results)
    return BatchCounts(
        total=sum(counts.values()),
        pushed=counts[PushResult.PUSHED],
        pending=counts[PushResult.PENDING],
        retrying=counts[PushResult.RETRYING],
        refused=counts[PushResult.REFUSED],
        superseded=counts[PushResult.SUPERSEDED],
    )


def push_eta(remaining: int, writes_per_second: float) -> timedelta | None:
    """About how long the remaining pushes take: GitHub has no bulk endpoint, so each is one
    PATCH in its own write slot, one every `1 / writes_per_second` seconds across every
    process on the token (store/write_limit.py). None when there is no pace to go by; a
    retry's backoff comes on top, which the pane says by showing the retrying count."""
    if remaining <= 0:
        return timedelta(0)
    if writes_per_second <= 0:
        return None
    return timedelta(seconds=remaining / writes_per_second)


def steps_label(steps: int, max_steps: int) -> str:
    """`3/20`: agent rounds so far against the budget `analysis.agent_max_steps`; a rerun of
    the sandbox tier starts its conversation again, so the count is capped at the budget."""
    return f"{min(steps, max_steps)}/{max_steps}"


# ---------------------------------------------------------------------- sync


@dataclass(frozen=True, slots=True)
class RepoDone:
    """One repository's read in a sync, as it ended."""

    repo: str
    status: RepoSyncStatus
    created: int = 0
    updated: int = 0
    errors: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status is RepoSyncStatus.ERROR or self.errors > 0


@dataclass
class SyncProgress:
    """A sync started in this process, updated as each repository's read ends.

    `expected` is how many repositories the owners' previous runs read (None when an owner
    has none): an incremental organization sync reads one alert list for the whole
    organization and learns its repositories only from the alerts, so no exact total exists
    before the run ends."""

    owners: tuple[str, ...]
    started_at: datetime
    expected: int | None = None
    repos: list[RepoDone] = field(default_factory=list)
    finished_at: datetime | None = None
    failed_owners: tuple[str, ...] = ()

    @property
    def running(self) -> bool:
        return self.finished_at is None

    @property
    def done(self) -> int:
        return len(self.repos)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.repos if r.failed)

    def total(self) -> int | None:
        """What the bar goes up to: the expected count while it runs (never below what is
        done), and what was read once it has ended."""
        if not self.running:
            return self.done
        if self.expected is None:
            return None
        return max(self.expected, self.done)

    def repo_done(self, repo: RepoDone) -> None:
        self.repos.append(repo)

    def finish(self, at: datetime, failed_owners: Sequence[str] = ()) -> None:
        self.finished_at = at
        self.failed_owners = tuple(failed_owners)

    def owners_done(self) -> dict[str, int]:
        """Repositories done per owner (`owner/name` → owner), in the configured order."""
        names = {o.lower(): o for o in self.owners}
        done = dict.fromkeys(self.owners, 0)
        for repo in self.repos:
            login = repo.repo.split("/", 1)[0]
            owner = names.get(login.lower(), login)
            done[owner] = done.get(owner, 0) + 1
        return done
