"""From HTTP-shaped criteria to the pure engine and back to an explained answer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia.service import consortia_for
from app.errors import FieldError, Unprocessable, field_error
from app.matching import Component, Taxonomy, UnknownWorkKind, explain, match
from app.search import repository
from app.search.catalogue_cache import CatalogueCache
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.schemas import (
    ExplanationItem,
    MatchCompany,
    MatchCriteria,
    MatchItem,
    MatchResponse,
    MatchSite,
)


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
    try:
        result = match(
            snapshot.catalogue,
            engine_criteria(criteria, resolved, limit=criteria.limit),
            engine_weights(settings),
            engine_params(settings),
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
    consortia = consortia_for(
        session, cache, settings, criteria, lang=lang, resolved=resolved
    )
    return MatchResponse(
        matches=items,
        total_candidates=result.total_candidates,
        location=resolved,
        consortia=consortia,
    )


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
