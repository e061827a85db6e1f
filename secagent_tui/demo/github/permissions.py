"""Who may write alerts: read-only tokens and repositories with delegated dismissal.

The pusher must tell GitHub's permanent refusals (no write permission, delegated
dismissal) from transient failures, so the server refuses with GitHub's exact 403s:
"Resource not accessible by personal access token" (or "... by integration" for an App's
``ghs_`` token) with ``x-accepted-github-permissions``, and for delegated dismissal the
wording GitHub documents for the same 403 of the secret scanning alert PATCH (its
Dependabot reference names no separate answer, so this is our best reading of it).
"""

from __future__ import annotations

from collections.abc import Collection

from .responses import DOCS_UPDATE, Response, error

__all__ = ["delegated_dismissal_refused", "write_forbidden"]


def write_forbidden(token: str, *, owner_token: str, read_only: Collection[str]) -> Response | None:
    """GitHub's 403 for a token that may read alerts but not write them, or None."""
    if token not in read_only or token == owner_token:
        return None
    who = "integration" if token.startswith("ghs_") else "personal access token"
    return error(
        403,
        f"Resource not accessible by {who}",
        DOCS_UPDATE,
        [("x-accepted-github-permissions", "vulnerability_alerts=write")],
    )


def delegated_dismissal_refused() -> Response:
    """The 403 of a direct dismissal where dismissals must be requested and reviewed."""
    msg = "Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer."
    return error(403, msg, DOCS_UPDATE)
