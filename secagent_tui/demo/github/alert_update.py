"""``PATCH /repos/{owner}/{repo}/dependabot/alerts/{number}``: checking and applying it.

The checks run in GitHub's order and answer with GitHub's words: 400 for a body that is not
a JSON object, 422 for an unknown key, a value outside the enums, a comment over 280
characters or a dismissal without a reason, 409 for a fixed alert or (by default) one that
is already dismissed. The dismissal client's error handling is tested against these, so
they must be the answers a real PATCH gets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Repo
from .permissions import delegated_dismissal_refused
from .responses import DOCS_UPDATE, Response, error
from .store import Dataset
from .vocabulary import DISMISSED_REASONS, MAX_COMMENT

__all__ = ["AlertUpdate", "apply_update", "conflict", "parse_update"]

_PATCH_KEYS = ("state", "dismissed_reason", "dismissed_comment", "assignees")


@dataclass(frozen=True)
class AlertUpdate:
    """A checked PATCH body (None: the key was not sent)."""

    state: str | None
    reason: str | None
    comment: str | None
    assignees: list[str] | None


def _invalid(detail: str) -> Response:
    return error(422, f"Invalid request.\n\n{detail}", DOCS_UPDATE)


def parse_update(body: bytes) -> AlertUpdate | Response:
    """The checked body, or GitHub's 400/422 refusing it."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return error(400, "Problems parsing JSON", DOCS_UPDATE)
    if not isinstance(data, dict):
        return error(400, "Body should be a JSON object", DOCS_UPDATE)
    for key in data:
        if key not in _PATCH_KEYS:
            return _invalid(f'"{key}" is not a permitted key.')
    update = AlertUpdate(
        data.get("state"),
        data.get("dismissed_reason"),
        data.get("dismissed_comment"),
        data.get("assignees"),
    )
    for check in _CHECKS:
        detail = check(update)
        if detail is not None:
            return _invalid(detail)
    return update


def _needs_state_or_assignees(u: AlertUpdate) -> str | None:
    if u.state is None and u.assignees is None:
        return 'No subschema in "anyOf" matched.\n"state" wasn\'t supplied.'
    return None


def _state_in_enum(u: AlertUpdate) -> str | None:
    if u.state is not None and u.state not in ("dismissed", "open"):
        return f"For 'properties/state', {json.dumps(u.state)} is not a member of enum."
    return None


def _reason_in_enum(u: AlertUpdate) -> str | None:
    if u.reason is not None and u.reason not in DISMISSED_REASONS:
        return f"For 'properties/dismissed_reason', {json.dumps(u.reason)} is not a member of enum."
    return None


def _comment_is_short_text(u: AlertUpdate) -> str | None:
    comment: Any = u.comment
    if comment is not None and not isinstance(comment, str):
        return f"For 'properties/dismissed_comment', {json.dumps(comment)} is not a string."
    if isinstance(comment, str) and len(comment) > MAX_COMMENT:
        return (
            f"For 'properties/dismissed_comment', the string is too long "
            f"({len(comment)} characters, maximum is {MAX_COMMENT})."
        )
    return None


def _assignees_are_logins(u: AlertUpdate) -> str | None:
    assignees: Any = u.assignees
    if assignees is not None and (
        not isinstance(assignees, list) or not all(isinstance(x, str) for x in assignees)
    ):
        return "For 'properties/assignees', must be an array of strings."
    return None


def _dismissal_has_reason(u: AlertUpdate) -> str | None:
    if u.state == "dismissed" and u.reason is None:
        return '"dismissed_reason" is required when "state" is "dismissed".'
    return None


_CHECKS: tuple[Callable[[AlertUpdate], str | None], ...] = (
    _needs_state_or_assignees,
    _state_in_enum,
    _reason_in_enum,
    _comment_is_short_text,
    _assignees_are_logins,
    _dismissal_has_reason,
)


def conflict(
    update: AlertUpdate, repo: Repo, alert: dict[str, Any], *, conflict_on_redismiss: bool
) -> Response | None:
    """GitHub's 403/409 for an update the alert's state or repository does not allow."""
    if update.state == "dismissed" and repo.delegated_dismissal:
        return delegated_dismissal_refused()
    if update.state is not None and alert["state"] == "fixed":
        msg = f"Alert {alert['number']} is fixed and its state cannot be changed."
        return error(409, msg, DOCS_UPDATE)
    if update.state == "dismissed" and alert["state"] == "dismissed" and conflict_on_redismiss:
        return error(409, f"Alert {alert['number']} is already dismissed.", DOCS_UPDATE)
    return None


def apply_update(
    ds: Dataset, repo: Repo, alert: dict[str, Any], update: AlertUpdate, *, by: str
) -> dict[str, Any]:
    """Apply a checked, allowed update; the alert's payload afterwards."""
    number = alert["number"]
    if update.assignees is not None:
        alert = ds.set_assignees(repo.full_name, number, update.assignees)
    if update.state == "dismissed":
        assert update.reason is not None  # checked by parse_update
        alert = ds.dismiss(repo.full_name, number, update.reason, update.comment, by=by)
    elif update.state == "open" and alert["state"] != "open":
        alert = ds.reopen(repo.full_name, number)
    return alert
