"""Explanations: Dutch and English sentences from component facts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.matching.engine import match
from app.matching.explain import certification_label, explain
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    Criteria,
    DistanceFacts,
    WorkKindFacts,
)

from . import TAXONOMY, TOWNS, build, cap, company

_FACTS: dict[str, tuple[type, dict[str, Any]]] = {
    "work_kinds": (WorkKindFacts, {"covered": (), "partial": {}, "missing": (),
                                   "group_kinds": {}}),
    "distance": (DistanceFacts, {"distance_km": 0.0, "limit_km": None}),
    "capacity": (CapacityFacts, {"available": 0, "needed": 0, "work_kind": None,
                                 "capacity_updated_at": None}),
    "availability": (AvailabilityFacts, {"available_from": None,
                                         "start_date": date(2027, 1, 15), "days_late": 0}),
    "certifications": (CertificationFacts, {"held": (), "missing": ()}),
}


def comp(criterion: str, **facts: Any) -> Component:
    """A component with these facts (the others at neutral defaults)."""
    kind, defaults = _FACTS[criterion]
    return Component(criterion=criterion, score=0.5, weight=0.1,
                     facts=kind(**{**defaults, **facts}))


def both(component: Component) -> tuple[str, str]:
    return explain(component, "en", TAXONOMY), explain(component, "nl", TAXONOMY)


def test_work_kinds_covered_and_missing() -> None:
    c = comp(
        "work_kinds",
        covered=("packaging", "assembly"),
        partial={},
        missing=("woodworking",),
        group_kinds={},
    )
    assert both(c) == (
        "Offers Packaging and Assembly & mounting; Woodworking is not offered.",
        "Biedt Verpakken en Assemblage & montage; Houtbewerking wordt niet aangeboden.",
    )


def test_work_kinds_several_missing_use_plural() -> None:
    c = comp("work_kinds", covered=("cleaning",), missing=("catering", "laundry", "reception"))
    en, nl = both(c)
    assert en == "Offers Cleaning; Catering, Laundry and Reception & security are not offered."
    assert (
        nl == "Biedt Schoonmaak; Catering, Wasserij en Receptie & toezicht worden niet aangeboden."
    )


def test_work_kinds_partial_names_the_sibling() -> None:
    c = comp("work_kinds", covered=("packaging",), partial={"woodworking": "assembly"}, missing=())
    en, nl = both(c)
    assert en == "Offers Packaging; Woodworking is not offered, but related Assembly & mounting is."
    assert nl == (
        "Biedt Verpakken; Houtbewerking wordt niet aangeboden, wel verwant werk: "
        "Assemblage & montage."
    )


def test_work_kinds_group_lists_its_offered_kinds() -> None:
    c = comp(
        "work_kinds",
        covered=("production",),
        missing=("logistics",),
        group_kinds={"production": ("assembly", "packaging")},
    )
    en, nl = both(c)
    assert en == ("Offers Production (Assembly & mounting, Packaging); Logistics is not offered.")
    assert (
        nl == "Biedt Productie (Assemblage & montage, Verpakken); Logistiek wordt niet aangeboden."
    )


def test_distance_with_limit_uses_decimal_comma_in_dutch() -> None:
    c = comp("distance", distance_km=12.345, limit_km=40.0)
    assert both(c) == (
        "12.3 km from the asked location (limit 40 km).",
        "12,3 km van de gevraagde locatie (grens 40 km).",
    )


def test_distance_with_fractional_limit_and_without_limit() -> None:
    assert explain(comp("distance", distance_km=7.0, limit_km=12.5), "nl", TAXONOMY) == (
        "7,0 km van de gevraagde locatie (grens 12,5 km)."
    )
    assert both(comp("distance", distance_km=210.36, limit_km=None)) == (
        "210.4 km from the asked location (no distance limit).",
        "210,4 km van de gevraagde locatie (geen afstandsgrens).",
    )


def test_capacity_with_date_of_the_figure() -> None:
    c = comp(
        "capacity",
        available=25,
        needed=10,
        work_kind="packaging",
        capacity_updated_at=datetime(2026, 10, 1, 8, 0, tzinfo=UTC),
    )
    assert both(c) == (
        "25 workers available for Packaging, 10 needed (figure of 1 October 2026).",
        "25 medewerkers beschikbaar voor Verpakken, 10 nodig (stand van 1 oktober 2026).",
    )


def test_capacity_singular_and_unknown_date() -> None:
    c = comp("capacity", available=1, needed=4, work_kind="cleaning", capacity_updated_at=None)
    assert both(c) == (
        "1 of the 4 people asked available for Cleaning (date of figure unknown).",
        "1 van de 4 gevraagde mensen beschikbaar voor Schoonmaak "
        "(datum van dit cijfer onbekend).",
    )
    one = comp("capacity", available=1, needed=1, work_kind="cleaning", capacity_updated_at=None)
    assert both(one)[0] == "1 worker available for Cleaning, 1 needed (date of figure unknown)."


def test_capacity_shortfall_and_thousands_in_the_readers_form() -> None:
    c = comp("capacity", available=40, needed=5000, work_kind="packaging",
             capacity_updated_at=datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    assert both(c) == (
        "40 of the 5,000 people asked available for Packaging (figure of 15 January 2027).",
        "40 van de 5.000 gevraagde mensen beschikbaar voor Verpakken "
        "(stand van 15 januari 2027).",
    )
    plenty = comp("capacity", available=12_500, needed=5000, work_kind="packaging",
                  capacity_updated_at=None)
    assert both(plenty)[0].startswith("12,500 workers available for Packaging, 5,000 needed")
    assert both(plenty)[1].startswith("12.500 medewerkers beschikbaar voor Verpakken, 5.000")


def test_availability_on_time() -> None:
    c = comp(
        "availability",
        available_from=date(2027, 1, 1),
        start_date=date(2027, 1, 15),
        days_late=0,
    )
    assert both(c) == (
        "Available from 1 January 2027, on time for the start on 15 January 2027.",
        "Beschikbaar vanaf 1 januari 2027, op tijd voor de start op 15 januari 2027.",
    )


def test_availability_now_and_late() -> None:
    now = comp("availability", available_from=None, start_date=date(2027, 1, 15), days_late=0)
    assert explain(now, "en", TAXONOMY) == (
        "Available now, on time for the start on 15 January 2027.")
    late = comp(
        "availability",
        available_from=date(2027, 3, 1),
        start_date=date(2027, 1, 15),
        days_late=45,
    )
    assert both(late) == (
        "Available from 1 March 2027, 45 days after the start on 15 January 2027.",
        "Beschikbaar vanaf 1 maart 2027, 45 dagen na de start op 15 januari 2027.",
    )
    one = comp(
        "availability", available_from=date(2027, 1, 16), start_date=date(2027, 1, 15), days_late=1
    )
    assert explain(one, "nl", TAXONOMY).startswith("Beschikbaar vanaf 16 januari 2027, 1 dag na")


def test_certifications_held_and_missing() -> None:
    assert both(comp("certifications", held=("pso",), missing=("iso-14001",))) == (
        "Holds PSO; lacks ISO 14001.",
        "Heeft PSO; mist ISO 14001.",
    )
    assert both(comp("certifications", held=("haccp", "pso"), missing=())) == (
        "Holds HACCP and PSO.",
        "Heeft HACCP en PSO.",
    )
    assert both(comp("certifications", held=(), missing=("brcgs", "fsc", "vca"))) == (
        "Lacks BRCGS, FSC and VCA.",
        "Mist BRCGS, FSC en VCA.",
    )


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("iso-9001", "ISO 9001"),
        ("iso-14001", "ISO 14001"),
        ("iso-27001", "ISO 27001"),
        ("pso", "PSO"),
        ("haccp", "HACCP"),
        ("brcgs", "BRCGS"),
        ("vca", "VCA"),
        ("fsc", "FSC"),
    ],
)
def test_certification_labels(code: str, label: str) -> None:
    assert certification_label(code) == label


def test_any_other_language_renders_english() -> None:
    c = comp("distance", distance_km=3.25, limit_km=None)
    assert explain(c, "de", TAXONOMY) == explain(c, "en", TAXONOMY)
    assert explain(c, "de", TAXONOMY).startswith("3.2 km from")


def test_french_reads_french_with_french_numbers() -> None:
    c = comp("distance", distance_km=3.25, limit_km=12.5)
    assert explain(c, "fr", TAXONOMY) == "3,2 km du lieu demandé (limite 12,5 km)."


def test_every_component_of_a_real_match_reads_as_a_sentence() -> None:
    lat, lon = TOWNS["Tilburg"]
    acme = company(
        "acme",
        [cap("packaging", 12, updated=datetime(2026, 9, 1, tzinfo=UTC)), cap("assembly", 3)],
        town="Breda",
        certs=["pso"],
        available_from=date(2027, 2, 1),
    )
    criteria = Criteria(
        work_kinds=("packaging", "woodworking", "cleaning", "logistics"),
        lat=lat,
        lon=lon,
        max_distance_km=40,
        workers_needed=20,
        start_date=date(2027, 1, 15),
        preferred_certifications=frozenset({"pso", "iso-14001"}),
    )
    m = match(build([acme], TAXONOMY), criteria).matches[0]
    assert tuple(c.criterion for c in m.components) == (
        "work_kinds", "distance", "capacity", "availability", "certifications"
    )
    sentences = {c.criterion: both(c) for c in m.components}
    for en, nl in sentences.values():
        assert en.endswith(".") and nl.endswith(".")
        assert en[0].isupper() or en[0].isdigit()
        assert nl[0].isupper() or nl[0].isdigit()
    assert sentences["work_kinds"] == (
        "Offers Packaging; Woodworking is not offered, but related Assembly & mounting is; "
        "Cleaning and Logistics are not offered.",
        "Biedt Verpakken; Houtbewerking wordt niet aangeboden, wel verwant werk: "
        "Assemblage & montage; "
        "Schoonmaak en Logistiek worden niet aangeboden.",
    )
    assert sentences["distance"][0] == "22.1 km from the asked location (limit 40 km)."
    assert sentences["capacity"][0] == (
        "12 of the 20 people asked available for Packaging (figure of 1 September 2026)."
    )
    assert sentences["availability"][1] == (
        "Beschikbaar vanaf 1 februari 2027, 17 dagen na de start op 15 januari 2027."
    )
    assert sentences["certifications"][0] == "Holds PSO; lacks ISO 14001."
