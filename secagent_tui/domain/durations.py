"""A duration as a few characters, for tables: the Jobs pane and `secagent jobs`."""

from __future__ import annotations

from datetime import timedelta


def short_duration(span: timedelta | None) -> str:
    """`4s`, `3m12s`, `2h05m`, `3d04h`; `-` when there is none (a job not started yet)."""
    if span is None:
        return "-"
    seconds = max(int(span.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"
