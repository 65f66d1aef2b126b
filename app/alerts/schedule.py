"""When daily and weekly alerts are due: pure date arithmetic, no database.

A slot is a scheduled send time: `hour`:00 local time in `tz` every day (daily), or on
`weekday` (weekly). A saved search is due when the latest slot at or before `now` is later than
the slot it last handled (or than its creation). Slots are returned in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def latest_slot(
    frequency: str, now: datetime, *, tz: str, hour: int, weekday: int = 0
) -> datetime:
    """The latest scheduled send time at or before `now` (aware), in UTC."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    day = local.date()
    for _ in range(8):
        slot = datetime.combine(day, time(hour), zone)
        if slot <= local and (frequency == "daily" or day.weekday() == weekday):
            return slot.astimezone(UTC)
        day -= timedelta(days=1)
    raise ValueError(f"no slot for {frequency!r}")  # pragma: no cover - 8 days hold one


def is_due(slot: datetime, checked_at: datetime | None, created_at: datetime) -> bool:
    return slot > (checked_at or created_at)
