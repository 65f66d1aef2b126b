"""Search: criteria in, ranked companies with their cards and proposed consortia out."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia import Candidate, Proposal, propose
from app.consortia.proposer import MAX_CANDIDATES
from app.errors import FieldError, Unprocessable, field_error
from app.matching.engine import match
from app.matching.types import (
    CapacityFacts,
    Match,
    MatchResult,
    Taxonomy,
    UnknownWorkKind,
    WorkKindFacts,
)
from app.search import repository
from app.search.catalogue import CatalogueCache, Snapshot
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.repository import Card
from app.search.schemas import MatchCriteria, ResolvedLocation


@dataclass(frozen=True, slots=True)
class Found:
    match: Match
    card: Card


@dataclass(frozen=True, slots=True)
class SearchResult:
    found: Sequence[Found]  # the first `limit`, best first
    total_candidates: int
    location: ResolvedLocation | None
    consortia: Sequence[Proposal]
    workers_needed: int | None
    taxonomy: Taxonomy


def search(
    session: Session, cache: CatalogueCache, settings: Settings, criteria: MatchCriteria,
    *, field: str = "",
) -> SearchResult:
    """Rank the companies for `criteria` on the current profiles. `field`: where the criteria
    sit in the caller's body, for the paths of field errors (`criteria` in a stored request)."""
    prefix = f"{field}." if field else ""
    snapshot = cache.get(session)
    _check_certifications(criteria, snapshot.certification_codes, prefix)
    resolved = (
        resolve_location(criteria.location, f"{prefix}location") if criteria.location else None
    )
    needed = criteria.workers_needed
    # Consortia are made from the top MAX_CANDIDATES of the same run (the capacity component
    # and its facts are there whenever workers_needed is); its first `limit` are the answer.
    limit = max(criteria.limit, MAX_CANDIDATES) if needed else criteria.limit
    result = _match(snapshot, criteria, resolved, limit, settings, prefix)
    shown = result.matches[: criteria.limit]
    pool = result.matches[:MAX_CANDIDATES] if needed else ()
    cards = repository.cards(session, {uuid.UUID(m.site_id) for m in (*shown, *pool)})
    # A site without a card was removed after this catalogue was built: left out.
    found = [Found(m, cards[uuid.UUID(m.site_id)]) for m in shown
             if uuid.UUID(m.site_id) in cards]
    return SearchResult(
        found=found,
        total_candidates=result.total_candidates,
        location=resolved,
        consortia=_consortia(pool, cards, criteria) if needed else [],
        workers_needed=needed,
        taxonomy=snapshot.catalogue.taxonomy,
    )


def search_all(
    session: Session, cache: CatalogueCache, settings: Settings, criteria: MatchCriteria,
    *, among: Collection[uuid.UUID] | None = None, min_score: float = 0.0,
) -> list[Found]:
    """Every company that fits `criteria` (no `limit`), best first, scoring at least
    `min_score`; only those `among` when given. The same engine and hard filters as `search`:
    standing call-outs, widening and alerts use it to find who fits beyond a first page."""
    snapshot = cache.get(session)
    _check_certifications(criteria, snapshot.certification_codes, "criteria.")
    resolved = (
        resolve_location(criteria.location, "criteria.location") if criteria.location else None
    )
    everyone = max(1, len(snapshot.catalogue.company_ids))
    result = _match(snapshot, criteria, resolved, everyone, settings, "criteria.")
    wanted = {str(c) for c in among} if among is not None else None
    kept = [m for m in result.matches if m.score >= min_score
            and (wanted is None or m.company_id in wanted)]
    cards = repository.cards(session, {uuid.UUID(m.site_id) for m in kept})
    return [Found(m, cards[uuid.UUID(m.site_id)]) for m in kept
            if uuid.UUID(m.site_id) in cards]


def _match(
    snapshot: Snapshot, criteria: MatchCriteria, resolved: ResolvedLocation | None, limit: int,
    settings: Settings, prefix: str,
) -> MatchResult:
    try:
        return match(snapshot.catalogue, engine_criteria(criteria, resolved, limit=limit),
                     engine_weights(settings), engine_params(settings))
    except UnknownWorkKind as exc:
        raise Unprocessable(
            f"Unknown work kind: {', '.join(exc.codes)}",
            errors=[
                field_error(f"{prefix}work_kinds.{criteria.work_kinds.index(code)}",
                            f"unknown work kind '{code}'", "unknown_work_kind", value=code)
                for code in exc.codes
            ],
        ) from None


def _check_certifications(criteria: MatchCriteria, known: frozenset[str], prefix: str) -> None:
    errors: list[FieldError] = []
    for name in ("required_certifications", "preferred_certifications"):
        for i, code in enumerate(getattr(criteria, name)):
            if code not in known:
                errors.append(field_error(f"{prefix}{name}.{i}", f"unknown certification '{code}'",
                                          "unknown_certification", value=code))
    if errors:
        raise Unprocessable("Unknown certification codes.", errors=errors)


def _consortia(
    pool: Sequence[Match], cards: dict[uuid.UUID, Card], criteria: MatchCriteria
) -> list[Proposal]:
    """Combinations of two or three of the pool's companies that together have the people."""
    candidates = []
    for m in pool:
        card = cards.get(uuid.UUID(m.site_id))
        if card is None:
            continue
        facts = [c.facts for c in m.components]
        candidates.append(Candidate(
            company_id=m.company_id, name=card.company_name, site_name=card.site_name,
            city=card.city, distance_km=m.distance_km,
            capacity_workers=next(f.available for f in facts if isinstance(f, CapacityFacts)),
            kinds=frozenset(next(f.covered for f in facts if isinstance(f, WorkKindFacts))),
        ))
    return propose(candidates, criteria.workers_needed,
                   max_distance_km=criteria.max_distance_km, asked_kinds=criteria.work_kinds)
