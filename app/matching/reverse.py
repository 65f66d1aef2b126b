"""The reverse search: who seeks what I offer? Ranks companies and organisations by how much
of what they seek in each offered facet the offer covers, and by distance, with the reasons.

Pure: plain dataclasses and numpy, no web or database framework.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.geo.distance import haversine_km_array

# The facets an offer and a wish list have, in the order reasons are given.
FACETS = ("expertise", "materials", "partnership_kinds", "work_kinds")

# Without a cut-off, distance still orders: its component halves every HALF_SCORE_KM.
HALF_SCORE_KM = 50.0


@dataclass(frozen=True, slots=True)
class ReverseWeights:
    need: float = 0.75
    distance: float = 0.25


@dataclass(frozen=True, slots=True)
class Offer:
    """What the searcher offers, per facet (codes), and where it is (optional)."""

    offers: Mapping[str, frozenset[str]]
    lat: float | None = None
    lon: float | None = None
    max_distance_km: float | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Seeker:
    """A company (its sites' points) or an organisation (one point) and what it seeks."""

    id: str
    kind: str
    seeks: Mapping[str, frozenset[str]]
    points: Sequence[tuple[float, float]] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    criterion: str
    score: float
    weight: float
    detail: str
    codes: tuple[str, ...] = ()
    # What the seeker seeks in this facet that is not offered.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReverseMatch:
    id: str
    kind: str
    score: float
    distance_km: float | None
    point: int | None
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _distance_score(d: float, limit: float | None) -> float:
    if limit is not None:
        return max(0.0, 1.0 - d / limit)
    return 1.0 / (1.0 + d / HALF_SCORE_KM)


def rank_seekers(
    offer: Offer, seekers: Sequence[Seeker], weights: ReverseWeights = ReverseWeights()
) -> tuple[list[ReverseMatch], int]:
    """The seekers that seek at least one offered thing (and lie within the cut-off), best
    first: score, then distance, then id. Returns the first `limit` and how many fit."""
    offered = {f: offer.offers.get(f, frozenset()) for f in FACETS}
    facets = [f for f in FACETS if offered[f]]
    if not facets:
        return [], 0
    point = (offer.lat, offer.lon) if offer.lat is not None and offer.lon is not None else None
    found: list[ReverseMatch] = []
    share = weights.need / len(facets)
    for seeker in seekers:
        reasons: list[Reason] = []
        need = 0.0
        for facet in facets:
            sought = seeker.seeks.get(facet, frozenset())
            covered = sorted(sought & offered[facet])
            fit = len(covered) / len(sought) if sought else 0.0
            need += share * fit
            missing = sorted(sought - offered[facet])
            if covered:
                detail = f"seeks {', '.join(covered)}"
                if missing:
                    detail += f"; also seeks {', '.join(missing)}"
            elif sought:
                detail = f"seeks {', '.join(missing)}, not what is offered"
            else:
                detail = "seeks nothing of this kind"
            reasons.append(Reason(facet, round(fit, 4), round(share, 4), detail, tuple(covered),
                                  tuple(missing)))
        if not any(r.codes for r in reasons):
            continue
        distance: float | None = None
        nearest: int | None = None
        score = need
        if point is not None:
            if not seeker.points:
                continue
            lats = np.fromiter((p[0] for p in seeker.points), dtype=np.float64)
            lons = np.fromiter((p[1] for p in seeker.points), dtype=np.float64)
            d = haversine_km_array(point[0], point[1], lats, lons)
            nearest = int(np.argmin(d))
            distance = float(d[nearest])
            if offer.max_distance_km is not None and distance > offer.max_distance_km:
                continue
            fit = _distance_score(distance, offer.max_distance_km)
            score += weights.distance * fit
            reasons.append(Reason("distance", round(fit, 4), weights.distance,
                                  f"{distance:.1f} km away"))
            score /= weights.need + weights.distance
        else:
            score /= weights.need
        found.append(ReverseMatch(seeker.id, seeker.kind, round(100 * score, 1),
                                  None if distance is None else round(distance, 1),
                                  nearest, tuple(reasons)))
    found.sort(key=lambda m: (-m.score, m.distance_km if m.distance_km is not None else 0.0,
                              m.id))
    return found[: offer.limit], len(found)
