"""Ranking companies for criteria: vectorised hard filters and scores, then best site per company.

Rounding and order (one rule everywhere):
- the score is computed in float64 from unrounded components and rounded to 2 decimals; that
  rounded value is `Match.score` AND the ordering key, so the order a reader sees is always
  explained by the scores shown (differences under 0.005 points count as ties);
- `distance_km` is rounded to 3 decimals (metres) and that value is the next key;
- then `company_id` (for the best site of a company: `site_id`).
Component scores are reported rounded to 4 decimals; the total uses the unrounded ones.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

from app.geo import haversine_km_array
from app.matching.catalogue import Catalogue, capabilities_at_sites
from app.matching.types import (
    CapabilityRecord,
    Component,
    Criteria,
    Match,
    MatchResult,
    ScoringParams,
    UnknownWorkKind,
    Weights,
)

FloatArray = npt.NDArray[np.float64]
_EMPTY = MatchResult(matches=(), total_candidates=0)


def match(
    catalogue: Catalogue,
    criteria: Criteria,
    weights: Weights = Weights(),
    params: ScoringParams = ScoringParams(),
) -> MatchResult:
    """Rank the companies in `catalogue` against `criteria`, best first, one entry each."""
    taxonomy = catalogue.taxonomy
    asked = tuple(dict.fromkeys(criteria.work_kinds))  # duplicates would count twice in the mean
    unknown = [code for code in asked if not taxonomy.contains(code)]
    if unknown:
        raise UnknownWorkKind(unknown)
    wanted = _expand(catalogue, asked)
    if not wanted or len(catalogue) == 0:
        return _EMPTY

    # --- hard filters, company level first (cheap), then per site ---
    company_ok = catalogue.company_active.copy()
    for cert in criteria.required_certifications:
        col = catalogue.cert_index.get(cert)
        if col is None:  # nobody holds it
            return _EMPTY
        company_ok &= catalogue.company_certs[:, col]
    if not company_ok.any():
        return _EMPTY
    site_ok = company_ok[catalogue.site_company]
    site_ok &= _any_bits(catalogue.site_kinds, catalogue.kind_mask(wanted))
    cand = np.flatnonzero(site_ok)

    dist: FloatArray | None = None
    if criteria.lat is not None and criteria.lon is not None and cand.size:
        d = np.asarray(
            haversine_km_array(
                criteria.lat, criteria.lon, catalogue.site_lat[cand], catalogue.site_lon[cand]
            ),
            dtype=np.float64,
        )
        keep = d <= catalogue.site_radius[cand]
        if criteria.max_distance_km is not None:
            keep &= d <= criteria.max_distance_km
        cand, dist = cand[keep], d[keep]
    if cand.size == 0:
        return _EMPTY

    # --- component scores over the candidate sites ---
    site_company = catalogue.site_company[cand]
    kinds = catalogue.site_kinds[cand]
    parts: list[tuple[str, float, FloatArray]] = [
        ("work_kinds", weights.work_kinds, _work_kind_scores(catalogue, asked, kinds, params)),
    ]
    if dist is not None:
        parts.append(("distance", weights.distance, _distance_scores(dist, criteria, params)))
    if criteria.workers_needed is not None:
        available = _available_workers(catalogue, wanted, cand)
        parts.append(
            ("capacity", weights.capacity, _capacity_scores(available, criteria.workers_needed))
        )
    if criteria.start_date is not None:
        from_days = catalogue.company_available[site_company]
        parts.append(
            (
                "availability",
                weights.availability,
                _availability_scores(from_days, criteria.start_date, params),
            )
        )
    if criteria.preferred_certifications:
        share = _preferred_share(catalogue, criteria.preferred_certifications)
        parts.append(("certifications", weights.certifications, share[site_company]))

    weight_sum = sum(w for _, w, _ in parts)
    if weight_sum > 0:
        total = 100.0 * sum((w * s for _, w, s in parts), np.zeros(cand.size)) / weight_sum
    else:
        total = np.zeros(cand.size)
    score = np.round(np.clip(total, 0.0, 100.0), 2)
    dist_key = np.zeros(cand.size) if dist is None else np.round(dist, 3)

    # --- best site per company, then the final order ---
    by_company = np.lexsort((catalogue.site_rank[cand], dist_key, -score, site_company))
    sorted_company = site_company[by_company]
    first = np.ones(by_company.size, dtype=np.bool_)
    first[1:] = sorted_company[1:] != sorted_company[:-1]
    best = by_company[first]
    order = np.lexsort((catalogue.company_rank[site_company[best]], dist_key[best], -score[best]))
    top = best[order[: max(0, criteria.limit)]]

    matches = tuple(
        _render(
            catalogue,
            criteria,
            asked,
            wanted,
            parts,
            int(pos),
            int(cand[pos]),
            None if dist is None else float(dist_key[pos]),
            float(score[pos]),
        )
        for pos in top
    )
    return MatchResult(matches=matches, total_candidates=int(best.size))


# --- vectorised pieces -------------------------------------------------------------------------


def _expand(catalogue: Catalogue, asked: tuple[str, ...]) -> tuple[str, ...]:
    """Leaf kinds that satisfy the request: asked kinds plus every kind of an asked group."""
    taxonomy = catalogue.taxonomy
    out: dict[str, None] = {}
    for code in asked:
        for kind in taxonomy.kinds_in(code) if taxonomy.is_group(code) else (code,):
            out[kind] = None
    return tuple(out)


def _any_bits(words: npt.NDArray[np.uint64], mask: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """Per row: does any bit of `mask` occur in the row's words?"""
    hit = np.zeros(words.shape[0], dtype=np.bool_)
    for w in np.flatnonzero(mask):
        hit |= (words[:, w] & mask[w]) != 0
    return hit


def _work_kind_scores(
    catalogue: Catalogue,
    asked: tuple[str, ...],
    kinds: npt.NDArray[np.uint64],
    params: ScoringParams,
) -> FloatArray:
    taxonomy = catalogue.taxonomy
    total = np.zeros(kinds.shape[0])
    for code in asked:
        if taxonomy.is_group(code):
            total += _any_bits(kinds, catalogue.group_words[code])
            continue
        own = catalogue.kind_mask((code,))
        group = taxonomy.group_of(code)
        offered = _any_bits(kinds, own)
        if group is None:
            total += offered
            continue
        siblings = catalogue.group_words[group] & ~own
        total += np.where(
            offered, 1.0, np.where(_any_bits(kinds, siblings), params.sibling_credit, 0.0)
        )
    return np.clip(total / len(asked), 0.0, 1.0)


def _distance_scores(dist: FloatArray, criteria: Criteria, params: ScoringParams) -> FloatArray:
    limit = criteria.max_distance_km
    if limit is not None:
        if limit <= 0:
            return np.ones_like(dist)  # only sites at the very spot got through
        return np.clip(1.0 - dist / limit, 0.0, 1.0)
    half = params.distance_half_km
    if half <= 0:
        return (dist <= 0).astype(np.float64)
    return half / (half + dist)


def _available_workers(
    catalogue: Catalogue, wanted: tuple[str, ...], cand: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    # Largest single figure, not a sum: the same people may be listed under several kinds.
    available = np.zeros(len(catalogue), dtype=np.int64)
    for kind in wanted:
        bit = catalogue.kind_bit[kind]
        where = catalogue.kind_sites[bit]
        available[where] = np.maximum(available[where], catalogue.kind_caps[bit])
    return available[cand]


def _capacity_scores(available: npt.NDArray[np.int64], needed: int) -> FloatArray:
    if needed <= 0:
        return np.ones(available.size)
    return np.minimum(1.0, available / needed)


def _availability_scores(
    from_days: npt.NDArray[np.int64], start: date, params: ScoringParams
) -> FloatArray:
    late = (from_days - start.toordinal()).astype(np.float64)
    grace = params.availability_grace_days
    if grace <= 0:
        return (late <= 0).astype(np.float64)
    return np.where(late <= 0, 1.0, np.clip(1.0 - late / grace, 0.0, 1.0))


def _preferred_share(catalogue: Catalogue, preferred: frozenset[str]) -> FloatArray:
    held = np.zeros(len(catalogue.companies))
    for cert in preferred:
        col = catalogue.cert_index.get(cert)
        if col is not None:
            held += catalogue.company_certs[:, col]
    return held / len(preferred)


# --- per result: components with facts -------------------------------------------------------


def _render(
    catalogue: Catalogue,
    criteria: Criteria,
    asked: tuple[str, ...],
    wanted: tuple[str, ...],
    parts: list[tuple[str, float, FloatArray]],
    pos: int,
    site_index: int,
    distance_km: float | None,
    score: float,
) -> Match:
    site = catalogue.sites[site_index]
    company = catalogue.companies[int(catalogue.site_company[site_index])]
    components: list[Component] = []
    for criterion, weight, scores in parts:
        facts: dict[str, object]
        if criterion == "work_kinds":
            facts = _work_kind_facts(catalogue, asked, catalogue.offered_kinds(site_index))
        elif criterion == "distance":
            facts = {
                "distance_km": distance_km,
                "limit_km": criteria.max_distance_km,
            }
        elif criterion == "capacity":
            at_site = capabilities_at_sites(company, catalogue.taxonomy)[site.site_id]
            facts = _capacity_facts(at_site, wanted, criteria.workers_needed or 0)
        elif criterion == "availability":
            assert criteria.start_date is not None
            start = criteria.start_date
            available_from = company.available_from
            late = 0 if available_from is None else max(0, (available_from - start).days)
            facts = {"available_from": available_from, "start_date": start, "days_late": late}
        else:
            preferred = criteria.preferred_certifications
            facts = {
                "held": tuple(sorted(preferred & company.certifications)),
                "missing": tuple(sorted(preferred - company.certifications)),
            }
        components.append(
            Component(
                criterion=criterion,
                score=round(float(scores[pos]), 4),
                weight=weight,
                facts=facts,
            )
        )
    return Match(
        company_id=company.company_id,
        site_id=site.site_id,
        distance_km=distance_km,
        score=score,
        components=tuple(components),
    )


def _work_kind_facts(
    catalogue: Catalogue, asked: tuple[str, ...], offered: frozenset[str]
) -> dict[str, object]:
    taxonomy = catalogue.taxonomy
    covered: list[str] = []
    partial: dict[str, str] = {}
    missing: list[str] = []
    group_kinds: dict[str, tuple[str, ...]] = {}
    for code in asked:
        if taxonomy.is_group(code):
            inside = tuple(k for k in taxonomy.kinds_in(code) if k in offered)
            if inside:
                covered.append(code)
                group_kinds[code] = inside
            else:
                missing.append(code)
            continue
        if code in offered:
            covered.append(code)
            continue
        group = taxonomy.group_of(code)
        sibling = next(
            (k for k in taxonomy.kinds_in(group or "") if k != code and k in offered), None
        )
        if sibling is None:
            missing.append(code)
        else:
            partial[code] = sibling
    return {
        "covered": tuple(covered),
        "partial": partial,  # asked kind -> the offered sibling that earns partial credit
        "missing": tuple(missing),
        "group_kinds": group_kinds,  # asked group -> its offered kinds
    }


def _capacity_facts(
    at_site: dict[str, CapabilityRecord], wanted: tuple[str, ...], needed: int
) -> dict[str, object]:
    best: CapabilityRecord | None = None
    for kind in wanted:
        cap = at_site.get(kind)
        if cap is not None and (best is None or cap.capacity_workers > best.capacity_workers):
            best = cap
    return {
        "available": 0 if best is None else max(0, best.capacity_workers),
        "needed": needed,
        "work_kind": None if best is None else best.work_kind,
        "capacity_updated_at": None if best is None else best.capacity_updated_at,
    }
