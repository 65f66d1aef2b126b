"""The catalogue: every company and site matching looks at, as read-only numpy columns, built
whole from the flat columns the database gives (`CatalogueColumns`) and never changed.

Sites are sorted into latitude bands of BAND_DEG degrees and by longitude within a band, so a
search near a point reads only the slices within reach (`sites_near`). Ids are kept as UTF-8
bytes; their ranks in sorted order break ties.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from app.geo import EARTH_RADIUS_KM
from app.matching.procurement import NO_PSO, pso_rank
from app.matching.types import Taxonomy

BAND_DEG = 0.5
WORD_BITS = 64
NO_DATE = 0  # `available_from` None is day 0: before every real date ordinal (>= 1)
_KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CatalogueColumns:
    """Every row matching needs, one entry per table row. Positions link the tables: a site's
    `site_company` is its company's position in `company_ids`, and so on."""

    company_ids: Sequence[str]
    company_active: Sequence[bool]
    company_available: Sequence[int]  # date ordinals, NO_DATE (0) for none
    cert_company: Sequence[int]  # one entry per certification held: the company's position
    cert_code: Sequence[str]
    site_ids: Sequence[str]
    site_company: Sequence[int]
    site_lat: Sequence[float]
    site_lon: Sequence[float]
    site_radius_km: Sequence[float]
    cap_company: Sequence[int]
    cap_kind: Sequence[str]
    cap_workers: Sequence[int]
    cap_updated_at: Sequence[datetime | None]
    # A capability limited to some sites: (capability position, site position) pairs. Without
    # one, a capability counts at every site of its company.
    restrict_cap: Sequence[int] = ()
    restrict_site: Sequence[int] = ()
    # Procurement facts per company (left empty: none known for any company). PSO levels are
    # codes of app.matching.procurement.PSO_CODES; shares are percents; dates are ordinals.
    company_pso_level: Sequence[str | None] = ()
    company_pso_date: Sequence[int] = ()
    company_target_share: Sequence[float | None] = ()
    company_share_date: Sequence[int] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    taxonomy: Taxonomy
    kind_bit: dict[str, int]  # leaf kind -> its bit in the kind masks
    cert_row: dict[str, int]  # certification code -> its row in company_certs
    company_ids: npt.NDArray[np.bytes_]
    company_rank: npt.NDArray[np.int32]
    company_active: npt.NDArray[np.bool_]
    company_available: npt.NDArray[np.int32]  # date ordinal, NO_DATE for none
    company_certs: npt.NDArray[np.bool_]  # (certification codes, companies)
    company_pso: npt.NDArray[np.int8]  # rank on the PSO ladder, NO_PSO (-1) for none
    company_pso_date: npt.NDArray[np.int32]  # date ordinal, NO_DATE for none
    company_share: npt.NDArray[np.float64]  # target-group share in percent, NaN for none
    company_share_date: npt.NDArray[np.int32]  # date ordinal, NO_DATE for none
    site_ids: npt.NDArray[np.bytes_]
    site_rank: npt.NDArray[np.int32]
    site_company: npt.NDArray[np.int32]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_radius: npt.NDArray[np.float64]
    site_kinds: npt.NDArray[np.uint64]  # (mask words, sites)
    band_first: int  # the band of band_start[0]
    band_start: Ints  # sites of band band_first + i: band_start[i]:band_start[i + 1]
    offer_start: Ints  # offers of site i: offer_start[i]:offer_start[i + 1], by kind
    offer_kind: npt.NDArray[np.int16]
    offer_workers: npt.NDArray[np.int32]
    offer_updated: npt.NDArray[np.datetime64]  # UTC, NaT when unknown

    def __len__(self) -> int:
        return len(self.site_ids)

    @property
    def max_radius_km(self) -> float:
        return float(self.site_radius.max()) if len(self) else 0.0

    @classmethod
    def from_columns(cls, taxonomy: Taxonomy, columns: CatalogueColumns) -> Catalogue:
        kind_bit = {code: bit for bit, code in enumerate(taxonomy.kinds)}
        n_words = max(1, -(-len(kind_bit) // WORD_BITS))
        company_ids, company_rank = _ids(columns.company_ids, "company_id")
        n_companies = len(company_ids)
        cert_codes = sorted(set(columns.cert_code))
        cert_row = {code: row for row, code in enumerate(cert_codes)}
        company_certs = np.zeros((len(cert_codes), n_companies), dtype=np.bool_)
        rows = np.array([cert_row[c] for c in columns.cert_code], dtype=np.int64)
        company_certs[rows, _ints(columns.cert_company)] = True

        lat = np.asarray(columns.site_lat, dtype=np.float64)
        lon = np.asarray(columns.site_lon, dtype=np.float64)
        band = np.floor(lat / BAND_DEG).astype(np.int64)
        order = np.lexsort((lon, band))
        n_sites = len(order)
        band_first = int(band[order[0]]) if n_sites else 0
        band_start = np.searchsorted(
            band[order], np.arange(band_first, (band[order[-1]] + 2) if n_sites else 1)
        )
        site_ids, site_rank = _ids(columns.site_ids, "site_id")
        site_company = _ints(columns.site_company)
        position = np.empty(n_sites, dtype=np.int64)  # given site position -> sorted position
        position[order] = np.arange(n_sites)

        offer_site, offer_cap = _offers(columns, kind_bit, site_company, n_companies)
        cap_bit = np.array([kind_bit.get(k, -1) for k in columns.cap_kind], dtype=np.int64)
        workers = _ints(columns.cap_workers)
        offer_site = position[offer_site]
        kind = cap_bit[offer_cap]
        # Per (site, kind) the largest capacity counts; the first listed on a tie.
        by = np.lexsort((offer_cap, -workers[offer_cap], kind, offer_site))
        offer_site, offer_cap, kind = offer_site[by], offer_cap[by], kind[by]
        first = np.ones(len(by), dtype=np.bool_)
        first[1:] = (offer_site[1:] != offer_site[:-1]) | (kind[1:] != kind[:-1])
        offer_site, offer_cap, kind = offer_site[first], offer_cap[first], kind[first]

        site_kinds = np.zeros((n_words, n_sites), dtype=np.uint64)
        word_bit = np.left_shift(np.uint64(1), (kind % WORD_BITS).astype(np.uint64))
        for word in range(n_words):
            np.bitwise_or.at(site_kinds[word], offer_site, np.where(kind // WORD_BITS == word,
                                                                    word_bit, np.uint64(0)))
        updated = np.array(
            [None if d is None else _naive_utc(d) for d in columns.cap_updated_at],
            dtype="datetime64[us]",
        )
        catalogue = cls(
            taxonomy=taxonomy,
            kind_bit=kind_bit,
            cert_row=cert_row,
            company_ids=company_ids,
            company_rank=company_rank,
            company_active=np.asarray(columns.company_active, dtype=np.bool_),
            company_available=np.asarray(columns.company_available, dtype=np.int32),
            company_certs=company_certs,
            company_pso=np.array(
                [pso_rank(c) for c in columns.company_pso_level] or [NO_PSO] * n_companies,
                dtype=np.int8),
            company_pso_date=_dates(columns.company_pso_date, n_companies),
            company_share=np.array(
                [np.nan if s is None else s for s in columns.company_target_share]
                or [np.nan] * n_companies, dtype=np.float64),
            company_share_date=_dates(columns.company_share_date, n_companies),
            site_ids=site_ids[order],
            site_rank=site_rank[order],
            site_company=site_company[order].astype(np.int32),
            site_lat=lat[order],
            site_lon=lon[order],
            site_radius=np.asarray(columns.site_radius_km, dtype=np.float64)[order],
            site_kinds=site_kinds,
            band_first=band_first,
            band_start=band_start,
            offer_start=np.searchsorted(offer_site, np.arange(n_sites + 1)),
            offer_kind=kind.astype(np.int16),
            offer_workers=workers[offer_cap].astype(np.int32),
            offer_updated=updated[offer_cap],
        )
        for name in cls.__slots__:
            value = getattr(catalogue, name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        return catalogue

    def sites_near(self, lat: float, lon: float, reach_km: float) -> Ints:
        """Positions (increasing) of every site that can lie within `reach_km` of the point,
        and some beyond: the latitude bands within reach, narrowed to the longitudes within
        reach (the bounding box of the circle) by a binary search in each band."""
        reach_deg = reach_km / _KM_PER_DEG * (1 + 1e-9) + 1e-9
        first = max(0, math.floor((lat - reach_deg) / BAND_DEG) - self.band_first)
        last = min(len(self.band_start) - 2, math.floor((lat + reach_deg) / BAND_DEG)
                   - self.band_first)
        if first > last:
            return np.zeros(0, dtype=np.int64)
        start, end = self.band_start[first], self.band_start[last + 1]
        cos_lat = math.cos(math.radians(lat))
        ratio = math.sin(math.radians(reach_deg)) / cos_lat if cos_lat > 0 else 2.0
        if abs(lat) + reach_deg >= 90 or ratio >= 1:
            return np.arange(start, end)  # a pole within reach: whole bands
        lon_deg = math.degrees(math.asin(ratio)) * (1 + 1e-9) + 1e-9
        west, east = lon - lon_deg, lon + lon_deg
        ranges = []
        for band in range(first, last + 1):
            lo, hi = self.band_start[band], self.band_start[band + 1]
            lons = self.site_lon[lo:hi]
            if west < -180 or east > 180:  # across the antimeridian: the whole band
                ranges.append(np.arange(lo, hi))
                continue
            ranges.append(np.arange(lo + np.searchsorted(lons, west, "left"),
                                    lo + np.searchsorted(lons, east, "right")))
        return np.concatenate(ranges)


def _offers(
    columns: CatalogueColumns, kind_bit: dict[str, int], site_company: Ints, n_companies: int
) -> tuple[Ints, Ints]:
    """(site, capability) pairs: where each capability of a known leaf kind counts. A pair
    naming a site of another company (or none, -1) counts nowhere."""
    cap_company = _ints(columns.cap_company)
    known = np.array([k in kind_bit for k in columns.cap_kind], dtype=np.bool_)
    restrict_cap, restrict_site = _ints(columns.restrict_cap), _ints(columns.restrict_site)
    limited = np.zeros(len(cap_company), dtype=np.bool_)
    limited[restrict_cap] = True
    # Capabilities without a limit: every site of the company.
    free = np.flatnonzero(known & ~limited)
    by_company = np.argsort(site_company, kind="stable")
    counts = np.bincount(site_company, minlength=n_companies)
    starts = np.cumsum(counts) - counts
    n = counts[cap_company[free]]
    free_sites = by_company[spans(starts[cap_company[free]], n)]
    valid = restrict_site >= 0
    valid[valid] = site_company[restrict_site[valid]] == cap_company[restrict_cap[valid]]
    valid &= known[restrict_cap]
    return (
        np.concatenate([free_sites, restrict_site[valid]]),
        np.concatenate([np.repeat(free, n), restrict_cap[valid]]),
    )


def spans(starts: Ints, counts: Ints) -> Ints:
    """The positions starts[i] .. starts[i] + counts[i] - 1 for every i, concatenated."""
    offsets = np.cumsum(counts) - counts
    return np.arange(int(counts.sum())) + np.repeat(starts - offsets, counts)


def _ids(ids: Sequence[str], name: str) -> tuple[npt.NDArray[np.bytes_], npt.NDArray[np.int32]]:
    """Ids as a bytes array (UTF-8 sorts like the strings) and their ranks; unique."""
    array = np.array([i.encode() for i in ids], dtype=np.bytes_)
    if len(array) == 0:
        return array, np.zeros(0, dtype=np.int32)
    order = np.argsort(array, kind="stable")
    same = array[order][1:] == array[order][:-1]
    if same.any():
        raise ValueError(f"duplicate {name}: {array[order][1:][same][0].decode()}")
    ranks = np.empty(len(array), dtype=np.int32)
    ranks[order] = np.arange(len(array), dtype=np.int32)
    return array, ranks


def _dates(values: Sequence[int], n: int) -> npt.NDArray[np.int32]:
    return np.asarray(values or [NO_DATE] * n, dtype=np.int32)


def _ints(values: Sequence[int]) -> Ints:
    return np.asarray(values, dtype=np.int64)


def _naive_utc(moment: datetime) -> datetime:
    """numpy keeps naive datetimes: aware ones in UTC without the zone (naive ones as given)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
