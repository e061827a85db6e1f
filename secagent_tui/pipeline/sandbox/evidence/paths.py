"""Which files are tests, and glob matching on repo-relative paths.

Why test paths matter: a runtime dependency used only by `e2e/` or `tests/` never runs in
production, so its use there is its own outcome (`test_only`), not "used".
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import cache

# Folder names that hold tests in every ecosystem; an ecosystem adds its own (`spec/` is
# RSpec's and Jasmine's, but a Python `api/spec/` package is production code).
TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "__tests__",
        "__mocks__",
        "e2e",
        "fixtures",
        "test-fixtures",
        "testdata",
        "cypress",
    }
)
_JS = "{js,jsx,ts,tsx,mjs,cjs,mts,cts,coffee,vue,svelte}"
# Only names no production file plausibly has: `ab_test.py` or `openapi_spec.py` are code.
TEST_FILE_PATTERNS = (
    "*_test.go",  # the Go tool compiles these only for `go test`
    *(f"*.{kind}.{ext}" for kind in ("test", "spec") for ext in _JS[1:-1].split(",")),
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


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One regex for the path patterns and one for the name patterns (lower case)."""
    paths = [fnmatch.translate(p.lower()) for p in patterns if "/" in p]
    names = [fnmatch.translate(p.lower()) for p in patterns if "/" not in p]
    return (
        re.compile("|".join(paths)) if paths else None,
        re.compile("|".join(names)) if names else None,
    )


def matches(patterns: Iterable[str], rel: str) -> bool:
    """A pattern with `/` is matched against the whole path, else against the file name."""
    by_path, by_name = _compiled(tuple(patterns))
    lower = rel.lower()
    if by_path is not None and by_path.match(lower):
        return True
    return by_name is not None and by_name.match(lower.rsplit("/", 1)[-1]) is not None


def is_test_path(rel: str, dirs: Iterable[str] = (), patterns: Iterable[str] = ()) -> bool:
    """Whether `rel` is test code: under a test folder (shared or the ecosystem's), or named
    like a test file, or matching one of the ecosystem's path patterns."""
    parts = rel.lower().split("/")[:-1]
    extra = frozenset(dirs)
    if any(part in TEST_DIRS or part in extra for part in parts):
        return True
    return matches(TEST_FILE_PATTERNS, rel) or matches(patterns, rel)
