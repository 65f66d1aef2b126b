"""From HTTP-shaped criteria to the engine's inputs: where the location is, and the
criteria, weights and parameters the pure engine takes."""

from __future__ import annotations

from app.common.places import resolve_or_refuse
from app.config import Settings
from app.matching.types import Criteria, ScoringParams, Weights
from app.search.schemas import Location, MatchCriteria, PlaceResolution, ResolvedLocation


def resolve_location(location: Location, field: str = "location") -> ResolvedLocation:
    if location.lat is not None and location.lon is not None:
        return ResolvedLocation(
            lat=location.lat, lon=location.lon, label="given coordinates",
            resolved=PlaceResolution(place=None, postcode=None, country=location.country,
                                     lat=location.lat, lon=location.lon, matched="exact"),
        )
    r = resolve_or_refuse(postcode=location.postcode, place=location.place,
                          country=location.country, field=field)
    label = f"{r.postcode} {r.place}" if r.postcode else r.place or ""
    return ResolvedLocation(
        lat=r.lat, lon=r.lon, label=label,
        resolved=PlaceResolution(place=r.place, postcode=r.postcode, country=r.country,
                                 lat=r.lat, lon=r.lon, matched=r.matched),
    )


def engine_criteria(
    criteria: MatchCriteria, resolved: ResolvedLocation | None, *, limit: int
) -> Criteria:
    return Criteria(
        work_kinds=tuple(criteria.work_kinds),
        lat=resolved.lat if resolved else None,
        lon=resolved.lon if resolved else None,
        max_distance_km=criteria.max_distance_km,
        workers_needed=criteria.workers_needed,
        start_date=criteria.start_date,
        required_certifications=frozenset(criteria.required_certifications),
        preferred_certifications=frozenset(criteria.preferred_certifications),
        limit=limit,
        reserved_contract=criteria.reserved_contract,
        min_pso_level=criteria.min_pso_level,
    )


def engine_weights(settings: Settings) -> Weights:
    return Weights(**settings.match_weights.model_dump())


def engine_params(settings: Settings) -> ScoringParams:
    return ScoringParams(
        sibling_credit=settings.match_sibling_credit,
        distance_half_km=settings.match_distance_half_km,
        availability_grace_days=settings.match_availability_grace_days,
    )
