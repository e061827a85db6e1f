"""What a screen may ask of the application that hosts it.

Screens depend on this protocol, never on the app class: the import graph stays a tree
(app → screens → widgets), and a screen can be tested inside any app that provides these
few things. `SecagentApp` is the one real host.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode
from textual.worker import Worker

from secagent_tui.tui.loops import LoopRegistry

if TYPE_CHECKING:
    from secagent_tui.config import Config
    from secagent_tui.domain.progress import SyncProgress
    from secagent_tui.services.analyst import AnalystServices
    from secagent_tui.tui.state import UiState


class Host(Protocol):
    config: Config
    read_only: bool
    demo: bool
    clock: Callable[[], datetime]
    loops: LoopRegistry
    """Every refresh loop of every screen; the host stops them all when it quits."""
    sync_progress: SyncProgress | None
    """The latest sync this process started (`R` or the timer), updated as each repository's
    read ends; None before the first. The progress pane reads it."""

    @property
    def services(self) -> AnalystServices | None:
        """None until the database is open."""

    @property
    def can_push(self) -> bool:
        """Whether this process pushes decisions to GitHub (a worker elsewhere may)."""

    @property
    def can_sync(self) -> bool:
        """Whether this process has a GitHub token to sync with (never the token itself)."""

    def save_state(self, state: UiState) -> None: ...

    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """The one place a worker's failure is shown (worker messages do not bubble)."""


def host_of(node: DOMNode) -> Host:
    """The host of a mounted node: its app, seen only through the protocol."""
    return cast("Host", node.app)
