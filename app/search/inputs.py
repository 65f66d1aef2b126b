"""From HTTP-shaped criteria to the engine's inputs: where the location is, and the
criteria, weights and parameters the pure engine takes."""

from __future__ import annotations

from app.config import Settings
from app.errors import UnknownLocationError, field_error
from app.geo import UnknownLocation, geocode
from app.matching.types import Criteria, ScoringParams, Weights
from app.search.schemas import Location, MatchCriteria, ResolvedLocation


def resolve_location(location: Location, field: str = "location") -> ResolvedLocation:
    if location.lat is not None and location.lon is not None:
        return ResolvedLocation(lat=location.lat, lon=location.lon, label="given coordinates")
    try:
        if location.postcode is not None:
            point = geocode(country=location.country, postcode=location.postcode)
        else:
            point = geocode(country=location.country, place=location.place)
    except UnknownLocation as exc:
        where = "postcode" if exc.kind == "postcode" else "place"
        country = f" in {exc.country}" if exc.country else ""
        raise UnknownLocationError(
            f"Unknown {exc.kind} '{exc.value}'{country}.",
            errors=[field_error(f"{field}.{where}", f"unknown {exc.kind} '{exc.value}'",
                                "unknown_location")],
        ) from None
    return ResolvedLocation(lat=point.lat, lon=point.lon, label=point.label)


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
    )


def engine_weights(settings: Settings) -> Weights:
    return Weights(**settings.match_weights.model_dump())


def engine_params(settings: Settings) -> ScoringParams:
    return ScoringParams(
        sibling_credit=settings.match_sibling_credit,
        distance_half_km=settings.match_distance_half_km,
        availability_grace_days=settings.match_availability_grace_days,
    )
