"""What every command needs: the config, logging, and a migrated database.

Loaded lazily so `--help` and usage errors never touch files, and so a bad config is
reported by the command that needed it, as one line. Imported lazily too: the group builds an
`AppContext` for every command, `--help` included, so this module imports only click, and
the config, the logs and the store load when a command first asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from secagent_tui.cli.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from secagent_tui.config import Config
    from secagent_tui.services.analyst import AnalystServices
    from secagent_tui.services.reads import FindingReads

T = TypeVar("T")
S = TypeVar("S")


@dataclass
class AppContext:
    config_path: Path | None
    read_only: bool = False
    """`secagent --read-only COMMAND`: no command writes to GitHub (decisions are refused,
    the pipeline records no automatic one)."""
    _config: Config | None = field(default=None, init=False)
    logging_ready: bool = field(default=False, init=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            from secagent_tui.config import ConfigError, load_config
            from secagent_tui.logs import setup_logging

            try:
                self._config = load_config(self.config_path, os.environ)
            except ConfigError as exc:
                raise UserError(str(exc)) from None
            log_file = self._config.observability.log_file
            try:
                setup_logging(log_file, self._config.observability.log_level)
            except OSError as exc:
                where = self._config.source or "config"
                raise UserError(
                    f"{where}: observability.log_file: cannot write {log_file}: "
                    f"{exc.strerror or exc}"
                ) from None
            self.logging_ready = True
        return self._config

    def run_with_db(self, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
        """Open the database, apply pending migrations, run `work`, close it again.

        The engine is made before the event loop starts: a database path that cannot hold
        one is then bad input, one line, with no loop (and no driver thread) ever started.
        """
        from secagent_tui.store.db import SqlitePathRefused, create_engine
        from secagent_tui.store.migrate import upgrade

        config = self.config
        try:
            engine = create_engine(config.database.url, echo=config.database.echo)
        except SqlitePathRefused as exc:
            raise UserError(f"database.url: {exc.one_line()}") from None

        async def _main() -> T:
            try:
                await upgrade(engine)
                return await work(engine)
            finally:
                await engine.dispose()

        return run(_main())

    def run_with_reads(self, work: Callable[[FindingReads], Awaitable[T]]) -> T:
        """`run_with_db` with the service layer's reads only: a command that only reads
        loads the store, never the pipeline."""
        from secagent_tui.services.reads import FindingReads

        config = self.config
        return self._run_with(lambda engine: FindingReads(engine, config, _utc_now), work)

    def run_with_services(self, work: Callable[[AnalystServices], Awaitable[T]]) -> T:
        """`run_with_db` with the service layer the TUI uses too, acting as `cli:<login>`:
        a command parses its arguments, calls the services, prints what they return."""
        from secagent_tui.services.analyst import AnalystServices, default_actor

        config = self.config
        return self._run_with(
            lambda engine: AnalystServices(engine, config, _utc_now, actor=default_actor("cli")),
            work,
        )

    def _run_with(self, build: Callable[[AsyncEngine], S], work: Callable[[S], Awaitable[T]]) -> T:
        from secagent_tui.services.reads import UnknownFinding

        async def _work(engine: AsyncEngine) -> T:
            try:
                return await work(build(engine))
            except UnknownFinding as exc:
                raise UserError.of(exc) from None

        return self.run_with_db(_work)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def run(coro: Coroutine[Any, Any, T]) -> T:
    import asyncio

    from secagent_tui.logs import correlation

    with correlation():
        return asyncio.run(coro)


pass_app = click.make_pass_decorator(AppContext)
