"""Column form of companies, sites and capabilities: the input of a catalogue part.

`Columns` is the normalised, validated form that `Catalogue` indexes. It is made either from
`CompanyRecord`s (`columns_from_records`, one Python loop over small inputs) or from numpy
arrays (`columns_from_arrays`, vectorised, for bulk loads; its contract is documented on
`Catalogue.from_columns`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import numpy.typing as npt

from app.matching.ids import IdColumn
from app.matching.types import CompanyRecord, Taxonomy

WORD_BITS = 64
NO_DATE = 0  # `available_from` None is stored as day 0: before every real date ordinal (>= 1)
NO_TIME = int(np.iinfo(np.int64).min)  # `capacity_updated_at` None
NAIVE = int(np.iinfo(np.int32).min)  # offset of a naive `capacity_updated_at`
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_INT32 = np.iinfo(np.int32)

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True, eq=False)
class Columns:
    """Normalised columns. Invariants (established by the `columns_from_*` functions):

    - companies: unique ids; `company_certs` is (cert words, companies), bit i = cert_codes[i]
      with `cert_codes` sorted;
    - sites: unique ids; `site_company` indexes the companies;
    - capabilities: only known leaf kinds (`cap_kind` = bit number = position in
      `taxonomy.kinds`); rows sorted by company, in listed order within a company;
    - restrictions: (cap row, site row) pairs of restricted capabilities, the site belonging to
      the capability's company, no duplicates.
    """

    company_ids: IdColumn
    company_active: BoolArray
    company_available: npt.NDArray[np.int32]  # date ordinal, NO_DATE when None
    cert_codes: tuple[str, ...]
    company_certs: npt.NDArray[np.uint64]  # (cert words, n_companies)
    site_ids: IdColumn
    site_company: npt.NDArray[np.int32]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_radius: npt.NDArray[np.floating]  # float32 when that holds every value exactly
    cap_company: npt.NDArray[np.int32]
    cap_kind: npt.NDArray[np.int16]
    cap_workers: npt.NDArray[np.int32]
    cap_updated: npt.NDArray[np.int64]  # microseconds since 1970 (UTC if aware); NO_TIME
    cap_offset: npt.NDArray[np.int32]  # seconds east of UTC; NAIVE for a naive datetime
    cap_restricted: BoolArray
    restrict_cap: npt.NDArray[np.int32]
    restrict_site: npt.NDArray[np.int32]

    @property
    def n_companies(self) -> int:
        return len(self.company_ids)

    @property
    def n_sites(self) -> int:
        return len(self.site_ids)


# --- from records --------------------------------------------------------------------------


def columns_from_records(records: Iterable[CompanyRecord], taxonomy: Taxonomy) -> Columns:
    comps = tuple(records)
    kind_bit = {code: i for i, code in enumerate(taxonomy.kinds)}
    company_seen: set[str] = set()
    site_row: dict[str, int] = {}
    site_ids: list[str] = []
    site_company: list[int] = []
    lat: list[float] = []
    lon: list[float] = []
    radius: list[float] = []
    cap_company: list[int] = []
    cap_kind: list[int] = []
    cap_workers: list[int] = []
    cap_updated: list[int] = []
    cap_offset: list[int] = []
    cap_restricted: list[bool] = []
    restrict_cap: list[int] = []
    restrict_site: list[int] = []
    cert_pairs: list[tuple[int, str]] = []
    for ci, comp in enumerate(comps):
        if comp.company_id in company_seen:
            raise ValueError(f"duplicate company_id: {comp.company_id}")
        company_seen.add(comp.company_id)
        cert_pairs.extend((ci, cert) for cert in comp.certifications)
        own: dict[str, int] = {}
        for s in comp.sites:
            if s.site_id in site_row:
                raise ValueError(f"duplicate site_id: {s.site_id}")
            site_row[s.site_id] = own[s.site_id] = len(site_ids)
            site_ids.append(s.site_id)
            site_company.append(ci)
            lat.append(s.lat)
            lon.append(s.lon)
            radius.append(s.service_radius_km)
        for cap in comp.capabilities:
            bit = kind_bit.get(cap.work_kind)
            if bit is None:  # a group or an unknown code counts nowhere
                continue
            row = len(cap_kind)
            cap_company.append(ci)
            cap_kind.append(bit)
            cap_workers.append(cap.capacity_workers)
            micros, offset = encode_datetime(cap.capacity_updated_at)
            cap_updated.append(micros)
            cap_offset.append(offset)
            cap_restricted.append(cap.site_ids is not None)
            if cap.site_ids is not None:
                for sid in dict.fromkeys(cap.site_ids):
                    si = own.get(sid)
                    if si is not None:
                        restrict_cap.append(row)
                        restrict_site.append(si)
    cert_codes = tuple(sorted({code for _, code in cert_pairs}))
    return Columns(
        company_ids=IdColumn.from_values([c.company_id for c in comps]),
        company_active=np.array([c.active for c in comps], dtype=np.bool_),
        company_available=_int32(
            [NO_DATE if c.available_from is None else c.available_from.toordinal() for c in comps],
            "available_from",
        ),
        cert_codes=cert_codes,
        company_certs=_cert_words(
            len(comps),
            cert_codes,
            np.array([ci for ci, _ in cert_pairs], dtype=np.intp),
            np.array([cert_codes.index(code) for _, code in cert_pairs], dtype=np.intp),
        ),
        site_ids=IdColumn.from_values(site_ids),
        site_company=np.array(site_company, dtype=np.int32),
        site_lat=np.array(lat, dtype=np.float64),
        site_lon=np.array(lon, dtype=np.float64),
        site_radius=_compact_float(np.array(radius, dtype=np.float64)),
        cap_company=np.array(cap_company, dtype=np.int32),
        cap_kind=np.array(cap_kind, dtype=np.int16),
        cap_workers=_int32(cap_workers, "capacity_workers"),
        cap_updated=np.array(cap_updated, dtype=np.int64),
        cap_offset=np.array(cap_offset, dtype=np.int32),
        cap_restricted=np.array(cap_restricted, dtype=np.bool_),
        restrict_cap=np.array(restrict_cap, dtype=np.int32),
        restrict_site=np.array(restrict_site, dtype=np.int32),
    )


def encode_datetime(value: datetime | None) -> tuple[int, int]:
    """(microseconds since 1970, offset seconds or NAIVE); (NO_TIME, NAIVE) for None."""
    if value is None:
        return NO_TIME, NAIVE
    offset = value.utcoffset()
    if offset is None:
        return (value - _EPOCH) // _MICRO, NAIVE
    return (value - _EPOCH_UTC) // _MICRO, int(offset.total_seconds())


def decode_datetime(micros: int, offset: int) -> datetime | None:
    if micros == NO_TIME:
        return None
    if offset == NAIVE:
        return _EPOCH + timedelta(microseconds=micros)
    instant = _EPOCH_UTC + timedelta(microseconds=micros)
    return instant if offset == 0 else instant.astimezone(timezone(timedelta(seconds=offset)))


# --- from arrays ---------------------------------------------------------------------------


def columns_from_arrays(
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
) -> Columns:
    comp_ids = IdColumn.from_values(company_ids)
    n_c = len(comp_ids)
    active = _vector(company_active, n_c, "company_active").astype(np.bool_)
    available = _days(_vector(company_available_from, n_c, "company_available_from"))

    cert_c = _index(cert_company, n_c, "cert_company")
    codes = np.asarray(cert_code)
    if codes.dtype.kind in "iu":  # positions in cert_vocabulary
        if cert_vocabulary is None:
            raise ValueError("integer cert_code needs cert_vocabulary")
        vocabulary = sorted(set(cert_vocabulary))
        remap = np.array([vocabulary.index(c) for c in cert_vocabulary], dtype=np.intp)
        cert_i = remap[_index(codes, len(cert_vocabulary), "cert_code")]
    else:
        vocabulary, cert_i = factorize(cert_code)
    if cert_i.size != cert_c.size:
        raise ValueError("cert_company and cert_code differ in length")
    cert_codes = tuple(vocabulary)

    s_ids = IdColumn.from_values(site_ids)
    n_s = len(s_ids)
    s_comp = _index(site_company, n_c, "site_company", n_s)
    lat = _vector(site_lat, n_s, "site_lat").astype(np.float64)
    lon = _vector(site_lon, n_s, "site_lon").astype(np.float64)
    radius = _compact_float(_vector(site_radius_km, n_s, "site_radius_km").astype(np.float64))

    p_comp = _index(cap_company, n_c, "cap_company")
    n_p = p_comp.size
    kinds = np.asarray(cap_kind)
    if kinds.dtype.kind in "iu":  # positions in taxonomy.kinds
        if kinds.shape != (n_p,):
            raise ValueError("cap_kind must have one entry per capability")
        bits = np.where((kinds >= 0) & (kinds < len(taxonomy.kinds)), kinds, -1).astype(np.int64)
    else:
        vocabulary, found = factorize(cap_kind)
        if found.size != n_p:
            raise ValueError("cap_kind must have one entry per capability")
        known = {code: i for i, code in enumerate(taxonomy.kinds)}
        bits = np.array([known.get(v, -1) for v in vocabulary], np.int64)[found]
    workers = _int32(_vector(cap_workers, n_p, "cap_workers"), "cap_workers")
    if cap_updated_at is None:
        updated = np.full(n_p, NO_TIME, dtype=np.int64)
    else:
        stamps = np.asarray(cap_updated_at)
        if stamps.dtype.kind != "M" or stamps.shape != (n_p,):
            raise ValueError("cap_updated_at must be a datetime64 array, one per capability")
        updated = stamps.astype("datetime64[us]").astype(np.int64)  # NaT -> int64 min
    offset = np.where(updated == NO_TIME, NAIVE, 0).astype(np.int32)

    r_cap = _index(restrict_cap if restrict_cap is not None else [], n_p, "restrict_cap")
    r_site = _index(
        restrict_site if restrict_site is not None else [], n_s, "restrict_site", r_cap.size
    )
    if cap_restricted is None:
        restricted = np.zeros(n_p, dtype=np.bool_)
        restricted[r_cap] = True
    else:
        restricted = _vector(cap_restricted, n_p, "cap_restricted").astype(np.bool_)

    # Keep known leaf kinds only, rows grouped by company in listed order.
    keep = np.flatnonzero(bits >= 0)
    owners = p_comp[keep]
    if owners.size > 1 and np.any(owners[1:] < owners[:-1]):
        keep = keep[np.argsort(owners, kind="stable")]
    new_row = np.full(n_p, -1, dtype=np.int64)
    new_row[keep] = np.arange(keep.size)
    return _finish(
        Columns(
            company_ids=comp_ids,
            company_active=active,
            company_available=available,
            cert_codes=cert_codes,
            company_certs=_cert_words(n_c, cert_codes, cert_c, cert_i),
            site_ids=s_ids,
            site_company=s_comp.astype(np.int32),
            site_lat=lat,
            site_lon=lon,
            site_radius=radius,
            cap_company=p_comp[keep].astype(np.int32),
            cap_kind=bits[keep].astype(np.int16),
            cap_workers=workers[keep],
            cap_updated=updated[keep],
            cap_offset=offset[keep],
            cap_restricted=restricted[keep],
            restrict_cap=new_row[r_cap].astype(np.int32),
            restrict_site=r_site.astype(np.int32),
        ),
        check_ids=False,  # Part checks, once it has sorted the ids
    )


def _finish(cols: Columns, check_ids: bool) -> Columns:
    """Drop restriction pairs that cannot count; optionally check that ids are unique."""
    r_cap = cols.restrict_cap.astype(np.int64)
    r_site = cols.restrict_site.astype(np.int64)
    ok = r_cap >= 0
    ok[ok] &= cols.cap_restricted[r_cap[ok]]
    ok[ok] &= cols.site_company[r_site[ok]] == cols.cap_company[r_cap[ok]]
    pairs = np.sort(r_cap[ok] * max(1, cols.n_sites) + r_site[ok])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if pairs.size else pairs
    if check_ids:
        for name, column in (("company_id", cols.company_ids), ("site_id", cols.site_ids)):
            duplicate = first_duplicate(column)
            if duplicate is not None:
                raise ValueError(f"duplicate {name}: {duplicate}")
    return dataclasses.replace(
        cols,
        restrict_cap=(pairs // max(1, cols.n_sites)).astype(np.int32),
        restrict_site=(pairs % max(1, cols.n_sites)).astype(np.int32),
    )


def first_duplicate(column: IdColumn, order: IntArray | None = None) -> str | None:
    if len(column) < 2:
        return None
    if order is None:
        order = column.order()
    ordered = column.data[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    return None if same.size == 0 else column.at(int(order[same[0]]))


# --- combining -----------------------------------------------------------------------------


def concat_columns(parts: Sequence[Columns]) -> Columns:
    """One column set from several with disjoint companies (ids are checked by the caller)."""
    if len(parts) == 1:
        return parts[0]
    cert_codes = tuple(sorted({code for p in parts for code in p.cert_codes}))
    certs = []
    for p in parts:
        cert_c, cert_i = cert_pairs(p)
        remap = np.array([cert_codes.index(c) for c in p.cert_codes], dtype=np.intp)
        certs.append(_cert_words(p.n_companies, cert_codes, cert_c, remap[cert_i]))
    c_off = np.cumsum([0] + [p.n_companies for p in parts])
    s_off = np.cumsum([0] + [p.n_sites for p in parts])
    p_off = np.cumsum([0] + [p.cap_company.size for p in parts])
    return Columns(
        company_ids=IdColumn.concat([p.company_ids for p in parts]),
        company_active=np.concatenate([p.company_active for p in parts]),
        company_available=np.concatenate([p.company_available for p in parts]),
        cert_codes=cert_codes,
        company_certs=np.concatenate(certs, axis=1),
        site_ids=IdColumn.concat([p.site_ids for p in parts]),
        site_company=np.concatenate(
            [p.site_company + np.int32(o) for p, o in zip(parts, c_off, strict=False)]
        ),
        site_lat=np.concatenate([p.site_lat for p in parts]),
        site_lon=np.concatenate([p.site_lon for p in parts]),
        site_radius=_compact_float(
            np.concatenate([p.site_radius.astype(np.float64) for p in parts])
        ),
        cap_company=np.concatenate(
            [p.cap_company + np.int32(o) for p, o in zip(parts, c_off, strict=False)]
        ),
        cap_kind=np.concatenate([p.cap_kind for p in parts]),
        cap_workers=np.concatenate([p.cap_workers for p in parts]),
        cap_updated=np.concatenate([p.cap_updated for p in parts]),
        cap_offset=np.concatenate([p.cap_offset for p in parts]),
        cap_restricted=np.concatenate([p.cap_restricted for p in parts]),
        restrict_cap=np.concatenate(
            [p.restrict_cap + np.int32(o) for p, o in zip(parts, p_off, strict=False)]
        ),
        restrict_site=np.concatenate(
            [p.restrict_site + np.int32(o) for p, o in zip(parts, s_off, strict=False)]
        ),
    )


def select_companies(cols: Columns, keep: BoolArray) -> Columns:
    """The columns of the companies where `keep` is True (with their sites and capabilities)."""
    if bool(keep.all()):
        return cols
    new_company = np.cumsum(keep, dtype=np.int64) - 1
    sites = np.flatnonzero(keep[cols.site_company])
    caps = np.flatnonzero(keep[cols.cap_company])
    new_site = np.full(cols.n_sites, -1, dtype=np.int64)
    new_site[sites] = np.arange(sites.size)
    new_cap = np.full(cols.cap_company.size, -1, dtype=np.int64)
    new_cap[caps] = np.arange(caps.size)
    pairs = new_cap[cols.restrict_cap] >= 0
    return Columns(
        company_ids=cols.company_ids.take(np.flatnonzero(keep)),
        company_active=cols.company_active[keep],
        company_available=cols.company_available[keep],
        cert_codes=cols.cert_codes,
        company_certs=cols.company_certs[:, keep],
        site_ids=cols.site_ids.take(sites),
        site_company=new_company[cols.site_company[sites]].astype(np.int32),
        site_lat=cols.site_lat[sites],
        site_lon=cols.site_lon[sites],
        site_radius=cols.site_radius[sites],
        cap_company=new_company[cols.cap_company[caps]].astype(np.int32),
        cap_kind=cols.cap_kind[caps],
        cap_workers=cols.cap_workers[caps],
        cap_updated=cols.cap_updated[caps],
        cap_offset=cols.cap_offset[caps],
        cap_restricted=cols.cap_restricted[caps],
        restrict_cap=new_cap[cols.restrict_cap[pairs]].astype(np.int32),
        restrict_site=new_site[cols.restrict_site[pairs]].astype(np.int32),
    )


def cert_pairs(cols: Columns) -> tuple[IntArray, IntArray]:
    """(company, cert code position) for every certification held."""
    companies: list[IntArray] = []
    codes: list[IntArray] = []
    for i in range(len(cols.cert_codes)):
        held = np.flatnonzero(
            (cols.company_certs[i // WORD_BITS] >> np.uint64(i % WORD_BITS)) & np.uint64(1)
        )
        companies.append(held)
        codes.append(np.full(held.size, i, dtype=np.intp))
    if not companies:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(companies), np.concatenate(codes)


# --- helpers -------------------------------------------------------------------------------


def factorize(values: npt.ArrayLike | Sequence[str]) -> tuple[list[str], IntArray]:
    """(sorted distinct values, position of each value among them) for a string column with
    few distinct values (kind and certification codes). A dict lookup per value: far cheaper
    than sorting or hashing wide numpy string arrays."""
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)  # type: ignore[arg-type]
    seen: dict[str, int] = {}
    first = np.fromiter((seen.setdefault(str(v), len(seen)) for v in items), np.intp, len(items))
    vocabulary = sorted(seen)
    remap = np.array([vocabulary.index(v) for v in seen], dtype=np.intp)
    return vocabulary, remap[first] if first.size else first


def _cert_words(
    n_companies: int, cert_codes: Sequence[str], company: IntArray, code: IntArray
) -> npt.NDArray[np.uint64]:
    n_words = max(1, -(-len(cert_codes) // WORD_BITS))
    words = np.zeros((n_words, n_companies), dtype=np.uint64)
    code = np.asarray(code, dtype=np.int64)
    for w in range(n_words):
        sel = code // WORD_BITS == w
        np.bitwise_or.at(
            words[w],
            np.asarray(company, dtype=np.intp)[sel],
            np.left_shift(np.uint64(1), (code[sel] % WORD_BITS).astype(np.uint64)),
        )
    return words


def _compact_float(values: npt.NDArray[np.float64]) -> npt.NDArray[np.floating]:
    narrow = values.astype(np.float32)
    with np.errstate(invalid="ignore"):
        same = np.array_equal(narrow.astype(np.float64), values, equal_nan=True)
    return narrow if same else values


def _int32(values: npt.ArrayLike, name: str) -> npt.NDArray[np.int32]:
    wide = np.asarray(values, dtype=np.int64).reshape(-1)
    if wide.size and (wide.min() < _INT32.min or wide.max() > _INT32.max):
        raise ValueError(f"{name} out of range")
    return wide.astype(np.int32)


def _vector(values: npt.ArrayLike, n: int, name: str) -> npt.NDArray[np.generic]:
    array = np.asarray(values)
    if array.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), not {array.shape}")
    return array


def _index(values: npt.ArrayLike, bound: int, name: str, n: int | None = None) -> IntArray:
    array = np.asarray(values)
    if array.size == 0:
        array = array.reshape(0).astype(np.intp)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D integer array")
    if n is not None and array.size != n:
        raise ValueError(f"{name} must have {n} entries, not {array.size}")
    if array.size and (array.min() < 0 or array.max() >= bound):
        raise ValueError(f"{name} has an index out of range")
    return array.astype(np.intp)


def _days(values: npt.NDArray[np.generic]) -> npt.NDArray[np.int32]:
    if values.dtype.kind == "M":
        raw = values.astype("datetime64[D]")
        days = raw.astype(np.int64) + EPOCH_ORDINAL
        return np.where(np.isnat(raw), NO_DATE, days).astype(np.int32)
    return _int32(values, "company_available_from")
