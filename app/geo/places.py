"""Where a person means: a postcode or place name, with or without its country, resolved to
one place, said out loud, never silently swapped for another.

- The country may be left out: a postcode's shape tells it (`1234 AB` and `NL-1234` are Dutch,
  `B-1234` Belgian; a bare `1234` is whichever country has it), a place name is looked up in
  both countries.
- A name that is an official name in both countries ("Hasselt"), or a near-miss that fits
  several places ("Gentt": Gent or Gendt) is `AmbiguousLocation`, with the alternatives.
- A name that is only an alternate name in the asked country, while it is the official name of
  a place elsewhere ("Gent" asked in NL, where GeoNames lists it for Gendt) is ambiguous too.
- A place asked in the wrong country ("Antwerpen" in NL) is `WrongCountry`, naming where it is.
- A near-miss spelling of one place ("Amsterdm") is corrected, and the result says so
  (`matched="corrected"`), as does an alternate name ("Den Bosch" -> 's-Hertogenbosch).

Pure Python over the tables of `app.geo.geocoder`; see docs/geodata.md.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.geo.distance import haversine_km_array
from app.geo.geocoder import (
    SUPPORTED_COUNTRIES,
    TIER_NAME,
    UnknownLocation,
    _Place,
    _places,
    _postcodes,
    be_bilingual_keys,
    normalise_country,
    normalise_place_name,
    normalise_postcode,
)

__all__ = [
    "AmbiguousLocation",
    "PlaceOption",
    "Resolved",
    "WrongCountry",
    "complete_places",
    "nearest_country",
    "resolve",
]

Matched = Literal["exact", "corrected"]
MAX_ALTERNATIVES = 5
# Near-miss spellings: at most this many edits, and only for names this long.
MIN_FUZZY_LENGTH = 4
LONG_NAME = 7  # from this length two edits are forgiven, below it one


@dataclass(frozen=True, slots=True)
class PlaceOption:
    """One place a text could mean (an alternative, or a completion)."""

    place: str
    country: str
    lat: float
    lon: float
    postcode: str | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class Resolved:
    place: str | None
    postcode: str | None
    country: str | None
    lat: float
    lon: float
    matched: Matched
    near_miss: bool = False  # corrected from a misspelling, not from another name of it


class AmbiguousLocation(ValueError):
    """The text fits more than one place: the caller must choose."""

    def __init__(self, kind: str, value: str, alternatives: tuple[PlaceOption, ...]) -> None:
        self.kind, self.value, self.alternatives = kind, value, alternatives
        names = ", ".join(f"{a.place} ({a.country})" for a in alternatives)
        super().__init__(f"{kind} {value!r} can be: {names}")

    def __reduce__(self) -> tuple[type[AmbiguousLocation], tuple[str, str, tuple[PlaceOption, ...]]]:  # noqa: E501
        return (type(self), (self.kind, self.value, self.alternatives))


class WrongCountry(UnknownLocation):
    """Not in the asked country, but exactly this name or postcode exists in another."""

    def __init__(
        self, kind: Literal["postcode", "place"], value: str, country: str | None,
        alternatives: tuple[PlaceOption, ...] = (),
    ) -> None:
        super().__init__(kind, value, country)
        self.alternatives = alternatives

    def __reduce__(self) -> tuple[type[WrongCountry], tuple[str, str, str | None, tuple[PlaceOption, ...]]]:  # type: ignore[override]  # noqa: E501
        return (type(self), (self.kind, self.value, self.country, self.alternatives))


# --------------------------------------------------------------------------- resolving


def resolve(
    *, postcode: str | None = None, place: str | None = None, country: str | None = None
) -> Resolved:
    """Resolve exactly one of `postcode` or `place`; `country` (NL, BE) is optional.

    Raises UnknownLocation (kind "country" for an unsupported country), WrongCountry or
    AmbiguousLocation."""
    if (postcode is None) == (place is None):
        raise ValueError("pass exactly one of postcode= or place=")
    countries = sorted(SUPPORTED_COUNTRIES)
    if country is not None:
        code = normalise_country(country)
        if code is None:
            raise UnknownLocation("country", country, None)  # type: ignore[arg-type]
        countries = [code]
    if postcode is not None:
        return _resolve_postcode(postcode, countries, asked=country is not None)
    assert place is not None
    return _resolve_place(place, countries, asked=country is not None)


def _postcode_option(country: str, postcode: str) -> PlaceOption | None:
    area = normalise_postcode(country, postcode)
    point = _postcodes().get((country, area)) if area else None
    if point is None or area is None:
        return None
    return PlaceOption(place=point.label.partition(" ")[2], country=country, lat=point.lat,
                       lon=point.lon, postcode=_display_postcode(country, postcode, area))


_NL_LETTERS = re.compile(r"[1-9][0-9]{3}\s*([A-Z]{2})$")


def _display_postcode(country: str, postcode: str, area: str) -> str:
    letters = _NL_LETTERS.search(postcode.strip().upper()) if country == "NL" else None
    return f"{area} {letters.group(1)}" if letters else area


def _resolve_postcode(postcode: str, countries: list[str], *, asked: bool) -> Resolved:
    found = [o for c in countries if (o := _postcode_option(c, postcode)) is not None]
    if len(found) == 1:
        return _resolved(found[0], "exact")
    if len(found) > 1:
        raise AmbiguousLocation("postcode", postcode, tuple(found))
    if asked:
        elsewhere = tuple(
            o for c in sorted(SUPPORTED_COUNTRIES - set(countries))
            if (o := _postcode_option(c, postcode)) is not None
        )
        if elsewhere:
            raise WrongCountry("postcode", postcode, countries[0], elsewhere)
    raise UnknownLocation("postcode", postcode, countries[0] if asked else None)


def _option(country: str, place: _Place) -> PlaceOption:
    p = place.point
    return PlaceOption(place=p.label, country=country, lat=p.lat, lon=p.lon,
                       population=place.population)


def _ranked(options: list[tuple[str, _Place]]) -> tuple[PlaceOption, ...]:
    """Distinct places, official names and larger places first."""
    seen: dict[tuple[str, str], tuple[tuple[int, int, str], PlaceOption]] = {}
    for country, found in options:
        rank = (found.tier, -found.population, country)
        key = (country, found.point.label)
        if key not in seen or rank < seen[key][0]:
            seen[key] = (rank, _option(country, found))
    return tuple(o for _, o in sorted(seen.values(), key=lambda item: item[0]))


def _resolve_place(text: str, countries: list[str], *, asked: bool) -> Resolved:
    key = normalise_place_name(text)
    if not key:
        raise UnknownLocation("place", text, countries[0] if asked else None)
    places = _places()
    exact = {c: f for c in sorted(SUPPORTED_COUNTRIES) if (f := places.get((c, key)))}
    hits = [(c, exact[c]) for c in countries if c in exact]
    official = [(c, f) for c, f in exact.items() if f.tier == TIER_NAME]
    if hits:
        # Asked in Belgium, a place's Dutch or French name is its own (Bergen is Mons there).
        own = be_bilingual_keys() if asked else frozenset()
        named = [(c, f) for c, f in hits
                 if f.tier == TIER_NAME or (c == "BE" and key in own)]
        if len(named) == 1 and not (len(official) > 1 and not asked):
            return _place_result(*named[0], key)
        if len(named) > 1:
            raise AmbiguousLocation("place", text, _ranked(named))
        # Only alternate names where asked: an official name elsewhere makes it ambiguous.
        if official:
            raise AmbiguousLocation("place", text, _ranked([*official, *hits]))
        if len(hits) == 1:
            return _place_result(*hits[0], key)
        raise AmbiguousLocation("place", text, _ranked(hits))
    if asked and exact:
        raise WrongCountry("place", text, countries[0], _ranked(list(exact.items())))
    near = _near_misses(key, countries)
    if len(near) == 1:
        option = near[0]
        return Resolved(place=option.place, postcode=None, country=option.country,
                        lat=option.lat, lon=option.lon, matched="corrected", near_miss=True)
    if near:
        raise AmbiguousLocation("place", text, near[:MAX_ALTERNATIVES])
    raise UnknownLocation("place", text, countries[0] if asked else None)


def _place_result(country: str, found: _Place, key: str) -> Resolved:
    same = normalise_place_name(found.point.label) == key
    return _resolved(_option(country, found), "exact" if same else "corrected")


def _resolved(option: PlaceOption, matched: Matched) -> Resolved:
    return Resolved(place=option.place, postcode=option.postcode, country=option.country,
                    lat=option.lat, lon=option.lon, matched=matched)


# --------------------------------------------------------------------------- near misses


@functools.cache
def _entries() -> tuple[tuple[str, str, _Place], ...]:
    """(key, country, place) for every name, sorted by key: for prefixes and near misses."""
    return tuple(sorted(((key, c, p) for (c, key), p in _places().items()),
                        key=lambda e: (e[0], e[1])))


@functools.cache
def _keys() -> tuple[str, ...]:
    return tuple(e[0] for e in _entries())


@functools.cache
def _deletions() -> dict[str, list[int]]:
    """Symmetric-delete index: each key and each key with one character left out, to the
    entries having it. Two texts one edit (or one swap) apart share a variant."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, (key, _, _) in enumerate(_entries()):
        index[key].append(i)
        for j in range(len(key)):
            index[key[:j] + key[j + 1 :]].append(i)
    return dict(index)


def _variants(key: str) -> set[str]:
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _near_misses(key: str, countries: list[str]) -> tuple[PlaceOption, ...]:
    """The places nearest in spelling (fewest edits), when within the forgiven edits."""
    if len(key) < MIN_FUZZY_LENGTH:
        return ()
    limit = 2 if len(key) >= LONG_NAME else 1
    entries, index = _entries(), _deletions()
    found: dict[int, int] = {}
    for variant in _variants(key):
        for i in index.get(variant, ()):
            if i not in found and entries[i][1] in countries:
                found[i] = _edits(key, entries[i][0])
    within = {i: d for i, d in found.items() if d <= limit}
    if not within:
        return ()
    best = min(within.values())
    return _ranked([(entries[i][1], entries[i][2]) for i, d in within.items() if d == best])


# --------------------------------------------------------------------------- completion

_POSTCODE_START = re.compile(r"(?:NL|BE?)?[-\s]?([1-9][0-9]{0,3})\s*[A-Z]{0,2}", re.IGNORECASE)


def complete_places(
    text: str, *, limit: int = 8, country: str | None = None
) -> list[PlaceOption]:
    """Places whose name (or postcode) starts with `text`: the exact name first, then official
    names before alternate ones, larger places first."""
    countries = sorted(SUPPORTED_COUNTRIES) if country is None else [country]
    digits = _POSTCODE_START.fullmatch(text.strip())
    if digits:
        return _complete_postcodes(digits.group(1), countries, limit)
    key = normalise_place_name(text)
    if not key:
        return []
    entries, keys = _entries(), _keys()
    start = bisect.bisect_left(keys, key)
    stop = bisect.bisect_left(keys, key + "\uffff", lo=start)
    candidates = [e for e in entries[start:stop] if e[1] in countries]
    candidates.sort(key=lambda e: (e[0] != key, e[2].tier, -e[2].population, e[0], e[1]))
    seen: set[tuple[str, str]] = set()
    result: list[PlaceOption] = []
    for _, c, found in candidates:
        if (c, found.point.label) in seen:
            continue
        seen.add((c, found.point.label))
        result.append(_option(c, found))
        if len(result) == limit:
            break
    return result


def _complete_postcodes(prefix: str, countries: list[str], limit: int) -> list[PlaceOption]:
    table = _postcodes()
    rows = sorted(
        (area, c) for (c, area) in table if c in countries and area.startswith(prefix)
    )[:limit]
    return [
        PlaceOption(place=table[(c, area)].label.partition(" ")[2], country=c,
                    lat=table[(c, area)].lat, lon=table[(c, area)].lon, postcode=area)
        for area, c in rows
    ]


@functools.cache
def _postcode_points() -> tuple[tuple[str, ...], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    table = _postcodes()
    keys = sorted(table)
    return (tuple(c for c, _ in keys), np.array([table[k].lat for k in keys]),
            np.array([table[k].lon for k in keys]))


def nearest_country(lat: float, lon: float, *, within_km: float = 25.0) -> str | None:
    """The country of the nearest postcode area, when one lies within `within_km`."""
    countries, lats, lons = _postcode_points()
    distances = haversine_km_array(lat, lon, lats, lons)
    i = int(np.argmin(distances))
    return countries[i] if distances[i] <= within_km else None


def preload() -> None:
    """Build the lookup indexes now rather than on the first near miss."""
    _deletions()
    _keys()
