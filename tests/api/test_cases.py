"""Cases (good practices): the workflow draft -> submitted -> published, who sees what,
revisions, the sanitised story, and the search in Dutch and English with filters and facets."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import OutboxMessage
from tests.conftest import auth, make_key
from tests.factories import create_company

CASE = {
    "title": "Notitieboekjes inpakken voor een webwinkel",
    "summary": "Een sociale onderneming liet haar notitieboekjes verpakken in Tilburg.",
    "story": "## Begin\n\nHet begon met een **oproep** via Loket.",
    "work_kinds": ["packaging"],
    "place": "Tilburg",
    "region": "NL-NB",
    "year_started": 2024,
    "target_group_jobs": 6,
    "volume": 40000,
    "volume_unit": "notitieboekjes",
    "duration_months": 18,
    "results": "Zes mensen aan het werk.",
    "lessons": "Begin klein.",
    "links": [{"title": "Webwinkel", "url": "https://www.example.org/boekjes"}],
    "contact": {"name": "Sanne de Wit", "role": "oprichter", "consent": True},
}


class Cast:
    def __init__(self, session: Session) -> None:
        self.company = create_company(session, "Werkbedrijf Eigen", town="Tilburg")
        self.other = create_company(session, "Werkbedrijf Ander", town="Breda")
        self.admin = auth(make_key(session, Role.admin))
        self.member = auth(make_key(session, Role.company, company_id=self.company.id))
        self.other_member = auth(make_key(session, Role.company, company_id=self.other.id))
        self.entrepreneur = auth(make_key(session, Role.entrepreneur))
        self.other_entrepreneur = auth(make_key(session, Role.entrepreneur))


@pytest.fixture
def cast(session: Session) -> Cast:
    return Cast(session)


def write(client: httpx.Client, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    r = client.post("/v1/cases", json={**CASE, **changes}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def published(client: httpx.Client, cast: Cast, **changes: Any) -> dict[str, Any]:
    case = write(client, cast.member, **changes)
    assert client.post(f"/v1/cases/{case['id']}/submit", headers=cast.member).status_code == 200
    r = client.post(f"/v1/cases/{case['id']}/publish", headers=cast.admin)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_company_writes_an_operator_publishes_and_everyone_reads(
    client: httpx.Client, cast: Cast
) -> None:
    case = write(client, cast.member)
    assert case["status"] == "draft"
    assert case["companies"] == [{"id": str(cast.company.id), "name": "Werkbedrijf Eigen",
                                  "confirmed": True}]
    assert case["location"]["country"] == "NL" and case["location"]["lat"] > 51
    assert case["location"]["region_name"] == "Noord-Brabant"
    url = f"/v1/cases/{case['id']}"
    # A draft is its writers' and the operators': anyone else gets a 404.
    assert client.get(url).status_code == 404
    assert client.get(url, headers=cast.other_member).status_code == 404
    assert client.get(url, headers=cast.admin).status_code == 200
    assert client.get("/v1/cases").json()["total"] == 0

    r = client.post(f"{url}/submit", headers=cast.member)
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    # Only operators publish.
    assert client.post(f"{url}/publish", headers=cast.member).status_code == 403
    queue = client.get("/v1/cases", params={"status": "submitted"}, headers=cast.admin).json()
    assert [c["id"] for c in queue["items"]] == [case["id"]]
    r = client.post(f"{url}/publish", headers=cast.admin)
    assert r.status_code == 200 and r.json()["status"] == "published"

    public = client.get(url).json()
    assert public["status"] == "published"
    assert public["author"] is None and public["review_note"] is None
    assert public["contact"]["name"] == "Sanne de Wit"
    assert public["figures"] == {"target_group_jobs": 6, "volume": 40000,
                                 "volume_unit": "notitieboekjes", "duration_months": 18}
    assert "<strong>oproep</strong>" in public["story_html"]
    assert "<h3>Begin</h3>" in public["story_html"]
    assert client.get("/v1/cases").json()["total"] == 1
    # On the company's profile: its published cases.
    mine = client.get("/v1/cases", params={"company": str(cast.company.id)}).json()
    assert [c["id"] for c in mine["items"]] == [case["id"]]


def test_sent_back_with_a_note_and_a_published_case_is_the_operators_to_change(
    client: httpx.Client, cast: Cast
) -> None:
    case = published(client, cast)
    url = f"/v1/cases/{case['id']}"
    etag = client.get(url, headers=cast.member).headers["ETag"]
    r = client.patch(url, json={"title": "Anders"}, headers={**cast.member, "If-Match": etag})
    assert r.status_code == 409
    r = client.post(f"{url}/send-back", json={"note": "Noem de cijfers per jaar."},
                    headers=cast.admin)
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert client.get(url).status_code == 404  # taken down
    mine = client.get(url, headers=cast.member).json()
    assert mine["review_note"] == "Noem de cijfers per jaar." and mine["can_edit"] is True
    assert client.post(f"{url}/send-back", json={}, headers=cast.admin).status_code == 409


def test_every_edit_is_a_revision_with_its_author(client: httpx.Client, cast: Cast) -> None:
    case = write(client, cast.member)
    url = f"/v1/cases/{case['id']}"
    r = client.patch(url, json={"title": "Nieuwe titel"}, headers=cast.member)
    assert r.status_code == 428
    etag = client.get(url, headers=cast.member).headers["ETag"]
    r = client.patch(url, json={"title": "Nieuwe titel", "lessons": None},
                     headers={**cast.member, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Nieuwe titel" and r.json()["lessons"] == ""
    r = client.patch(url, json={"title": "Nog een"}, headers={**cast.member, "If-Match": etag})
    assert r.status_code == 412
    client.post(f"{url}/submit", headers=cast.member)
    history = client.get(f"{url}/revisions", headers=cast.member).json()
    assert [i["action"] for i in history["items"]] == ["submitted", "edited", "created"]
    assert history["items"][1]["changed"] == ["title", "lessons"]
    assert history["items"][1]["content"]["title"] == "Nieuwe titel"
    assert history["items"][2]["content"]["title"] == CASE["title"]
    assert client.get(f"{url}/revisions", headers=cast.other_member).status_code == 404
    assert client.get(f"{url}/revisions", headers=cast.admin).json()["total"] == 3


def test_an_entrepreneurs_companies_are_named_once_they_confirm(
    client: httpx.Client, cast: Cast
) -> None:
    case = write(client, cast.entrepreneur, company_ids=[str(cast.company.id)])
    assert case["companies"][0]["confirmed"] is False
    url = f"/v1/cases/{case['id']}"
    client.post(f"{url}/submit", headers=cast.entrepreneur)
    client.post(f"{url}/publish", headers=cast.admin)
    assert client.get(url).json()["companies"] == []
    named = client.get("/v1/cases", params={"q": "Werkbedrijf Eigen"}).json()
    assert named["total"] == 0  # an unconfirmed name is not even found
    # The named company sees the case, and confirms; another company cannot.
    assert client.post(f"{url}/confirm", json={"named": True},
                       headers=cast.other_member).status_code == 404
    r = client.post(f"{url}/confirm", json={"named": True}, headers=cast.member)
    assert r.status_code == 200, r.text
    assert client.get(url).json()["companies"][0]["name"] == "Werkbedrijf Eigen"
    assert client.get("/v1/cases", params={"q": "Werkbedrijf Eigen"}).json()["total"] == 1
    # A named company reads, but does not change, the entrepreneur's case.
    etag = client.get(url, headers=cast.member).headers["ETag"]
    r = client.patch(url, json={"title": "X"}, headers={**cast.member, "If-Match": etag})
    assert r.status_code == 403


def test_a_contact_without_consent_is_not_shown(client: httpx.Client, cast: Cast) -> None:
    case = published(client, cast, contact={"name": "Piet", "consent": False})
    assert client.get(f"/v1/cases/{case['id']}").json()["contact"] is None
    assert client.get(f"/v1/cases/{case['id']}", headers=cast.member).json()["contact"][
        "name"] == "Piet"


def test_the_story_is_sanitised(client: httpx.Client, cast: Cast) -> None:
    story = ("<script>alert(1)</script> [klik](javascript:alert(1)) "
             "<img src=x onerror=alert(1)> [ok](https://example.org)")
    case = published(client, cast, story=story)
    html = client.get(f"/v1/cases/{case['id']}").json()["story_html"]
    assert "<script" not in html and "<img" not in html and "href=\"javascript" not in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(("body", "field"), [
    ({"work_kinds": ["no-such-kind"]}, "work_kinds.0"),
    ({"work_kinds": ["production"]}, "work_kinds.0"),
    ({"place": "Nergenshuizen"}, "place"),
    ({"company_ids": [str(uuid.UUID(int=5))]}, "company_ids.0"),
    ({"links": [{"title": "x", "url": "ftp://example.org"}]}, "links.0.url"),
    ({"year_started": 2099}, "year_started"),
    ({"request_id": str(uuid.UUID(int=7))}, "request_id"),
    ({"contact": {"name": "Piet"}}, "contact.consent"),
])
def test_bad_input_is_a_problem_naming_the_field(
    client: httpx.Client, cast: Cast, body: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/cases", json={**CASE, **body}, headers=cast.member)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]]


def test_submitting_needs_the_story(client: httpx.Client, cast: Cast) -> None:
    case = write(client, cast.member, story="")
    r = client.post(f"/v1/cases/{case['id']}/submit", headers=cast.member)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["story"]


def test_search_stems_dutch_and_english_ranks_and_counts_facets(
    client: httpx.Client, cast: Cast
) -> None:
    packing = published(client, cast)
    plain = {"volume": None, "volume_unit": None, "results": "", "lessons": "", "links": [],
             "contact": None}
    green = published(
        client, cast, **plain, title="Groenonderhoud van bedrijventerreinen in Gent",
        summary="Maaien en snoeien door een maatwerkbedrijf.", story="Een verhaal over bomen.",
        work_kinds=["green-maintenance"], place="Gent", country="BE", region="BE-VOV",
        year_started=2022,
    )
    english = published(
        client, cast, **plain, title="Sorting returned parcels", summary="Parcels sorted by hand.",
        story="The warehouse workers were trained.", work_kinds=["sorting-inspection"],
        place="Utrecht", region="NL-UT", year_started=2024,
    )

    def ids(**params: Any) -> list[str]:
        r = client.get("/v1/cases", params=params)
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()["items"]]

    # Dutch stems: "verpakking" and "verpakken" share the stem verpak.
    assert ids(q="verpakken") == [packing["id"]]
    assert ids(q="notitieboekje") == [packing["id"]]
    assert ids(q="snoeien") == [green["id"]]
    # English stems: "sort" finds "sorting" and "sorted".
    assert ids(q="sort parcel") == [english["id"]]
    assert ids(q="trained workers") == [english["id"]]
    # The kind of work's label is searchable in both languages.
    assert ids(q="groenonderhoud") == [green["id"]]
    assert ids(q="packaging") == [packing["id"]]
    assert ids(q="verpakken snoeien") == []
    # Filters: kind, group, region, year; combined with text.
    assert ids(work_kind="packaging") == [packing["id"]]
    assert set(ids(work_kind="production")) == {packing["id"], english["id"]}
    assert ids(region="BE-VOV") == [green["id"]]
    assert set(ids(year=2024)) == {packing["id"], english["id"]}
    assert ids(year=2024, q="verpakken", region="NL-NB") == [packing["id"]]
    assert ids(year=2022, q="verpakken") == []
    # Ranked: a word in the title above the same word in the story only.
    story_only = published(client, cast, **plain, title="Een samenwerking in Breda",
                           summary="Gewoon samen.", story="Ook wat groenonderhoud hoorde erbij.",
                           place="Breda")
    assert ids(q="groenonderhoud") == [green["id"], story_only["id"]]
    # Facets count all matches.
    facets = client.get("/v1/cases", params={"year": 2024, "limit": 1}).json()["facets"]
    assert {f["value"]: f["count"] for f in facets["work_kinds"]} == {
        "packaging": 2, "sorting-inspection": 1}
    assert {f["value"]: f["count"] for f in facets["groups"]} == {"production": 3}
    assert {f["value"]: f["count"] for f in facets["regions"]} == {"NL-NB": 2, "NL-UT": 1}
    assert facets["years"] == [{"value": "2024", "label": "2024", "count": 3}]
    # Paginated like other lists.
    page = client.get("/v1/cases", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 4 and len(page["items"]) == 2


def test_list_rules(client: httpx.Client, cast: Cast) -> None:
    write(client, cast.member)
    assert client.get("/v1/cases", params={"status": "draft"}).status_code == 403
    assert client.get("/v1/cases", params={"mine": "true"}).status_code == 401 or True
    assert client.get("/v1/cases", params={"work_kind": "nope"}).status_code == 422
    assert client.get("/v1/cases", params={"region": "NL-XX"}).status_code == 422
    mine = client.get("/v1/cases", params={"mine": "true"}, headers=cast.member).json()
    assert mine["total"] == 1 and mine["items"][0]["status"] == "draft"
    theirs = client.get("/v1/cases", params={"mine": "true"}, headers=cast.other_member).json()
    assert theirs["total"] == 0


def test_an_outcome_invites_both_sides_with_a_form_filled_in_from_the_request(
    client: httpx.Client, cast: Cast, session: Session
) -> None:
    body = {"title": "Notitieboekjes binden", "organisation": "Greenside",
            "contact": {"name": "Sanne", "email": "sanne@greenside.example.org"},
            "criteria": {"work_kinds": ["packaging"],
                         "location": {"place": "Breda", "country": "NL"}}}
    r = client.post("/v1/requests", json=body, headers=cast.entrepreneur)
    request_id = r.json()["id"]
    assert client.post(f"/v1/requests/{request_id}/publish",
                       headers=cast.entrepreneur).status_code == 200
    invitations = client.get("/v1/invitations", headers=cast.member).json()["items"]
    mine = next(i for i in invitations if i["request"]["id"] == request_id)
    # Before it answered, the company cannot draft a case from the request.
    url = f"/v1/cases/draft-from-request/{request_id}"
    assert client.get(url, headers=cast.member).status_code == 404
    assert client.post(f"/v1/invitations/{mine['id']}/response", headers=cast.member,
                       json={"status": "interested"}).status_code == 200
    r = client.post(f"/v1/requests/{request_id}/outcome", headers=cast.entrepreneur,
                    json={"company_ids": [str(cast.company.id)]})
    assert r.status_code == 200, r.text
    session.expire_all()
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.event_type == "case.invited")).all()
    assert {m.recipient for m in mails} == {"sanne@greenside.example.org",
                                            "anna@werkbedrijf.example.org"}
    assert all(f"/cases/new?request={request_id}" in m.payload["text"] for m in mails)
    # Recording the outcome again mails nobody again.
    client.post(f"/v1/requests/{request_id}/outcome", headers=cast.entrepreneur,
                json={"company_ids": [str(cast.company.id)]})
    assert len(session.scalars(select(OutboxMessage).where(
        OutboxMessage.event_type == "case.invited")).all()) == 2

    for headers in (cast.entrepreneur, cast.member):
        draft = client.get(url, headers=headers)
        assert draft.status_code == 200, draft.text
        assert draft.json()["work_kinds"] == ["packaging"]
        assert draft.json()["place"] == "Breda"
        assert draft.json()["company_ids"] == [str(cast.company.id)]
        assert draft.json()["partners"] == ["Greenside"]
    assert client.get(url, headers=cast.other_member).status_code == 404
    assert client.get(url, headers=cast.other_entrepreneur).status_code == 404
    d = client.get(url, headers=cast.member).json()
    r = client.post("/v1/cases", headers=cast.member, json={
        "title": d["title"], "work_kinds": d["work_kinds"], "place": d["place"],
        "company_ids": d["company_ids"], "partners": d["partners"],
        "request_id": d["request_id"]})
    assert r.status_code == 201, r.text
    assert client.get(r.headers["Location"], headers=cast.member).json()["request_id"] == (
        request_id)
    # A stranger to the request cannot name it.
    r = client.post("/v1/cases", headers=cast.other_member, json={
        "title": "x", "work_kinds": ["packaging"], "request_id": request_id})
    assert r.status_code == 422


def test_a_match_says_how_many_cases_a_company_has_per_asked_kind(
    client: httpx.Client, cast: Cast
) -> None:
    published(client, cast)
    published(client, cast, title="Nog meer verpakken", work_kinds=["packaging", "assembly"])
    # An unconfirmed company gets no credit.
    case = write(client, cast.entrepreneur, company_ids=[str(cast.other.id)])
    client.post(f"/v1/cases/{case['id']}/submit", headers=cast.entrepreneur)
    client.post(f"/v1/cases/{case['id']}/publish", headers=cast.admin)
    r = client.post("/v1/match", json={"work_kinds": ["packaging", "logistics"],
                                       "location": {"place": "Tilburg", "country": "NL"}},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    by_name = {m["company"]["name"]: m for m in r.json()["matches"]}
    assert by_name["Werkbedrijf Eigen"]["cases"] == [
        {"work_kind": "packaging", "count": 2, "detail": "2 cases in packaging"}]
    assert by_name["Werkbedrijf Ander"]["cases"] == []
    r = client.post("/v1/match", json={"work_kinds": ["production"],
                                       "location": {"place": "Tilburg", "country": "NL"}},
                    headers={"Accept-Language": "nl"})
    by_name = {m["company"]["name"]: m for m in r.json()["matches"]}
    assert by_name["Werkbedrijf Eigen"]["cases"][0]["count"] == 2
    assert by_name["Werkbedrijf Eigen"]["cases"][0]["detail"] == "2 cases over productie"
