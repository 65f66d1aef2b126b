"""How a search result is shown: the API's answer, with every explanation as a sentence in
the caller's language."""

from __future__ import annotations

from collections.abc import Sequence

from app.consortia.schemas import ConsortiumOut, SocialReturnCover
from app.matching.explain import explain
from app.matching.procurement import Coverage, Obligation
from app.matching.procurement_words import coverage_sentence, obligation_sentence
from app.matching.types import Component, Taxonomy
from app.search.schemas import (
    CaseCount,
    ExplanationItem,
    MatchCompany,
    MatchItem,
    MatchResponse,
    MatchSite,
    SocialReturnAtStake,
)
from app.search.service import SearchResult


def match_response(result: SearchResult, lang: str) -> MatchResponse:
    taxonomy = result.taxonomy
    labels = {n.code: taxonomy.label(n.code, lang) for n in taxonomy.nodes}
    obliged = result.obligation
    consortia = [
        ConsortiumOut.of(rank, proposal, result.workers_needed or 0, lang, labels)
        for rank, proposal in enumerate(result.consortia, start=1)
    ]
    if obliged is not None:
        for out, cover in zip(consortia, result.consortium_coverage, strict=True):
            out.social_return = cover_out(cover, obliged, lang)
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
                pso_level=f.match.procurement.pso_level if f.match.procurement else None,
                reserved_contract_eligible=bool(
                    f.match.procurement and f.match.procurement.reserved_eligible
                ),
                social_return=None if obliged is None else cover_out(
                    result.coverage[f.match.company_id], obliged, lang
                ),
                cases=case_counts(result.case_counts.get(f.card.company_id, {}), lang,
                                  taxonomy),
            )
            for f in result.found
        ],
        total_candidates=result.total_candidates,
        location=result.location,
        consortia=consortia,
        social_return=None if obliged is None else at_stake(obliged, lang),
    )


def at_stake(obliged: Obligation, lang: str) -> SocialReturnAtStake:
    region = obliged.region
    return SocialReturnAtStake(
        amount_at_stake_eur=obliged.amount_eur,
        contract_value_eur=obliged.contract_value_eur,
        percentage=obliged.percentage,
        region=region.code,
        region_label=region.label(lang),
        annual_value_per_worker_eur=region.annual_value_per_worker_eur,
        rules_source=region.source,
        rules_verified=region.verified,
        explanation=obligation_sentence(obliged, lang),
    )


def cover_out(cover: Coverage, obliged: Obligation, lang: str) -> SocialReturnCover:
    return SocialReturnCover(
        could_cover_eur=cover.could_cover_eur,
        share_of_obligation=cover.share_of_obligation,
        counting_rule=cover.rule,
        counted_percent=cover.counted_percent,
        pso_level=cover.pso_level,
        workers=cover.workers,
        detail=coverage_sentence(cover, obliged, lang),
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


def case_counts(counts: dict[str, int], lang: str, taxonomy: Taxonomy) -> list[CaseCount]:
    """'2 cases in packaging' / '2 cases over verpakken' / '2 cas en emballage', in the asked
    order of the kinds."""
    out = []
    for code, count in counts.items():
        label = taxonomy.label(code, lang).lower()
        if lang == "nl":
            detail = f"{count} {'case' if count == 1 else 'cases'} over {label}"
        elif lang == "fr":
            detail = f"{count} cas en {label}"
        else:
            detail = f"{count} {'case' if count == 1 else 'cases'} in {label}"
        out.append(CaseCount(work_kind=code, count=count, detail=detail))
    return out
