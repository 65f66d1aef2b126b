"""How a search result is shown: the API's answer, with every explanation as a sentence in
the caller's language."""

from __future__ import annotations

from collections.abc import Sequence

from app.consortia.schemas import ConsortiumOut
from app.matching.explain import explain
from app.matching.types import Component, Taxonomy
from app.search.schemas import (
    ExplanationItem,
    MatchCompany,
    MatchItem,
    MatchResponse,
    MatchSite,
)
from app.search.service import SearchResult


def match_response(result: SearchResult, lang: str) -> MatchResponse:
    taxonomy = result.taxonomy
    labels = {n.code: taxonomy.label(n.code, lang) for n in taxonomy.nodes}
    return MatchResponse(
        matches=[
            MatchItem(
                company=MatchCompany(
                    id=f.card.company_id, name=f.card.company_name, email=f.card.email,
                    phone=f.card.phone, website=f.card.website,
                ),
                site=MatchSite(
                    name=f.card.site_name, city=f.card.city, country=f.card.country,
                    lat=f.card.lat, lon=f.card.lon,
                ),
                distance_km=f.match.distance_km,
                score=f.match.score,
                explanation=explanation(f.match.components, lang, taxonomy),
            )
            for f in result.found
        ],
        total_candidates=result.total_candidates,
        location=result.location,
        consortia=[
            ConsortiumOut.of(rank, proposal, result.workers_needed or 0, lang, labels)
            for rank, proposal in enumerate(result.consortia, start=1)
        ],
    )


def explanation(
    components: Sequence[Component], lang: str, taxonomy: Taxonomy
) -> list[ExplanationItem]:
    """One item per component. Weights are reported as shares of the applicable ones, so that
    score == 100 * sum(weight * component score) holds for every match."""
    total = sum(c.weight for c in components)
    return [
        ExplanationItem(
            criterion=c.criterion,
            score=c.score,
            weight=round(c.weight / total, 4) if total > 0 else 0.0,
            detail=explain(c, lang, taxonomy),
        )
        for c in components
    ]
