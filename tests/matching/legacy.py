"""The engine as it was before the indexed catalogue (pure numpy, one row per site), kept as a
reference: the indexed engine must give exactly the same MatchResult (components and facts too)."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from datetime import date

from app.geo import haversine_km_array
from app.matching.types import (
    CapabilityRecord,
    CompanyRecord,
    Component,
    Criteria,
    Match,
    MatchResult,
    ScoringParams,
    SiteRecord,
    Taxonomy,
    UnknownWorkKind,
    Weights,
)

_WORD_BITS = 64
NO_DATE = 0  # `available_from` None is stored as day 0: before every real date ordinal (>= 1)


def capabilities_at_sites(
    company: CompanyRecord, taxonomy: Taxonomy
) -> dict[str, dict[str, CapabilityRecord]]:
    """site_id -> kind -> the capability that counts for that kind at that site.

    Only leaf kinds known to the taxonomy count; a capability whose `site_ids` name no site of
    the company counts nowhere. When several capabilities name the same kind at one site, the
    largest capacity counts (the first listed on a tie), so build and explanation agree.
    """
    site_ids = [s.site_id for s in company.sites]
    known_sites = set(site_ids)
    result: dict[str, dict[str, CapabilityRecord]] = {sid: {} for sid in site_ids}
    for cap in company.capabilities:
        kind = cap.work_kind
        if not taxonomy.contains(kind) or taxonomy.is_group(kind):
            continue
        where = site_ids if cap.site_ids is None else [s for s in cap.site_ids if s in known_sites]
        for sid in where:
            current = result[sid].get(kind)
            if current is None or cap.capacity_workers > current.capacity_workers:
                result[sid][kind] = cap
    return result


class LegacyCatalogue:
    """Immutable columnar catalogue. Arrays are read-only; attributes are internal to matching."""

    __slots__ = (
        "cert_codes",
        "cert_index",
        "companies",
        "company_active",
        "company_available",
        "company_certs",
        "company_index",
        "company_rank",
        "group_words",
        "kind_bit",
        "kind_caps",
        "kind_codes",
        "kind_sites",
        "n_words",
        "site_company",
        "site_index",
        "site_kinds",
        "site_lat",
        "site_lon",
        "site_radius",
        "site_rank",
        "sites",
        "taxonomy",
    )

    taxonomy: Taxonomy
    kind_codes: tuple[str, ...]  # leaf kinds; position = bit number
    kind_bit: Mapping[str, int]
    n_words: int
    group_words: Mapping[str, npt.NDArray[np.uint64]]  # group code -> mask of its kinds
    companies: tuple[CompanyRecord, ...]
    sites: tuple[SiteRecord, ...]
    company_index: Mapping[str, int]
    site_index: Mapping[str, int]
    site_company: npt.NDArray[np.int32]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_radius: npt.NDArray[np.float64]
    site_rank: npt.NDArray[np.int32]  # rank of site_id in sorted order, for tie-breaks
    site_kinds: npt.NDArray[np.uint64]  # (n_sites, n_words)
    kind_sites: tuple[npt.NDArray[np.int32], ...]  # per kind bit: sites offering it
    kind_caps: tuple[npt.NDArray[np.int32], ...]  # per kind bit: capacity at those sites
    company_active: npt.NDArray[np.bool_]
    company_rank: npt.NDArray[np.int32]  # rank of company_id in sorted order
    company_available: npt.NDArray[np.int64]  # date ordinal, NO_DATE when None
    cert_codes: tuple[str, ...]
    cert_index: Mapping[str, int]
    company_certs: npt.NDArray[np.bool_]  # (n_companies, n_certs)

    def __init__(self) -> None:
        raise TypeError("use Catalogue.build(companies, taxonomy)")

    @classmethod
    def build(cls, companies: Iterable[CompanyRecord], taxonomy: Taxonomy) -> "LegacyCatalogue":
        self = object.__new__(cls)
        comps = tuple(companies)
        kind_codes = taxonomy.kinds
        kind_bit = {code: i for i, code in enumerate(kind_codes)}
        n_words = max(1, -(-len(kind_codes) // _WORD_BITS))

        company_index: dict[str, int] = {}
        site_index: dict[str, int] = {}
        sites: list[SiteRecord] = []
        site_company: list[int] = []
        site_masks: list[list[int]] = []
        kind_sites: list[list[int]] = [[] for _ in kind_codes]
        kind_caps: list[list[int]] = [[] for _ in kind_codes]
        cert_codes = tuple(sorted({c for comp in comps for c in comp.certifications}))
        cert_index = {c: i for i, c in enumerate(cert_codes)}
        company_certs = np.zeros((len(comps), len(cert_codes)), dtype=np.bool_)

        for ci, comp in enumerate(comps):
            if comp.company_id in company_index:
                raise ValueError(f"duplicate company_id: {comp.company_id}")
            company_index[comp.company_id] = ci
            for cert in comp.certifications:
                company_certs[ci, cert_index[cert]] = True
            offered = capabilities_at_sites(comp, taxonomy)
            for site in comp.sites:
                if site.site_id in site_index:
                    raise ValueError(f"duplicate site_id: {site.site_id}")
                si = len(sites)
                site_index[site.site_id] = si
                sites.append(site)
                site_company.append(ci)
                words = [0] * n_words
                for kind, cap in offered[site.site_id].items():
                    bit = kind_bit[kind]
                    words[bit // _WORD_BITS] |= 1 << (bit % _WORD_BITS)
                    kind_sites[bit].append(si)
                    kind_caps[bit].append(max(0, cap.capacity_workers))
                site_masks.append(words)

        group_words: dict[str, npt.NDArray[np.uint64]] = {}
        for group in taxonomy.groups:
            words = [0] * n_words
            for kind in taxonomy.kinds_in(group):
                bit = kind_bit[kind]
                words[bit // _WORD_BITS] |= 1 << (bit % _WORD_BITS)
            group_words[group] = np.array(words, dtype=np.uint64)
            group_words[group].setflags(write=False)

        n_sites = len(sites)
        fields: dict[str, object] = {
            "taxonomy": taxonomy,
            "kind_codes": kind_codes,
            "kind_bit": kind_bit,
            "n_words": n_words,
            "group_words": group_words,
            "companies": comps,
            "sites": tuple(sites),
            "company_index": company_index,
            "site_index": site_index,
            "site_company": np.array(site_company, dtype=np.int32),
            "site_lat": np.array([s.lat for s in sites], dtype=np.float64),
            "site_lon": np.array([s.lon for s in sites], dtype=np.float64),
            "site_radius": np.array([s.service_radius_km for s in sites], dtype=np.float64),
            "site_rank": _ranks([s.site_id for s in sites]),
            "site_kinds": np.array(site_masks, dtype=np.uint64).reshape(n_sites, n_words),
            # Within one kind each site appears once, in increasing order.
            "kind_sites": tuple(np.array(x, dtype=np.int32) for x in kind_sites),
            "kind_caps": tuple(np.array(x, dtype=np.int32) for x in kind_caps),
            "company_active": np.array([c.active for c in comps], dtype=np.bool_),
            "company_rank": _ranks([c.company_id for c in comps]),
            "company_available": np.array(
                [
                    NO_DATE if c.available_from is None else c.available_from.toordinal()
                    for c in comps
                ],
                dtype=np.int64,
            ),
            "cert_codes": cert_codes,
            "cert_index": cert_index,
            "company_certs": company_certs,
        }
        self.__setstate__(fields)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Catalogue is immutable")

    # Pickle support (e.g. handing a built catalogue to worker processes).
    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        for name, value in state.items():
            for array in value if isinstance(value, tuple) else (value,):
                if isinstance(array, np.ndarray):
                    array.setflags(write=False)
            object.__setattr__(self, name, value)

    def company(self, company_id: str) -> CompanyRecord:
        return self.companies[self.company_index[company_id]]

    def site(self, site_id: str) -> SiteRecord:
        return self.sites[self.site_index[site_id]]

    def company_of_site(self, site_id: str) -> CompanyRecord:
        return self.companies[int(self.site_company[self.site_index[site_id]])]

    def offered_kinds(self, site_index: int) -> frozenset[str]:
        """Leaf kinds offered at the site with this index."""
        words = self.site_kinds[site_index]
        return frozenset(
            code
            for bit, code in enumerate(self.kind_codes)
            if int(words[bit // _WORD_BITS]) >> (bit % _WORD_BITS) & 1
        )

    def kind_mask(self, kinds: Iterable[str]) -> npt.NDArray[np.uint64]:
        """Bitmask words for a set of leaf kinds."""
        words = [0] * self.n_words
        for kind in kinds:
            bit = self.kind_bit[kind]
            words[bit // _WORD_BITS] |= 1 << (bit % _WORD_BITS)
        return np.array(words, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self.sites)

    def __repr__(self) -> str:
        return f"<Catalogue companies={len(self.companies)} sites={len(self.sites)}>"


def _ranks(ids: list[str]) -> npt.NDArray[np.int32]:
    """Position of each id in sorted order (ids are unique)."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    ranks = np.empty(len(ids), dtype=np.int32)
    ranks[np.array(order, dtype=np.intp)] = np.arange(len(ids), dtype=np.int32)
    return ranks
FloatArray = npt.NDArray[np.float64]
_EMPTY = MatchResult(matches=(), total_candidates=0)


def legacy_match(
    catalogue: LegacyCatalogue,
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
    needed = criteria.workers_needed
    covered = bool(needed) and needed > 0 and any(
        c.criterion == "capacity" and c.facts["available"] >= needed
        for m in matches
        for c in m.components
    )
    return MatchResult(matches=matches, total_candidates=int(best.size), covered=covered)


# --- vectorised pieces -------------------------------------------------------------------------


def _expand(catalogue: LegacyCatalogue, asked: tuple[str, ...]) -> tuple[str, ...]:
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
    catalogue: LegacyCatalogue,
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
    catalogue: LegacyCatalogue, wanted: tuple[str, ...], cand: npt.NDArray[np.intp]
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


def _preferred_share(catalogue: LegacyCatalogue, preferred: frozenset[str]) -> FloatArray:
    held = np.zeros(len(catalogue.companies))
    for cert in preferred:
        col = catalogue.cert_index.get(cert)
        if col is not None:
            held += catalogue.company_certs[:, col]
    return held / len(preferred)


# --- per result: components with facts -------------------------------------------------------


def _render(
    catalogue: LegacyCatalogue,
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
    catalogue: LegacyCatalogue, asked: tuple[str, ...], offered: frozenset[str]
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
