"""Import names from real package metadata, shipped as tables in `data/`.

Why tables and not guesses: `djangorestframework` is imported as `rest_framework`,
`activesupport` is required as `active_support`; a name derived from the distribution name
found nothing, and "nothing found" was read as "not used". The tables are built by
`scripts/build_name_tables.py` from Debian's Contents index, the mapping pipreqs ships and
installed packages' metadata (`data/README.md` says how, and how large they are). A package
absent from its table has no known import name, and the scan says so.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def _table(filename: str) -> dict[str, tuple[str, ...]]:
    try:
        raw = resources.files(__package__).joinpath("data", filename).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    names = json.loads(raw).get("names", {})
    return {str(k): tuple(str(n) for n in v) for k, v in names.items()}


def pypi_import_names(distribution: str) -> tuple[str, ...] | None:
    """Top-level import names of a PyPI distribution, or None when they are not known."""
    norm = pep503(re.sub(r"\[.*", "", distribution.strip()))
    return _table("pypi_import_names.json").get(norm)


def gem_require_paths(gem: str) -> tuple[str, ...] | None:
    """Require paths of a gem, or None when they are not known."""
    return _table("rubygems_require_paths.json").get(gem.strip().lower())
