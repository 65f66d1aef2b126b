"""Search: criteria in, ranked companies with their cards and proposed consortia out."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia import Candidate, Proposal, propose
from app.consortia.proposer import MAX_CANDIDATES
from app.errors import DomainError, FieldError, Unprocessable, field_error
from app.matching.engine import match
from app.matching.procurement import Coverage, Obligation, combined, coverage, obligation, rules
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
    # With a social-return obligation: what is at stake, what each company shown (by id)
    # and each consortium (in order) could cover.
    obligation: Obligation | None = None
    coverage: Mapping[str, Coverage] = field(default_factory=dict)
    consortium_coverage: Sequence[Coverage] = ()
    # Per company: published cases per asked kind (or group) code, e.g. {"packaging": 2}.
    case_counts: dict[uuid.UUID, dict[str, int]] = field(default_factory=dict)


def search(
    session: Session, cache: CatalogueCache, settings: Settings, criteria: MatchCriteria,
    *, field: str = "",
) -> SearchResult:
    """Rank the companies for `criteria` on the current profiles. `field`: where the criteria
    sit in the caller's body, for the paths of field errors (`criteria` in a stored request).
    Reserved contracts and a minimum PSO level are hard filters of the engine, so whoever is
    invited from this result (publish) honours them too."""
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
    consortia = _consortia(pool, cards, criteria) if needed else []
    obliged = obligation_for(criteria, resolved)
    coverage: dict[str, Coverage] = {}
    consortium_coverage: list[Coverage] = []
    if obliged is not None:
        coverage = {m.company_id: cover_for(obliged, m, needed) for m in (*shown, *pool)}
        consortium_coverage = [_consortium_cover(obliged, p, coverage, needed)
                               for p in consortia]
    taxonomy = snapshot.catalogue.taxonomy
    return SearchResult(
        found=found,
        total_candidates=result.total_candidates,
        location=resolved,
        consortia=consortia,
        workers_needed=needed,
        taxonomy=taxonomy,
        obligation=obliged,
        coverage=coverage,
        consortium_coverage=consortium_coverage,
        case_counts=_case_counts(session, taxonomy, criteria.work_kinds,
                                 {f.card.company_id for f in found}),
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
    wanted = frozenset(str(c) for c in among) if among is not None else None
    inputs = replace(engine_criteria(criteria, resolved, limit=everyone), only_companies=wanted)
    try:
        result = match(snapshot.catalogue, inputs, engine_weights(settings),
                       engine_params(settings))
    except UnknownWorkKind as exc:
        raise _unknown_kinds(exc, criteria, "criteria.") from None
    kept = [m for m in result.matches if m.score >= min_score]
    cards = repository.cards(session, {uuid.UUID(m.site_id) for m in kept})
    return [Found(m, cards[uuid.UUID(m.site_id)]) for m in kept
            if uuid.UUID(m.site_id) in cards]


def obligation_for(
    criteria: MatchCriteria, resolved: ResolvedLocation | None = None
) -> Obligation | None:
    """What the contract obliges, by the rules of the asked region (or the location's place:
    resolved here when not given; a place that no longer resolves falls to the default)."""
    asked = criteria.social_return
    if asked is None:
        return None
    if resolved is None and criteria.location is not None and asked.region is None:
        try:
            resolved = resolve_location(criteria.location, "criteria.location")
        except DomainError:
            resolved = None
    place = resolved.resolved.place if resolved and resolved.resolved else None
    return obligation(
        rules().region(asked.region, place), contract_value_eur=asked.contract_value_eur,
        percentage=asked.percentage, amount_eur=asked.amount_eur,
    )


def cover_for(obliged: Obligation, m: Match, needed: int | None) -> Coverage:
    """A company's estimate: its people for the asked kinds, no more than the request needs."""
    facts = m.procurement
    workers = facts.workers if facts else 0
    return coverage(obliged, min(workers, needed) if needed else workers,
                    facts.pso_level if facts else None)


def _consortium_cover(
    obliged: Obligation, proposal: Proposal, each: Mapping[str, Coverage], needed: int | None,
) -> Coverage:
    """Members' estimates together, counting people only until the request's need is met
    (members in the proposal's order)."""
    left = needed or 0
    parts: list[Coverage] = []
    for member in proposal.members:
        own = each[member.company_id]
        take = min(member.capacity_workers, left)
        left -= take
        parts.append(coverage(obliged, take, own.pso_level))
    return combined(obliged, parts)


def _case_counts(
    session: Session, taxonomy: Taxonomy, asked: Sequence[str], companies: set[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """How many published cases each company has per asked kind (a group counts the cases
    about any of its kinds, each case once)."""
    wanted = {code: (set(taxonomy.kinds_in(code)) if taxonomy.is_group(code) else {code})
              for code in asked if taxonomy.contains(code)}
    rows = repository.published_case_kinds(session, companies, set().union(*wanted.values())
                                           if wanted else set())
    cases: dict[tuple[uuid.UUID, str], set[uuid.UUID]] = {}
    for company, case, kind in rows:
        for code, kinds in wanted.items():
            if kind in kinds:
                cases.setdefault((company, code), set()).add(case)
    return {
        company: {code: len(cases[company, code]) for code in wanted if (company, code) in cases}
        for company in {company for company, _ in cases}
    }


def _match(
    snapshot: Snapshot, criteria: MatchCriteria, resolved: ResolvedLocation | None, limit: int,
    settings: Settings, prefix: str,
) -> MatchResult:
    try:
        return match(snapshot.catalogue, engine_criteria(criteria, resolved, limit=limit),
                     engine_weights(settings), engine_params(settings))
    except UnknownWorkKind as exc:
        raise _unknown_kinds(exc, criteria, prefix) from None


def _unknown_kinds(exc: UnknownWorkKind, criteria: MatchCriteria, prefix: str) -> Unprocessable:
    return Unprocessable(
        f"Unknown work kind: {', '.join(exc.codes)}",
        errors=[
            field_error(f"{prefix}work_kinds.{criteria.work_kinds.index(code)}",
                        f"unknown work kind '{code}'", "unknown_work_kind", value=code)
            for code in exc.codes
        ],
    )


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
