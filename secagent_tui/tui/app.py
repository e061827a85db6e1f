"""The Textual app: wires the screens, the global keys, the background job runner and the
periodic sync. Everything else lives in the screens, the widgets and the services."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from secagent_tui.config import Config
from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.progress import RepoDone, SyncProgress
from secagent_tui.logs import redact
from secagent_tui.pipeline.sync import OwnerOutcome, RepoOutcome
from secagent_tui.services.analyst import AnalystServices
from secagent_tui.store.db import create_engine
from secagent_tui.store.migrate import upgrade
from secagent_tui.tui.commands import ActionsProvider
from secagent_tui.tui.loops import LoopRegistry
from secagent_tui.tui.messages import DatabaseReady, DataChanged, RemoteChange, SyncFinished
from secagent_tui.tui.refresh import settle_fetches
from secagent_tui.tui.screens.campaign_findings import CampaignFindingsScreen
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.confirm import ConfirmDialog
from secagent_tui.tui.screens.dismiss import DismissDialog
from secagent_tui.tui.screens.filters import FilterScreen
from secagent_tui.tui.screens.finding import FindingScreen
from secagent_tui.tui.screens.health import HealthScreen
from secagent_tui.tui.screens.help import HelpScreen, HelpSection
from secagent_tui.tui.screens.jobs import JobsScreen, JobsTable
from secagent_tui.tui.screens.live import LiveScreen
from secagent_tui.tui.screens.progress import ProgressScreen
from secagent_tui.tui.screens.queue import QueueScreen
from secagent_tui.tui.state import UiState, load_state, save_state, state_path
from secagent_tui.tui.widgets.campaign_findings import CampaignFindingsTable
from secagent_tui.tui.widgets.campaign_table import CampaignTable
from secagent_tui.tui.widgets.filter_bar import SearchInput
from secagent_tui.tui.widgets.findings_table import FindingsTable
from secagent_tui.tui.widgets.progress_panels import ProgressTable
from secagent_tui.tui.widgets.transcript import TranscriptView

log = logging.getLogger("secagent.tui")


QUIT_GRACE_SECONDS = 3.0


async def _settle(worker: Worker) -> None:
    with contextlib.suppress(Exception):
        await worker.wait()


def _builtin_bindings(cls: type[DOMNode]) -> list[Binding]:
    """Bindings a class inherits from Textual (they carry no id), minus keys it rebinds."""
    merged = getattr(cls, "_merged_bindings", None)
    if merged is None:
        return []
    return [b for _, b in merged if b.id is None and b.action not in _HIDDEN_BUILTINS]


_HIDDEN_BUILTINS = {"screen.copy_text", "help_quit"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def one_line(error: BaseException | None) -> str:
    """A worker's error as one redacted line for a notification: the project's own errors
    exactly as the CLI prints them, anything else with its class name."""
    if error is None:
        return "unknown error"
    if isinstance(error, SecagentError):
        return redact(error.one_line())
    text = " ".join(str(error).split()) or type(error).__name__
    if len(text) > 200:
        text = text[:199] + "…"
    return redact(f"{type(error).__name__}: {text}" if str(error) else text)


class SecagentApp(App[None]):
    """The one `Host` (tui/host.py) of the screens."""

    TITLE = "secagent"
    COMMANDS: ClassVar = App.COMMANDS | {ActionsProvider}

    sync_status: reactive[str] = reactive("")
    """What a sync is doing now ("" when none runs); the queue header shows it."""

    BINDINGS: ClassVar = [
        Binding(
            "question_mark",
            "help",
            "Help",
            id="app.help",
            tooltip="Every key of this screen, with its binding id for [ui.keys]",
        ),
        Binding(
            "colon,ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            id="app.command_palette",
            tooltip="Search every action of this screen by name",
        ),
        Binding(
            "R",
            "sync",
            "Sync now",
            show=False,
            id="app.sync",
            tooltip="Fetch the alerts of every configured owner from GitHub now",
        ),
        # priority: modal screens (help, dialogs) hide the app's other keys, not this one
        Binding(
            "f12",
            "screenshot",
            "Screenshot",
            show=False,
            priority=True,
            id="app.screenshot",
            tooltip="Save an SVG of this screen next to the log file and say where",
        ),
        Binding(
            "q",
            "quit",
            "Quit",
            id="app.quit",
            tooltip="Leave secagent; decisions already made are kept and pushed by the worker",
        ),
    ]

    def __init__(
        self,
        config: Config,
        *,
        token: str | None,
        token_source: str = "the configured token",
        read_only: bool = False,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
        run_pipeline: bool = True,
        sync_on_start: bool = False,
        actor: str | None = None,
    ) -> None:
        super().__init__()
        self._actor = actor  # who decides here (services/analyst.default_actor when None)
        self.config = config
        self.token = token
        self.token_source = token_source
        self.read_only = read_only
        self.demo = demo
        self.clock = clock or _utc_now
        self.run_pipeline = run_pipeline
        self.sync_on_start = sync_on_start
        self.services: AnalystServices | None = None
        self.loops = LoopRegistry()
        self.sync_progress: SyncProgress | None = None
        self._state_path = state_path(config)
        self._stop = asyncio.Event()
        self._sync_timer: Timer | None = None
        self._syncing = False

    @property
    def can_sync(self) -> bool:
        return bool(self.token)

    @property
    def can_push(self) -> bool:
        """Whether this process pushes decisions to GitHub (a worker elsewhere may)."""
        return self.run_pipeline and bool(self.token) and not self.read_only

    # ------------------------------------------------------------------ wiring

    def get_default_screen(self) -> Screen:
        return QueueScreen(load_state(self._state_path))

    def on_mount(self) -> None:
        if self.is_headless:  # tests and benchmarks: nothing that moves by itself
            self.animation_level = "none"
        self.set_keymap(dict(self.config.ui.keys))
        self._check_keymap()
        self._apply_theme(self.config.ui.theme)
        if not self.token:
            self.sync_status = "off (no GitHub token)"
        self.run_worker(self._open_database(), group="database", exit_on_error=False)

    async def _open_database(self) -> None:
        engine = create_engine(self.config.database.url, echo=self.config.database.echo)
        await upgrade(engine)
        self.services = AnalystServices(engine, self.config, self.clock, actor=self._actor)
        self.post_message(DatabaseReady())

    def on_database_ready(self, message: DatabaseReady) -> None:
        # Everything built so far (Textual's widgets and styles, SQLAlchemy's tables and
        # compiled caches, the config) lives as long as the app. Freezing it takes it out of
        # the cyclic collector's full passes, each of which walked it all: ~90 ms pauses that
        # were the queue's slowest refreshes.
        gc.collect()  # what is garbage now must not be frozen with the rest
        gc.freeze()
        self._queue_screen().refresh_now(stats=True)
        self.run_worker(self._listen(), group="listen", exit_on_error=False)
        if self.run_pipeline:
            self.run_worker(self._run_pipeline(), group="runner", exit_on_error=False)
        if self.sync_on_start:
            self.action_sync()
        else:
            self._schedule_sync()

    async def _listen(self) -> None:
        """On PostgreSQL, other analysts' commits (and workers' and syncs') reach every
        screen as they happen; on SQLite the screens' own polling is all there is."""
        assert self.services is not None
        listener = self.services.change_listener(
            lambda tables: self.post_message(RemoteChange(tables))
        )
        if listener is not None:
            await listener.run(self._stop)

    def on_remote_change(self, message: RemoteChange) -> None:
        """Every screen that shows the database reads again now (the covered ones when they
        show again: they read at once on resume)."""
        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                screen.remote_changed(message.tables)

    async def _run_pipeline(self) -> None:
        assert self.services is not None
        # Read-only: the pipeline records no automatic decision and has no push handler, so
        # nothing is written to GitHub; the token still serves reads (clones).
        await self.services.run_jobs(self.token, read_only=self.read_only, stop=self._stop)

    async def action_quit(self) -> None:
        await self.stop_background()
        self.exit()

    async def stop_background(self) -> None:
        """Stop the loops and the runner, let database work in flight finish (a query cut
        off mid-flight leaves its driver thread behind), then close the engine."""
        self._stop.set()
        if self._sync_timer is not None:
            self._sync_timer.stop()
        self.loops.stop_all()
        busy = [w for w in self.workers if w.is_running]
        for worker in busy:
            if worker.group == "sync":
                worker.cancel()  # a sync resumes from its watermark next time
        if busy:
            await asyncio.wait(
                [asyncio.create_task(_settle(w)) for w in busy], timeout=QUIT_GRACE_SECONDS
            )
        await settle_fetches(QUIT_GRACE_SECONDS)
        if self.services is not None:
            await self._leave(self.services)
            await self.services.engine.dispose()
            self.services = None

    async def _leave(self, services: AnalystServices) -> None:
        """The others stop seeing this analyst on findings at once, not when the rows expire
        (a database that is away only delays that: they expire)."""
        try:
            await asyncio.wait_for(services.stop_viewing(), QUIT_GRACE_SECONDS)
        except Exception as exc:
            log.info("presence not cleared on quit: %s", redact(str(exc)))

    async def on_unmount(self) -> None:
        self._stop.set()
        await settle_fetches(QUIT_GRACE_SECONDS)
        if self.services is not None:
            await self.services.engine.dispose()

    def _queue_screen(self) -> QueueScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, QueueScreen)
        return screen

    def save_state(self, state: UiState) -> None:
        try:
            save_state(self._state_path, state)
        except OSError as exc:
            log.warning("cannot save TUI state to %s: %s", self._state_path, exc)

    # ------------------------------------------------------------------ sync

    def _schedule_sync(self) -> None:
        minutes = self.config.ui.sync_minutes
        if self._sync_timer is not None:
            self._sync_timer.stop()
            self._sync_timer = None
        if minutes > 0 and self.token:
            self._sync_timer = self.set_timer(minutes * 60, self._start_sync)

    def action_sync(self) -> None:
        if not self.token:
            self.notify(
                "No GitHub token: set GITHUB_TOKEN or run `secagent auth login` to sync.",
                severity="warning",
            )
            return
        self._start_sync()

    def _start_sync(self) -> None:
        if self._syncing or self.services is None:
            return
        self._syncing = True
        self.sync_status = "syncing…"
        self.run_worker(self._sync(), group="sync", exit_on_error=False)

    async def _sync(self) -> None:
        assert self.services is not None and self.token
        owners = tuple(o.name for o in self.config.owners)
        progress = self.sync_progress = SyncProgress(owners, self.clock())
        try:
            progress.expected = await self.services.expected_repos()
            outcomes = await self.services.sync(
                self.token,
                self.token_source,
                on_repo_done=lambda repo: progress.repo_done(_repo_done(repo)),
                read_only=self.read_only,
            )
            progress.finish(self.clock(), [o.owner for o in outcomes if not o.ok])
            self.post_message(SyncFinished(outcomes))
        finally:
            if progress.running:  # the sync raised: no owner can be said to be done
                progress.finish(self.clock(), owners)
            self._syncing = False
            self.sync_status = ""
            self._schedule_sync()  # the next run counts from the end of this one

    def on_sync_finished(self, message: SyncFinished) -> None:
        failed = [o.owner for o in message.outcomes if not o.ok]
        created = sum(o.created for o in message.outcomes)
        updated = sum(o.updated for o in message.outcomes)
        if failed:
            why = "; ".join(f"{o.owner}: {_first_error(o)}" for o in message.outcomes if not o.ok)
            self.notify(f"Sync failed — {why}", severity="error")
        else:
            self.notify(f"Sync ok: {created} new, {updated} updated.", timeout=3)
        self._queue_screen().refresh_now(stats=True)

    def on_data_changed(self, message: DataChanged) -> None:
        self._queue_screen().refresh_now(stats=True)

    # ------------------------------------------------------------------ help and errors

    def help_sections(self) -> list[HelpSection]:
        """Every binding, by where it works; read from the classes so it never goes stale:
        ours first (each with an id), then the ones Textual's widgets bring (arrows, pages)."""
        return [
            (title, [*cls.BINDINGS, *_builtin_bindings(cls)])
            for title, cls in (
                ("Global", SecagentApp),
                ("Queue", QueueScreen),
                ("Table", FindingsTable),
                ("Search", SearchInput),
                ("Finding", FindingScreen),
                ("Transcript", TranscriptView),
                ("Filter menu", FilterScreen),
                ("Jobs", JobsScreen),
                ("Jobs table", JobsTable),
                ("Campaigns", CampaignsScreen),
                ("Campaigns table", CampaignTable),
                ("Campaign", CampaignFindingsScreen),
                ("Campaign's findings", CampaignFindingsTable),
                ("Progress", ProgressScreen),
                ("Progress table", ProgressTable),
                ("Health", HealthScreen),
                ("Dismiss", DismissDialog),
                ("Confirm", ConfirmDialog),
                ("Help", HelpScreen),
            )
        ]

    def _check_keymap(self) -> None:
        known = {getattr(b, "id", None) for _, bindings in self.help_sections() for b in bindings}
        unknown = sorted(set(self.config.ui.keys) - known)
        if unknown:
            self.notify(
                f"config [ui.keys]: unknown binding id {', '.join(map(repr, unknown))} "
                "(press ? for the list)",
                severity="warning",
                timeout=10,
            )

    def _apply_theme(self, name: str) -> None:
        """`ui.theme`: one of Textual's themes; an unknown name keeps the default and says
        which names there are (the config cannot check it without loading Textual)."""
        if name in self.available_themes:
            self.theme = name
            return
        known = ", ".join(sorted(self.available_themes))
        self.notify(
            f"config [ui] theme: unknown theme {name!r} (one of {known})",
            severity="warning",
            timeout=10,
        )

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """F12 and the palette's Screenshot: Textual's default target is ~/Downloads, which
        jump hosts often lack, so the SVG goes to the state directory (the log file's) and the
        notification says where; the token is never rendered, so it cannot be in the picture."""
        folder = Path(path) if path else Path(self.config.observability.log_file).parent
        try:
            target = _screenshot_file(folder if path else folder / "screenshots", filename)
            target.write_text(self.export_screenshot(), encoding="utf-8")
        except OSError as exc:
            log.warning("cannot write a screenshot under %s: %s", folder, exc)
            target = _screenshot_file(Path(tempfile.gettempdir()), filename)
            target.write_text(self.export_screenshot(), encoding="utf-8")
        self.notify(f"Screenshot saved to {target}", title="Screenshot", timeout=8)
        return str(target)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections(), dict(self.config.ui.keys)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_error(event)

    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """The one place worker errors surface: a one-line notification, never a crash."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        error = worker.error
        log.error("worker %s failed", worker.group or worker.name, exc_info=error)
        what = worker.group or worker.name or "background task"
        self.notify(f"{what}: {one_line(error)}", title="Error", severity="error", timeout=8)


def run_tui(config: Config, token: str | None, read_only: bool = False, demo: bool = False) -> None:
    """Entry point for the CLI (`secagent`, `secagent demo`)."""
    from secagent_tui.logs import setup_logging

    setup_logging(config.observability.log_file, config.observability.log_level)
    SecagentApp(config, token=token, read_only=read_only, demo=demo).run()


__all__ = ["SecagentApp", "run_tui"]


def _screenshot_file(folder: Path, filename: str | None) -> Path:
    """A new file in `folder` (created if missing): the name given, or one by the wall-clock
    second with a counter, so two screenshots in one second both survive."""
    folder.mkdir(parents=True, exist_ok=True)
    if filename:
        return folder / filename
    stem = f"secagent-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    target, n = folder / f"{stem}.svg", 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}.svg"
    return target


def _repo_done(outcome: RepoOutcome) -> RepoDone:
    """One repository's read, as the sync progress pane lists it."""
    return RepoDone(
        outcome.repo,
        outcome.status,
        created=outcome.created,
        updated=outcome.updated,
        errors=outcome.errors,
        error=outcome.error,
    )


def _first_error(outcome: OwnerOutcome) -> str:
    """Why one owner's sync failed: its own error, else its first failing repository's."""
    if outcome.error:
        return outcome.error
    for repo in outcome.repos:
        if repo.error:
            return f"{repo.repo}: {repo.error}"
    return f"{outcome.errors} error(s)"
