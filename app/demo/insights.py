"""A believable, fictional history of demand for the insights page: 18 months of searches,
stored requests and call-outs over the demo towns, growing over time, most of it in the
larger towns and the common kinds of work, with a tail of small groups that stay hidden.

Only the insight tables are filled (the queue, then one refresh): no fake request rows with
contacts are made. Seeded, so the same history every time; loading twice adds nothing.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.demo.towns import TOWNS
from app.geo import region_of_point
from app.insights import service
from app.models import InsightCell, utcnow

SEED = 2026
MONTHS = 18

# Kinds of work and how often they are asked, relatively.
POPULARITY: dict[str, int] = {
    "packaging": 30, "assembly": 22, "green-maintenance": 18, "cleaning": 16,
    "order-fulfilment": 14, "document-digitization": 10, "catering": 8, "warehousing": 8,
    "textile-recycling": 7, "sorting-inspection": 7, "bicycle-repair": 5, "woodworking": 5,
    "mail-handling": 4, "electronics-recycling": 4, "furniture-refurbishing": 3,
    "customer-contact": 3, "laundry": 3, "painting": 2, "electronics-assembly": 2,
    "hr-services": 1, "food-processing": 1, "printing-binding": 1,
}
# Larger towns (by the order of the table: provincial capitals first) have more requesters.
SOURCES = (("search", 70), ("request", 20), ("callout", 10))


def load_demo_insights(session: Session, settings: Settings) -> int:
    """Queue and roll up the demo history; returns the units of demand added (0 when the
    insights already hold data)."""
    if session.scalar(select(func.count()).select_from(InsightCell)):
        return 0
    rng = random.Random(SEED)  # noqa: S311 - fictional demo data, not a secret
    now = utcnow()
    towns = [t for t in TOWNS if region_of_point(t.lat, t.lon, t.country) is not None]
    # A town's pool of requesters: the first town of each province (its centre) a big pool,
    # the others small ones, so there is a tail of small groups that stay hidden.
    seen: set[str] = set()
    pools: dict[str, int] = {}
    for t in towns:
        pools[t.name] = 120 if t.province not in seen else rng.randint(2, 12)
        seen.add(t.province)
    weights = [pools[t.name] ** 1.2 for t in towns]
    kinds = list(POPULARITY)
    kind_weights = list(POPULARITY.values())
    added = 0
    where = {t.name: region_of_point(t.lat, t.lon, t.country) for t in towns}
    rows: list[dict[str, object]] = []
    for back in range(MONTHS - 1, -1, -1):
        index = now.year * 12 + now.month - 1 - back
        when = min(now, datetime(index // 12, index % 12 + 1, 10, 12, tzinfo=UTC))
        volume = int(450 * (1 + (MONTHS - back) / MONTHS))  # demand grows
        for _ in range(volume):
            town = rng.choices(towns, weights)[0]
            person = rng.randrange(pools[town.name])
            owner = uuid.uuid5(uuid.NAMESPACE_URL, f"loket-demo:{town.name}:{person}")
            requester = service.owner_requester(settings, owner)
            source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
            asked = {rng.choices(kinds, kind_weights)[0]}
            if rng.random() < 0.25:
                asked.add(rng.choices(kinds, kind_weights)[0])
            region = where[town.name]
            sources = [source]
            if source == "callout" and rng.random() < 0.3:
                sources.append("thin_callout")
            for src in sources:
                rows += service.event_rows(settings, src, sorted(asked), region, requester,
                                           when)
            added += len(asked)
    service.add_events(session, rows)
    service.refresh(session, settings, force=True)
    return added

