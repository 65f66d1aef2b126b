"""Consortia for a match: take the engine's results with a wider net than the answer's top-k,
turn them into plain candidates, and let the pure proposer combine them.

`run_match` shares its own engine run and card lookup with `consortia_from`; `consortia_for`
runs the engine itself, for callers that have no match at hand.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia.proposer import MAX_CANDIDATES, Candidate, Proposal, explain, propose
from app.consortia.schemas import ConsortiumMember, ConsortiumOut
from app.matching import Catalogue, Match, Taxonomy, UnknownWorkKind, Weights, match
from app.search.catalogue_cache import CatalogueCache
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.repository import Card
from app.search.schemas import MatchCriteria, ResolvedLocation


def consortium_weights(settings: Settings) -> Weights:
    """The answer's weights, except that capacity is always scored: it is how each company's
    figure is learnt, even with its weight at 0."""
    weights = engine_weights(settings)
    return replace(weights, capacity=weights.capacity or 1e-9)


def consortia_for(
    session: Session,
    cache: CatalogueCache,
    settings: Settings,
    criteria: MatchCriteria,
    *,
    lang: str,
    resolved: ResolvedLocation | None = None,
) -> list[ConsortiumOut]:
    """Up to five ranked consortia for these criteria; [] when one company suffices, when
    `workers_needed` is not given, or when no combination covers it.

    Call it after the match itself has validated the criteria (unknown kinds give [] here).
    Pass the match answer's `location` as `resolved` to avoid geocoding twice.
    """
    if not criteria.workers_needed:
        return []
    snapshot = cache.get(session)
    if resolved is None and criteria.location is not None:
        resolved = resolve_location(criteria.location)
    try:
        pool = consortium_pool(snapshot.catalogue, criteria, resolved, settings)
    except UnknownWorkKind:
        return []
    cards = cache.cards(session, snapshot, {m.site_id for m in pool})
    return consortia_from(pool, cards, criteria, lang=lang, taxonomy=snapshot.taxonomy)


def consortium_pool(
    catalogue: Catalogue,
    criteria: MatchCriteria,
    resolved: ResolvedLocation | None,
    settings: Settings,
) -> Sequence[Match]:
    """The candidates the consortia are made from: the top MAX_CANDIDATES, ranked with
    `consortium_weights`. Raises UnknownWorkKind like the engine."""
    return match(
        catalogue,
        engine_criteria(criteria, resolved, limit=MAX_CANDIDATES),
        consortium_weights(settings),
        engine_params(settings),
    ).matches


def consortia_from(
    matches: Sequence[Match],
    cards: Mapping[str, Card],
    criteria: MatchCriteria,
    *,
    lang: str,
    taxonomy: Taxonomy,
) -> list[ConsortiumOut]:
    """The consortia for engine results ranked with `consortium_weights` (best first, at least
    the top MAX_CANDIDATES); matches without a card (removed since) are skipped."""
    needed = criteria.workers_needed
    if not needed:
        return []
    candidates = []
    for m in matches[:MAX_CANDIDATES]:
        card = cards.get(m.site_id)
        if card is None:
            continue
        candidates.append(
            candidate_from_match(
                m, name=card.company_name, site_name=card.site_name, city=card.city
            )
        )
    proposals = propose(candidates, needed, max_distance_km=criteria.max_distance_km,
                        asked_kinds=criteria.work_kinds)
    if not proposals:
        return []
    labels = {n.code: n.label_nl if lang == "nl" else n.label_en for n in taxonomy.nodes}
    return to_out(proposals, needed, lang, labels)


def candidate_from_match(m: Match, *, name: str, site_name: str, city: str | None) -> Candidate:
    capacity: object = 0
    kinds: object = ()
    for c in m.components:
        if c.criterion == "capacity":
            capacity = c.facts.get("available", 0)
        elif c.criterion == "work_kinds":
            kinds = c.facts.get("covered", ())
    return Candidate(
        company_id=m.company_id,
        name=name,
        site_name=site_name,
        city=city,
        distance_km=m.distance_km,
        capacity_workers=capacity if isinstance(capacity, int) else 0,
        kinds=frozenset(kinds) if isinstance(kinds, tuple | list | frozenset) else frozenset(),
    )


def to_out(
    proposals: Sequence[Proposal], needed: int, lang: str, labels: dict[str, str]
) -> list[ConsortiumOut]:
    out: list[ConsortiumOut] = []
    for rank, p in enumerate(proposals, start=1):
        out.append(
            ConsortiumOut(
                rank=rank,
                members=[
                    ConsortiumMember(
                        company_id=uuid.UUID(m.company_id),
                        name=m.name,
                        site=m.site_name,
                        city=m.city,
                        distance_km=None if m.distance_km is None else round(m.distance_km, 1),
                        capacity_workers=m.capacity_workers,
                        work_kinds=sorted(m.kinds),
                    )
                    for m in p.members
                ],
                total_capacity=p.total_capacity,
                workers_needed=needed,
                shared_kinds=list(p.shared_kinds),
                covered_kinds=list(p.covered_kinds),
                largest_distance_km=p.largest_distance_km,
                explanation=explain(p, needed, lang, labels),
            )
        )
    return out
