from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from app.geo import (
    SUPPORTED_COUNTRIES,
    GeoPoint,
    UnknownLocation,
    geocode,
    geocode_place,
    geocode_postcode,
    haversine_km,
    normalise_place_name,
    normalise_postcode,
    preload,
)

# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("country", "raw", "expected"),
    [
        ("NL", "5038 AB", "5038"),
        ("NL", "5038AB", "5038"),
        ("NL", "5038 ab", "5038"),
        ("NL", " 5038 ", "5038"),
        ("nl", "1011", "1011"),
        ("NL", "NL-1011 AB", "1011"),
        ("NL", "9999ZZ", "9999"),
        ("BE", "2000", "2000"),
        ("BE", "B-2000", "2000"),
        ("BE", "b-2000", "2000"),
        ("BE", "BE-9000", "9000"),
        ("be", " 1000 ", "1000"),
    ],
)
def test_normalise_postcode_valid(country: str, raw: str, expected: str) -> None:
    assert normalise_postcode(country, raw) == expected


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("NL", "0123"),
        ("NL", "0123 AB"),
        ("NL", "ABCD"),
        ("NL", "50381"),
        ("NL", "503"),
        ("NL", "5038 A"),
        ("NL", "5038 ABC"),
        ("NL", "5038-AB"),
        ("NL", "50 38"),
        ("NL", ""),
        ("NL", "   "),
        ("BE", "12345"),
        ("BE", "0999"),
        ("BE", "200"),
        ("BE", "2000 AB"),
        ("BE", "B-"),
        ("DE", "10115"),
        ("DE", "1011"),
        ("", "1011"),
    ],
)
def test_normalise_postcode_invalid(country: str, raw: str) -> None:
    assert normalise_postcode(country, raw) is None


def test_normalise_place_name() -> None:
    assert normalise_place_name("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise_place_name("  Sint-Niklaas ") == "sint niklaas"
    assert normalise_place_name("LIÈGE") == "liege"
    assert normalise_place_name("Rhode-Saint-Genèse") == "rhode saint genese"
    assert normalise_place_name("’s  Gravenhage") == "s gravenhage"
    assert normalise_place_name("") == ""


# --------------------------------------------------------------------------- postcodes


@pytest.mark.parametrize(
    ("country", "postcode", "lat", "lon", "label"),
    [
        ("NL", "5038", 51.56, 5.08, "5038 Tilburg"),
        ("NL", "1011", 52.37, 4.90, "1011 Amsterdam"),
        ("NL", "1211", 52.22, 5.17, "1211 Hilversum"),
        ("BE", "2000", 51.22, 4.40, "2000 Antwerpen"),
        ("BE", "9000", 51.05, 3.72, "9000 Gent"),
        ("BE", "1000", 50.85, 4.35, "1000 Bruxelles"),
        # Listed as Walem, Mechelen: the label names the main (most populous) place.
        ("BE", "2800", 51.03, 4.48, "2800 Mechelen"),
        # Antwerpen's city-centre point is shared with 2000-2060; 2040 is the north polder.
        ("BE", "2040", 51.33, 4.37, "2040 Antwerpen"),
    ],
)
def test_known_postcodes(country: str, postcode: str, lat: float, lon: float, label: str) -> None:
    point = geocode_postcode(country, postcode)
    assert point is not None
    assert haversine_km(point.lat, point.lon, lat, lon) < 3.0
    assert point.label == label


def test_postcode_input_variants_give_same_point() -> None:
    expected = geocode_postcode("NL", "5038")
    assert expected is not None
    for raw in ("5038 AB", "5038ab", " 5038 ", "NL-5038 AB"):
        assert geocode_postcode("NL", raw) == expected
    assert geocode_postcode("nl", "5038") == expected
    assert geocode_postcode("BE", "B-2000") == geocode_postcode("be", "2000")


def test_unknown_or_invalid_postcodes() -> None:
    assert geocode_postcode("NL", "0123") is None
    assert geocode_postcode("NL", "hello") is None
    assert geocode_postcode("BE", "12345") is None
    assert geocode_postcode("BE", "1001") is None  # well-formed but not issued
    assert geocode_postcode("DE", "1011") is None
    # A Dutch postcode area is not a Belgian one: same digits, other place.
    nl, be = geocode_postcode("NL", "1060"), geocode_postcode("BE", "1060")
    assert nl is not None and be is not None
    assert haversine_km(nl.lat, nl.lon, be.lat, be.lon) > 100.0


def test_postcode_coverage_and_bounds() -> None:
    boxes = {"NL": (50.7, 53.6, 3.3, 7.3), "BE": (49.4, 51.6, 2.5, 6.5)}
    for country, (lat_lo, lat_hi, lon_lo, lon_hi) in boxes.items():
        found = 0
        for number in range(1000, 10000):
            point = geocode_postcode(country, str(number))
            if point is None:
                continue
            found += 1
            assert lat_lo < point.lat < lat_hi, (country, number, point)
            assert lon_lo < point.lon < lon_hi, (country, number, point)
            assert point.label.startswith(f"{number} ")
        assert found >= (4000 if country == "NL" else 1100)


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("country", "place", "lat", "lon"),
    [
        ("NL", "Tilburg", 51.56, 5.09),
        ("NL", "Hilversum", 52.22, 5.18),
        ("NL", "'s-Hertogenbosch", 51.70, 5.30),
        ("NL", "s Hertogenbosch", 51.70, 5.30),
        ("NL", "Den Bosch", 51.70, 5.30),
        ("NL", "Amsterdam", 52.37, 4.89),
        ("NL", "Den Haag", 52.08, 4.30),
        ("BE", "Gent", 51.05, 3.72),
        ("BE", "Ghent", 51.05, 3.72),
        ("BE", "Antwerpen", 51.22, 4.40),
        ("BE", "Antwerp", 51.22, 4.40),
        ("BE", "Brussel", 50.85, 4.35),
        ("BE", "Bruxelles", 50.85, 4.35),
        ("BE", "Brussels", 50.85, 4.35),
        ("BE", "Sint-Niklaas", 51.17, 4.14),
        ("BE", "Liège", 50.63, 5.57),
        ("BE", "Luik", 50.63, 5.57),
    ],
)
def test_known_places(country: str, place: str, lat: float, lon: float) -> None:
    for where in (country, country.lower(), None):
        point = geocode_place(where, place)
        assert point is not None, (where, place)
        assert haversine_km(point.lat, point.lon, lat, lon) < 3.0, (where, place, point)


def test_place_labels() -> None:
    assert geocode_place("NL", "tilburg") == geocode_place(None, "Tilburg")
    point = geocode_place(None, "Tilburg")
    assert point is not None and point.label == "Tilburg"
    bosch = geocode_place(None, "den bosch")
    assert bosch is not None and bosch.label == "'s-Hertogenbosch"
    ghent = geocode_place(None, "Ghent")
    assert ghent is not None and ghent.label == "Gent"


@pytest.mark.parametrize(
    "variant",
    ["sint-niklaas", "SINT-NIKLAAS", "  Sint   Niklaas  ", "Sint Niklaas", "sint\tniklaas"],
)
def test_place_case_and_whitespace_insensitive(variant: str) -> None:
    assert geocode_place("BE", variant) == geocode_place("BE", "Sint-Niklaas")


def test_place_accent_insensitive() -> None:
    assert geocode_place(None, "Liege") == geocode_place(None, "Liège")
    assert geocode_place(None, "LIÈGE") == geocode_place(None, "liège")
    assert geocode_place(None, "’s-Hertogenbosch") == geocode_place(None, "'s-Hertogenbosch")


def test_country_restricts_the_search() -> None:
    # "Bergen" is a Dutch town and the Dutch name of Mons (BE).
    nl = geocode_place("NL", "Bergen")
    be = geocode_place("BE", "Bergen")
    mons = geocode_place("BE", "Mons")
    assert nl is not None and be is not None and mons is not None
    assert be == mons
    assert nl.lat > 52.0
    # Without a country a real name beats an exonym.
    assert geocode_place(None, "Bergen") == nl
    assert geocode_place("NL", "Charleroi") is None
    assert geocode_place("BE", "Tilburg") is None


def test_same_name_prefers_more_populous() -> None:
    # Hengelo (Overijssel, ~80k) over Hengelo (Gelderland, ~10k).
    point = geocode_place("NL", "Hengelo")
    assert point is not None
    assert haversine_km(point.lat, point.lon, 52.27, 6.79) < 5.0


def test_municipality_names() -> None:
    point = geocode_place("NL", "Westland")
    assert point is not None
    assert haversine_km(point.lat, point.lon, 52.0, 4.2) < 15.0


def test_unknown_places() -> None:
    assert geocode_place(None, "Atlantis") is None
    assert geocode_place("NL", "") is None
    assert geocode_place("NL", "  - ") is None
    assert geocode_place("DE", "Tilburg") is None
    assert geocode_place("nl", "Berlin") is None


# --------------------------------------------------------------------------- geocode()


def test_geocode_dispatches() -> None:
    assert geocode(country="NL", postcode="5038 AB") == geocode_postcode("NL", "5038")
    assert geocode(place="Gent") == geocode_place(None, "Gent")
    assert geocode(country="be", place="Gent") == geocode_place("BE", "Gent")


def test_geocode_unknown_postcode() -> None:
    with pytest.raises(UnknownLocation) as info:
        geocode(country="nl", postcode="0000")
    err = info.value
    assert (err.kind, err.value, err.country) == ("postcode", "0000", "NL")
    assert "postcode" in str(err) and "0000" in str(err)
    assert isinstance(err, ValueError)


def test_geocode_unknown_place() -> None:
    with pytest.raises(UnknownLocation) as info:
        geocode(place="Atlantis")
    err = info.value
    assert (err.kind, err.value, err.country) == ("place", "Atlantis", None)
    assert "Atlantis" in str(err)


def test_geocode_unsupported_country() -> None:
    with pytest.raises(UnknownLocation) as info:
        geocode(country="DE", place="Berlin")
    assert info.value.country == "DE"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"country": "NL"},
        {"country": "NL", "postcode": "5038", "place": "Tilburg"},
        {"postcode": "5038"},
    ],
)
def test_geocode_misuse(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError) as info:
        geocode(**kwargs)
    assert not isinstance(info.value, UnknownLocation)


def test_unknown_location_is_raisable_and_picklable() -> None:
    err = UnknownLocation("place", "Foo", "BE")
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.kind, clone.value, clone.country) == ("place", "Foo", "BE")
    assert str(clone) == str(err)


# --------------------------------------------------------------------------- types and packaging


def test_geopoint_is_frozen_with_slots() -> None:
    point = GeoPoint(1.0, 2.0, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.lat = 3.0  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    assert point == GeoPoint(lat=1.0, lon=2.0, label="x")


def test_preload_is_idempotent() -> None:
    preload()
    preload()
    assert geocode_postcode("NL", "5038") is not None


def test_supported_countries() -> None:
    assert frozenset({"NL", "BE"}) == SUPPORTED_COUNTRIES


def test_data_files_are_small() -> None:
    data = Path(__file__).resolve().parents[2] / "app" / "geo" / "data"
    files = sorted(data.glob("*.tsv.gz"))
    assert {f.name for f in files} == {"postcodes.tsv.gz", "places.tsv.gz", "regions.tsv.gz"}
    assert sum(f.stat().st_size for f in files) < 1_000_000


def test_import_is_pure() -> None:
    code = (
        "import sys, app.geo; app.geo.geocode_place(None, 'Gent');"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'sqlalchemy', 'pydantic')"
        " or (m.startswith('app.') and not m.startswith('app.geo'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
