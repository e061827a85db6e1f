"""How the store keeps a point in time: an aware UTC datetime in Python, and on SQLite an
integer count of microseconds since the Unix epoch.

SQLite has no time type. Integers sort and compare as the instants they stand for, are eight
bytes in a row and in an index instead of a 26-character string, and converting one costs a
subtraction and a division instead of formatting text: on the bulk upsert that was a tenth
of the time of a sync's first write. PostgreSQL keeps its own `timestamptz`. Both the
column type (`schema.UtcDateTime`) and the driver-level upsert (`bulk_sql`) convert here, on
either backend, so the two paths cannot write different forms.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROS_PER_DAY = 86_400_000_000.0
"""A float, so that SQLite divides stored times by it without truncating."""
_MICROSECOND = timedelta(microseconds=1)


def naive_datetime_error(value: datetime) -> ValueError:
    return ValueError(f"naive datetime {value!r}: the store only takes UTC-aware times")


def to_timestamptz(value: datetime | None) -> datetime | None:
    """An aware datetime as PostgreSQL's driver takes it (asyncpg converts any zone to UTC);
    a naive one is refused rather than guessed to be UTC or local."""
    if value is not None and value.utcoffset() is None:
        raise naive_datetime_error(value)
    return value


def to_micros(value: datetime | None) -> int | None:
    """Microseconds since the epoch of an aware datetime in any zone, exactly."""
    if value is None:
        return None
    try:
        # Python refuses to subtract a naive datetime from an aware one: that is the check,
        # at no cost for the aware ones (this runs for every time of every synced row).
        return (value - EPOCH) // _MICROSECOND
    except TypeError:
        raise naive_datetime_error(value) from None


def from_micros(value: int | None) -> datetime | None:
    # timedelta(0, 0, value) is timedelta(microseconds=value), a third cheaper without the
    # keyword (this runs for every time of every row read: 90,000 for 10,000 findings).
    return None if value is None else EPOCH + timedelta(0, 0, value)
