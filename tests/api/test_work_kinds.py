"""GET /v1/work-kinds: the starting taxonomy, labelled in Dutch and English."""

from __future__ import annotations

import httpx
import pytest

# The starting taxonomy: group -> {kind code: NL label}, written out independently of
# the migration so a change to the seeded taxonomy is caught here.
TAXONOMY: dict[str, tuple[str, dict[str, str]]] = {
    "production": ("Productie", {
        "assembly": "Assemblage & montage",
        "packaging": "Verpakken",
        "small-series-production": "Kleinschalige serieproductie",
        "woodworking": "Houtbewerking",
        "metalworking": "Metaalbewerking",
        "textile-sewing": "Naaiatelier",
        "printing-binding": "Drukwerk & binderij",
        "electronics-assembly": "Elektronica-assemblage & kabelconfectie",
        "food-processing": "Voedselverwerking",
        "sorting-inspection": "Sorteren & controleren",
    }),
    "facility": ("Facilitaire diensten", {
        "cleaning": "Schoonmaak",
        "green-maintenance": "Groenonderhoud",
        "catering": "Catering",
        "laundry": "Wasserij",
        "reception": "Receptie & toezicht",
    }),
    "logistics": ("Logistiek", {
        "warehousing": "Opslag",
        "order-fulfilment": "Orderverwerking & fulfilment",
        "mail-handling": "Postverwerking",
        "transport": "Transport & koeriersdienst",
        "moving": "Verhuizingen",
    }),
    "circular": ("Circulair & hergebruik", {
        "textile-recycling": "Textielrecycling",
        "electronics-recycling": "Elektronica-demontage",
        "reuse-shop": "Kringloop",
        "bicycle-repair": "Fietsherstel",
        "furniture-refurbishing": "Meubelrenovatie",
        "waste-sorting": "Afvalsortering",
    }),
    "business-services": ("Zakelijke dienstverlening", {
        "document-digitization": "Digitaliseren & scannen",
        "administration": "Administratieve ondersteuning",
        "customer-contact": "Klantcontact",
        "hr-services": "HR-advies & opleiding",
        "ict-services": "ICT-diensten",
    }),
    "construction": ("Bouw & onderhoud", {
        "renovation": "Renovatie",
        "painting": "Schilderwerk",
        "maintenance-repair": "Onderhoud & klusdiensten",
    }),
    "secondment": ("Detachering", {
        "individual-secondment": "Individuele detachering",
        "group-secondment": "Groepsdetachering",
    }),
}
CERTIFICATIONS = {"iso-9001", "iso-14001", "iso-27001", "pso", "haccp", "brcgs", "vca", "fsc"}


def _items(client: httpx.Client, language: str | None = None) -> dict[str, dict]:
    headers = {"Accept-Language": language} if language else {}
    r = client.get("/v1/work-kinds", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return {item["code"]: item for item in body["items"]}


def test_has_the_seven_groups_and_thirty_six_kinds(client: httpx.Client) -> None:
    items = _items(client)
    groups = {code for code, item in items.items() if item["kind"] == "group"}
    kinds = {code for code, item in items.items() if item["kind"] == "kind"}
    assert groups == set(TAXONOMY)
    assert len(kinds) == 36
    assert kinds == {kind for _, members in TAXONOMY.values() for kind in members}


def test_every_kind_names_its_group_and_groups_have_no_parent(client: httpx.Client) -> None:
    items = _items(client)
    for group, (_, members) in TAXONOMY.items():
        assert items[group]["parent"] is None
        for kind in members:
            assert items[kind]["parent"] == group, kind


def test_labels_carry_dutch_and_english(client: httpx.Client) -> None:
    items = _items(client)
    for group, (group_nl, members) in TAXONOMY.items():
        assert items[group]["labels"]["nl"] == group_nl
        for kind, kind_nl in members.items():
            assert items[kind]["labels"]["nl"] == kind_nl
    for item in items.values():
        assert item["labels"]["en"].strip(), item["code"]
    assert items["packaging"]["labels"]["en"] == "Packaging"
    assert items["green-maintenance"]["labels"]["en"] == "Green maintenance"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Verpakken"),
        ("nl-BE", "Verpakken"),
        ("en", "Packaging"),
        ("en-GB,nl;q=0.5", "Packaging"),
        ("de, nl;q=0.8, en;q=0.7", "Verpakken"),
        ("fr, nl;q=0.8, en;q=0.7", "Conditionnement & emballage"),
        ("fr-BE", "Conditionnement & emballage"),
        ("wa", "Conditionnement & emballage"),
        ("nl;q=0.5, fr-BE;q=0.9", "Conditionnement & emballage"),
        (None, "Packaging"),
    ],
)
def test_label_follows_accept_language(
    client: httpx.Client, language: str | None, expected: str
) -> None:
    assert _items(client, language)["packaging"]["label"] == expected


def test_group_label_follows_accept_language(client: httpx.Client) -> None:
    assert _items(client, "nl")["facility"]["label"] == "Facilitaire diensten"
    assert _items(client, "en")["facility"]["label"] == "Facility services"


def test_nace_codes_are_lists_of_codes(client: httpx.Client) -> None:
    items = _items(client)
    for item in items.values():
        assert isinstance(item["nace_codes"], list)
        assert all(isinstance(code, str) and code for code in item["nace_codes"])
    assert "82.92" in items["packaging"]["nace_codes"]


def test_lists_the_certification_codes(client: httpx.Client) -> None:
    r = client.get("/v1/work-kinds", headers={"Accept-Language": "nl"})
    certifications = {c["code"]: c for c in r.json()["certifications"]}
    assert set(certifications) == CERTIFICATIONS
    assert certifications["pso"]["labels"]["nl"].startswith("PSO")
    assert certifications["haccp"]["label"] == certifications["haccp"]["labels"]["nl"]


def test_is_public_cacheable_and_varies_by_language(client: httpx.Client) -> None:
    r = client.get("/v1/work-kinds")
    assert r.headers["content-type"].startswith("application/json")
    assert "public" in r.headers["cache-control"]
    assert "accept-language" in r.headers["vary"].lower()
