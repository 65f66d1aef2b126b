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
2. one compiled pass over those ranges (`kernel.scan`, contiguous memory) gathers, without
   branches, batches of the sites that offer a wanted kind and carry the per-site copy of the
   company's active flag and certifications; then, per gathered site, drops companies replaced
   since the build, decides the distance (unit-vector chords, the exact float64 haversine
   near a boundary) against the service radius and `max_distance_km`, counts the company, and
   scores the site unless a best-case bound shows it cannot enter the top, keeping the best
   site of each of the top companies as it goes;
3. the tops of several parts are merged by key;
4. components with facts, for the top only (`match`; `rank` stops before this).
The arithmetic of every score is the same as in a plain scan of every site, element by
element, so results do not depend on the prefilters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

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
    IndexSettings,
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
_T = TypeVar("_T")


# What a match past `explain_top` still carries: enough to combine companies into consortia.
POOL_CRITERIA = frozenset({"work_kinds", "capacity"})


def match(
    catalogue: Catalogue,
    criteria: Criteria,
    weights: Weights = Weights(),
    params: ScoringParams = ScoringParams(),
    *,
    explain_top: int | None = None,
    pool_unless_covered: bool = False,
) -> MatchResult:
    """Rank the companies in `catalogue` against `criteria`, best first, one entry each, with
    the components and facts that explain each score.

    With `explain_top`, only the first `explain_top` matches carry every component; the ones
    after carry those of POOL_CRITERIA (for a caller that shows a short top and combines a
    longer one). With `pool_unless_covered` as well, the ones after are left out when the
    result is `covered` (a consortium is only proposed when it is not). Facts are shared
    between matches that have the same ones: read-only."""
    found = None
    if pool_unless_covered and explain_top is not None and 0 < explain_top < criteria.limit:
        # The shown top first: it is the longer run's first `explain_top` (the order is
        # total), and when one of them alone has the capacity, so does the longer run. A
        # shorter top keeps a higher bar in the compiled pass, so fewer sites are scored.
        found = _search(catalogue, replace(criteria, limit=explain_top), weights, params)
        if found is None:  # (nothing qualifies, whatever the limit)
            return _EMPTY
        covered = _covered(*found[:3])
        if not covered:
            found = None
    if found is None:
        found = _search(catalogue, criteria, weights, params)
        if found is None:
            return _EMPTY
        covered = _covered(*found[:3])
    query, scans, counts, order = found
    if covered and pool_unless_covered and explain_top is not None:
        if order is None:
            counts = [min(max(0, explain_top), counts[0])]
        else:
            order = order[: max(0, explain_top)]
            counts = [order.count(n) for n in range(len(scans))]
    top = sum(counts) if explain_top is None else max(0, explain_top)
    explained = (
        [min(top, counts[0])] if order is None
        else [order[:top].count(n) for n in range(len(scans))]
    )
    per_scan = [
        _render(query, scan, n, full)
        for scan, n, full in zip(scans, counts, explained, strict=True)
    ]
    return MatchResult(
        matches=tuple(_merged(per_scan, order)),
        total_candidates=sum(s.total for s in scans),
        covered=covered,
    )


def _covered(q: _Query, scans: list[_Scan], counts: list[int]) -> bool:
    """Whether a match alone has the capacity asked for: its capacity score is 1 exactly when
    available >= needed (integers far below 2**53, so their ratio is below 1 otherwise)."""
    needed = q.criteria.workers_needed
    if needed is None or needed <= 0:
        return False
    return any(
        bool((scores[:n] == 1.0).any())
        for scan, n in zip(scans, counts, strict=True)
        for criterion, _, scores in scan.parts
        if criterion == "capacity"
    )


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
    _, scans, counts, order = found
    per_scan: list[list[Ranked]] = []
    for scan, n in zip(scans, counts, strict=True):
        distances = [None] * n if scan.dist is None else np.round(scan.dist[:n], 3).tolist()
        per_scan.append(
            list(
                map(
                    Ranked,
                    scan.part.company_ids.strings_at(scan.comp[:n]),
                    scan.part.site_ids.strings_at(scan.cand[:n]),
                    distances,
                    scan.score[:n].tolist(),
                )
            )
        )
    return Ranking(
        entries=tuple(_merged(per_scan, order)), total_candidates=sum(s.total for s in scans)
    )


def _merged(per_scan: list[list[_T]], order: list[int] | None) -> list[_T]:
    """Items made per scan (each scan's first n, in order) in the order of the whole answer:
    `order` lists the scan of each place (None: there is one scan)."""
    if order is None:
        return per_scan[0]
    taken = [iter(items) for items in per_scan]
    return [next(taken[n]) for n in order]


def _search(
    catalogue: Catalogue, criteria: Criteria, weights: Weights, params: ScoringParams
) -> tuple[_Query, list[_Scan], list[int], list[int] | None] | None:
    """The query, its scan per catalogue part (each holding its top in order), how many of
    each scan's top make the answer, and - with more than one scan - the scan of each place."""
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
    limit = max(0, criteria.limit)
    if len(scans) == 1:
        return query, scans, [min(limit, scans[0].n)], None
    # Parts hold disjoint companies and each scan's top is in order: merge them.
    places = sorted(
        (int(scan.key[i]), scan.part.company_ids.at(int(scan.comp[i])), n)
        for n, scan in enumerate(scans)
        for i in range(scan.n)
    )[:limit]
    order = [n for _, _, n in places]
    return query, scans, [order.count(n) for n in range(len(scans))], order


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
        "scalars",
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
        self.scalars = _kernel_scalars(criteria, weights, params, self.optional_parts)
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
    cand: IntArray  # positions of the best site of each top company (not in order)
    comp: npt.NDArray[np.int32]  # their companies
    dist: FloatArray | None  # unrounded km; None without a location
    score: FloatArray
    key: npt.NDArray[np.int64]
    parts: Parts
    n: int  # rows: the top companies in order, as many as were asked for (or qualified)
    total: int  # distinct companies that qualified


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
    cand, comp, dist, key, score, components, total = found
    parts: Parts = [("work_kinds", q.weights.work_kinds, components[:, kernel.WORK_KINDS])]
    for criterion, weight, column in q.optional_parts:
        parts.append((criterion, weight, components[:, column]))
    return _Scan(part, cand, comp, dist if located else None, score, key, parts, cand.size, total)


def _run_kernel(
    q: _Query,
    part: Part,
    removed: npt.NDArray[np.bool_] | None,
    required: npt.NDArray[np.uint64],
    starts: IntArray,
    ends: IntArray,
) -> tuple[IntArray, npt.NDArray[np.int32], FloatArray, npt.NDArray[np.int64], FloatArray,
           FloatArray, int] | None:
    """The best site of each of the top companies among the qualifying sites within
    [starts, ends): positions, companies, distances, ordering keys, scores and component
    scores (one column per component, see `kernel`), in order; and the number
    of distinct companies that qualified. None when none did."""
    if starts.size == 0:
        return None
    flags = _NO_FLAGS if part.site_flags is None else part.site_flags
    need = np.uint64((int(required[0]) << 1) | 1)
    size = max(0, min(q.criteria.limit, part.n_companies))
    out_site = np.empty(size, dtype=np.intp)
    out_company = np.empty(size, dtype=np.int32)
    out_dist = np.empty(size, dtype=np.float64)
    out_key = np.empty(size, dtype=np.int64)
    out_score = np.empty(size, dtype=np.float64)
    out_components = np.empty((size, kernel.N_COMPONENTS), dtype=np.float64)
    (located, lat, lon, has_limit, limit_km, credit, w_kinds, w_distance, w_capacity,
     w_availability, w_certifications, weight_sum, half_km, needed, exact, start, grace,
     bounded) = q.scalars
    filled, total = kernel.scan(
        starts, ends,
        part.site_kinds, q.wanted_mask, flags, need, part.site_flags is not None,
        part.site_company, part.company_active, part.company_certs, required,
        _NO_REMOVED if removed is None else removed, removed is not None,
        located, lat, lon, has_limit, limit_km,
        part.site_lat, part.site_lon, part.site_radius, part.site_sphere,
        q.full_masks, q.sibling_masks, credit,
        w_kinds, w_distance, w_capacity, w_availability, w_certifications, weight_sum, half_km,
        needed, exact,
        part.slot_start, part.slot_kind, part.slot_workers,
        part.cap_start, part.cap_kind, part.cap_workers, part.cap_restricted, part.restrict_key,
        start, grace, part.company_available,
        part.cert_mask(c for c in q.criteria.preferred_certifications if c in part.cert_codes),
        len(q.criteria.preferred_certifications),
        part.site_rank, part.company_rank, part.n_companies, bounded,
        out_site, out_company, out_dist, out_key, out_score, out_components,
    )
    if total == 0:
        return None
    return (out_site[:filled], out_company[:filled], out_dist[:filled], out_key[:filled],
            out_score[:filled], out_components[:filled], int(total))


# --- per query ---------------------------------------------------------------------------------


# Stand-ins for absent arrays, read-only like the catalogue's own: numba compiles one
# specialisation per argument type, and writability is part of the type.
_NO_FLAGS = np.zeros(0, dtype=np.uint64)
_NO_FLAGS.setflags(write=False)
_NO_REMOVED = np.zeros(0, dtype=np.bool_)
_NO_REMOVED.setflags(write=False)


_Masks = tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]
# `_kind_masks` per (taxonomy, asked codes): the same few combinations are asked again and
# again. Keyed by the taxonomy's identity, and each entry holds the taxonomy itself, so an
# entry can never be taken for another taxonomy's. The arrays are shared: read-only use.
_KIND_MASKS: dict[tuple[int, tuple[str, ...]], tuple[Taxonomy, _Masks]] = {}
_KIND_MASKS_KEPT = 4096


def _kind_masks(catalogue: Catalogue, asked: tuple[str, ...], wanted: tuple[str, ...]) -> _Masks:
    """Kind bitmask words: of the wanted kinds; and per asked code, the bits that earn full
    credit (the kind, or any kind of an asked group) and those that earn the sibling credit
    (the other kinds of a kind's group). Built as Python ints: a query asks for a handful."""
    taxonomy = catalogue.taxonomy
    key = (id(taxonomy), asked)
    kept = _KIND_MASKS.get(key)
    if kept is not None and kept[0] is taxonomy:
        return kept[1]
    masks = _new_kind_masks(catalogue, asked, wanted)
    if len(_KIND_MASKS) >= _KIND_MASKS_KEPT:
        _KIND_MASKS.clear()
    _KIND_MASKS[key] = (taxonomy, masks)
    return masks


def _new_kind_masks(
    catalogue: Catalogue, asked: tuple[str, ...], wanted: tuple[str, ...]
) -> _Masks:
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


def _kernel_scalars(
    criteria: Criteria,
    weights: Weights,
    params: ScoringParams,
    optional: list[tuple[str, float, int]],
) -> tuple[Any, ...]:
    """The query's plain-number arguments of `kernel.scan`, in its order, with the types it
    was compiled for (a weight that does not apply is 0)."""
    applies = {criterion: weight for criterion, weight, _ in optional}
    used = [weights.work_kinds, *applies.values()]
    weight_sum = float(sum(used))
    needed = criteria.workers_needed
    return (
        criteria.lat is not None and criteria.lon is not None,
        float(criteria.lat or 0.0),
        float(criteria.lon or 0.0),
        criteria.max_distance_km is not None,
        float(criteria.max_distance_km or 0.0),
        float(params.sibling_credit),
        float(weights.work_kinds),
        float(applies.get("distance", 0.0)),
        float(applies.get("capacity", 0.0)),
        float(applies.get("availability", 0.0)),
        float(applies.get("certifications", 0.0)),
        weight_sum,
        float(params.distance_half_km),
        -1 if needed is None else int(needed),
        bool(needed is not None and needed > SLOT_MAX),
        -1 if criteria.start_date is None else int(criteria.start_date.toordinal()),
        float(params.availability_grace_days),
        # The best-case bound holds only when no weight can pull a score down.
        all(math.isfinite(w) and w >= 0 for w in used) and math.isfinite(weight_sum),
    )


def _expand(catalogue: Catalogue, asked: tuple[str, ...]) -> tuple[str, ...]:
    """Leaf kinds that satisfy the request: asked kinds plus every kind of an asked group."""
    taxonomy = catalogue.taxonomy
    out: dict[str, None] = {}
    for code in asked:
        for kind in taxonomy.kinds_in(code) if taxonomy.is_group(code) else (code,):
            out[kind] = None
    return tuple(out)


# --- per result: components with facts -------------------------------------------------------


def _render(q: _Query, scan: _Scan, n: int, full: int) -> list[Match]:
    """Matches for the first `n` rows of a scan, with components and facts: every component
    for the first `full`, those of POOL_CRITERIA for the rest."""
    criteria, part = q.criteria, scan.part
    at = slice(0, n)
    company_ids = part.company_ids.strings_at(scan.comp[at])
    site_ids = part.site_ids.strings_at(scan.cand[at])
    distances = [None] * n if scan.dist is None else np.round(scan.dist[at], 3).tolist()
    totals = scan.score[at].tolist()
    columns = [(criterion, weight, scores[at].tolist()) for criterion, weight, scores in scan.parts]
    plan, relevant = q.kind_plan()
    kind_sets = [
        sum(word << (WORD_BITS * w) for w, word in enumerate(words)) & relevant
        for words in part.site_kinds[:, scan.cand[at]].T.tolist()
    ]
    cert_words = [tuple(w) for w in part.company_certs[:, scan.comp[at]].T.tolist()]
    days = part.company_available[scan.comp[at]].tolist()
    capacity = (
        _capacity_facts_at(q, part, scan.cand[at], scan.comp[at], criteria.workers_needed)
        if criteria.workers_needed is not None
        else []
    )
    # One facts mapping per distinct set of offered kinds (or held certificates) in this
    # answer, shared by the matches that have it.
    kind_facts: dict[int, dict[str, object]] = {}
    cert_facts: dict[tuple[int, ...], dict[str, object]] = {}
    pool_columns = [c for c in columns if c[0] in POOL_CRITERIA]
    out: list[Match] = []
    for i in range(n):
        distance_km = distances[i]
        components: list[Component] = []
        for criterion, weight, scores in columns if i < full else pool_columns:
            facts: dict[str, object]
            if criterion == "work_kinds":
                offered = kind_sets[i]
                facts = kind_facts.get(offered) or kind_facts.setdefault(
                    offered, _work_kind_facts(plan, offered)
                )
            elif criterion == "distance":
                facts = {"distance_km": distance_km, "limit_km": criteria.max_distance_km}
            elif criterion == "capacity":
                facts = capacity[i]
            elif criterion == "availability":
                assert criteria.start_date is not None
                start = criteria.start_date
                available_from = None if days[i] == NO_DATE else date.fromordinal(days[i])
                late = 0 if available_from is None else max(0, (available_from - start).days)
                facts = {"available_from": available_from, "start_date": start, "days_late": late}
            else:
                words = cert_words[i]
                facts = cert_facts.get(words) or cert_facts.setdefault(
                    words, _certification_facts(part, words, criteria.preferred_certifications)
                )
            # (criterion, score, weight, facts): positional, a third cheaper than keywords for
            # a frozen dataclass, and there are ~160 of them per answer.
            components.append(Component(criterion, round(scores[i], 4), weight, facts))
        out.append(Match(company_ids[i], site_ids[i], distance_km, totals[i], tuple(components)))
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


def _capacity_facts_at(
    q: _Query, part: Part, sites: IntArray, comps: npt.NDArray[np.int32], needed: int
) -> list[dict[str, object]]:
    """Per site, the capacity facts of the best capability: of those of a wanted kind that
    count there, the one with the largest capacity; the first wanted kind wins a tie between
    kinds, the first listed within a kind (what the facts over `capabilities_at_sites` of the
    record give). Sites without one share one mapping: read-only."""
    rows = kernel.best_capabilities(
        sites, comps, q.wanted_rank(), part.cap_start, part.cap_kind, part.cap_workers,
        part.cap_restricted, part.restrict_key, part.n_sites,
    ).tolist()
    kind_codes = q.catalogue.kind_codes
    nothing: dict[str, object] = {
        "available": 0, "needed": needed, "work_kind": None, "capacity_updated_at": None,
    }
    return [
        nothing
        if row < 0
        else {
            "available": max(0, int(part.cap_workers[row])),
            "needed": needed,
            "work_kind": kind_codes[int(part.cap_kind[row])],
            "capacity_updated_at": decode_datetime(
                int(part.cap_updated[row]), int(part.cap_offset[row])
            ),
        }
        for row in rows
    ]


def _certification_facts(
    part: Part, words: tuple[int, ...], preferred: frozenset[str]
) -> dict[str, object]:
    """held and missing: the preferred certificates a company holds and lacks, sorted."""
    held = frozenset(part.cert_codes[b] for b in _bits(words))
    return {"held": tuple(sorted(preferred & held)), "missing": tuple(sorted(preferred - held))}


def _work_kind_facts(
    plan: list[tuple[str, bool, int, tuple[tuple[int, str], ...]]], offered: int
) -> dict[str, object]:
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
    return {
        "covered": tuple(covered),
        "partial": partial,
        "missing": tuple(missing),
        "group_kinds": group_kinds,
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
    criteria = Criteria(
        work_kinds=("other",), lat=52.0, lon=5.0, max_distance_km=10.0, workers_needed=1,
        start_date=date(2000, 1, 1), preferred_certifications=frozenset({"iso-9001"}), limit=1,
    )
    # Small parts take the latitude bands, large ones the cells: both, whatever the size.
    for grid_min_sites in (IndexSettings().grid_min_sites, 0):
        match(Catalogue.build(companies, taxonomy, IndexSettings(grid_min_sites=grid_min_sites)),
              criteria)
