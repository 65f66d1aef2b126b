"""From HTTP-shaped criteria to the pure engine and back to an explained answer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import FieldError, UnknownLocationError, Unprocessable, field_error
from app.geo import UnknownLocation, geocode
from app.matching import (
    Component,
    Criteria,
    ScoringParams,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    explain,
    match,
)
from app.search import repository
from app.search.catalogue_cache import CatalogueCache
from app.search.schemas import (
    ExplanationItem,
    Location,
    MatchCompany,
    MatchCriteria,
    MatchItem,
    MatchResponse,
    MatchSite,
    ResolvedLocation,
)


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


def _check_certifications(criteria: MatchCriteria, known: set[str], prefix: str) -> None:
    errors: list[FieldError] = []
    for name in ("required_certifications", "preferred_certifications"):
        for i, code in enumerate(getattr(criteria, name)):
            if code not in known:
                errors.append(field_error(f"{prefix}{name}.{i}", f"unknown certification '{code}'"))
    if errors:
        raise Unprocessable("Unknown certification codes.", errors=errors)


def run_match(
    session: Session,
    cache: CatalogueCache,
    settings: Settings,
    criteria: MatchCriteria,
    *,
    lang: str,
    field: str = "",
) -> MatchResponse:
    prefix = f"{field}." if field else ""
    snapshot = cache.get(session)
    _check_certifications(criteria, set(snapshot.certification_codes), prefix)
    resolved = (
        resolve_location(criteria.location, f"{prefix}location") if criteria.location else None
    )
    engine_criteria = Criteria(
        work_kinds=tuple(criteria.work_kinds),
        lat=resolved.lat if resolved else None,
        lon=resolved.lon if resolved else None,
        max_distance_km=criteria.max_distance_km,
        workers_needed=criteria.workers_needed,
        start_date=criteria.start_date,
        required_certifications=frozenset(criteria.required_certifications),
        preferred_certifications=frozenset(criteria.preferred_certifications),
        limit=criteria.limit,
    )
    w = settings.match_weights
    try:
        result = match(
            snapshot.catalogue,
            engine_criteria,
            Weights(
                work_kinds=w.work_kinds,
                distance=w.distance,
                capacity=w.capacity,
                availability=w.availability,
                certifications=w.certifications,
            ),
            ScoringParams(
                sibling_credit=settings.match_sibling_credit,
                distance_half_km=settings.match_distance_half_km,
                availability_grace_days=settings.match_availability_grace_days,
            ),
        )
    except UnknownWorkKind as exc:
        raise Unprocessable(
            f"Unknown work kind: {', '.join(exc.codes)}",
            errors=[
                field_error(f"{prefix}work_kinds.{criteria.work_kinds.index(code)}",
                            f"unknown work kind '{code}'", "unknown_work_kind")
                for code in exc.codes
            ],
        ) from None
    companies, sites = repository.cards_for(
        session,
        (uuid.UUID(m.company_id) for m in result.matches),
        (uuid.UUID(m.site_id) for m in result.matches),
    )
    items: list[MatchItem] = []
    for m in result.matches:
        company = companies.get(uuid.UUID(m.company_id))
        site = sites.get(uuid.UUID(m.site_id))
        if company is None or site is None:
            continue  # removed after this catalogue version was read
        items.append(
            MatchItem(
                company=MatchCompany(
                    id=company.id,
                    name=company.name,
                    email=company.email,
                    phone=company.phone,
                    website=company.website,
                ),
                site=MatchSite(
                    name=site.name,
                    city=site.city,
                    country=site.country,
                    lat=site.lat,
                    lon=site.lon,
                ),
                distance_km=m.distance_km,
                score=m.score,
                explanation=_explanation(m.components, lang, snapshot.taxonomy),
            )
        )
    return MatchResponse(matches=items, total_candidates=result.total_candidates,
                         location=resolved)


def _explanation(
    components: Sequence[Component], lang: str, taxonomy: Taxonomy
) -> list[ExplanationItem]:
    # Weights are reported as shares of the applicable ones, so that
    # score == 100 * sum(weight * component score) holds for every match.
    total = sum(c.weight for c in components)
    return [
        ExplanationItem(
            criterion=c.criterion,
            score=round(c.score, 4),
            weight=round(c.weight / total, 4) if total > 0 else 0.0,
            detail=explain(c, lang, taxonomy),
        )
        for c in components
    ]
