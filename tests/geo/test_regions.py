"""Regions offline: every shipped postcode, place and point in NL and BE resolves to a
country, province and municipality (arrondissement in BE)."""

from __future__ import annotations

from collections import Counter

import pytest

from app.geo import geocode_postcode, region_of_place, region_of_point, region_of_postcode
from app.geo.geocoder import _postcodes
from app.geo.regions import Region, regions


@pytest.mark.parametrize(("country", "postcode", "province", "municipality"), [
    ("NL", "5038 AB", "Noord-Brabant", "Tilburg"),
    ("NL", "1012", "Noord-Holland", "Amsterdam"),
    ("NL", "9712", "Groningen", "Groningen"),
    ("NL", "6211", "Limburg", "Maastricht"),
    ("BE", "2000", "Antwerpen", "Antwerpen"),
    ("BE", "9000", "Oost-Vlaanderen", "Gent"),
    ("BE", "4000", "Liège", "Liège"),
    ("BE", "1000", "Brussel-Hoofdstad", "Brussel-Hoofdstad"),
    ("BE", "3500", "Limburg", "Hasselt"),
])
def test_postcodes_lie_in_their_province_and_municipality(
    country: str, postcode: str, province: str, municipality: str
) -> None:
    assert region_of_postcode(country, postcode) == Region(country, province, municipality)


def test_every_shipped_postcode_has_a_region() -> None:
    missing = [k for k in _postcodes() if region_of_postcode(*k) is None]
    assert missing == []


def test_provinces_and_municipalities_are_complete() -> None:
    levels = Counter((r.country, r.level) for r in regions().values())
    assert levels[("NL", "province")] == 12
    assert levels[("BE", "province")] == 11  # ten provinces and Brussels
    assert levels[("NL", "municipality")] == 353  # as of the 2022 dump
    assert levels[("BE", "municipality")] == 43  # arrondissements


def test_places_and_points_resolve_offline() -> None:
    assert region_of_place(None, "Den Bosch") == Region("NL", "Noord-Brabant",
                                                       "'s-Hertogenbosch")
    assert region_of_place("BE", "Brugge") == Region("BE", "West-Vlaanderen", "Brugge")
    point = geocode_postcode("NL", "3511")
    assert point is not None
    assert region_of_point(point.lat, point.lon) == region_of_postcode("NL", "3511")
    assert region_of_point(48.85, 2.35) is None  # Paris lies outside NL and BE
    assert region_of_point(51.44, 4.93, "XX") is None


def test_ids_nest_and_centres_lie_inside_the_country() -> None:
    info = regions()
    tilburg = info["NL.noord-brabant.tilburg"]
    assert tilburg.parent == "NL.noord-brabant"
    assert info[tilburg.parent].parent == "NL"
    assert 51.4 < tilburg.lat < 51.7 and 4.9 < tilburg.lon < 5.3
    assert region_of_point(tilburg.lat, tilburg.lon) is not None
