"""An alert's state and the fields that must agree with it.

GitHub keeps ``dismissed_*``, ``fixed_at`` and ``auto_dismissed_at`` consistent with
``state``; every change of state in the dataset goes through :func:`apply_state` so no
payload can say "open" and carry a dismissal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["apply_state"]


def apply_state(
    a: dict[str, Any],
    state: str,
    *,
    at: str,
    user_payload: Callable[[str], dict[str, Any]],
    reason: str | None = None,
    comment: str | None = None,
    by: str | None = None,
) -> None:
    """Set ``state`` and make every state-dependent field agree with it (``user_payload``
    builds ``dismissed_by`` from a login)."""
    a["state"] = state
    dismissed = state == "dismissed"
    a["dismissed_at"] = at if dismissed else None
    a["dismissed_by"] = user_payload(by or "octocat") if dismissed else None
    a["dismissed_reason"] = (reason or "tolerable_risk") if dismissed else None
    a["dismissed_comment"] = comment if dismissed else None
    a["fixed_at"] = at if state == "fixed" else None
    a["auto_dismissed_at"] = at if state == "auto_dismissed" else None
