"""`secagent`: every capability of the TUI, headless (cron, scripts, tests).

The group is lazy: `COMMANDS` names every command with its short help and a loader, and a
command's module (with what it needs: SQLAlchemy, PyGithub, the pipeline, Textual) is
imported only when that command runs. `secagent --help` therefore imports click and this
module, nothing else of weight.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from gettext import gettext as _
from pathlib import Path

import click

from secagent_tui import __version__
from secagent_tui.cli.context import AppContext
from secagent_tui.cli.errors import UserError
from secagent_tui.domain.errors import SecagentError

log = logging.getLogger("secagent.cli")


@dataclass(frozen=True)
class LazyCommand:
    """One command of the table: the first paragraph of its docstring (what `--help` lists;
    tests/test_cli_start.py keeps it equal to the real command's) and how to load it."""

    help: str
    load: Callable[[], click.Command]


# The loaders import by name, statically: the layer contracts see every import (no import
# computed at run time, tests/test_layers.py).


def _sync() -> click.Command:
    from secagent_tui.cli.sync_cmd import sync

    return sync


def _findings() -> click.Command:
    from secagent_tui.cli.findings_cmd import findings

    return findings


def _analyze() -> click.Command:
    from secagent_tui.cli.pipeline_cmds import analyze

    return analyze


def _worker() -> click.Command:
    from secagent_tui.cli.pipeline_cmds import worker

    return worker


def _dismiss() -> click.Command:
    from secagent_tui.cli.pipeline_cmds import dismiss

    return dismiss


def _reopen() -> click.Command:
    from secagent_tui.cli.pipeline_cmds import reopen

    return reopen


def _snooze() -> click.Command:
    from secagent_tui.cli.pipeline_cmds import snooze

    return snooze


def _assign() -> click.Command:
    from secagent_tui.cli.assign_cmd import assign

    return assign


def _stats() -> click.Command:
    from secagent_tui.cli.stats_cmd import stats

    return stats


def _jobs() -> click.Command:
    from secagent_tui.cli.jobs_cmd import jobs

    return jobs


def _auth() -> click.Command:
    from secagent_tui.cli.auth_cmd import auth

    return auth


def _config() -> click.Command:
    from secagent_tui.cli.config_cmd import config_group

    return config_group


def _campaigns() -> click.Command:
    from secagent_tui.cli.campaigns_cmd import campaigns

    return campaigns


def _db() -> click.Command:
    from secagent_tui.cli.db_cmd import db

    return db


def _demo() -> click.Command:
    from secagent_tui.cli.tui_cmd import demo

    return demo


def _tui() -> click.Command:
    from secagent_tui.cli.tui_cmd import tui

    return tui


COMMANDS: dict[str, LazyCommand] = {
    "sync": LazyCommand("Sync alerts of the configured owners; exit 1 if any owner failed.", _sync),
    "findings": LazyCommand("List or export findings (open ones by default).", _findings),
    "campaigns": LazyCommand(
        "Findings grouped by advisory and package, riskiest first.", _campaigns
    ),
    "analyze": LazyCommand(
        "Queue the analysis pipeline for findings (REF is owner/repo#number).", _analyze
    ),
    "worker": LazyCommand(
        "Run queued jobs headless (several workers may share one database).", _worker
    ),
    "dismiss": LazyCommand(
        "Dismiss findings locally at once and on GitHub through the outbox.", _dismiss
    ),
    "reopen": LazyCommand(
        "Reopen findings locally at once and on GitHub through the outbox.", _reopen
    ),
    "snooze": LazyCommand(
        "Dismiss findings until a patched version exists; a sync that sees one reopens them.",
        _snooze,
    ),
    "assign": LazyCommand(
        "Assign findings to GitHub logins (or clear them) locally and on GitHub.", _assign
    ),
    "stats": LazyCommand(
        "Operational figures: findings, sync runs, jobs, LLM latency and tokens, auto-dismiss.",
        _stats,
    ),
    "jobs": LazyCommand(
        "List every job in the database, newest first; `cancel ID` and `retry ID` change one.",
        _jobs,
    ),
    "auth": LazyCommand(
        "GitHub token in the OS keyring (GITHUB_TOKEN in the environment wins).", _auth
    ),
    "config": LazyCommand("Configuration.", _config),
    "db": LazyCommand("Database schema.", _db),
    "demo": LazyCommand(
        "Open the TUI on built-in demo data (local demo servers); no token, no Ollama.", _demo
    ),
    "tui": LazyCommand("Open the terminal UI.", _tui),
}


class _Group(click.Group):
    """Commands from `COMMANDS`, loaded when invoked; and what escapes a command turned into
    one line: environment problems as such, and anything unexpected as an internal error
    whose traceback goes to the log file only."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = COMMANDS.get(cmd_name)
        return entry.load() if entry else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, from the table's help texts: no command module is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self._short_help(ctx, name, limit)) for name in names]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def _short_help(self, ctx: click.Context, name: str, limit: int) -> str:
        if name in self.commands:
            return self.commands[name].get_short_help_str(limit)
        # A stand-in carrying only the help text, so that click shortens it as it would.
        return click.Command(name, help=COMMANDS[name].help).get_short_help_str(limit)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            from secagent_tui.logs import redact

            if _is_database_error(exc):
                log.exception("database error")
                raise UserError(f"database error: {redact(_first_line(exc))}") from None
            if isinstance(exc, OSError):
                log.exception("system error")
                raise UserError(redact(_first_line(exc))) from None
            if isinstance(exc, SecagentError):
                # The project's own errors say what went wrong in one line: that line, as
                # the TUI shows it, exit 1 (a command that knows it was bad input maps it
                # to a UserError itself, exit 2).
                log.exception("command failed")
                raise click.ClickException(redact(exc.one_line())) from None
            log.exception("internal error")
            app = ctx.find_object(AppContext)
            where = " (details in the log file)" if app and app.logging_ready else ""
            raise click.ClickException(
                f"internal error: {redact(_first_line(exc))}{where}"
            ) from None


def _is_database_error(exc: BaseException) -> bool:
    """An `SQLAlchemyError`, checked without importing SQLAlchemy for a command that never
    loaded it (then nothing it raised can be one)."""
    if "sqlalchemy.exc" not in sys.modules:
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@click.group(cls=_Group, invoke_without_command=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (else $SECAGENT_CONFIG, else $XDG_CONFIG_HOME/secagent/config.toml).",
)
@click.option(
    "--read-only", is_flag=True, help="Refuse every write to GitHub (the TUI and every command)."
)
@click.version_option(__version__, prog_name="secagent")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, read_only: bool) -> None:
    """Triage GitHub Dependabot alerts: sync, LLM triage, sandboxed analysis, dismissal.

    With no command, opens the terminal UI.
    """
    _START.resume_collector()
    ctx.obj = AppContext(config_path, read_only=read_only)
    if ctx.invoked_subcommand is None:
        ctx.invoke(_tui(), read_only=read_only)


class _StartCollector:
    """The cyclic garbage collector around one process of `secagent` (`main` only; the group
    called in-process, as the tests do, leaves it alone).

    Paused while the command's modules are imported (click resolves the command before it
    calls the group's callback, which resumes it): imports allocate a few hundred thousand
    long-lived objects, and each collection among them walked them all to free next to
    nothing (~0.05 s of a start). Frozen when the command returns, just before the
    interpreter exits: its shutdown then no longer walks every object left (~0.1 s).
    """

    paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume_collector(self) -> None:
        if self.paused:
            self.paused = False
            gc.enable()

    @staticmethod
    def freeze_for_exit() -> None:
        gc.freeze()


_START = _StartCollector()


def main() -> None:
    # Until a command sets up the log file, records must go nowhere rather than to logging's
    # last-resort handler, which would print tracebacks (unredacted) on stderr.
    logging.getLogger().addHandler(logging.NullHandler())
    _START.pause()
    try:
        cli(prog_name="secagent")
    finally:
        _START.freeze_for_exit()
