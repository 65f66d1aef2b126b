"""Working days (pure): a response deadline counts Monday to Friday, skipping given holidays."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    skip = set(holidays)
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in skip:
            left -= 1
    return current


def end_of_day(day: date, tz: str) -> datetime:
    """The first instant after `day` in time zone `tz` (answers are taken until then)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
