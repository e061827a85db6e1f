"""Shape and known pairs of the import-name tables built by scripts/build_name_tables.py.

Every pair below was checked against the sources the tables come from (Debian bookworm
Contents index, installed/wheel file lists), not invented.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent.parent / ("secagent_tui/pipeline/sandbox/evidence/data")


def _load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["pypi_import_names.json", "rubygems_require_paths.json"])
def test_shape(name: str) -> None:
    table = _load(name)
    assert set(table) == {"_meta", "names"}
    meta = table["_meta"]
    assert {"sources", "generated", "command", "entries"} <= set(meta)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["generated"])
    assert meta["sources"] and all(isinstance(s, str) for s in meta["sources"])
    names = table["names"]
    assert meta["entries"] == len(names) > 1000
    assert list(names) == sorted(names)
    for key, values in names.items():
        assert key == key.lower()
        assert values and values == sorted(set(values))
        assert all(isinstance(v, str) and v for v in values)


def test_pypi_keys_are_pep503_normalized() -> None:
    names = _load("pypi_import_names.json")["names"]
    for key in names:
        assert key == re.sub(r"[-_.]+", "-", key).lower()


@pytest.mark.parametrize(
    ("dist", "expected"),
    [
        ("djangorestframework", {"rest_framework"}),
        ("beautifulsoup4", {"bs4"}),
        ("pyyaml", {"yaml"}),
        ("pillow", {"PIL"}),
        ("python-dateutil", {"dateutil"}),
        ("scikit-learn", {"sklearn"}),
        ("requests", {"requests"}),
        ("urllib3", {"urllib3"}),
        ("attrs", {"attr", "attrs"}),
        ("protobuf", {"google.protobuf"}),
        ("google-auth", {"google.auth", "google.oauth2"}),
        ("azure-storage-blob", {"azure.storage.blob"}),
        ("zope-interface", {"zope.interface"}),
        ("pastedeploy", {"paste.deploy"}),
    ],
)
def test_pypi_pairs(dist: str, expected: set[str]) -> None:
    names = _load("pypi_import_names.json")["names"]
    assert set(names[dist]) == expected


@pytest.mark.parametrize(
    ("gem", "expected"),
    [
        ("activesupport", {"active_support"}),
        ("rack", {"rack"}),
        ("rake", {"rake"}),
        ("actionview", {"action_view"}),
    ],
)
def test_rubygems_pairs(gem: str, expected: set[str]) -> None:
    names = _load("rubygems_require_paths.json")["names"]
    assert set(names[gem]) == expected


def test_rubygems_subsets() -> None:
    names = _load("rubygems_require_paths.json")["names"]
    assert {"action_controller", "action_dispatch"} <= set(names["actionpack"])
    assert "nokogiri" in names["nokogiri"]
    assert "rack/test" in names["rack-test"]
