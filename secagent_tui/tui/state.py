"""What the TUI remembers between runs: the current filter, view and sort.

A small JSON file next to the log file (`$XDG_STATE_HOME/secagent/tui-state.json` by
default). A missing or unreadable file means defaults: it is a convenience, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secagent_tui.config import Config
from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import AlertState, Scope, Severity

STATE_FILE = "tui-state.json"
_BOOLS = ("has_verdict", "exploitable", "overdue", "pending_push")


def state_path(config: Config) -> Path:
    return Path(config.observability.log_file).parent / STATE_FILE


def filter_to_json(flt: FindingFilter) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "states": [s.value for s in flt.states],
        "severities": [s.value for s in flt.severities],
        "min_severity": flt.min_severity.value if flt.min_severity else None,
        "ecosystems": list(flt.ecosystems),
        "scope": flt.scope.value if flt.scope else None,
        "repo_glob": flt.repo_glob,
        "owner": flt.owner,
        "assignee": flt.assignee,
        "snooze": flt.snooze.value if flt.snooze else None,
        "text": flt.text,
    }
    for name in _BOOLS:
        doc[name] = getattr(flt, name)
    return doc


def filter_from_json(doc: Any) -> FindingFilter:
    """Tolerant: a value it cannot read falls back to the default for that field."""
    if not isinstance(doc, dict):
        return FindingFilter()
    changes: dict[str, Any] = {}

    def enum_list(key: str, kind: Any) -> None:
        values = doc.get(key)
        if isinstance(values, list):
            with contextlib.suppress(ValueError):
                changes[key] = tuple(kind(v) for v in values)

    enum_list("states", AlertState)
    enum_list("severities", Severity)
    for key, kind in (("min_severity", Severity), ("scope", Scope), ("snooze", SnoozeState)):
        value = doc.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                changes[key] = kind(value)
    if isinstance(doc.get("ecosystems"), list):
        changes["ecosystems"] = tuple(str(e) for e in doc["ecosystems"])
    for key in ("repo_glob", "owner", "assignee"):
        if isinstance(doc.get(key), str) and doc[key]:
            changes[key] = doc[key]
    if isinstance(doc.get("text"), str):
        changes["text"] = doc["text"]
    for key in _BOOLS:
        if isinstance(doc.get(key), bool):
            changes[key] = doc[key]
    return FindingFilter().with_changes(**changes)


@dataclass
class UiState:
    filter: FindingFilter = field(default_factory=FindingFilter)
    view: str | None = "All open"
    sort_column: str = "severity"
    sort_reverse: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "filter": filter_to_json(self.filter),
            "view": self.view,
            "sort": {"column": self.sort_column, "reverse": self.sort_reverse},
        }

    @classmethod
    def from_json(cls, doc: Any) -> UiState:
        if not isinstance(doc, dict):
            return cls()
        sort = doc.get("sort") if isinstance(doc.get("sort"), dict) else {}
        view = doc.get("view")
        return cls(
            filter=filter_from_json(doc.get("filter")),
            view=view if isinstance(view, str) else None,
            sort_column=str(sort.get("column") or "severity"),
            sort_reverse=bool(sort.get("reverse", False)),
        )


def load_state(path: Path) -> UiState:
    try:
        return UiState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return UiState()


def save_state(path: Path, state: UiState) -> None:
    """Atomic (temp file + rename), so a crash mid-write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tui-state-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.to_json(), handle, indent=2)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
