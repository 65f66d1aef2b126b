"""Columnar, read-only view of all companies and sites, built once and queried many times.

Per site: coordinates, service radius, owning company, a kind bitmask (one bit per leaf kind,
in uint64 words) and, per kind, a sparse list of (site, capacity). Per company: active flag,
certification matrix and `available_from` as a day number. `match()` works on these arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from app.matching.types import CapabilityRecord, CompanyRecord, SiteRecord, Taxonomy

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


class Catalogue:
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
    def build(cls, companies: Iterable[CompanyRecord], taxonomy: Taxonomy) -> Catalogue:
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
