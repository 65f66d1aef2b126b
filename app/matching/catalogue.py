"""Columnar, read-only catalogue of all companies and sites, built once and queried many times.

Storage (numpy arrays, no Python object per site or per company; about 120-140 bytes per
site with ids, all in):
- per site, sorted by (service-radius tier, grid cell) for the geographic prefilter: id (16 raw
  bytes for UUIDs), coordinates and service radius (float64: exact distances), owning
  company, a kind bitmask (uint64 words, one bit per leaf kind), a copy of its company's
  active flag and certification bits (uint64, so a scan tests them in order), its rank
  in id order, and "slots": the kinds that count there with their capacity (uint16);
- per company: id, active flag, certification bitmask, `available_from` as a day number and
  where its capabilities start;
- per capability (grouped by company, in listed order): kind, capacity, `capacity_updated_at`
  and whether it is limited to some sites (the (capability, site) pairs are kept sorted);
  facts for explanations are read from these rows, for the top matches only.

A catalogue is a *base* part plus, after `with_changes`, tombstones over the base companies and
a small *delta* part with the changed companies. `match()` queries both and merges; the delta is
folded into a new base once it grows past `IndexSettings` thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from app.geo import EARTH_RADIUS_KM
from app.matching.columns import (
    NO_DATE,
    WORD_BITS,
    Columns,
    columns_from_arrays,
    columns_from_records,
    concat_columns,
    first_duplicate,
    select_companies,
)
from app.matching.grid import Grid, choose_tiers
from app.matching.ids import IdColumn
from app.matching.types import (
    CompanyInfo,
    CompanyRecord,
    IndexSettings,
    SiteInfo,
    Taxonomy,
)

__all__ = ["NO_DATE", "Catalogue", "Part"]

IntArray = npt.NDArray[np.intp]


def _freeze(value: object) -> None:
    if isinstance(value, np.ndarray):
        value.setflags(write=False)


class Part:
    """One indexed set of companies with their sites and capabilities (internal to matching)."""

    __slots__ = (
        "cap_kind",
        "cap_offset",
        "cap_restricted",
        "cap_start",
        "cap_updated",
        "cap_workers",
        "cert_codes",
        "company_active",
        "company_available",
        "company_certs",
        "company_ids",
        "company_order",
        "company_rank",
        "company_sites",
        "grid",
        "n_kinds",
        "restrict_key",
        "site_company",
        "site_flags",
        "site_ids",
        "site_kinds",
        "site_lat",
        "site_lon",
        "site_order",
        "site_radius",
        "site_rank",
        "site_sphere",
        "slot_kind",
        "slot_start",
        "slot_workers",
    )

    company_ids: IdColumn
    company_active: npt.NDArray[np.bool_]
    company_available: npt.NDArray[np.int32]
    cert_codes: tuple[str, ...]
    company_certs: npt.NDArray[np.uint64]  # (cert words, n_companies)
    company_rank: npt.NDArray[np.int32]  # rank of the id in sorted order
    company_order: npt.NDArray[np.int32]  # positions in id order (for lookups)
    company_sites: npt.NDArray[np.int32]  # number of sites per company
    cap_start: npt.NDArray[np.int32]  # (n_companies + 1,) capability rows per company
    cap_kind: npt.NDArray[np.int16]
    cap_workers: npt.NDArray[np.int32]
    cap_updated: npt.NDArray[np.int64]
    cap_offset: npt.NDArray[np.int32]
    cap_restricted: npt.NDArray[np.bool_]
    restrict_key: npt.NDArray[np.int64]  # sorted cap_row * n_sites + site
    site_ids: IdColumn
    site_company: npt.NDArray[np.int32]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_radius: npt.NDArray[np.floating]
    site_sphere: npt.NDArray[np.float64]  # (n_sites, 4): unit vector, chord^2 of the radius
    site_kinds: npt.NDArray[np.uint64]  # (kind words, n_sites)
    # Per site, of its company: bit 0 active, bit 1 + i certification i; None beyond 63 codes.
    site_flags: npt.NDArray[np.uint64] | None
    site_rank: npt.NDArray[np.int32]
    site_order: npt.NDArray[np.int32]
    slot_start: npt.NDArray[np.int32]  # (n_sites + 1,) kinds offered per site, with capacity
    slot_kind: npt.NDArray[np.unsignedinteger]
    slot_workers: npt.NDArray[np.uint16]  # max(0, capacity), clamped to SLOT_MAX
    grid: Grid
    n_kinds: int

    def __init__(self, cols: Columns, n_kinds: int, settings: IndexSettings) -> None:
        n_s, n_c = cols.n_sites, cols.n_companies
        tiers = settings.radius_tiers_km
        if tiers is None:
            tiers = choose_tiers(cols.site_radius, settings.wide_radius_km)
        elif tiers[-1] > settings.wide_radius_km:
            raise ValueError("radius tiers beyond wide_radius_km")
        grid = Grid(settings.cell_deg, tiers)
        keys = grid.keys(cols.site_lat, cols.site_lon, cols.site_radius)
        perm = np.argsort(keys)
        inverse = np.empty(n_s, dtype=np.int64)
        inverse[perm] = np.arange(n_s)
        site_company = cols.site_company[perm]
        site_radius = cols.site_radius[perm].astype(np.float64)  # one dtype for the scan

        site_order = cols.site_ids.order()
        company_order = cols.company_ids.order()
        for name, column, order in (
            ("company_id", cols.company_ids, company_order),
            ("site_id", cols.site_ids, site_order),
        ):
            duplicate = first_duplicate(column, order)
            if duplicate is not None:
                raise ValueError(f"duplicate {name}: {duplicate}")
        site_order = inverse[site_order]  # positions after the spatial sort
        site_rank = np.empty(n_s, dtype=np.int32)
        site_rank[site_order] = np.arange(n_s, dtype=np.int32)
        company_rank = np.empty(n_c, dtype=np.int32)
        company_rank[company_order] = np.arange(n_c, dtype=np.int32)

        cap_start = np.searchsorted(cols.cap_company, np.arange(n_c + 1), side="left")
        restrict_site = inverse[cols.restrict_site]
        restrict_key = np.sort(cols.restrict_cap.astype(np.int64) * max(1, n_s) + restrict_site)

        slot_start, slot_kind, slot_workers, site_kinds = _site_slots(
            cols, cap_start, site_company, restrict_site, n_kinds
        )
        fields: dict[str, object] = {
            "company_ids": cols.company_ids,
            "company_active": cols.company_active,
            "company_available": cols.company_available,
            "cert_codes": cols.cert_codes,
            "company_certs": cols.company_certs,
            "company_rank": company_rank,
            "company_order": company_order.astype(np.int32),
            "company_sites": np.bincount(site_company, minlength=n_c).astype(np.int32),
            "cap_start": cap_start.astype(np.int32),
            "cap_kind": cols.cap_kind,
            "cap_workers": cols.cap_workers,
            "cap_updated": cols.cap_updated,
            "cap_offset": cols.cap_offset,
            "cap_restricted": cols.cap_restricted,
            "restrict_key": restrict_key,
            "site_ids": cols.site_ids.take(perm),
            "site_company": site_company,
            "site_lat": cols.site_lat[perm],
            "site_lon": cols.site_lon[perm],
            "site_radius": site_radius,
            "site_sphere": site_sphere(cols.site_lat[perm], cols.site_lon[perm], site_radius),
            "site_kinds": site_kinds,
            "site_flags": _site_flags(cols, site_company),
            "slot_start": slot_start,
            "slot_kind": slot_kind,
            "slot_workers": slot_workers,
            "site_rank": site_rank,
            "site_order": site_order.astype(np.int32),
            "grid": grid.indexed(keys[perm], site_radius),
            "n_kinds": n_kinds,
        }
        self.__setstate__(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Part is immutable")

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        for name, value in state.items():
            _freeze(value)
            object.__setattr__(self, name, value)

    # --- sizes and export ------------------------------------------------------------------

    @property
    def n_sites(self) -> int:
        return len(self.site_ids)

    @property
    def n_companies(self) -> int:
        return len(self.company_ids)

    @property
    def nbytes(self) -> int:
        total = self.grid.nbytes
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, np.ndarray | IdColumn):
                total += value.nbytes
        return total

    def columns(self) -> Columns:
        n_s = max(1, self.n_sites)
        counts = np.diff(self.cap_start)
        return Columns(
            company_ids=self.company_ids,
            company_active=self.company_active,
            company_available=self.company_available,
            cert_codes=self.cert_codes,
            company_certs=self.company_certs,
            site_ids=self.site_ids,
            site_company=self.site_company,
            site_lat=self.site_lat,
            site_lon=self.site_lon,
            site_radius=self.site_radius,
            cap_company=np.repeat(np.arange(self.n_companies, dtype=np.int32), counts),
            cap_kind=self.cap_kind,
            cap_workers=self.cap_workers,
            cap_updated=self.cap_updated,
            cap_offset=self.cap_offset,
            cap_restricted=self.cap_restricted,
            restrict_cap=(self.restrict_key // n_s).astype(np.int32),
            restrict_site=(self.restrict_key % n_s).astype(np.int32),
        )

    # --- lookups ---------------------------------------------------------------------------

    def find_site(self, site_id: str) -> int:
        return _find(self.site_ids, self.site_order, site_id)

    def find_company(self, company_id: str) -> int:
        return _find(self.company_ids, self.company_order, company_id)

    def cert_set(self, company: int) -> frozenset[str]:
        return frozenset(
            code
            for i, code in enumerate(self.cert_codes)
            if int(self.company_certs[i // WORD_BITS, company]) >> (i % WORD_BITS) & 1
        )

    def cert_mask(self, codes: Iterable[str]) -> npt.NDArray[np.uint64] | None:
        """Words with the bits of `codes`; None when a code is held by nobody in this part."""
        words = [0] * self.company_certs.shape[0]
        for code in codes:
            try:
                i = self.cert_codes.index(code)
            except ValueError:
                return None
            words[i // WORD_BITS] |= 1 << (i % WORD_BITS)
        return np.array(words, dtype=np.uint64)

    def kind_bits(self, site: int) -> list[int]:
        """Bit numbers (leaf kinds) offered at the site, increasing."""
        bits: list[int] = []
        for w, word in enumerate(self.site_kinds[:, site].tolist()):
            while word:
                low = word & -word
                bits.append(w * WORD_BITS + low.bit_length() - 1)
                word ^= low
        return bits

    def applies(self, cap_row: int, site: int) -> bool:
        """Does this capability count at this site?"""
        if not self.cap_restricted[cap_row]:
            return True
        return self._listed(cap_row, site)

    def _listed(self, cap_row: int, site: int) -> bool:
        key = cap_row * max(1, self.n_sites) + site
        i = int(np.searchsorted(self.restrict_key, key))
        return i < self.restrict_key.size and int(self.restrict_key[i]) == key

    def available_from(self, company: int) -> date | None:
        day = int(self.company_available[company])
        return None if day == NO_DATE else date.fromordinal(day)


def _find(ids: IdColumn, order: npt.NDArray[np.int32], value: str) -> int:
    """Position of `value` in `ids` (binary search over `order`), -1 when absent."""
    encoded = ids.encode(value)
    if encoded is None:
        return -1
    width = ids.data.dtype.itemsize
    target = encoded.ljust(width, b"\0")
    lo, hi = 0, len(order)
    data = ids.data
    while lo < hi:
        mid = (lo + hi) // 2
        if bytes(data[order[mid]]).ljust(width, b"\0") < target:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(order) and bytes(data[order[lo]]).ljust(width, b"\0") == target:
        return int(order[lo])
    return -1


SLOT_MAX = int(np.iinfo(np.uint16).max)  # slot capacities are clamped here


def site_sphere(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], radius: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Per site: its unit vector on the sphere and the squared chord of its service radius
    (`kernel.chord2`), for the kernel's cheap distance test. Coordinates off the globe give
    NaN (the kernel then takes the exact distance); a negative or NaN radius gives -1."""
    with np.errstate(invalid="ignore"):
        placed = np.isfinite(lat) & np.isfinite(lon)
        placed &= (np.abs(lat) <= 90.0) & (np.abs(lon) <= 360.0)
        phi = np.radians(np.where(placed, lat, np.nan))
        lam = np.radians(np.where(placed, lon, np.nan))
        half = np.minimum(radius / EARTH_RADIUS_KM, np.pi) / 2.0
        chord2 = np.where(radius >= 0, 4.0 * np.sin(half) ** 2, -1.0)
    out = np.empty((lat.size, 4), dtype=np.float64)
    out[:, 0] = np.cos(phi) * np.cos(lam)
    out[:, 1] = np.cos(phi) * np.sin(lam)
    out[:, 2] = np.sin(phi)
    out[:, 3] = chord2
    return out


def _site_flags(
    cols: Columns, site_company: npt.NDArray[np.int32]
) -> npt.NDArray[np.uint64] | None:
    """Per site, its company's active flag (bit 0) and certifications (bit 1 + i): a scan over
    sites then tests them in order instead of looking each company up. One dtype always, so
    the compiled scan has one signature."""
    if 1 + len(cols.cert_codes) > WORD_BITS:
        return None
    flags = (cols.company_certs[0] << np.uint64(1)) | cols.company_active.astype(np.uint64)
    return flags[site_company]


def _site_slots(
    cols: Columns,
    cap_start: IntArray,
    site_company: npt.NDArray[np.int32],
    restrict_site: IntArray,
    n_kinds: int,
) -> tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.unsignedinteger],
    npt.NDArray[np.uint16],
    npt.NDArray[np.uint64],
]:
    """Per site (in storage order), the capabilities that count there: slot_start (S + 1,),
    slot_kind, slot_workers (max(0, capacity) clamped to SLOT_MAX; a kind may repeat, the
    query takes the largest), and the kind bitmask words (kind words, S).

    Placed by counting, not sorting: first the capabilities the company offers everywhere
    (already grouped by site when expanded site by site), then those limited to listed sites.
    """
    n_s = site_company.size
    everywhere = ~cols.cap_restricted
    # Capabilities offered everywhere, per company: compact them to their own CSR first.
    open_rows = np.flatnonzero(everywhere)
    open_start = np.searchsorted(cols.cap_company[open_rows], np.arange(cap_start.size))
    n_open = (open_start[1:] - open_start[:-1])[site_company]
    n_limited = np.bincount(restrict_site, minlength=n_s) if n_s else np.zeros(0, np.int64)
    slot_start = np.zeros(n_s + 1, dtype=np.int64)
    np.cumsum(n_open + n_limited, out=slot_start[1:])
    total = int(slot_start[-1])
    rows = np.empty(total, dtype=np.int64)
    # Open capabilities: the first n_open[s] slots of site s.
    n_total_open = int(n_open.sum())
    ends = np.cumsum(n_open)
    local = np.arange(n_total_open) - np.repeat(ends - n_open, n_open)
    site_of = np.repeat(np.arange(n_s, dtype=np.int64), n_open)
    rows[slot_start[site_of] + local] = open_rows[open_start[site_company[site_of]] + local]
    # Limited capabilities: the slots after those.
    if restrict_site.size:
        order = np.argsort(restrict_site, kind="stable")
        by_site = restrict_site[order]
        firsts = np.searchsorted(by_site, by_site, side="left")
        local = np.arange(by_site.size) - firsts
        rows[slot_start[by_site] + n_open[by_site] + local] = cols.restrict_cap[order]
    kind = cols.cap_kind[rows]
    workers = np.clip(cols.cap_workers[rows], 0, SLOT_MAX).astype(np.uint16)
    n_words = max(1, -(-n_kinds // WORD_BITS))
    words = np.zeros((n_words, n_s), dtype=np.uint64)
    owner = np.repeat(np.arange(n_s), np.diff(slot_start))
    for w in range(n_words):
        in_word = np.flatnonzero(kind // WORD_BITS == w) if n_words > 1 else np.arange(total)
        if in_word.size:
            bit = np.left_shift(np.uint64(1), (kind[in_word] % WORD_BITS).astype(np.uint64))
            sites = owner[in_word]
            firsts = np.flatnonzero(np.r_[True, sites[1:] != sites[:-1]])
            words[w, sites[firsts]] = np.bitwise_or.reduceat(bit, firsts)
    kind_type = np.uint8 if n_kinds <= 256 else np.uint16
    return slot_start.astype(np.int32), kind.astype(kind_type), workers, words


class Catalogue:
    """Immutable catalogue: a base part, tombstones over it and an optional delta part."""

    __slots__ = (
        "base",
        "base_removed",
        "base_removed_sites",
        "delta",
        "group_words",
        "kind_bit",
        "kind_codes",
        "n_words",
        "settings",
        "taxonomy",
    )

    taxonomy: Taxonomy
    settings: IndexSettings
    kind_codes: tuple[str, ...]  # leaf kinds; position = bit number
    kind_bit: Mapping[str, int]
    n_words: int
    group_words: Mapping[str, npt.NDArray[np.uint64]]  # group code -> mask of its kinds
    base: Part
    base_removed: npt.NDArray[np.bool_] | None  # tombstones over base companies
    base_removed_sites: int
    delta: Part | None

    def __init__(self) -> None:
        raise TypeError("use Catalogue.build(companies, taxonomy) or Catalogue.from_columns")

    # --- making ----------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        companies: Iterable[CompanyRecord],
        taxonomy: Taxonomy,
        settings: IndexSettings = IndexSettings(),
    ) -> Catalogue:
        """A catalogue of these companies. Keeps no record: only the columns described above.

        Only leaf kinds known to the taxonomy count; a capability whose `site_ids` name no site
        of its company counts nowhere; when several capabilities name the same kind at one
        site, the largest capacity counts (the first listed on a tie).
        """
        return cls._new(
            taxonomy,
            settings,
            Part(columns_from_records(companies, taxonomy), len(taxonomy.kinds), settings),
        )

    @classmethod
    def from_columns(
        cls,
        taxonomy: Taxonomy,
        *,
        company_ids: npt.ArrayLike,
        company_active: npt.ArrayLike,
        company_available_from: npt.ArrayLike,
        cert_company: npt.ArrayLike,
        cert_code: npt.ArrayLike,
        site_ids: npt.ArrayLike,
        site_company: npt.ArrayLike,
        site_lat: npt.ArrayLike,
        site_lon: npt.ArrayLike,
        site_radius_km: npt.ArrayLike,
        cap_company: npt.ArrayLike,
        cap_kind: npt.ArrayLike,
        cap_workers: npt.ArrayLike,
        cap_updated_at: npt.ArrayLike | None = None,
        restrict_cap: npt.ArrayLike | None = None,
        restrict_site: npt.ArrayLike | None = None,
        cap_restricted: npt.ArrayLike | None = None,
        cert_vocabulary: Sequence[str] | None = None,
        settings: IndexSettings = IndexSettings(),
    ) -> Catalogue:
        """A catalogue from plain arrays, with no Python object per row (for bulk loads).

        One row per company (C rows), per site (S), per held certification (Q), per capability
        (P) and per (capability, site) limitation (R). Row indices are 0-based ints. Ids are
        strings (a sequence or a numpy 'U'/object array; if every id of a column is a
        canonical lowercase UUID string, as `str(uuid)` writes it, they are kept as 16 raw
        bytes, else as UTF-8 bytes) or raw 16-byte UUIDs (numpy 'S16'/'V16', or (n, 16) uint8:
        the fastest form). Order of rows does not matter, except for capabilities (below).

        companies
          company_ids            (C,) unique ids
          company_active         (C,) bool: status is active
          company_available_from (C,) datetime64 (NaT: no date) or int date ordinals
                                 (`date.toordinal()`, 0: no date)
        certifications held
          cert_company           (Q,) company row
          cert_code              (Q,) str code, or int position in `cert_vocabulary`
                                 (duplicates are harmless)
          cert_vocabulary        optional sequence of codes, for int `cert_code`
        sites
          site_ids               (S,) unique ids
          site_company           (S,) company row
          site_lat, site_lon     (S,) float degrees
          site_radius_km         (S,) float service radius
        capabilities; the rows of one company in listed order (when several name the same kind
        at a site, the largest capacity counts, the first listed one on a tie)
          cap_company            (P,) company row
          cap_kind               (P,) str work-kind code, or int position in
                                 `taxonomy.kinds` (faster for millions of rows); codes that
                                 are not leaf kinds of the taxonomy (groups, unknown codes,
                                 positions out of range) count nowhere
          cap_workers            (P,) int capacity_workers (int32 range)
          cap_updated_at         (P,) datetime64 UTC instants (NaT: unknown), reported as
                                 tz-aware UTC datetimes; None: all unknown
        limitation of a capability to some sites of its company
          restrict_cap           (R,) capability row
          restrict_site          (R,) site row; a pair naming another company's site counts
                                 nowhere
          cap_restricted         (P,) bool, optional: the capability counts only at its listed
                                 sites (possibly none); default: it has at least one pair.

        Raises ValueError on a duplicate id, a length mismatch or an index out of range.
        """
        cols = columns_from_arrays(
            taxonomy,
            company_ids=company_ids,
            company_active=company_active,
            company_available_from=company_available_from,
            cert_company=cert_company,
            cert_code=cert_code,
            site_ids=site_ids,
            site_company=site_company,
            site_lat=site_lat,
            site_lon=site_lon,
            site_radius_km=site_radius_km,
            cap_company=cap_company,
            cap_kind=cap_kind,
            cap_workers=cap_workers,
            cap_updated_at=cap_updated_at,
            restrict_cap=restrict_cap,
            restrict_site=restrict_site,
            cap_restricted=cap_restricted,
            cert_vocabulary=cert_vocabulary,
        )
        return cls._new(taxonomy, settings, Part(cols, len(taxonomy.kinds), settings))

    @classmethod
    def _new(
        cls,
        taxonomy: Taxonomy,
        settings: IndexSettings,
        base: Part,
        removed: npt.NDArray[np.bool_] | None = None,
        removed_sites: int = 0,
        delta: Part | None = None,
    ) -> Catalogue:
        self = object.__new__(cls)
        kind_codes = taxonomy.kinds
        kind_bit = {code: i for i, code in enumerate(kind_codes)}
        n_words = max(1, -(-len(kind_codes) // WORD_BITS))
        group_words: dict[str, npt.NDArray[np.uint64]] = {}
        for group in taxonomy.groups:
            words = [0] * n_words
            for kind in taxonomy.kinds_in(group):
                bit = kind_bit[kind]
                words[bit // WORD_BITS] |= 1 << (bit % WORD_BITS)
            group_words[group] = np.array(words, dtype=np.uint64)
        self.__setstate__(
            {
                "taxonomy": taxonomy,
                "settings": settings,
                "kind_codes": kind_codes,
                "kind_bit": kind_bit,
                "n_words": n_words,
                "group_words": group_words,
                "base": base,
                "base_removed": removed,
                "base_removed_sites": removed_sites,
                "delta": delta,
            }
        )
        return self

    def with_changes(
        self,
        upserted: Sequence[CompanyRecord] = (),
        removed: Sequence[str] = (),
        *,
        fold: bool | None = None,
    ) -> Catalogue:
        """This catalogue with companies added or replaced (`upserted`) and others removed (by
        id; unknown ids are ignored). The result matches exactly like
        `Catalogue.build(<the companies after the changes>)`.

        Cost: proportional to the changes and to the delta part, not to the catalogue, except
        when the delta is folded into a new base (a full index build): `fold` None folds when
        the delta outgrows the `IndexSettings` thresholds, True always, False never (fold
        later, e.g. in the background, with `compacted()`).
        """
        upserted = tuple(upserted)
        drop: set[str] = set(removed)
        seen: set[str] = set()
        for record in upserted:
            if record.company_id in seen:
                raise ValueError(f"duplicate company_id: {record.company_id}")
            seen.add(record.company_id)
        drop |= seen
        base = self.base
        removed_mask = (
            np.zeros(base.n_companies, dtype=np.bool_)
            if self.base_removed is None
            else self.base_removed.copy()
        )
        removed_sites = self.base_removed_sites
        for company_id in drop:
            i = base.find_company(company_id)
            if i >= 0 and not removed_mask[i]:
                removed_mask[i] = True
                removed_sites += int(base.company_sites[i])
        for record in upserted:
            for site in record.sites:
                j = base.find_site(site.site_id)
                if j >= 0 and not removed_mask[int(base.site_company[j])]:
                    raise ValueError(f"duplicate site_id: {site.site_id}")

        pieces: list[Columns] = []
        if self.delta is not None:
            old = self.delta.columns()
            gone = np.isin(old.company_ids.strings(), np.array(sorted(drop), dtype=np.str_))
            if not gone.all():
                pieces.append(select_companies(old, ~gone))
        if upserted:
            pieces.append(columns_from_records(upserted, self.taxonomy))
        n_kinds = len(self.kind_codes)
        settings = self.settings
        delta = Part(concat_columns(pieces), n_kinds, settings) if pieces else None
        limit = max(settings.delta_min_sites, settings.delta_ratio * base.n_sites)
        if fold or (fold is None and delta is not None and delta.n_sites > limit):
            return self._folded(removed_mask, delta)
        return self._new(
            self.taxonomy,
            settings,
            base,
            removed_mask if removed_mask.any() else None,
            removed_sites,
            delta,
        )

    def compacted(self) -> Catalogue:
        """The same catalogue with the delta folded into a single base part (a full build)."""
        if self.delta is None and self.base_removed is None:
            return self
        removed = self.base_removed
        if removed is None:
            removed = np.zeros(self.base.n_companies, dtype=np.bool_)
        return self._folded(removed, self.delta)

    def _folded(self, removed: npt.NDArray[np.bool_], delta: Part | None) -> Catalogue:
        pieces = [select_companies(self.base.columns(), ~removed)]
        if delta is not None:
            pieces.append(delta.columns())
        part = Part(concat_columns(pieces), len(self.kind_codes), self.settings)
        return self._new(self.taxonomy, self.settings, part)

    # --- immutability and pickling ---------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Catalogue is immutable")

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        for name, value in state.items():
            if isinstance(value, Mapping):
                for item in value.values():
                    _freeze(item)
            _freeze(value)
            object.__setattr__(self, name, value)

    # --- parts, for the engine -------------------------------------------------------------

    def parts(self) -> list[tuple[Part, npt.NDArray[np.bool_] | None]]:
        """(part, its companies that are replaced or removed, None when none are) to search."""
        out: list[tuple[Part, npt.NDArray[np.bool_] | None]] = [(self.base, self.base_removed)]
        if self.delta is not None:
            out.append((self.delta, None))
        return out

    def _locate_site(self, site_id: str) -> tuple[Part, int]:
        if self.delta is not None:
            j = self.delta.find_site(site_id)
            if j >= 0:
                return self.delta, j
        j = self.base.find_site(site_id)
        if j >= 0 and (
            self.base_removed is None or not self.base_removed[int(self.base.site_company[j])]
        ):
            return self.base, j
        raise KeyError(site_id)

    def _locate_company(self, company_id: str) -> tuple[Part, int]:
        if self.delta is not None:
            i = self.delta.find_company(company_id)
            if i >= 0:
                return self.delta, i
        i = self.base.find_company(company_id)
        if i >= 0 and (self.base_removed is None or not self.base_removed[i]):
            return self.base, i
        raise KeyError(company_id)

    # --- lookups (O(log n); not for the hot path) ------------------------------------------

    def site(self, site_id: str) -> SiteInfo:
        part, j = self._locate_site(site_id)
        return SiteInfo(
            site_id=site_id,
            company_id=part.company_ids.at(int(part.site_company[j])),
            lat=float(part.site_lat[j]),
            lon=float(part.site_lon[j]),
            service_radius_km=float(part.site_radius[j]),
        )

    def company(self, company_id: str) -> CompanyInfo:
        part, i = self._locate_company(company_id)
        return _company_info(part, i)

    def company_of_site(self, site_id: str) -> CompanyInfo:
        part, j = self._locate_site(site_id)
        return _company_info(part, int(part.site_company[j]))

    def offered_kinds(self, site_id: str) -> frozenset[str]:
        """Leaf kinds offered at this site."""
        part, j = self._locate_site(site_id)
        return frozenset(self.kind_codes[bit] for bit in part.kind_bits(j))

    # --- sizes -----------------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of sites."""
        n = self.base.n_sites - self.base_removed_sites
        return n + (0 if self.delta is None else self.delta.n_sites)

    @property
    def company_count(self) -> int:
        n = self.base.n_companies
        if self.base_removed is not None:
            n -= int(np.count_nonzero(self.base_removed))
        return n + (0 if self.delta is None else self.delta.n_companies)

    @property
    def delta_sites(self) -> int:
        """Sites in the delta part (0 right after a build or a fold)."""
        return 0 if self.delta is None else self.delta.n_sites

    @property
    def nbytes(self) -> int:
        """Bytes held in arrays (the Python objects around them add a few kilobytes)."""
        total = self.base.nbytes
        if self.base_removed is not None:
            total += self.base_removed.nbytes
        if self.delta is not None:
            total += self.delta.nbytes
        return total

    def __repr__(self) -> str:
        return (
            f"<Catalogue companies={self.company_count} sites={len(self)}"
            f" delta_sites={self.delta_sites}>"
        )


def _company_info(part: Part, i: int) -> CompanyInfo:
    return CompanyInfo(
        company_id=part.company_ids.at(i),
        active=bool(part.company_active[i]),
        certifications=part.cert_set(i),
        available_from=part.available_from(i),
    )
