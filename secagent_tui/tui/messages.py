"""Messages that carry worker results back to the UI thread of control.

Dataclasses (Message initialises itself in `__post_init__`), with a `control` property
where a widget sent them, so `@on(Message, selector)` can filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from textual.message import Message

from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.record import FindingRecord
from secagent_tui.domain.stats import Stats
from secagent_tui.pipeline.sync import OwnerOutcome
from secagent_tui.services.reads import AnalysisSnapshot
from secagent_tui.store.finding_window import FindingPage, PageRequest
from secagent_tui.store.history import HistoryEntry


@dataclass
class DatabaseReady(Message):
    """The engine is open and migrated: screens may start fetching."""


@dataclass(frozen=True, slots=True)
class WindowRequest:
    """One read the queue's table asks for: the page request, and the jump it answers (a
    jump is honoured only if no newer one was made while it was read, `seq`)."""

    page: PageRequest
    jump: str | None
    seq: int


@dataclass
class QueueLoaded(Message):
    """One fetch of the queue: a window of the order `filter` and `sort` select (with their
    total), the table's request it answers, and, on a live refresh, the header's figures
    read in the same fetch (so the header and the table never show two moments)."""

    filter: FindingFilter
    sort: tuple[str, bool]
    request: WindowRequest
    page: FindingPage
    stats: Stats | None = None
    viewers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Who else has a finding of the window open (logins by finding id)."""


@dataclass
class FindingLoaded(Message):
    record: FindingRecord | None
    analysis: AnalysisSnapshot
    history: list[HistoryEntry] = field(default_factory=list)


@dataclass
class DecisionDone(Message):
    """A dismiss/reopen was recorded locally (pushes queued) or analyses were queued
    ("triage" or "analysis")."""

    action: DecisionAction | Literal["triage", "analysis"]
    count: int
    repos: int


@dataclass
class DataChanged(Message):
    """Something the app did changed the database: refresh now rather than in 2 s."""


@dataclass
class SyncFinished(Message):
    outcomes: list[OwnerOutcome]


@dataclass
class RemoteChange(Message):
    """Another session committed changes to these tables (PostgreSQL's notifications,
    store/notify.py; "*" when some may have been missed): what shows them reads again."""

    tables: frozenset[str]
