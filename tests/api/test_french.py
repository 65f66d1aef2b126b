"""French over the API: `Accept-Language: fr` answers French explanations, labels and problem
details; French and Dutch place names find the same place; the demo's entreprises de travail
adapté are valid profiles and are found from Liège."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.companies.schemas import CompanyCreate
from app.companies.service import create_company
from app.demo.french import french_companies
from tests.conftest import ADMIN

PROBLEM = "application/problem+json"


@pytest.fixture
def etas(session: Session) -> list[str]:
    """The demo's French-speaking companies, made through the service as the loader does."""
    names = []
    for profile in french_companies():
        names.append(create_company(session, CompanyCreate.model_validate(profile), ADMIN).name)
    session.commit()
    return names


def match(client: httpx.Client, lang: str, **criteria: Any) -> httpx.Response:
    criteria.setdefault("work_kinds", ["packaging"])
    return client.post("/v1/match", json=criteria, headers={"Accept-Language": lang})


def test_a_french_speaker_searches_liege_and_reads_french_reasons(
    client: httpx.Client, etas: list[str]
) -> None:
    r = match(client, "fr-BE,fr;q=0.9,en;q=0.5", location={"place": "Liège"},
              max_distance_km=30, workers_needed=20, start_date="2027-01-15",
              preferred_certifications=["iso-9001", "haccp"])
    assert r.status_code == 200, r.text
    assert r.headers["content-language"] == "fr"
    answer = r.json()
    assert answer["location"]["resolved"]["place"] == "Liège"
    (first,) = answer["matches"]
    assert first["company"]["name"] == "Atelier des Coteaux de Meuse"
    said = {e["criterion"]: e["detail"] for e in first["explanation"]}
    assert said["work_kinds"] == "Propose Conditionnement & emballage."
    assert said["distance"].endswith("km du lieu demandé (limite 30 km).")
    assert said["capacity"].startswith("45 travailleurs disponibles pour Conditionnement")
    assert "(chiffre du " in said["capacity"]
    assert said["availability"] == (
        "Disponible à partir du 1er décembre 2026, à temps pour le début le 15 janvier 2027.")
    assert said["certifications"] == "Détient ISO 9001 ; n’a pas HACCP."


@pytest.mark.parametrize("place", ["Luik", "Liège", "Liege", "LIÈGE"])
def test_liege_by_its_dutch_and_french_names(client: httpx.Client, etas: list[str],
                                             place: str) -> None:
    r = match(client, "fr", location={"place": place, "country": "BE"}, max_distance_km=30)
    assert r.status_code == 200, r.text
    assert [m["company"]["name"] for m in r.json()["matches"]] == ["Atelier des Coteaux de Meuse"]


@pytest.mark.parametrize(
    ("asked", "found"),
    [("Bergen", "Mons"), ("Mons", "Mons"), ("Brussel", "Bruxelles"), ("Bruxelles", "Bruxelles"),
     ("Namen", "Namur"), ("Doornik", "Tournai"), ("Waver", "Wavre"), ("Anvers", "Antwerpen"),
     ("Gand", "Gent"), ("Malines", "Mechelen"), ("Courtrai", "Kortrijk"),
     ("Louvain-la-Neuve", "Louvain-la-Neuve"), ("Charleroi", "Charleroi"),
     ("Sint-Pieters-Woluwe", "Woluwe-Saint-Pierre"), ("Voeren", "Voeren"),
     ("Fourons", "Voeren"), ("Ronse", "Ronse"), ("Renaix", "Ronse")],
)
def test_belgian_places_by_their_dutch_and_french_names(
    client: httpx.Client, asked: str, found: str
) -> None:
    r = match(client, "fr", location={"place": asked, "country": "BE"})
    assert r.status_code == 200, r.text
    assert r.json()["location"]["resolved"]["place"] == found


def test_bergen_without_a_country_is_still_the_dutch_town(client: httpx.Client) -> None:
    r = match(client, "nl", location={"place": "Bergen"})
    assert r.status_code == 200, r.text
    assert r.json()["location"]["resolved"]["country"] == "NL"


def test_labels_follow_accept_language_french(client: httpx.Client) -> None:
    r = client.get("/v1/work-kinds", headers={"Accept-Language": "fr-BE"})
    assert r.status_code == 200
    items = {i["code"]: i for i in r.json()["items"]}
    assert items["green-maintenance"]["label"] == "Entretien des espaces verts"
    assert items["green-maintenance"]["labels"] == {
        "nl": "Groenonderhoud", "en": "Green maintenance", "fr": "Entretien des espaces verts"}
    certs = {c["code"]: c for c in r.json()["certifications"]}
    assert certs["haccp"]["label"] == "HACCP (sécurité alimentaire)"


def test_problem_details_speak_french(client: httpx.Client) -> None:
    r = match(client, "fr", location={"place": "Liège"}, workers_needed=100_001)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["content-language"] == "fr"
    (error,) = r.json()["errors"]
    assert error["code"] == "too_large"
    assert error["text"] == "Doit être au plus 100\u202f000."
    assert error["message"].startswith("Input should be")  # for developers: English


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fr", "Nous ne connaissons pas cette localité : « Xyzzyville »."),
     ("nl", "Deze plaats kennen we niet: 'Xyzzyville'."),
     ("en", "We do not know this place: 'Xyzzyville'.")],
)
def test_an_unknown_place_is_told_in_the_readers_language(
    client: httpx.Client, lang: str, text: str
) -> None:
    r = match(client, lang, location={"place": "Xyzzyville"})
    assert r.status_code == 422, r.text
    assert r.headers["content-language"] == lang
    assert [e["text"] for e in r.json()["errors"]] == [text]


def test_error_codes_list_french(client: httpx.Client) -> None:
    items = {i["code"]: i for i in client.get("/v1/error-codes").json()["items"]}
    assert items["required"]["fr"] == "Veuillez remplir ce champ."
    assert all(i["fr"] and i["fr"] != i["en"] for i in items.values())
