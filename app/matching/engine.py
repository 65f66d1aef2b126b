"""Ranking companies for criteria: prefilters, hard filters and scores in one compiled pass,
best site per company, then the top of the order.

Rounding and order (one rule everywhere):
- the score is computed in float64 from unrounded components and rounded to 2 decimals; that
  rounded value is `Match.score` AND the ordering key, so the order a reader sees is always
  explained by the scores shown (differences under 0.005 points count as ties);
- `distance_km` is rounded to 3 decimals (metres) and that value is the next key;
- then `company_id` (for the best site of a company: `site_id`).
Component scores are reported rounded to 4 decimals; the total uses the unrounded ones.

How a query runs, per catalogue part (see `catalogue.py`; a catalogue changed by
`with_changes` has a base part and a delta part, whose tops are merged):
1. position ranges from the grid: with a location, the cells within reach (large parts) or
   the rows of cells within reach in latitude (small parts, cheaper to work out); without one,
   every site; plus the sites that every query scans;
2. one compiled pass over those ranges (`kernel.scan`, contiguous memory) tests the kind
   bitmask and the per-site copy of the company's active flag and certifications, drops
   companies replaced since the build, bounds the distance by latitude and longitude, checks
   the exact float64 distance against the service radius and `max_distance_km`, and computes
   the component scores, the score and (score, distance) packed into one int64 key;
3. the top companies by partitioning the keys instead of sorting every candidate;
4. components with facts, for the top only (`match`; `rank` stops before this).
The arithmetic of every score is the same as in a plain scan of every site, element by
element, so results do not depend on the prefilters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from app.matching import kernel
from app.matching.catalogue import SLOT_MAX, Catalogue, Part
from app.matching.columns import NO_DATE, WORD_BITS, decode_datetime
from app.matching.types import (
    CapabilityRecord,
    CompanyRecord,
    Component,
    Criteria,
    Match,
    MatchResult,
    Ranked,
    Ranking,
    ScoringParams,
    SiteRecord,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindNode,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Parts = list[tuple[str, float, FloatArray]]
_EMPTY = MatchResult(matches=(), total_candidates=0)
_EMPTY_RANKING = Ranking(entries=(), total_candidates=0)
_DIST_BITS = 25  # metres up to 33,554 km: more than half the Earth's circumference
_MAX_CENTI = 10_000  # score 100.00


def match(
    catalogue: Catalogue,
    criteria: Criteria,
    weights: Weights = Weights(),
    params: ScoringParams = ScoringParams(),
) -> MatchResult:
    """Rank the companies in `catalogue` against `criteria`, best first, one entry each, with
    the components and facts that explain each score."""
    found = _search(catalogue, criteria, weights, params)
    if found is None:
        return _EMPTY
    query, scans, chosen = found
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


def rank(
    catalogue: Catalogue,
    criteria: Criteria,
    weights: Weights = Weights(),
    params: ScoringParams = ScoringParams(),
) -> Ranking:
    """The order `match()` gives - ids, scores, distances - without the explanations: what a
    caller needs that only ranks or counts (and what a SQL query over the same rows answers)."""
    found = _search(catalogue, criteria, weights, params)
    if found is None:
        return _EMPTY_RANKING
    _, scans, chosen = found
    entries = []
    for scan, pos in chosen:
        distance = None if scan.dist is None else float(np.round(scan.dist[pos], 3))
        entries.append(
            Ranked(
                company_id=scan.part.company_ids.at(int(scan.comp[pos])),
                site_id=scan.part.site_ids.at(int(scan.cand[pos])),
                distance_km=distance,
                score=float(scan.score[pos]),
            )
        )
    return Ranking(entries=tuple(entries), total_candidates=sum(s.total for s in scans))


def _search(
    catalogue: Catalogue, criteria: Criteria, weights: Weights, params: ScoringParams
) -> tuple[_Query, list[_Scan], list[tuple[_Scan, int]]] | None:
    """The query, its scan per catalogue part, and the chosen (scan, position) in order."""
    taxonomy = catalogue.taxonomy
    asked = tuple(dict.fromkeys(criteria.work_kinds))  # duplicates would count twice in the mean
    unknown = [code for code in asked if not taxonomy.contains(code)]
    if unknown:
        raise UnknownWorkKind(unknown)
    wanted = _expand(catalogue, asked)
    if not wanted or len(catalogue) == 0:
        return None
    query = _Query(catalogue, criteria, weights, params, asked, wanted)
    scans = [
        scan
        for part, removed in catalogue.parts()
        if (scan := _scan(query, part, removed)) is not None
    ]
    if not scans:
        return None
    entries = [(scan, pos) for scan in scans for pos in scan.top.tolist()]
    if len(scans) > 1:
        # Parts hold disjoint companies; each part's top is in order already.
        entries.sort(
            key=lambda e: (int(e[0].key[e[1]]), e[0].part.company_ids.at(int(e[0].comp[e[1]])))
        )
    return query, scans, entries[: max(0, criteria.limit)]


# --- one query ---------------------------------------------------------------------------------


class _Query:
    __slots__ = (
        "_plan",
        "asked",
        "catalogue",
        "criteria",
        "full_masks",
        "optional_parts",
        "params",
        "sibling_masks",
        "wanted",
        "wanted_mask",
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
        self.wanted_mask, self.full_masks, self.sibling_masks = _kind_masks(
            catalogue, asked, wanted
        )
        self.optional_parts = _optional_parts(criteria, weights)
        self._plan: tuple[list[tuple[str, bool, int, tuple[tuple[int, str], ...]]], int] | None
        self._plan = None

    def wanted_rank(self) -> npt.NDArray[np.int64]:
        """Per kind bit, its position in `wanted`; -1: not wanted."""
        bits = [self.catalogue.kind_bit[k] for k in self.wanted]
        rank = np.full(len(self.catalogue.kind_codes), -1, dtype=np.int64)
        rank[bits] = np.arange(len(bits))
        return rank

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
    dist: FloatArray | None  # unrounded km; None without a location
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
    if criteria.lat is not None and criteria.lon is not None:
        grid = part.grid
        if part.n_sites >= q.catalogue.settings.grid_min_sites:
            starts, ends = grid.ranges(criteria.lat, criteria.lon, criteria.max_distance_km)
        else:
            starts, ends = grid.band_ranges(criteria.lat, criteria.max_distance_km)
        if grid.n_gridded < part.n_sites:  # the sites that every query scans
            starts = np.r_[starts, grid.n_gridded]
            ends = np.r_[ends, part.n_sites]
    else:
        starts, ends = np.zeros(1, dtype=np.intp), np.full(1, part.n_sites, dtype=np.intp)
    found = _run_kernel(q, part, removed, required, starts, ends)
    if found is None:
        return None
    cand, comp, dist, key, score, components = found
    parts: Parts = [("work_kinds", q.weights.work_kinds, components[:, kernel.WORK_KINDS])]
    for criterion, weight, column in q.optional_parts:
        parts.append((criterion, weight, components[:, column]))
    top, n_companies = _top(part, cand, comp, key, max(0, criteria.limit))
    return _Scan(part, cand, comp, dist if located else None, score, key, parts, top,
                 n_companies)


def _run_kernel(
    q: _Query,
    part: Part,
    removed: npt.NDArray[np.bool_] | None,
    required: npt.NDArray[np.uint64],
    starts: IntArray,
    ends: IntArray,
) -> tuple[IntArray, npt.NDArray[np.int32], FloatArray, npt.NDArray[np.int64], FloatArray,
           FloatArray] | None:
    """The qualifying sites within [starts, ends) with their distances, ordering keys, scores
    and component scores (one column per component, see `kernel`)."""
    criteria, weights, params = q.criteria, q.weights, q.params
    located = criteria.lat is not None and criteria.lon is not None
    room = int((ends - starts).sum())
    if room == 0:
        return None
    flags = _NO_FLAGS if part.site_flags is None else part.site_flags
    need = np.uint64((int(required[0]) << 1) | 1)
    applies = {criterion for criterion, _, _ in q.optional_parts}
    weight_sum = weights.work_kinds + sum(w for _, w, _ in q.optional_parts)
    needed = criteria.workers_needed
    preferred = criteria.preferred_certifications
    out_site = np.empty(room, dtype=np.intp)
    out_company = np.empty(room, dtype=np.int32)
    out_dist = np.empty(room, dtype=np.float64)
    out_key = np.empty(room, dtype=np.int64)
    out_score = np.empty(room, dtype=np.float64)
    out_components = np.empty((room, kernel.N_COMPONENTS), dtype=np.float64)
    count = kernel.scan(
        starts, ends,
        part.site_kinds, q.wanted_mask, flags, need, part.site_flags is not None,
        part.site_company, part.company_active, part.company_certs, required,
        _NO_REMOVED if removed is None else removed, removed is not None,
        located, float(criteria.lat or 0.0), float(criteria.lon or 0.0),
        criteria.max_distance_km is not None, float(criteria.max_distance_km or 0.0),
        part.site_lat, part.site_lon, part.site_radius,
        q.full_masks, q.sibling_masks, float(params.sibling_credit),
        float(weights.work_kinds),
        float(weights.distance) if "distance" in applies else 0.0,
        float(weights.capacity) if "capacity" in applies else 0.0,
        float(weights.availability) if "availability" in applies else 0.0,
        float(weights.certifications) if "certifications" in applies else 0.0,
        float(weight_sum), float(params.distance_half_km),
        -1 if needed is None else int(needed), bool(needed is not None and needed > SLOT_MAX),
        part.slot_start, part.slot_kind, part.slot_workers,
        part.cap_start, part.cap_kind, part.cap_workers, part.cap_restricted, part.restrict_key,
        -1 if criteria.start_date is None else int(criteria.start_date.toordinal()),
        float(params.availability_grace_days), part.company_available,
        part.cert_mask(c for c in preferred if c in part.cert_codes), len(preferred),
        out_site, out_company, out_dist, out_key, out_score, out_components,
    )
    if count == 0:
        return None
    return (out_site[:count], out_company[:count], out_dist[:count], out_key[:count],
            out_score[:count], out_components[:count])


def _top(
    part: Part,
    cand: IntArray,
    comp: npt.NDArray[np.int32],
    key: npt.NDArray[np.int64],
    limit: int,
) -> tuple[IntArray, int]:
    """Positions (into cand) of the best site of the first `limit` companies in order, and the
    number of distinct companies among all candidates.

    A company's best site has the smallest key, then the smallest site rank; companies are
    ordered by the key of their best site, then by company rank (the id order)."""
    if part.n_companies >= 1 << kernel.RANK_BITS:
        raise ValueError("a catalogue part holds at most 2**23 companies")
    n = cand.size
    total = _count_distinct(comp, part.n_companies)
    if limit <= 0 or n == 0:
        return np.zeros(0, dtype=np.intp), total
    rows = np.arange(n)
    if n > 16 * limit + 256:
        # The companies whose best key is <= the m-th smallest site key include the top
        # `limit` as soon as there are `limit` of them: nothing outside can rank above.
        m = 4 * limit
        while m < n:
            threshold = np.partition(key, m)[m]
            picked = np.flatnonzero(key <= threshold)
            if _n_distinct(comp[picked]) >= limit:
                rows = picked
                break
            m *= 4
    packed = (key[rows] << kernel.RANK_BITS) | part.company_rank[comp[rows]]
    order = np.argsort(packed)
    top = kernel.first_per_company(
        rows, order, packed, comp, cand, part.site_rank, min(limit, total)
    )
    return top, total


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


# --- per query ---------------------------------------------------------------------------------


# Stand-ins for absent arrays, read-only like the catalogue's own: numba compiles one
# specialisation per argument type, and writability is part of the type.
_NO_FLAGS = np.zeros(0, dtype=np.uint64)
_NO_FLAGS.setflags(write=False)
_NO_REMOVED = np.zeros(0, dtype=np.bool_)
_NO_REMOVED.setflags(write=False)


def _kind_masks(
    catalogue: Catalogue, asked: tuple[str, ...], wanted: tuple[str, ...]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Kind bitmask words: of the wanted kinds; and per asked code, the bits that earn full
    credit (the kind, or any kind of an asked group) and those that earn the sibling credit
    (the other kinds of a kind's group). Built as Python ints: a query asks for a handful."""
    taxonomy, kind_bit = catalogue.taxonomy, catalogue.kind_bit

    def bits(kinds: Iterable[str]) -> int:
        mask = 0
        for kind in kinds:
            mask |= 1 << kind_bit[kind]
        return mask

    full: list[int] = []
    sibling: list[int] = []
    for code in asked:
        if taxonomy.is_group(code):
            full.append(bits(taxonomy.kinds_in(code)))
            sibling.append(0)
            continue
        own = 1 << kind_bit[code]
        group = taxonomy.group_of(code)
        full.append(own)
        sibling.append(0 if group is None else bits(taxonomy.kinds_in(group)) & ~own)
    word = (1 << WORD_BITS) - 1
    words = np.array(
        [
            [mask >> (WORD_BITS * w) & word for w in range(catalogue.n_words)]
            for mask in (bits(wanted), *full, *sibling)
        ],
        dtype=np.uint64,
    )
    n = len(asked)
    return words[0], words[1 : 1 + n], words[1 + n :]


def _optional_parts(criteria: Criteria, weights: Weights) -> list[tuple[str, float, int]]:
    """(criterion, weight, kernel column) of the components that apply besides work kinds, in
    the order they are summed and reported."""
    located = criteria.lat is not None and criteria.lon is not None
    candidates = (
        ("distance", weights.distance, kernel.DISTANCE, located),
        ("capacity", weights.capacity, kernel.CAPACITY, criteria.workers_needed is not None),
        ("availability", weights.availability, kernel.AVAILABILITY,
         criteria.start_date is not None),
        ("certifications", weights.certifications, kernel.CERTIFICATIONS,
         bool(criteria.preferred_certifications)),
    )
    return [(name, weight, column) for name, weight, column, applies in candidates if applies]


def _expand(catalogue: Catalogue, asked: tuple[str, ...]) -> tuple[str, ...]:
    """Leaf kinds that satisfy the request: asked kinds plus every kind of an asked group."""
    taxonomy = catalogue.taxonomy
    out: dict[str, None] = {}
    for code in asked:
        for kind in taxonomy.kinds_in(code) if taxonomy.is_group(code) else (code,):
            out[kind] = None
    return tuple(out)


# --- per result: components with facts -------------------------------------------------------


def _render(q: _Query, scan: _Scan, positions: list[int]) -> list[Match]:
    """Matches for these candidate positions of one part, with components and facts."""
    criteria, part = q.criteria, scan.part
    at = np.array(positions, dtype=np.intp)
    sites = scan.cand[at].tolist()
    companies = scan.comp[at].tolist()
    distances = [None] * at.size if scan.dist is None else np.round(scan.dist[at], 3).tolist()
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
    rank = q.wanted_rank()[part.cap_kind[rows]]
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


def warm_up() -> None:
    """Run one small query through every compiled step, so that the first real search does not
    wait for compilation (seconds without numba's on-disk cache, milliseconds with it)."""
    taxonomy = Taxonomy(
        nodes=(
            WorkKindNode(code="group", parent=None, label_nl="groep", label_en="group"),
            WorkKindNode(code="kind", parent="group", label_nl="soort", label_en="kind"),
            WorkKindNode(code="other", parent="group", label_nl="ander", label_en="other"),
        )
    )
    companies = [
        CompanyRecord(
            company_id=f"warm-{i}",
            name="",
            active=True,
            certifications=frozenset({"iso-9001"}),
            available_from=date(2000, 1, 1),
            sites=(SiteRecord(site_id=f"warm-{i}", name="", city="", country="NL", lat=52.0,
                              lon=5.0, service_radius_km=50.0),),
            capabilities=(CapabilityRecord(work_kind="kind", capacity_workers=1,
                                           capacity_updated_at=None, site_ids=None),),
        )
        for i in range(2)
    ]
    catalogue = Catalogue.build(companies, taxonomy)
    criteria = Criteria(
        work_kinds=("other",), lat=52.0, lon=5.0, max_distance_km=10.0, workers_needed=1,
        start_date=date(2000, 1, 1), preferred_certifications=frozenset({"iso-9001"}), limit=1,
    )
    match(catalogue, criteria)
