"""Ranking companies for criteria: prefilters, vectorised hard filters and scores, best site
per company, then the top of the order.

Rounding and order (one rule everywhere):
- the score is computed in float64 from unrounded components and rounded to 2 decimals; that
  rounded value is `Match.score` AND the ordering key, so the order a reader sees is always
  explained by the scores shown (differences under 0.005 points count as ties);
- `distance_km` is rounded to 3 decimals (metres) and that value is the next key;
- then `company_id` (for the best site of a company: `site_id`).
Component scores are reported rounded to 4 decimals; the total uses the unrounded ones.

How a query runs, per catalogue part (see `catalogue.py`; a catalogue changed by
`with_changes` has a base part and a delta part, whose tops are merged):
1. position ranges from the grid (with a location and enough sites; else every site), plus
   the sites that every query scans;
2. one pass over those ranges (contiguous memory) tests the kind bitmask and the per-site copy
   of the company's active flag and certifications; then companies replaced since the build
   are dropped and exact float64 distances are checked against the service radius and
   `max_distance_km`;
3. component scores for the remaining candidates; (score, distance) packed into one int64
   key, so the top companies are found by partitioning instead of sorting every candidate;
4. components with facts, for the top only.
The arithmetic of every score is the same as in a plain scan of every site, element by
element, so results do not depend on the prefilters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from app.geo import haversine_km_array
from app.matching.catalogue import SLOT_MAX, Catalogue, Part
from app.matching.columns import NO_DATE, WORD_BITS, decode_datetime
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
IntArray = npt.NDArray[np.intp]
Parts = list[tuple[str, float, FloatArray]]
_EMPTY = MatchResult(matches=(), total_candidates=0)
_DIST_BITS = 25  # metres up to 33,554 km: more than half the Earth's circumference
_MAX_CENTI = 10_000  # score 100.00


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
    query = _Query(catalogue, criteria, weights, params, asked, wanted)
    scans = [
        scan
        for part, removed in catalogue.parts()
        if (scan := _scan(query, part, removed)) is not None
    ]
    if not scans:
        return _EMPTY
    limit = max(0, criteria.limit)
    entries = [(scan, pos) for scan in scans for pos in scan.top.tolist()]
    if len(scans) > 1:
        # Parts hold disjoint companies; each part's top is in order already.
        entries.sort(
            key=lambda e: (int(e[0].key[e[1]]), e[0].part.company_ids.at(int(e[0].comp[e[1]])))
        )
    chosen = entries[:limit]
    if len(scans) == 1:
        matches = tuple(_render(query, scans[0], [pos for _, pos in chosen]))
    else:
        rendered: dict[tuple[int, int], Match] = {}
        for n, scan in enumerate(scans):
            positions = [pos for s, pos in chosen if s is scan]
            for pos, m in zip(positions, _render(query, scan, positions), strict=True):
                rendered[n, pos] = m
        matches = tuple(rendered[scans.index(s), pos] for s, pos in chosen)
    return MatchResult(matches=matches, total_candidates=sum(s.total for s in scans))


# --- one query ---------------------------------------------------------------------------------


class _Query:
    __slots__ = (
        "_plan",
        "asked",
        "catalogue",
        "criteria",
        "params",
        "wanted",
        "wanted_lut",
        "wanted_mask",
        "wanted_rank",
        "weights",
    )

    def __init__(
        self,
        catalogue: Catalogue,
        criteria: Criteria,
        weights: Weights,
        params: ScoringParams,
        asked: tuple[str, ...],
        wanted: tuple[str, ...],
    ) -> None:
        self.catalogue = catalogue
        self.criteria = criteria
        self.weights = weights
        self.params = params
        self.asked = asked
        self.wanted = wanted
        self.wanted_mask = catalogue.kind_mask(wanted)
        bits = [catalogue.kind_bit[k] for k in wanted]
        lut = np.zeros(len(catalogue.kind_codes), dtype=np.bool_)
        lut[bits] = True
        self.wanted_lut = lut
        rank = np.full(len(catalogue.kind_codes), -1, dtype=np.int64)
        rank[bits] = np.arange(len(bits))
        self.wanted_rank = rank  # position of each kind in `wanted`; -1: not wanted
        self._plan: tuple[list[tuple[str, bool, int, tuple[tuple[int, str], ...]]], int] | None
        self._plan = None

    def kind_plan(self) -> tuple[list[tuple[str, bool, int, tuple[tuple[int, str], ...]]], int]:
        """For the work-kind facts: per asked code (code, is a group, its bit, its group's
        other kinds as (bit, code) in taxonomy order), and the kind bits that matter at all."""
        if self._plan is None:
            taxonomy, kind_bit = self.catalogue.taxonomy, self.catalogue.kind_bit
            plan: list[tuple[str, bool, int, tuple[tuple[int, str], ...]]] = []
            relevant = 0
            for code in self.asked:
                is_group = taxonomy.is_group(code)
                group = code if is_group else taxonomy.group_of(code)
                members = tuple(
                    (kind_bit[k], k) for k in taxonomy.kinds_in(group or "") if k != code
                )
                own = -1 if is_group else kind_bit[code]
                plan.append((code, is_group, own, members))
                relevant |= 0 if is_group else 1 << own
                for bit, _ in members:
                    relevant |= 1 << bit
            self._plan = (plan, relevant)
        return self._plan


@dataclass(slots=True)
class _Scan:
    part: Part
    cand: IntArray  # site positions
    comp: npt.NDArray[np.int32]  # their companies
    dist_key: FloatArray | None
    score: FloatArray
    key: npt.NDArray[np.int64]
    parts: Parts
    top: IntArray  # positions into cand, in order
    total: int  # distinct companies among the candidates


def _scan(q: _Query, part: Part, removed: npt.NDArray[np.bool_] | None) -> _Scan | None:
    criteria = q.criteria
    if part.n_sites == 0:
        return None
    required = part.cert_mask(criteria.required_certifications)
    if required is None:  # a required certification nobody in this part holds
        return None

    # --- prefilters: where, then (in one pass over those sites) kinds, active, certificates ---
    located = criteria.lat is not None and criteria.lon is not None
    gridded = part.n_sites >= q.catalogue.settings.grid_min_sites
    if gridded and criteria.lat is not None and criteria.lon is not None:
        grid = part.grid
        starts, ends = grid.ranges(criteria.lat, criteria.lon, criteria.max_distance_km)
        if grid.n_gridded < part.n_sites:  # the sites that every query scans
            starts = np.r_[starts, grid.n_gridded]
            ends = np.r_[ends, part.n_sites]
    else:
        starts, ends = np.zeros(1, dtype=np.intp), np.full(1, part.n_sites, dtype=np.intp)
    flags = part.site_flags
    need = None if flags is None else flags.dtype.type((int(required[0]) << 1) | 1)
    cand = _prefilter(part.site_kinds, q.wanted_mask, flags, need, starts, ends)
    if cand.size == 0:
        return None

    # --- the rest of the company checks, then the distance ---
    comp = part.site_company[cand]
    if flags is None:
        ok = part.company_active[comp]
        for w in np.flatnonzero(required):
            ok &= (part.company_certs[w][comp] & required[w]) == required[w]
        cand, comp = cand[ok], comp[ok]
    if removed is not None:
        ok = ~removed[comp]
        cand, comp = cand[ok], comp[ok]
    dist: FloatArray | None = None
    if located and cand.size:
        assert criteria.lat is not None and criteria.lon is not None
        lats, lons = part.site_lat[cand], part.site_lon[cand]
        d = np.asarray(haversine_km_array(criteria.lat, criteria.lon, lats, lons), np.float64)
        keep = d <= part.site_radius[cand]
        if criteria.max_distance_km is not None:
            keep &= d <= criteria.max_distance_km
        cand, comp, dist = cand[keep], comp[keep], d[keep]
    if cand.size == 0:
        return None

    # --- component scores over the candidate sites ---
    weights, params = q.weights, q.params
    kinds = part.site_kinds[:, cand]
    parts: Parts = [
        ("work_kinds", weights.work_kinds, _work_kind_scores(q.catalogue, q.asked, kinds, params)),
    ]
    if dist is not None:
        parts.append(("distance", weights.distance, _distance_scores(dist, criteria, params)))
    if criteria.workers_needed is not None:
        available = _available_workers(part, q.wanted_lut, cand, comp, criteria.workers_needed)
        parts.append(
            ("capacity", weights.capacity, _capacity_scores(available, criteria.workers_needed))
        )
    if criteria.start_date is not None:
        from_days = part.company_available[comp].astype(np.int64)
        parts.append(
            (
                "availability",
                weights.availability,
                _availability_scores(from_days, criteria.start_date, params),
            )
        )
    if criteria.preferred_certifications:
        share = _preferred_share(part, criteria.preferred_certifications, comp)
        parts.append(("certifications", weights.certifications, share))

    weight_sum = sum(w for _, w, _ in parts)
    if weight_sum > 0:
        total = 100.0 * sum((w * s for _, w, s in parts), np.zeros(cand.size)) / weight_sum
    else:
        total = np.zeros(cand.size)
    score = np.round(np.clip(total, 0.0, 100.0), 2).astype(np.float64, copy=False)
    dist_key: FloatArray | None = None if dist is None else np.round(dist, 3)

    # One int64 per candidate orders like (-score, dist_key): both are exact on their grid.
    # (A NaN score - only from NaN weights or parameters - sorts after every number, as it did
    # in a float sort.)
    centi = score * 100.0
    if np.isnan(centi).any():
        centi = np.where(np.isnan(centi), -100.0, centi)
    key = (_MAX_CENTI - np.rint(centi).astype(np.int64)) << _DIST_BITS
    if dist_key is not None:
        key += np.rint(dist_key * 1000.0).astype(np.int64)
    top, n_companies = _top(part, cand, comp, key, max(0, criteria.limit))
    return _Scan(part, cand, comp, dist_key, score, key, parts, top, n_companies)


def _prefilter(
    site_kinds: npt.NDArray[np.uint64],
    mask: npt.NDArray[np.uint64],
    flags: npt.NDArray[np.unsignedinteger] | None,
    need: np.unsignedinteger | None,
    starts: IntArray,
    ends: IntArray,
) -> IntArray:
    """Positions within the ranges [starts, ends) whose kind words share a bit with `mask`
    and whose flags hold every bit of `need` (when flags are kept)."""
    words = np.flatnonzero(mask).tolist()
    if starts.size == 0 or not words:
        return np.zeros(0, dtype=np.intp)
    if starts.size == 1:
        start, end = int(starts[0]), int(ends[0])

        def take(row: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return row[start:end]
    else:
        bounds = list(zip(starts.tolist(), ends.tolist(), strict=True))

        def take(row: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return np.concatenate([row[s:e] for s, e in bounds])

    hit = (take(site_kinds[words[0]]) & mask[words[0]]) != 0
    for w in words[1:]:
        hit |= (take(site_kinds[w]) & mask[w]) != 0
    if flags is not None and need is not None:
        hit &= (take(flags) & need) == need
    local = np.flatnonzero(hit)
    if starts.size == 1:
        return local + starts[0]
    lengths = ends - starts
    offsets = np.cumsum(lengths)
    shift = starts - (offsets - lengths)
    return local + shift[np.searchsorted(offsets, local, side="right")]


def _top(
    part: Part,
    cand: IntArray,
    comp: npt.NDArray[np.int32],
    key: npt.NDArray[np.int64],
    limit: int,
) -> tuple[IntArray, int]:
    """Positions (into cand) of the best site of the first `limit` companies in order, and the
    number of distinct companies among all candidates."""
    n = cand.size
    sub: IntArray | None = None
    if limit and n > 16 * limit + 256:
        # The companies whose best key is <= the m-th smallest site key include the top
        # `limit` as soon as there are `limit` of them: nothing outside can rank above.
        m = 4 * limit
        while m < n:
            threshold = np.partition(key, m)[m]
            picked = np.flatnonzero(key <= threshold)
            if _n_distinct(comp[picked]) >= limit:
                sub = picked
                break
            m *= 4
    if sub is None:
        sub = np.arange(n)
        total = -1
    else:
        total = _count_distinct(comp, part.n_companies)
    by_company = np.lexsort((part.site_rank[cand[sub]], key[sub], comp[sub]))
    sorted_company = comp[sub][by_company]
    first = np.ones(by_company.size, dtype=np.bool_)
    first[1:] = sorted_company[1:] != sorted_company[:-1]
    best = sub[by_company[first]]
    if total < 0:
        total = int(best.size)
    order = np.lexsort((part.company_rank[comp[best]], key[best]))
    return best[order[:limit]], total


def _count_distinct(values: npt.NDArray[np.int32], bound: int) -> int:
    if values.size * 8 < bound:
        return _n_distinct(values)
    seen = np.zeros(bound, dtype=np.bool_)
    seen[values] = True
    return int(np.count_nonzero(seen))


def _n_distinct(values: npt.NDArray[np.int32]) -> int:
    if values.size == 0:
        return 0
    ordered = np.sort(values)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1


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
    """Per column of `words` (kind words, n): does any bit of `mask` occur?"""
    if words.shape[0] == 1:
        return (words[0] & mask[0]) != 0
    hit = np.zeros(words.shape[1], dtype=np.bool_)
    for w in np.flatnonzero(mask):
        hit |= (words[w] & mask[w]) != 0
    return hit


def _work_kind_scores(
    catalogue: Catalogue,
    asked: tuple[str, ...],
    kinds: npt.NDArray[np.uint64],
    params: ScoringParams,
) -> FloatArray:
    taxonomy = catalogue.taxonomy
    total = np.zeros(kinds.shape[1])
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
        sibling = np.where(_any_bits(kinds, siblings), params.sibling_credit, 0.0)
        total += np.where(offered, 1.0, sibling)
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
    part: Part,
    wanted_lut: npt.NDArray[np.bool_],
    cand: IntArray,
    comp: npt.NDArray[np.int32],
    needed: int,
) -> npt.NDArray[np.int64]:
    """Per candidate site: the largest capacity of a wanted kind that counts there (a figure
    below 0 counts as 0).

    Largest single figure, not a sum: the same people may be listed under several kinds.
    """
    if needed > SLOT_MAX:  # slot figures are clamped; only the capabilities are exact
        return _available_from_capabilities(part, wanted_lut, cand, comp)
    # Clamping to SLOT_MAX changes nothing here: min(1, available / needed) is 1 either way.
    starts = part.slot_start[cand].astype(np.intp)
    lengths = part.slot_start[cand + 1].astype(np.intp) - starts
    ends = np.cumsum(lengths)
    firsts = ends - lengths
    rows = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(starts - firsts, lengths)
    values = np.where(wanted_lut[part.slot_kind[rows]], part.slot_workers[rows], 0)
    if lengths.size and lengths.min() > 0:  # always, for candidates: they offer a wanted kind
        return np.maximum.reduceat(values, firsts).astype(np.int64)
    available = np.zeros(cand.size, dtype=np.int64)
    np.maximum.at(available, np.repeat(np.arange(cand.size), lengths), values)
    return available


def _available_from_capabilities(
    part: Part,
    wanted_lut: npt.NDArray[np.bool_],
    cand: IntArray,
    comp: npt.NDArray[np.int32],
) -> npt.NDArray[np.int64]:
    """`_available_workers` from the capability rows, exact for any figure."""
    starts = part.cap_start[comp].astype(np.intp)
    lengths = part.cap_start[comp + 1].astype(np.intp) - starts
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(cand.size), lengths)
    rows = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(
        starts - (ends - lengths), lengths
    )
    ok = wanted_lut[part.cap_kind[rows]]
    limited = np.flatnonzero(ok & part.cap_restricted[rows])
    if limited.size:
        keys = rows[limited].astype(np.int64) * max(1, part.n_sites) + cand[owner[limited]]
        at = np.minimum(np.searchsorted(part.restrict_key, keys), part.restrict_key.size - 1)
        ok[limited] = part.restrict_key[at] == keys if part.restrict_key.size else False
    values = np.where(ok, np.maximum(part.cap_workers[rows], 0), 0).astype(np.int64)
    available = np.zeros(cand.size, dtype=np.int64)
    np.maximum.at(available, owner, values)
    return available


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


def _preferred_share(
    part: Part, preferred: frozenset[str], comp: npt.NDArray[np.int32]
) -> FloatArray:
    held = np.zeros(comp.size)
    for cert in preferred:
        if cert in part.cert_codes:
            i = part.cert_codes.index(cert)
            bits = part.company_certs[i // WORD_BITS][comp] >> np.uint64(i % WORD_BITS)
            held += (bits & np.uint64(1)).astype(np.bool_)
    return held / len(preferred)


# --- per result: components with facts -------------------------------------------------------


def _render(q: _Query, scan: _Scan, positions: list[int]) -> list[Match]:
    """Matches for these candidate positions of one part, with components and facts."""
    criteria, part = q.criteria, scan.part
    at = np.array(positions, dtype=np.intp)
    sites = scan.cand[at].tolist()
    companies = scan.comp[at].tolist()
    distances = [None] * at.size if scan.dist_key is None else scan.dist_key[at].tolist()
    totals = scan.score[at].tolist()
    columns = [(criterion, weight, scores[at].tolist()) for criterion, weight, scores in scan.parts]
    plan, relevant = q.kind_plan()
    kind_sets = [
        sum(word << (WORD_BITS * w) for w, word in enumerate(words)) & relevant
        for words in part.site_kinds[:, scan.cand[at]].T.tolist()
    ]
    cert_words = [tuple(w) for w in part.company_certs[:, scan.comp[at]].T.tolist()]
    days = part.company_available[scan.comp[at]].tolist()
    best = (
        _best_capabilities(q, part, scan.cand[at], scan.comp[at])
        if criteria.workers_needed is not None
        else []
    )
    kind_facts: dict[
        int, tuple[tuple[str, ...], dict[str, str], tuple[str, ...], dict[str, tuple[str, ...]]]
    ] = {}
    cert_facts: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    out: list[Match] = []
    for i in range(at.size):
        distance_km = distances[i]
        components: list[Component] = []
        for criterion, weight, scores in columns:
            facts: dict[str, object]
            if criterion == "work_kinds":
                offered = kind_sets[i]
                cached = kind_facts.get(offered)
                if cached is None:
                    cached = kind_facts[offered] = _work_kind_facts(plan, offered)
                covered, partial, missing, group_kinds = cached
                facts = {
                    "covered": covered,
                    "partial": dict(partial),
                    "missing": missing,
                    "group_kinds": dict(group_kinds),
                }
            elif criterion == "distance":
                facts = {"distance_km": distance_km, "limit_km": criteria.max_distance_km}
            elif criterion == "capacity":
                facts = _capacity_facts(best[i], criteria.workers_needed or 0)
            elif criterion == "availability":
                assert criteria.start_date is not None
                start = criteria.start_date
                available_from = None if days[i] == NO_DATE else date.fromordinal(days[i])
                late = 0 if available_from is None else max(0, (available_from - start).days)
                facts = {"available_from": available_from, "start_date": start, "days_late": late}
            else:
                words = cert_words[i]
                pair = cert_facts.get(words)
                if pair is None:
                    preferred = criteria.preferred_certifications
                    held = frozenset(part.cert_codes[b] for b in _bits(words))
                    pair = cert_facts[words] = (
                        tuple(sorted(preferred & held)),
                        tuple(sorted(preferred - held)),
                    )
                facts = {"held": pair[0], "missing": pair[1]}
            components.append(
                Component(
                    criterion=criterion, score=round(scores[i], 4), weight=weight, facts=facts
                )
            )
        out.append(
            Match(
                company_id=part.company_ids.at(companies[i]),
                site_id=part.site_ids.at(sites[i]),
                distance_km=distance_km,
                score=totals[i],
                components=tuple(components),
            )
        )
    return out


def _bits(words: tuple[int, ...]) -> list[int]:
    """Set bit numbers of bitmask words, increasing."""
    out: list[int] = []
    for w, word in enumerate(words):
        while word:
            low = word & -word
            out.append(w * WORD_BITS + low.bit_length() - 1)
            word ^= low
    return out


def _best_capabilities(
    q: _Query, part: Part, sites: IntArray, comps: npt.NDArray[np.int32]
) -> list[CapabilityRecord | None]:
    """Per site: of the capabilities of a wanted kind that count there, the one with the largest
    capacity; the first wanted kind wins a tie between kinds, the first listed within a kind
    (what `_capacity_facts` over `capabilities_at_sites` of the record gives)."""
    starts = part.cap_start[comps].astype(np.intp)
    lengths = part.cap_start[comps + 1].astype(np.intp) - starts
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(sites.size), lengths)
    rows = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(
        starts - (ends - lengths), lengths
    )
    rank = q.wanted_rank[part.cap_kind[rows]]
    ok = rank >= 0
    limited = np.flatnonzero(ok & part.cap_restricted[rows])
    for j in limited.tolist():
        ok[j] = part.applies(int(rows[j]), int(sites[owner[j]]))
    rows, owner, rank = rows[ok], owner[ok], rank[ok]
    workers = part.cap_workers[rows].astype(np.int64)
    order = np.lexsort((rows, rank, -workers, owner))
    first = np.ones(order.size, dtype=np.bool_)
    first[1:] = owner[order][1:] != owner[order][:-1]
    out: list[CapabilityRecord | None] = [None] * sites.size
    for j in order[first].tolist():
        row = int(rows[j])
        out[int(owner[j])] = CapabilityRecord(
            work_kind=q.catalogue.kind_codes[int(part.cap_kind[row])],
            capacity_workers=int(workers[j]),
            capacity_updated_at=decode_datetime(
                int(part.cap_updated[row]), int(part.cap_offset[row])
            ),
            site_ids=None,
        )
    return out


def _work_kind_facts(
    plan: list[tuple[str, bool, int, tuple[tuple[int, str], ...]]], offered: int
) -> tuple[tuple[str, ...], dict[str, str], tuple[str, ...], dict[str, tuple[str, ...]]]:
    """covered, partial (asked kind -> the offered sibling that earns partial credit), missing
    and group_kinds (asked group -> its offered kinds), for the offered kind bits."""
    covered: list[str] = []
    partial: dict[str, str] = {}
    missing: list[str] = []
    group_kinds: dict[str, tuple[str, ...]] = {}
    for code, is_group, own, members in plan:
        if is_group:
            inside = tuple(k for bit, k in members if offered >> bit & 1)
            if inside:
                covered.append(code)
                group_kinds[code] = inside
            else:
                missing.append(code)
        elif offered >> own & 1:
            covered.append(code)
        else:
            sibling = next((k for bit, k in members if offered >> bit & 1), None)
            if sibling is None:
                missing.append(code)
            else:
                partial[code] = sibling
    return tuple(covered), partial, tuple(missing), group_kinds


def _capacity_facts(best: CapabilityRecord | None, needed: int) -> dict[str, object]:
    return {
        "available": 0 if best is None else max(0, best.capacity_workers),
        "needed": needed,
        "work_kind": None if best is None else best.work_kind,
        "capacity_updated_at": None if best is None else best.capacity_updated_at,
    }
