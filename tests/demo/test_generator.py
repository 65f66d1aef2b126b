"""The demo data: deterministic, plausible and valid by the same rules the API applies."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date
from typing import Any

import phonenumbers
import pytest
from email_validator import validate_email
from stdnum.be import vat as be_vat

from app.demo import demo_companies
from app.demo.generator import DEMO_DOMAIN, be_enterprise_number
from app.demo.towns import TOWNS, TOWNS_BY_NAME

# Kind codes of the starting taxonomy (groups excluded), written out independently.
TAXONOMY_KINDS = {
    "assembly", "packaging", "small-series-production", "woodworking", "metalworking",
    "textile-sewing", "printing-binding", "electronics-assembly", "food-processing",
    "sorting-inspection",
    "cleaning", "green-maintenance", "catering", "laundry", "reception",
    "warehousing", "order-fulfilment", "mail-handling", "transport", "moving",
    "textile-recycling", "electronics-recycling", "reuse-shop", "bicycle-repair",
    "furniture-refurbishing", "waste-sorting",
    "document-digitization", "administration", "customer-contact", "hr-services",
    "ict-services",
    "renovation", "painting", "maintenance-repair",
    "individual-secondment", "group-secondment",
}  # fmt: skip
CERTIFICATIONS = {"iso-9001", "iso-14001", "iso-27001", "pso", "haccp", "brcgs", "vca", "fsc"}
PROFILE_KEYS = {
    "name", "registration", "description", "website", "email", "phone", "contacts",
    "certifications", "sites", "capabilities", "available_from", "status",
}  # fmt: skip
SITE_KEYS = {"name", "address", "postcode", "city", "country", "lat", "lon", "service_radius_km"}
# (lat_min, lat_max, lon_min, lon_max)
BOUNDING_BOXES = {"NL": (50.75, 53.56, 3.35, 7.23), "BE": (49.49, 51.51, 2.54, 6.41)}
NL_PROVINCES = {
    "Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
    "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg",
}  # fmt: skip
FLEMISH_PROVINCES = {"Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant", "Limburg"}
# Well-known real sheltered-work companies whose names must not appear.
REAL_NAMES = (
    "diamant", "ergon", "weener", "weerwerk", "kaliber", "tomin", "kringwinkel", "werksaam",
    "pantar", "atlant", "alescon", "senzer", "wedeka", "werkzaak", "laborijn", "avres",
    "paswerk", "promen", "presikhaaf", "ryhove", "westlandia", "levanto", "mivas", "bewel",
)  # fmt: skip


@pytest.fixture(scope="module")
def companies() -> list[dict[str, Any]]:
    return demo_companies()


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _all_phones(company: dict[str, Any]) -> list[str]:
    return [company["phone"], *(c["phone"] for c in company["contacts"])]


def _all_emails(company: dict[str, Any]) -> list[str]:
    return [company["email"], *(c["email"] for c in company["contacts"])]


# --- determinism and shape ----------------------------------------------------------------------


def test_same_seed_gives_identical_output(companies: list[dict[str, Any]]) -> None:
    assert json.dumps(demo_companies(2026)) == json.dumps(companies)
    assert demo_companies(7) == demo_companies(7)


def test_other_seed_gives_other_data(companies: list[dict[str, Any]]) -> None:
    assert demo_companies(7) != companies


def test_output_is_json_serialisable_profile_bodies(companies: list[dict[str, Any]]) -> None:
    assert json.loads(json.dumps(companies)) == companies
    for company in companies:
        assert set(company) - {"pso", "target_group"} == PROFILE_KEYS
        assert set(company["registration"]) == {"country", "number"}
        for site in company["sites"]:
            assert set(site) == SITE_KEYS
        for capability in company["capabilities"]:
            assert set(capability) <= {"work_kind", "capacity_workers", "notes", "sites"}
        for contact in company["contacts"]:
            assert set(contact) == {"name", "role", "email", "phone"}


def test_other_seeds_keep_the_invariants() -> None:
    for seed in (1, 99):
        data = demo_companies(seed)
        assert len({c["name"] for c in data}) == len(data)
        assert len({c["registration"]["number"] for c in data}) == len(data)


# --- counts ---------------------------------------------------------------------------------------


def test_counts_and_country_split(companies: list[dict[str, Any]]) -> None:
    countries = Counter(c["registration"]["country"] for c in companies)
    assert len(companies) >= 180
    assert 95 <= countries["NL"] <= 110
    assert countries["BE"] >= 80
    assert set(countries) == {"NL", "BE"}


def test_towns_and_provinces_are_covered(companies: list[dict[str, Any]]) -> None:
    towns = {site["city"] for c in companies for site in c["sites"]}
    assert len(towns) >= 60
    provinces = {(TOWNS_BY_NAME[t].country, TOWNS_BY_NAME[t].province) for t in towns}
    assert {p for cc, p in provinces if cc == "NL"} == NL_PROVINCES
    assert {p for cc, p in provinces if cc == "BE"} == FLEMISH_PROVINCES


def test_status_mix(companies: list[dict[str, Any]]) -> None:
    statuses = Counter(c["status"] for c in companies)
    assert set(statuses) == {"active", "pending", "inactive"}
    assert 0.03 <= statuses["pending"] / len(companies) <= 0.07
    assert 0.01 <= statuses["inactive"] / len(companies) <= 0.05


def test_about_a_quarter_has_several_sites(companies: list[dict[str, Any]]) -> None:
    multi = [c for c in companies if len(c["sites"]) > 1]
    assert 0.2 <= len(multi) / len(companies) <= 0.3
    assert all(2 <= len(c["sites"]) <= 4 for c in multi)


# --- identity -------------------------------------------------------------------------------------


def test_names_are_unique_and_fictional(companies: list[dict[str, Any]]) -> None:
    names = [c["name"] for c in companies]
    assert len(set(names)) == len(names)
    for name in names:
        assert not any(real in name.lower() for real in REAL_NAMES), name


def test_registration_numbers_are_unique_and_valid(companies: list[dict[str, Any]]) -> None:
    numbers = [(c["registration"]["country"], c["registration"]["number"]) for c in companies]
    assert len(set(numbers)) == len(numbers)
    for company in companies:
        country = company["registration"]["country"]
        number = company["registration"]["number"]
        assert country == company["sites"][0]["country"]
        if country == "NL":
            assert re.fullmatch(r"\d{8}", number), number
        else:
            assert re.fullmatch(r"[01]\d{9}", number), number
            assert int(number[-2:]) == 97 - int(number[:8]) % 97
            assert be_vat.is_valid(number), number


def test_be_enterprise_number_check_digits() -> None:
    assert be_enterprise_number(4031707) == "0403170701"
    assert be_vat.is_valid(be_enterprise_number(10_000_000))


def test_phones_are_valid_e164_of_the_right_country(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        country = company["registration"]["country"]
        for phone in _all_phones(company):
            parsed = phonenumbers.parse(phone, country)
            assert phonenumbers.is_valid_number(parsed), phone
            assert phonenumbers.region_code_for_number(parsed) == country, phone
            assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == phone


def test_emails_and_websites_use_the_fictional_domain(companies: list[dict[str, Any]]) -> None:
    domains = set()
    for company in companies:
        domain = company["email"].split("@", 1)[1]
        assert domain.endswith("." + DEMO_DOMAIN)
        assert company["website"] == f"https://{domain}"
        domains.add(domain)
        emails = _all_emails(company)
        assert len(set(emails)) == len(emails)
        for email in emails:
            result = validate_email(email, check_deliverability=False)
            assert result.normalized == email
            assert email.split("@", 1)[1] == domain
    assert len(domains) == len(companies)


# --- profile content ------------------------------------------------------------------------------


def test_work_kinds_come_from_the_taxonomy(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        kinds = [c["work_kind"] for c in company["capabilities"]]
        assert 2 <= len(kinds) <= 8, company["name"]
        assert len(set(kinds)) == len(kinds)
        assert set(kinds) <= TAXONOMY_KINDS
        for capability in company["capabilities"]:
            assert isinstance(capability["capacity_workers"], int)
            assert 2 <= capability["capacity_workers"] <= 120


def test_capacity_is_skewed_small(companies: list[dict[str, Any]]) -> None:
    capacities = sorted(c["capacity_workers"] for co in companies for c in co["capabilities"])
    assert capacities[len(capacities) // 2] <= 20


def test_capability_sites_exist_in_the_company(companies: list[dict[str, Any]]) -> None:
    limited = 0
    for company in companies:
        site_names = [s["name"] for s in company["sites"]]
        assert len(set(site_names)) == len(site_names)
        assert site_names[0] == "Hoofdvestiging"
        for capability in company["capabilities"]:
            if "sites" in capability:
                limited += 1
                assert capability["sites"]
                assert set(capability["sites"]) <= set(site_names)
    assert limited > 0


def test_certifications_are_known_and_plausible(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        certs = company["certifications"]
        assert len(set(certs)) == len(certs)
        assert set(certs) <= CERTIFICATIONS
        kinds = {c["work_kind"] for c in company["capabilities"]}
        if "haccp" in certs or "brcgs" in certs:
            assert kinds & {"food-processing", "catering"}
        if "fsc" in certs:
            assert kinds & {"woodworking", "printing-binding"}
    pso = Counter(c["registration"]["country"] for c in companies if "pso" in c["certifications"])
    assert pso["NL"] > 3 * pso["BE"]


def test_sites_have_real_places_and_coordinates(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        cities = [s["city"] for s in company["sites"]]
        assert len(set(cities)) == len(cities), company["name"]
        for site in company["sites"]:
            town = TOWNS_BY_NAME[site["city"]]
            assert site["country"] == town.country == company["registration"]["country"]
            assert site["postcode"] in town.postcodes
            pattern = r"[1-9]\d{3} [A-Z]{2}" if town.country == "NL" else r"[1-9]\d{3}"
            assert re.fullmatch(pattern, site["postcode"])
            lat_min, lat_max, lon_min, lon_max = BOUNDING_BOXES[site["country"]]
            assert lat_min <= site["lat"] <= lat_max
            assert lon_min <= site["lon"] <= lon_max
            assert _distance_km(site["lat"], site["lon"], town.lat, town.lon) <= 2.0
            assert 15 <= site["service_radius_km"] <= 100
            assert site["address"]


def test_sites_are_not_stacked(companies: list[dict[str, Any]]) -> None:
    points = [(s["lat"], s["lon"]) for c in companies for s in c["sites"]]
    assert len(set(points)) == len(points)


def test_service_radius_mostly_30_to_60(companies: list[dict[str, Any]]) -> None:
    radii = [s["service_radius_km"] for c in companies for s in c["sites"]]
    assert sum(30 <= r <= 60 for r in radii) / len(radii) >= 0.6


def test_town_table_is_inside_the_countries() -> None:
    assert len(TOWNS) == len(TOWNS_BY_NAME)
    for town in TOWNS:
        lat_min, lat_max, lon_min, lon_max = BOUNDING_BOXES[town.country]
        assert lat_min <= town.lat <= lat_max and lon_min <= town.lon <= lon_max, town.name
        assert town.phone_stem.startswith("+31" if town.country == "NL" else "+32")


def test_contacts(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        contacts = company["contacts"]
        assert 1 <= len(contacts) <= 3
        roles = [c["role"] for c in contacts]
        assert len(set(roles)) == len(roles)
        for contact in contacts:
            assert len(contact["name"].split()) >= 2


def test_available_from(companies: list[dict[str, Any]]) -> None:
    days = [date.fromisoformat(c["available_from"]) for c in companies]
    assert all(date(2026, 11, 1) <= d <= date(2027, 6, 30) for d in days)
    soon = sum(d < date(2027, 1, 1) for d in days)
    assert soon / len(days) >= 0.4


def test_descriptions_are_short_dutch_texts(companies: list[dict[str, Any]]) -> None:
    for company in companies:
        text = company["description"]
        sentences = re.findall(r"[.!?](?:\s|$)", text)
        assert 1 <= len(sentences) <= 3, text
    words = " ".join(c["description"] for c in companies).lower().split()
    assert words.count("de") > 50 and words.count("en") > 50
