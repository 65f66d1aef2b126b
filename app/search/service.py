"""From HTTP-shaped criteria to the pure engine and back to an explained answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia.proposer import MAX_CANDIDATES
from app.consortia.service import consortia_from, consortium_pool
from app.errors import FieldError, Unprocessable, field_error
from app.matching import (
    Component,
    Match,
    MatchResult,
    Taxonomy,
    UnknownWorkKind,
    explain,
    match,
)
from app.search.catalogue_cache import CatalogueCache, Snapshot
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.repository import Card
from app.search.schemas import MatchCriteria, MatchResponse, ResolvedLocation

_T = TypeVar("_T")


def _check_certifications(criteria: MatchCriteria, known: frozenset[str], prefix: str) -> None:
    errors: list[FieldError] = []
    for name in ("required_certifications", "preferred_certifications"):
        for i, code in enumerate(getattr(criteria, name)):
            if code not in known:
                errors.append(field_error(f"{prefix}{name}.{i}", f"unknown certification '{code}'"))
    if errors:
        raise Unprocessable("Unknown certification codes.", errors=errors)


@dataclass(frozen=True, slots=True)
class _Ranked:
    """An engine run for one match request, before the cards are looked up."""

    snapshot: Snapshot
    result: MatchResult
    top: Sequence[Match]  # what the answer shows
    pool: Sequence[Match]  # what the consortia choose from
    resolved: ResolvedLocation | None

    def site_ids(self) -> set[str]:
        return {m.site_id for m in (*self.top, *self.pool)}


def run_match(
    session: Session,
    cache: CatalogueCache,
    settings: Settings,
    criteria: MatchCriteria,
    *,
    lang: str,
    field: str = "",
) -> MatchResponse:
    """The answer as the API's model, for callers that read it (stored requests, call-outs);
    the match route itself serves `run_match_on_loop`'s plain data."""
    ranked = _rank(cache.get(session), settings, criteria, f"{field}." if field else "")
    # One card lookup for the answer and the consortia together.
    cards = cache.cards(session, ranked.snapshot, ranked.site_ids())
    return MatchResponse.model_validate(_answer(ranked, cards, criteria, lang))


async def run_match_on_loop(
    session: Session,
    cache: CatalogueCache,
    settings: Settings,
    criteria: MatchCriteria,
    *,
    lang: str,
) -> MatchAnswer:
    """`run_match` for an async route: on the event loop, but for what waits on the database
    beyond the version check (bringing the catalogue up to date, reading cards not kept),
    which runs in the thread pool. So a warm worker answers with no trip through the pool:
    matching is CPU work, and handing it to threads only adds GIL hand-overs. The version
    check itself waits on the loop, shared with the matches waiting at the time
    (`CatalogueCache.current_on_loop`)."""
    snapshot = await cache.current_on_loop(session)
    if snapshot is None:
        snapshot = await run_in_threadpool(_ending_read, session, cache.get, session)
    ranked = _rank(snapshot, settings, criteria, "")
    cards, missing = cache.kept_cards(ranked.site_ids())
    if missing:
        cards.update(await run_in_threadpool(
            _ending_read, session, cache.cards, session, snapshot, missing
        ))
    return _answer(ranked, cards, criteria, lang)


def _ending_read(session: Session, read: Callable[..., _T], *args: Any) -> _T:
    """`read(*args)`, then the end of the session's transaction, in the same thread."""
    out = read(*args)
    session.commit()
    return out


def _rank(
    snapshot: Snapshot, settings: Settings, criteria: MatchCriteria, prefix: str
) -> _Ranked:
    _check_certifications(criteria, snapshot.certification_codes, prefix)
    resolved = (
        resolve_location(criteria.location, f"{prefix}location") if criteria.location else None
    )
    weights = engine_weights(settings)
    params = engine_params(settings)
    # With capacity scored, the consortia rank on the answer's own weights, so one wider run
    # serves both: the order is total, so its first `limit` are exactly the answer's top.
    shared = bool(criteria.workers_needed) and weights.capacity > 0
    limit = max(criteria.limit, MAX_CANDIDATES) if shared else criteria.limit
    # When the run holds exactly the consortia's candidates, the engine can tell whether one
    # of them alone has the capacity (then no consortium is proposed, see `propose`) and
    # leave the ones past the answer's top out.
    pool_unless_covered = shared and limit == MAX_CANDIDATES
    try:
        result = match(
            snapshot.catalogue, engine_criteria(criteria, resolved, limit=limit), weights, params,
            explain_top=criteria.limit, pool_unless_covered=pool_unless_covered,
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
    pool: Sequence[Match] = ()
    if shared:
        covered = pool_unless_covered and result.covered
        pool = () if covered else result.matches[:MAX_CANDIDATES]
    elif criteria.workers_needed:
        pool = consortium_pool(snapshot.catalogue, criteria, resolved, settings)
    return _Ranked(snapshot, result, result.matches[: criteria.limit], pool, resolved)


# An answer as plain JSON-ready data, shaped exactly as `MatchResponse` (the API's schema,
# which documents it; a test holds the two together): no model is built or validated per
# match, and the route serialises it with orjson.
MatchAnswer = dict[str, Any]


def _answer(
    ranked: _Ranked, cards: Mapping[str, Card], criteria: MatchCriteria, lang: str
) -> MatchAnswer:
    taxonomy = ranked.snapshot.taxonomy
    items: list[dict[str, Any]] = []
    sentences: dict[int, str] = {}
    for m in ranked.top:
        card = cards.get(m.site_id)
        if card is None:
            continue  # removed after this catalogue version was read
        items.append({
            "company": {
                "id": card.company_id,
                "name": card.company_name,
                "email": card.email,
                "phone": card.phone,
                "website": card.website,
            },
            "site": {
                "name": card.site_name,
                "city": card.city,
                "country": card.country,
                "lat": card.lat,
                "lon": card.lon,
            },
            "distance_km": m.distance_km,
            "score": m.score,
            "explanation": _explanation(m.components, lang, taxonomy, sentences),
        })
    consortia = consortia_from(ranked.pool, cards, criteria, lang=lang, taxonomy=taxonomy)
    return {
        "matches": items,
        "total_candidates": ranked.result.total_candidates,
        "location": None if ranked.resolved is None else ranked.resolved.model_dump(),
        "consortia": [c.model_dump(mode="json") for c in consortia],
    }


def _explanation(
    components: Sequence[Component], lang: str, taxonomy: Taxonomy, sentences: dict[int, str]
) -> list[dict[str, Any]]:
    """`sentences`: what is said per facts mapping, for one answer; the engine shares one
    mapping between the matches with the same facts (same offered kinds, say), and the
    answer holds them all, so their ids stay theirs while it is built. (Component scores
    come rounded to 4 decimals from the engine.)"""
    # Weights are reported as shares of the applicable ones, so that
    # score == 100 * sum(weight * component score) holds for every match.
    total = sum(c.weight for c in components)
    items = []
    for c in components:
        detail = sentences.get(id(c.facts))
        if detail is None:
            detail = sentences[id(c.facts)] = explain(c, lang, taxonomy)
        items.append({
            "criterion": c.criterion,
            "score": c.score,
            "weight": round(c.weight / total, 4) if total > 0 else 0.0,
            "detail": detail,
        })
    return items
