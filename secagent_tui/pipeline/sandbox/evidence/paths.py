"""Which files are tests, and glob matching on repo-relative paths.

Why test paths matter: a runtime dependency used only by `e2e/` or `tests/` never runs in
production, so its use there is its own outcome (`test_only`), not "used".
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import PurePosixPath

TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "spec",
        "specs",
        "__tests__",
        "__mocks__",
        "e2e",
        "fixtures",
        "test-fixtures",
        "testdata",
        "cypress",
    }
)
TEST_FILE_PATTERNS = (
    "*.test.*",
    "*.spec.*",
    "*_test.*",
    "*_spec.*",
    "test_*.py",
    "conftest.py",
    # Test runners' own setup and configuration run only under the test runner.
    "test-setup.*",
    "setup-tests.*",
    "setuptests.*",
    "jest.setup.*",
    "vitest.setup.*",
    "karma.conf.*",
    "jest.config.*",
    "vitest.config.*",
    "playwright.config.*",
    "cypress.config.*",
    "protractor.conf.*",
)


def matches(patterns: Iterable[str], rel: str) -> bool:
    """A pattern with `/` is matched against the whole path, else against the file name."""
    name = rel.rsplit("/", 1)[-1].lower()
    lower = rel.lower()
    for pattern in patterns:
        target = lower if "/" in pattern else name
        if fnmatch.fnmatchcase(target, pattern.lower()):
            return True
    return False


def is_test_path(rel: str, extra: Iterable[str] = ()) -> bool:
    parts = PurePosixPath(rel).parts
    if any(part.lower() in TEST_DIRS for part in parts[:-1]):
        return True
    return matches(TEST_FILE_PATTERNS, rel) or matches(extra, rel)
