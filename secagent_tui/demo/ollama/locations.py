"""Code locations (``path:line``) in model-visible text, outside manifests and lockfiles.

The demo model's verdict cites where a package is used; it must cite what the sandbox's
tools actually returned, and naming a package in ``package.json`` is not using it, so both
the agent's report and the verdict extraction read locations through this one rule.
"""

from __future__ import annotations

import re

__all__ = ["LOCATION", "find_locations", "is_manifest"]

#: `path:line` references: a relative path whose last part has an extension or that has a
#: slash, then a line number. Not preceded by a path/URL character, so `github.com:443`
#: inside a URL and ISO times (`10:20`) are not taken for code locations.
LOCATION = re.compile(
    r"(?<![\w/.:@+-])((?:[\w.@+-]+/)*[\w@+-]+(?:\.[\w-]+)+|(?:[\w.@+-]+/)+[\w.@+-]+):(\d+)\b"
)

_MANIFESTS = re.compile(
    r"(^|/)(package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|"
    r"requirements[^/]*\.txt|pyproject\.toml|setup\.(py|cfg)|Pipfile(\.lock)?|poetry\.lock|"
    r"uv\.lock|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|go\.(mod|sum)|"
    r"modules\.txt|Gemfile(\.lock)?|[^/]*\.gemspec|deps-[^/]*\.txt)$"
)


def is_manifest(path: str) -> bool:
    """A dependency manifest or lockfile: naming a package there is not using it."""
    return bool(_MANIFESTS.search(path))


def find_locations(text: str) -> list[str]:
    """Distinct ``path:line`` references in ``text`` outside manifests and lockfiles, in
    order of first appearance."""
    seen: dict[str, None] = {}
    for m in LOCATION.finditer(text):
        if not is_manifest(m.group(1)):
            seen.setdefault(f"{m.group(1)}:{m.group(2)}", None)
    return list(seen)
