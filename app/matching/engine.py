"""Ranking companies for criteria, vectorised over the catalogue's columns: hard filters
(active, required certifications, reserved-contract eligibility and a minimum PSO level when
asked, a wanted kind offered, within reach), component scores, the
best site per company and the top `limit`; then the facts that explain the matches shown.

Rounding and order: the score (float64 from unrounded components) is rounded to 2 decimals and
is the first key, so the order a reader sees is explained by the scores shown; then the
distance rounded to 3 decimals (metres); then the company id (within a company: the site id).
Component scores are reported rounded to 4 decimals.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import numpy as np
import numpy.typing as npt

from app.geo import haversine_km_array
from app.matching.catalogue import NO_DATE, WORD_BITS, Catalogue, Ints, spans
from app.matching.procurement import (
    NO_PSO,
    PSO_CODES,
    RESERVED_SHARE_PERCENT,
    pso_rank,
    reserved_eligible,
)
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    Criteria,
    DistanceFacts,
    Facts,
    Match,
    MatchResult,
    ProcurementFacts,
    PsoFacts,
    ReservedFacts,
    ScoringParams,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindFacts,
)

Floats = npt.NDArray[np.float64]
AnyInts = npt.NDArray[np.integer[Any]]
_EMPTY = MatchResult(matches=(), total_candidates=0)


def match(
    catalogue: Catalogue,
    criteria: Criteria,
    weights: Weights = Weights(),
    params: ScoringParams = ScoringParams(),
) -> MatchResult:
    """Rank the companies in `catalogue` against `criteria`, best first, one entry each (its
    best site), with the components and facts that explain each score."""
    taxonomy = catalogue.taxonomy
    asked = tuple(dict.fromkeys(criteria.work_kinds))  # a repeated kind would count twice
    unknown = [code for code in asked if not taxonomy.contains(code)]
    if unknown:
        raise UnknownWorkKind(unknown)
    wanted = _expand(taxonomy, asked)
    passing = _passing_companies(catalogue, criteria)
    if not wanted or passing is None:
        return _EMPTY

    # --- hard filters ---
    point = None if criteria.lat is None or criteria.lon is None else (criteria.lat, criteria.lon)
    sites = (np.arange(len(catalogue)) if point is None
             else catalogue.sites_near(*point, _reach(catalogue, criteria)))
    sites = sites[_any_bits(catalogue.site_kinds[:, sites], _mask(catalogue, wanted))]
    sites = sites[passing[catalogue.site_company[sites]]]
    dist: Floats | None = None
    if point is not None:
        d = haversine_km_array(*point, catalogue.site_lat[sites], catalogue.site_lon[sites])
        keep = d <= catalogue.site_radius[sites]
        if criteria.max_distance_km is not None:
            keep &= d <= criteria.max_distance_km
        sites, dist = sites[keep], d[keep]
    if criteria.only_companies is not None:
        wanted_ids = np.array([c.encode() for c in criteria.only_companies],
                              dtype=catalogue.company_ids.dtype)
        keep = np.isin(catalogue.company_ids[catalogue.site_company[sites]], wanted_ids)
        sites = sites[keep]
        dist = dist[keep] if dist is not None else None
    if sites.size == 0:
        return _EMPTY

    # --- component scores, in the order they are summed and reported ---
    company = catalogue.site_company[sites]
    kinds = catalogue.site_kinds[:, sites]
    parts: list[tuple[str, float, Floats]] = [
        ("work_kinds", weights.work_kinds, _work_kind_scores(catalogue, asked, kinds, params)),
    ]
    if dist is not None:
        parts.append(("distance", weights.distance, _distance_scores(dist, criteria, params)))
    if criteria.workers_needed is not None:
        available = _available_workers(catalogue, wanted, sites)
        parts.append(("capacity", weights.capacity,
                      _capacity_scores(available, criteria.workers_needed)))
    if criteria.start_date is not None:
        late = (catalogue.company_available[company] - criteria.start_date.toordinal())
        parts.append(("availability", weights.availability, _availability_scores(late, params)))
    if criteria.preferred_certifications:
        parts.append(("certifications", weights.certifications,
                      _preferred_share(catalogue, criteria.preferred_certifications, company)))
    weight_sum = sum(w for _, w, _ in parts)
    total = (
        100.0 * sum((w * s for _, w, s in parts), np.zeros(sites.size)) / weight_sum
        if weight_sum > 0 else np.zeros(sites.size)
    )
    score = np.round(np.clip(total, 0.0, 100.0), 2)
    dist_key = np.zeros(sites.size) if dist is None else np.round(dist, 3)

    # --- best site per company, then the order ---
    by_company = np.lexsort((catalogue.site_rank[sites], dist_key, -score, company))
    ordered = company[by_company]
    first = np.ones(by_company.size, dtype=np.bool_)
    first[1:] = ordered[1:] != ordered[:-1]
    best = by_company[first]
    order = np.lexsort((catalogue.company_rank[company[best]], dist_key[best], -score[best]))
    top = best[order[: max(0, criteria.limit)]]

    # The hard filters of procurement, explained with weight 0: they decide who is in, not
    # the order.
    if criteria.reserved_contract:
        parts.append(("reserved_contract", 0.0, np.ones(sites.size)))
    if criteria.min_pso_level is not None:
        parts.append(("pso_level", 0.0, np.ones(sites.size)))
    facts = _Facts(catalogue, criteria, asked, wanted)
    return MatchResult(
        matches=tuple(
            Match(
                company_id=catalogue.company_ids[company[i]].decode(),
                site_id=catalogue.site_ids[sites[i]].decode(),
                distance_km=float(dist_key[i]) if point else None,
                score=float(score[i]),
                components=tuple(
                    Component(name, round(float(scores[i]), 4), weight,
                              facts.of(name, int(sites[i]), float(dist_key[i])))
                    for name, weight, scores in parts
                ),
                procurement=facts.procurement(int(sites[i])),
            )
            for i in top.tolist()
        ),
        total_candidates=int(best.size),
    )


# --- filters -----------------------------------------------------------------------------------


def _expand(taxonomy: Taxonomy, asked: tuple[str, ...]) -> tuple[str, ...]:
    """Leaf kinds that satisfy the request: asked kinds plus every kind of an asked group."""
    out: dict[str, None] = {}
    for code in asked:
        for kind in taxonomy.kinds_in(code) if taxonomy.is_group(code) else (code,):
            out[kind] = None
    return tuple(out)


def _passing_companies(
    catalogue: Catalogue, criteria: Criteria
) -> npt.NDArray[np.bool_] | None:
    """Per company: active, holding every required certification, eligible for a reserved
    contract when it is one, at or above the minimum PSO level; None when none is."""
    passing = catalogue.company_active
    if criteria.reserved_contract:
        # NaN (no share stated) compares False: not eligible.
        passing = passing & (catalogue.company_share >= RESERVED_SHARE_PERCENT)
    if criteria.min_pso_level is not None:
        passing = passing & (catalogue.company_pso >= pso_rank(criteria.min_pso_level))
    for code in criteria.required_certifications:
        row = catalogue.cert_row.get(code)
        if row is None:  # nobody holds it
            return None
        passing = passing & catalogue.company_certs[row]
    return passing if passing.any() else None


def _reach(catalogue: Catalogue, criteria: Criteria) -> float:
    """How far a qualifying site can be: within its own radius and the asked limit."""
    reach = catalogue.max_radius_km
    return reach if criteria.max_distance_km is None else min(reach, criteria.max_distance_km)


def _mask(catalogue: Catalogue, kinds: tuple[str, ...]) -> npt.NDArray[np.uint64]:
    """Bitmask words (one per row of `site_kinds`) of these leaf kinds."""
    words = [0] * catalogue.site_kinds.shape[0]
    for kind in kinds:
        bit = catalogue.kind_bit[kind]
        words[bit // WORD_BITS] |= 1 << (bit % WORD_BITS)
    return np.array(words, dtype=np.uint64)


def _any_bits(
    words: npt.NDArray[np.uint64], mask: npt.NDArray[np.uint64]
) -> npt.NDArray[np.bool_]:
    """Per column of `words`: does any bit of `mask` occur in it?"""
    hit = np.zeros(words.shape[1], dtype=np.bool_)
    for w in np.flatnonzero(mask):
        hit |= (words[w] & mask[w]) != 0
    return hit


# --- component scores --------------------------------------------------------------------------


def _work_kind_scores(
    catalogue: Catalogue, asked: tuple[str, ...], kinds: npt.NDArray[np.uint64],
    params: ScoringParams,
) -> Floats:
    """Share of the asked codes covered: a group by any of its kinds, a kind by itself, or
    partly (`sibling_credit`) by another kind of its group."""
    taxonomy = catalogue.taxonomy
    total = np.zeros(kinds.shape[1])
    for code in asked:
        if taxonomy.is_group(code):
            total += _any_bits(kinds, _mask(catalogue, taxonomy.kinds_in(code)))
            continue
        offered = _any_bits(kinds, _mask(catalogue, (code,)))
        group = taxonomy.group_of(code)
        siblings = tuple(k for k in taxonomy.kinds_in(group or "") if k != code)
        sibling = _any_bits(kinds, _mask(catalogue, siblings))
        total += np.where(offered, 1.0, np.where(sibling, params.sibling_credit, 0.0))
    return np.clip(total / len(asked), 0.0, 1.0)


def _distance_scores(dist: Floats, criteria: Criteria, params: ScoringParams) -> Floats:
    """Linear from 1 at the spot to 0 at the limit; without one, halving every
    `distance_half_km`."""
    limit = criteria.max_distance_km
    if limit is not None:
        return np.clip(1.0 - dist / limit, 0.0, 1.0)
    half = params.distance_half_km
    return half / (half + dist)


def _available_workers(catalogue: Catalogue, wanted: tuple[str, ...], sites: Ints) -> Ints:
    """Per site, the largest capacity listed for a wanted kind there: not a sum, since the
    same people may be listed under several kinds."""
    starts = catalogue.offer_start[sites]
    counts = catalogue.offer_start[sites + 1] - starts  # >= 1: each site offers a wanted kind
    rows = spans(starts, counts)
    is_wanted = np.zeros(len(catalogue.kind_bit), dtype=np.bool_)
    is_wanted[[catalogue.kind_bit[k] for k in wanted]] = True
    workers = np.where(is_wanted[catalogue.offer_kind[rows]], catalogue.offer_workers[rows], 0)
    return np.maximum(np.maximum.reduceat(workers, np.cumsum(counts) - counts), 0).astype(np.int64)


def _capacity_scores(available: Ints, needed: int) -> Floats:
    return np.minimum(1.0, available / needed)


def _availability_scores(late: AnyInts, params: ScoringParams) -> Floats:
    """1 when free by the start date, falling to 0 over `availability_grace_days`."""
    days = late.astype(np.float64)
    grace = params.availability_grace_days
    return np.where(days <= 0, 1.0, np.clip(1.0 - days / grace, 0.0, 1.0))


def _preferred_share(
    catalogue: Catalogue, preferred: frozenset[str], company: AnyInts
) -> Floats:
    held = np.zeros(company.size)
    for code in preferred:
        row = catalogue.cert_row.get(code)
        if row is not None:
            held += catalogue.company_certs[row, company]
    return held / len(preferred)


def _day(ordinal: int) -> date | None:
    return None if ordinal == NO_DATE else date.fromordinal(ordinal)


# --- facts for the matches shown ---------------------------------------------------------------


class _Facts:
    """What explains each component of a match, from the catalogue's rows of its site."""

    def __init__(
        self, catalogue: Catalogue, criteria: Criteria, asked: tuple[str, ...],
        wanted: tuple[str, ...],
    ) -> None:
        self.catalogue, self.criteria, self.asked = catalogue, criteria, asked
        self.codes = catalogue.taxonomy.kinds
        self.wanted_bits = [catalogue.kind_bit[k] for k in wanted]

    def of(self, criterion: str, site: int, distance_km: float) -> Facts:
        c, criteria = self.catalogue, self.criteria
        if criterion == "work_kinds":
            return self._work_kinds(site)
        if criterion == "distance":
            return DistanceFacts(distance_km, criteria.max_distance_km)
        if criterion == "capacity":
            return self._capacity(site)
        company = int(c.site_company[site])
        if criterion == "reserved_contract":
            return ReservedFacts(float(c.company_share[company]),
                                 _day(int(c.company_share_date[company])),
                                 RESERVED_SHARE_PERCENT)
        if criterion == "pso_level":
            assert criteria.min_pso_level is not None
            return PsoFacts(PSO_CODES[int(c.company_pso[company])],
                            _day(int(c.company_pso_date[company])), criteria.min_pso_level)
        if criterion == "availability":
            assert criteria.start_date is not None
            day = int(c.company_available[company])
            available_from = None if day == NO_DATE else date.fromordinal(day)
            late = 0 if available_from is None else (available_from - criteria.start_date).days
            return AvailabilityFacts(available_from, criteria.start_date, max(0, late))
        preferred = criteria.preferred_certifications
        held = {code for code in preferred
                if code in c.cert_row and c.company_certs[c.cert_row[code], company]}
        return CertificationFacts(tuple(sorted(held)), tuple(sorted(preferred - held)))

    def procurement(self, site: int) -> ProcurementFacts:
        c = self.catalogue
        company = int(c.site_company[site])
        rank = int(c.company_pso[company])
        share = float(c.company_share[company])
        return ProcurementFacts(
            pso_level=None if rank == NO_PSO else PSO_CODES[rank],
            pso_certified_on=_day(int(c.company_pso_date[company])),
            target_group_share=None if np.isnan(share) else share,
            target_group_share_stated_on=_day(int(c.company_share_date[company])),
            reserved_eligible=reserved_eligible(None if np.isnan(share) else share),
            workers=self._capacity(site).available,
        )

    def _offers(self, site: int) -> range:
        return range(int(self.catalogue.offer_start[site]),
                     int(self.catalogue.offer_start[site + 1]))

    def _work_kinds(self, site: int) -> WorkKindFacts:
        taxonomy = self.catalogue.taxonomy
        offered = {self.codes[int(self.catalogue.offer_kind[row])] for row in self._offers(site)}
        covered: list[str] = []
        partial: dict[str, str] = {}
        missing: list[str] = []
        group_kinds: dict[str, tuple[str, ...]] = {}
        for code in self.asked:
            if taxonomy.is_group(code):
                inside = tuple(k for k in taxonomy.kinds_in(code) if k in offered)
                if inside:
                    covered.append(code)
                    group_kinds[code] = inside
                else:
                    missing.append(code)
            elif code in offered:
                covered.append(code)
            else:
                group = taxonomy.group_of(code) or ""
                sibling = next(
                    (k for k in taxonomy.kinds_in(group) if k != code and k in offered), None
                )
                if sibling is None:
                    missing.append(code)
                else:
                    partial[code] = sibling
        return WorkKindFacts(tuple(covered), partial, tuple(missing), group_kinds)

    def _capacity(self, site: int) -> CapacityFacts:
        """The figure that counts: the largest of a wanted kind (the first wanted on a tie)."""
        c = self.catalogue
        rows = {int(c.offer_kind[row]): row for row in self._offers(site)}
        best = None
        for bit in self.wanted_bits:
            row = rows.get(bit)
            if row is not None and (best is None or c.offer_workers[row] > c.offer_workers[best]):
                best = row
        needed = self.criteria.workers_needed or 0
        if best is None:
            return CapacityFacts(0, needed, None, None)
        updated = c.offer_updated[best]
        return CapacityFacts(
            available=max(0, int(c.offer_workers[best])),
            needed=needed,
            work_kind=self.codes[int(c.offer_kind[best])],
            capacity_updated_at=None if np.isnat(updated) else updated.item().replace(tzinfo=UTC),
        )
