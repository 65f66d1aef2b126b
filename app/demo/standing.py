"""Demo data for saved searches: the demo entrepreneur's weekly alert for packaging near
Tilburg, visible at /my/alerts (and mailed by `loket worker` on Monday at 08:00)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SavedSearch, User, utcnow

DEMO_ENTREPRENEUR = "ondernemer@loket.example"
DEMO_SEARCH = {"work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
               "max_distance_km": 40}


def load_saved_searches(session: Session) -> int:
    """Add the demo saved search once; returns how many were added."""
    person = session.scalars(select(User).where(User.email == DEMO_ENTREPRENEUR)).first()
    if person is None or session.scalars(
        select(SavedSearch.id).where(SavedSearch.owner_id == person.id)
    ).first() is not None:
        return 0
    now = utcnow()
    session.add(SavedSearch(
        id=uuid.uuid4(), owner_id=person.id, name="Verpakken rond Tilburg", criteria=DEMO_SEARCH,
        frequency="weekly", channel="email", email=person.email, language=person.language,
        created_at=now, updated_at=now, checked_version=0,
    ))
    session.flush()
    return 1
