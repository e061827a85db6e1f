"""`secagent`: every capability of the TUI, headless (cron, scripts, tests)."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from secagent_tui import __version__
from secagent_tui.cli.auth_cmd import auth
from secagent_tui.cli.config_cmd import config_group
from secagent_tui.cli.context import AppContext
from secagent_tui.cli.db_cmd import db
from secagent_tui.cli.errors import UserError
from secagent_tui.cli.findings_cmd import findings
from secagent_tui.cli.pipeline_cmds import analyze, dismiss, reopen, worker
from secagent_tui.cli.stats_cmd import stats
from secagent_tui.cli.sync_cmd import sync
from secagent_tui.cli.tui_cmd import demo, tui
from secagent_tui.logs import redact

log = logging.getLogger("secagent.cli")


class _Group(click.Group):
    """Turns what escapes a command into one line: environment problems as such, and
    anything unexpected as an internal error whose traceback goes to the log file only."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SQLAlchemyError as exc:
            log.exception("database error")
            raise UserError(f"database error: {redact(_first_line(exc))}") from None
        except OSError as exc:
            log.exception("system error")
            raise UserError(redact(_first_line(exc))) from None
        except Exception as exc:
            log.exception("internal error")
            app = ctx.find_object(AppContext)
            where = " (details in the log file)" if app and app.logging_ready else ""
            raise click.ClickException(
                f"internal error: {redact(_first_line(exc))}{where}"
            ) from None


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
    ctx.obj = AppContext(config_path, read_only=read_only)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui, read_only=read_only)


for command in (
    sync,
    findings,
    analyze,
    worker,
    dismiss,
    reopen,
    stats,
    auth,
    config_group,
    db,
    demo,
    tui,
):
    cli.add_command(command)


def main() -> None:
    # Until a command sets up the log file, records must go nowhere rather than to logging's
    # last-resort handler, which would print tracebacks (unredacted) on stderr.
    logging.getLogger().addHandler(logging.NullHandler())
    cli(prog_name="secagent")
