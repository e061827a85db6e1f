"""SLA due dates: an alert is due its severity's days after GitHub created it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from secagent_tui.domain.finding import Severity


@dataclass(frozen=True, slots=True)
class SlaDays:
    """Days to fix by severity; the reviewed system's defaults."""

    critical: int = 15
    high: int = 30
    medium: int = 45
    low: int = 90

    def days_for(self, severity: Severity) -> int:
        return int(getattr(self, severity.value))


def sla_due_at(created_at: datetime, severity: Severity, days: SlaDays) -> datetime:
    return created_at + timedelta(days=days.days_for(severity))


def is_overdue(created_at: datetime, severity: Severity, days: SlaDays, now: datetime) -> bool:
    """Only meaningful for open alerts; the caller decides which states count."""
    return now > sla_due_at(created_at, severity, days)
