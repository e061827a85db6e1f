"""The reliability suite: every test here is marked `reliability` (so `pytest -m
reliability` runs it alone) and records its cases in one ReportBook; with
`SECAGENT_RELIABILITY_REPORT=PATH` the session writes the report there.

`SECAGENT_RELIABILITY_SCALE=full` runs the long cases at the size the report states (rounds,
minutes); the default is a scaled-down run that the ordinary test command includes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .report import ReportBook

_BOOK = ReportBook()


def scale() -> str:
    return "full" if os.environ.get("SECAGENT_RELIABILITY_SCALE") == "full" else "quick"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


def pytest_configure(config: pytest.Config) -> None:
    """The book lives in one process: under pytest-xdist each worker would write its own
    part of the report over the others' (bench/reliability_soak.py runs with `-n 0`)."""
    workers = getattr(config.option, "numprocesses", None)
    if os.environ.get("SECAGENT_RELIABILITY_REPORT") and workers:
        raise pytest.UsageError("SECAGENT_RELIABILITY_REPORT needs one process: add -n 0")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("SECAGENT_RELIABILITY_REPORT")
    if target:
        _BOOK.write(Path(target), scale())


@pytest.fixture(scope="session")
def book() -> Iterator[ReportBook]:
    yield _BOOK
