"""Regions of the Netherlands and Belgium, offline: which province and municipality a postcode,
place or point lies in, and where each region's centre is.

From `app/geo/data/regions.tsv.gz` (one row per 4-digit postcode area: country, postcode,
province, municipality), built by `scripts/build_geodata.py` from GeoNames postal dumps
(CC BY 4.0, see docs/geodata.md). For Belgium the level below the province is the
arrondissement: the dump has no municipality column. A point belongs to the region of the
nearest postcode area of its country (or of either country when none is given).

Region ids are stable strings: the country code (`NL`), then the province
(`NL.noord-brabant`), then the municipality (`NL.noord-brabant.tilburg`); slugs are the
names' lookup keys with hyphens.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np

from app.geo.geocoder import (
    _postcodes,
    _read_tsv,
    geocode_place,
    normalise_country,
    normalise_place_name,
    normalise_postcode,
)

__all__ = [
    "REGIONS_FILE",
    "REGIONS_HEADER",
    "Region",
    "RegionInfo",
    "region_of_place",
    "region_of_point",
    "region_of_postcode",
    "regions",
]

REGIONS_FILE = "regions.tsv.gz"
REGIONS_HEADER = ("country", "postcode", "province", "municipality")

RegionLevel = Literal["country", "province", "municipality"]
COUNTRY_NAMES = {"NL": "Nederland", "BE": "België"}
# A point farther than this from every postcode area's centre lies outside NL and BE.
MAX_POINT_KM = 30.0


def _slug(name: str) -> str:
    return normalise_place_name(name).replace(" ", "-")


@dataclass(frozen=True, slots=True)
class Region:
    """Where something lies: country, province and municipality (arrondissement in BE)."""

    country: str
    province: str
    municipality: str

    @property
    def province_id(self) -> str:
        return f"{self.country}.{_slug(self.province)}"

    @property
    def municipality_id(self) -> str:
        return f"{self.province_id}.{_slug(self.municipality)}"


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """One region: id, level, display name, parent region id and centre (mean of the centres of
    its postcode areas)."""

    id: str
    level: RegionLevel
    country: str
    name: str
    parent: str | None
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Tables:
    by_postcode: dict[tuple[str, str], Region]
    infos: dict[str, RegionInfo]
    lat: np.ndarray
    lon: np.ndarray
    countries: np.ndarray
    order: tuple[Region, ...]


@functools.cache
def _tables() -> _Tables:
    points = _postcodes()
    by_postcode: dict[tuple[str, str], Region] = {}
    spots: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    lats: list[float] = []
    lons: list[float] = []
    countries: list[str] = []
    order: list[Region] = []
    for country, postcode, province, municipality in _read_tsv(REGIONS_FILE, REGIONS_HEADER):
        region = Region(country, province, municipality)
        by_postcode[(country, postcode)] = region
        point = points.get((country, postcode))
        if point is None:
            continue
        for key in ((country, "", ""), (country, province, ""), (country, province, municipality)):
            spots[key].append((point.lat, point.lon))
        lats.append(point.lat)
        lons.append(point.lon)
        countries.append(country)
        order.append(region)
    infos: dict[str, RegionInfo] = {}
    for (country, province, municipality), where in sorted(spots.items()):
        lat = float(np.mean([p[0] for p in where]))
        lon = float(np.mean([p[1] for p in where]))
        info: RegionInfo
        if not province:
            info = RegionInfo(country, "country", country, COUNTRY_NAMES[country], None, lat, lon)
        elif not municipality:
            pid = f"{country}.{_slug(province)}"
            info = RegionInfo(pid, "province", country, province, country, lat, lon)
        else:
            r = Region(country, province, municipality)
            info = RegionInfo(
                r.municipality_id, "municipality", country, municipality, r.province_id, lat, lon
            )
        infos[info.id] = info
    return _Tables(
        by_postcode,
        infos,
        np.radians(np.array(lats)),
        np.radians(np.array(lons)),
        np.array(countries),
        tuple(order),
    )


def regions() -> dict[str, RegionInfo]:
    """Every country, province and municipality, by id."""
    return _tables().infos


def region_of_postcode(country: str, postcode: str) -> Region | None:
    code = normalise_country(country)
    area = normalise_postcode(country, postcode)
    if code is None or area is None:
        return None
    return _tables().by_postcode.get((code, area))


def region_of_point(lat: float, lon: float, country: str | None = None) -> Region | None:
    """The region of the nearest postcode area (of `country` when given), or None when the
    point lies farther than MAX_POINT_KM from every one."""
    t = _tables()
    la, lo = np.radians(lat), np.radians(lon)
    # Equirectangular distance: exact enough for picking the nearest of nearby centres.
    dx = (t.lon - lo) * np.cos((t.lat + la) / 2)
    dy = t.lat - la
    d2 = dx * dx + dy * dy
    code = normalise_country(country) if country else None
    if country and code is None:
        return None
    if code is not None:
        d2 = np.where(t.countries == code, d2, np.inf)
    i = int(np.argmin(d2))
    if not np.isfinite(d2[i]) or float(np.sqrt(d2[i])) * 6371.0 > MAX_POINT_KM:
        return None
    return t.order[i]


def region_of_place(country: str | None, place: str) -> Region | None:
    point = geocode_place(country, place)
    if point is None:
        return None
    return region_of_point(point.lat, point.lon, country)


def preload() -> None:
    _tables()
