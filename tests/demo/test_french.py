"""The demo's fictional entreprises de travail adapté: valid profiles in real Walloon and
Brussels towns (the offline geocoder finds each site's town near its point), valid KBO/BCE
numbers and Belgian phones, French descriptions, and no clash with the generated companies."""

from __future__ import annotations

import phonenumbers
from stdnum.be import vat as be_vat

from app.companies.schemas import CompanyCreate
from app.demo import demo_companies
from app.demo.french import french_companies
from app.geo.distance import haversine_km
from app.geo.places import resolve

FRENCH_WORDS = (" de ", " des ", " et ", " à ", " le ", " la ", " les ")


def test_four_to_six_valid_french_speaking_companies() -> None:
    companies = french_companies()
    assert 4 <= len(companies) <= 6
    assert french_companies() == companies  # the same every time
    for company in companies:
        CompanyCreate.model_validate(company)
        number = company["registration"]["number"]
        assert company["registration"]["country"] == "BE" and be_vat.is_valid(number), number
        assert int(number[-2:]) == 97 - int(number[:8]) % 97
        for phone in (company["phone"], *(c["phone"] for c in company["contacts"])):
            parsed = phonenumbers.parse(phone)
            assert phonenumbers.is_valid_number(parsed), phone
            assert phonenumbers.region_code_for_number(parsed) == "BE", phone
        assert sum(word in company["description"] for word in FRENCH_WORDS) >= 2


def test_every_site_lies_in_its_real_town() -> None:
    towns = set()
    for company in french_companies():
        for site in company["sites"]:
            place = resolve(place=site["city"], country="BE")
            assert place.place == site["city"], site
            assert haversine_km(place.lat, place.lon, site["lat"], site["lon"]) < 5, site
            assert resolve(postcode=site["postcode"], country="BE").country == "BE"
            towns.add(site["city"])
    assert {"Liège", "Mons", "Namur", "Wavre", "Tournai", "Anderlecht"} <= towns


def test_no_clash_with_the_generated_companies() -> None:
    generated = demo_companies()
    ours = french_companies()
    assert not {c["name"] for c in ours} & {c["name"] for c in generated}
    assert not ({c["registration"]["number"] for c in ours}
                & {c["registration"]["number"] for c in generated})
