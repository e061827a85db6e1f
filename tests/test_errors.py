"""One base for the project's errors, and one line for each that both front ends show."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import secagent_tui
from secagent_tui.domain.errors import MAX_LINE, SecagentError
from secagent_tui.domain.refs import FindingRef, RefError
from secagent_tui.tui.app import one_line

# The demo package is the test double of GitHub's and Ollama's servers: its errors are the
# servers' answers on the wire, never raised into the app.
# Migrations are scripts Alembic runs in its own context, not modules to import.
OUTSIDE = ("secagent_tui.demo", "secagent_tui.__main__", "secagent_tui.store.migrations")


def _modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(secagent_tui.__path__, "secagent_tui.")
        if not info.name.startswith(OUTSIDE)
    ]


def _exceptions() -> list[type[BaseException]]:
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, BaseException):
                found.append(cls)
    return found


def test_the_scan_finds_the_package_errors() -> None:
    names = {cls.__name__ for cls in _exceptions()}
    assert {"ConfigError", "RefError", "WorkspaceError", "LlmError", "TokenRefused"} <= names


def test_every_error_the_package_defines_derives_from_the_one_base() -> None:
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _exceptions()
        if not issubclass(cls, SecagentError)
    ]
    assert not strays, f"not a SecagentError: {strays}"


def test_an_error_keeps_its_standard_kind_for_callers_that_catch_it() -> None:
    with pytest.raises(ValueError, match="owner/repo#number"):
        FindingRef.parse("not a ref")


def test_one_line_folds_whitespace_and_cuts_what_is_too_long() -> None:
    assert RefError("bad\n  ref\tgiven").one_line() == "bad ref given"
    long = RefError("x" * 1000).one_line()
    assert len(long) == MAX_LINE and long.endswith("…")
    assert RefError("").one_line() == "RefError"


def test_the_tui_shows_a_project_error_exactly_as_its_one_line() -> None:
    error = RefError("'acme/x#0' is not a finding reference:\nnumbers start at 1")
    assert one_line(error) == error.one_line()
    assert one_line(KeyError("k")).startswith("KeyError: ")


def test_the_cli_shows_a_project_error_no_command_mapped_as_its_one_line() -> None:
    import click
    from click.testing import CliRunner

    from secagent_tui.cli import cli
    from secagent_tui.llm.client import LlmError

    error = LlmError("the model server answered 503:\nbusy")

    @click.command("fail-for-test")
    def failing() -> None:
        raise error

    cli.add_command(failing)
    try:
        result = CliRunner().invoke(cli, ["fail-for-test"])
    finally:
        cli.commands.pop("fail-for-test")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {error.one_line()}"
    assert "Traceback" not in result.output and "internal error" not in result.output
