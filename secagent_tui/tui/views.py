"""Saved views: named filters, like gh-dash's sections, switched with a key.

Six are built in (keys `1`..`6`); `[[ui.views]]` in the config adds more, reached with `v`
like every other view. Each view replaces the filter except the free-text search, which the
analyst keeps while switching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from secagent_tui.config import ViewConfig
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Severity


@dataclass(frozen=True, slots=True)
class View:
    name: str
    filter: FindingFilter


BUILTIN_VIEWS: tuple[View, ...] = (
    View("All open", FindingFilter()),
    View("Critical+High", FindingFilter(min_severity=Severity.HIGH)),
    View("Overdue", FindingFilter(overdue=True)),
    View("Pending push", FindingFilter(states=tuple(AlertState), pending_push=True)),
    View("Needs review", FindingFilter(has_verdict=False)),
    View("Exploitable", FindingFilter(exploitable=True)),
)


def all_views(configured: Sequence[ViewConfig] = ()) -> tuple[View, ...]:
    """The built-in views, then the config's, in the config's order."""
    return (*BUILTIN_VIEWS, *(View(v.name, v.filter()) for v in configured))


def view_named(name: str | None, views: Sequence[View] = BUILTIN_VIEWS) -> View | None:
    return next((v for v in views if v.name == name), None)


def same_conditions(a: FindingFilter, b: FindingFilter) -> bool:
    """Equal apart from the search text (which views leave alone)."""
    return a.with_changes(text="", limit=None) == b.with_changes(text="", limit=None)
