"""The one door through which error texts and audit details enter the database.

Callers redact what they show, but a stored text outlives every caller: it is read back by
`secagent findings`, the TUI, `stats` and anyone with the database file, and a caller that
forgot (or a pattern that did not know the token's shape) left GitHub's echo of the token
in `intents.error` and `audit_events.detail`. So every store write of such text goes through
here, after the callers' own redaction (`logs.redact` is idempotent), and the cut to the
column's length comes after the redaction, so it can never leave half a token behind for
the patterns to miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Insert

from secagent_tui.logs import redact, redact_data
from secagent_tui.store.schema import audit_events

__all__ = ["audit_line", "redacted", "redacted_detail", "redacted_or_none"]


def redacted(text: str, limit: int | None = None) -> str:
    """`text` as it may be stored: credentials masked, then cut to `limit` characters."""
    text = redact(text)
    return text if limit is None else text[:limit]


def redacted_or_none(text: str | None, limit: int | None = None) -> str | None:
    return None if text is None else redacted(text, limit)


def redacted_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON document (an audit line's detail, a sync run's figures) with every string in
    it redacted and the values under secret keys masked; numbers and booleans kept."""
    return dict(redact_data(dict(detail)))


def audit_line(
    *,
    at: datetime,
    actor: str,
    action: str,
    finding_id: int | None,
    detail: Mapping[str, Any],
    correlation_id: str | None = None,
) -> Insert:
    """The INSERT of one audit line, its detail redacted: every audit write of the store is
    built here, so none can skip the redaction."""
    return audit_events.insert().values(
        at=at,
        actor=actor,
        action=action,
        finding_id=finding_id,
        detail=redacted_detail(detail),
        correlation_id=correlation_id,
    )
