"""Stored requests are checked when they are stored, as `POST /v1/match` checks criteria, and a
draft can be corrected with `PATCH` and `If-Match` until it is published."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.config import Settings
from app.errors import PreconditionFailed
from app.models import Request, utcnow
from app.requests import service
from app.requests.schemas import RequestUpdate
from tests.conftest import ADMIN, auth, make_key
from tests.factories import create_company

PROBLEM = "application/problem+json"
TILBURG = {"place": "Tilburg", "country": "NL"}


def local_today(settings: Settings) -> date:
    return utcnow().astimezone(ZoneInfo(settings.callout_timezone)).date()


def body(settings: Settings, **fields: Any) -> dict[str, Any]:
    criteria = fields.pop("criteria", {})
    return {
        "title": "Notitieboekjes inpakken",
        "description": "Lokaal inpakken.",
        "organisation": "Green Side",
        "contact": {"name": "Sanne", "email": "sanne@greenside.example.org"},
        "criteria": {"work_kinds": ["packaging"], "location": TILBURG, "workers_needed": 5,
                     **criteria},
        "deadline": (local_today(settings) + timedelta(days=30)).isoformat(),
        **fields,
    }


def store(client: httpx.Client, headers: dict[str, str], settings: Settings,
          **fields: Any) -> httpx.Response:
    r = client.post("/v1/requests", json=body(settings, **fields), headers=headers)
    assert r.status_code == 201, r.text
    return r


def errors_of(r: httpx.Response, status: int = 422) -> list[tuple[str, str]]:
    """(field, code) of each error in a problem+json answer."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    return [(e["field"], e["type"]) for e in r.json()["errors"]]


# --- checked when stored ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"criteria": {"work_kinds": ["packaging", "underwater-welding"]}},
         ("criteria.work_kinds.1", "unknown_work_kind")),
        ({"criteria": {"required_certifications": ["iso-1"]}},
         ("criteria.required_certifications.0", "unknown_certification")),
        ({"criteria": {"preferred_certifications": ["pso", "xyz"]}},
         ("criteria.preferred_certifications.1", "unknown_certification")),
        ({"criteria": {"location": {"place": "Nergenshuizen", "country": "NL"}}},
         ("criteria.location.place", "unknown_location")),
        ({"criteria": {"location": {"postcode": "1000", "country": "NL"}}},
         ("criteria.location.postcode", "unknown_location")),
        ({"deadline": "2020-01-01"}, ("deadline", "date_in_past")),
        ({"deadline": "2099-12-31"}, ("deadline", "date_too_far")),
    ],
    ids=["work-kind", "required-cert", "preferred-cert", "place", "postcode", "past", "far"],
)
def test_what_no_match_could_use_is_refused_when_stored(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings,
    fields: dict[str, Any], error: tuple[str, str],
) -> None:
    r = client.post("/v1/requests", json=body(settings, **fields), headers=entrepreneur_headers)
    assert errors_of(r) == [error]
    assert client.get("/v1/requests", headers=entrepreneur_headers).json()["total"] == 0


def test_the_errors_say_what_post_match_says(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    criteria = {"work_kinds": ["underwater-welding"],
                "location": {"place": "Nergenshuizen", "country": "NL"}}
    direct = client.post("/v1/match", json={**criteria, "location": TILBURG})
    assert errors_of(direct) == [("work_kinds.0", "unknown_work_kind")]
    place = client.post("/v1/match", json={"work_kinds": ["packaging"],
                                           "location": criteria["location"]})
    stored = client.post("/v1/requests", json=body(settings, criteria=criteria),
                         headers=entrepreneur_headers)

    assert {e["field"]: e["message"] for e in stored.json()["errors"]} == {
        f"criteria.{e['field']}": e["message"]
        for e in (*direct.json()["errors"], *place.json()["errors"])
    }


def test_every_error_comes_at_once(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    fields = {
        "criteria": {"work_kinds": ["packaging", "nope", "also-nope"],
                     "location": {"place": "Nergenshuizen", "country": "NL"},
                     "required_certifications": ["iso-1"]},
        "deadline": (local_today(settings) - timedelta(days=1)).isoformat(),
    }
    r = client.post("/v1/requests", json=body(settings, **fields), headers=entrepreneur_headers)
    assert errors_of(r) == [
        ("criteria.work_kinds.1", "unknown_work_kind"),
        ("criteria.work_kinds.2", "unknown_work_kind"),
        ("criteria.location.place", "unknown_location"),
        ("criteria.required_certifications.0", "unknown_certification"),
        ("deadline", "date_in_past"),
    ]


def test_an_unknown_place_alone_is_the_problem_post_match_gives(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    location = {"place": "Nergenshuizen", "country": "NL"}
    stored = client.post("/v1/requests", json=body(settings, criteria={"location": location}),
                         headers=entrepreneur_headers)
    direct = client.post("/v1/match", json={"work_kinds": ["packaging"], "location": location})
    assert stored.status_code == direct.status_code == 422
    assert stored.json()["type"] == direct.json()["type"]
    assert stored.json()["detail"] == direct.json()["detail"]


def test_groups_known_codes_and_a_deadline_of_today_are_fine(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    r = store(client, entrepreneur_headers, settings,
              criteria={"work_kinds": ["production", "packaging"],
                        "required_certifications": ["haccp"],
                        "preferred_certifications": ["pso", "iso-9001"]},
              deadline=local_today(settings).isoformat())
    assert r.json()["criteria"]["work_kinds"] == ["production", "packaging"]
    far = (local_today(settings) + timedelta(days=366)).isoformat()
    assert store(client, entrepreneur_headers, settings, deadline=far).json()["deadline"] == far
    assert store(client, entrepreneur_headers, settings, deadline=None).json()["deadline"] is None


def test_post_and_get_give_the_etag(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    created = store(client, entrepreneur_headers, settings)
    assert created.headers["etag"] == '"1"'
    assert created.json()["version"] == 1
    read = client.get(created.headers["location"], headers=entrepreneur_headers)
    assert read.headers["etag"] == created.headers["etag"]
    assert read.json() == created.json()


def test_saving_twice_with_one_idempotency_key_makes_one_draft(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    headers = {**entrepreneur_headers, "Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/v1/requests", json=body(settings), headers=headers)
    again = client.post("/v1/requests", json=body(settings), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["etag"] == first.headers["etag"]
    assert client.get("/v1/requests", headers=entrepreneur_headers).json()["total"] == 1


# --- PATCH a draft ------------------------------------------------------------------------------


def patch(client: httpx.Client, read: httpx.Response, headers: dict[str, str],
          changes: Any, etag: str | None = None) -> httpx.Response:
    """PATCH the request of an earlier answer, with that answer's ETag unless told."""
    tag = read.headers["etag"] if etag is None else etag
    return client.patch(f"/v1/requests/{read.json()['id']}", json=changes,
                        headers={**headers, "If-Match": tag})


def test_patch_changes_only_what_is_sent(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    created = store(client, entrepreneur_headers, settings)
    before = created.json()

    r = patch(client, created, entrepreneur_headers, {"title": "Notitieboekjes binden"})

    assert r.status_code == 200, r.text
    after = r.json()
    assert after["title"] == "Notitieboekjes binden"
    assert after["version"] == 2
    assert r.headers["etag"] == '"2"'
    assert r.headers["cache-control"] == "no-store"
    assert after["updated_at"] > before["updated_at"]
    unchanged = ("id", "description", "organisation", "contact", "criteria", "deadline",
                 "status", "created_at")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    read = client.get(created.headers["location"], headers=entrepreneur_headers)
    assert read.json() == after
    assert read.headers["etag"] == '"2"'


def test_patch_replaces_the_whole_criteria_and_clears_nullable_fields(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    created = store(client, entrepreneur_headers, settings)
    r = patch(client, created, entrepreneur_headers, {
        "criteria": {"work_kinds": ["assembly"], "location": {"place": "Breda", "country": "NL"}},
        "organisation": None, "contact": None, "deadline": None, "description": "",
    })
    assert r.status_code == 200, r.text
    stored = r.json()
    assert stored["criteria"]["work_kinds"] == ["assembly"]
    assert stored["criteria"]["location"] == {"place": "Breda", "country": "NL", "postcode": None,
                                              "lat": None, "lon": None}
    assert stored["criteria"]["workers_needed"] is None  # not kept from the old criteria
    assert (stored["organisation"], stored["contact"], stored["deadline"]) == (None, None, None)
    assert stored["description"] == ""


def test_the_corrected_request_matches_and_publishes(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str],
    settings: Settings,
) -> None:
    """The case of the report: a request whose deadline passed while it lay in draft could
    never be published. Now it can be corrected."""
    create_company(session, "Werkbedrijf Tilburg")
    created = store(client, entrepreneur_headers, settings)
    request_id = created.json()["id"]
    session.execute(update(Request).where(Request.id == uuid.UUID(request_id))
                    .values(deadline=date(2026, 1, 2)))
    session.commit()
    publish = f"/v1/requests/{request_id}/publish"
    refused = errors_of(client.post(publish, headers=entrepreneur_headers))
    assert [field for field, _ in refused] == ["deadline"]

    later = (local_today(settings) + timedelta(days=14)).isoformat()
    fixed = patch(client, created, entrepreneur_headers, {"deadline": later})
    assert fixed.status_code == 200, fixed.text

    r = client.post(publish, headers=entrepreneur_headers)
    assert r.status_code == 200, r.text
    assert (r.json()["invited"], r.json()["respond_by"]) == (1, later)


def test_an_empty_patch_changes_nothing(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    created = store(client, entrepreneur_headers, settings)
    r = patch(client, created, entrepreneur_headers, {})
    assert r.status_code == 200, r.text
    assert r.json() == created.json()
    assert r.headers["etag"] == created.headers["etag"]
    # Sending what is already there changes nothing either.
    same = patch(client, created, entrepreneur_headers, {"title": created.json()["title"]})
    assert same.json() == created.json()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"status": "published"}, ("status", "extra_forbidden")),
        ({"owner_id": str(uuid.UUID(int=7))}, ("owner_id", "extra_forbidden")),
        ({"title": None}, ("title", "string_type")),
        ({"title": ""}, ("title", "string_too_short")),
        ({"criteria": None}, ("criteria", "model_attributes_type")),
        ({"criteria": {"work_kinds": []}}, ("criteria.work_kinds", "too_short")),
        ({"criteria": {"work_kinds": ["packaging"], "max_distance_km": 40}},
         ("criteria", "value_error")),
        ({"criteria": {"work_kinds": ["packaging"], "colour": "red"}},
         ("criteria.colour", "extra_forbidden")),
        ({"criteria": {"work_kinds": ["underwater-welding"]}},
         ("criteria.work_kinds.0", "unknown_work_kind")),
        ({"criteria": {"work_kinds": ["packaging"], "required_certifications": ["iso-1"]}},
         ("criteria.required_certifications.0", "unknown_certification")),
        ({"criteria": {"work_kinds": ["packaging"],
                       "location": {"place": "Nergenshuizen", "country": "NL"}}},
         ("criteria.location.place", "unknown_location")),
        ({"deadline": "2026-01-02"}, ("deadline", "date_in_past")),
        ({"deadline": "2099-12-31"}, ("deadline", "date_too_far")),
        ({"deadline": "morgen"}, ("deadline", "date_from_datetime_parsing")),
        ([], ("body", "model_attributes_type")),
    ],
    ids=["status", "owner", "null-title", "empty-title", "null-criteria", "no-kinds",
         "distance-without-location", "unknown-criterion", "work-kind", "cert", "place",
         "past", "far", "not-a-date", "not-an-object"],
)
def test_a_patch_is_checked_as_a_post_and_changes_nothing_when_refused(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings,
    changes: Any, error: tuple[str, str],
) -> None:
    created = store(client, entrepreneur_headers, settings)
    r = patch(client, created, entrepreneur_headers, changes)
    assert errors_of(r) == [error]
    read = client.get(created.headers["location"], headers=entrepreneur_headers)
    assert read.json() == created.json()


def test_patch_needs_the_current_etag(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    created = store(client, entrepreneur_headers, settings)
    url = created.headers["location"]

    missing = client.patch(url, json={"title": "Zonder"}, headers=entrepreneur_headers)
    assert missing.status_code == 428
    assert missing.headers["content-type"].startswith(PROBLEM)

    first = patch(client, created, entrepreneur_headers, {"title": "Eerste"})
    assert first.status_code == 200
    stale = patch(client, created, entrepreneur_headers, {"title": "Tweede"})
    assert stale.status_code == 412
    assert stale.headers["content-type"].startswith(PROBLEM)
    assert stale.json()["current_etag"] == first.headers["etag"]
    assert client.get(url, headers=entrepreneur_headers).json()["title"] == "Eerste"

    # Any version (`*`), or a list holding the current one, is fine.
    assert patch(client, created, entrepreneur_headers, {"title": "Derde"},
                 etag=f'"99", {first.headers["etag"]}').status_code == 200
    assert patch(client, created, entrepreneur_headers, {"title": "Vierde"},
                 etag="*").json()["version"] == 4


def test_a_published_or_closed_request_cannot_be_changed(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str],
    settings: Settings,
) -> None:
    create_company(session, "Werkbedrijf Tilburg")
    created = store(client, entrepreneur_headers, settings)
    url = created.headers["location"]
    assert client.post(f"{url}/publish", headers=entrepreneur_headers).status_code == 200
    published = client.get(url, headers=entrepreneur_headers)
    assert published.headers["etag"] != created.headers["etag"]  # publishing is a change

    r = patch(client, published, entrepreneur_headers, {"title": "Te laat"})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith(PROBLEM)
    assert "published" in r.json()["detail"]
    # A stale tag is told first: read again, then see why.
    assert patch(client, created, entrepreneur_headers, {"title": "x"}).status_code == 412

    assert client.post(f"{url}/close", headers=entrepreneur_headers).status_code == 200
    closed = client.get(url, headers=entrepreneur_headers)
    assert patch(client, closed, entrepreneur_headers, {"title": "Te laat"}).status_code == 409
    assert client.get(url, headers=entrepreneur_headers).json()["title"] == created.json()["title"]


def test_only_the_owner_changes_a_request(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str],
    admin_headers: dict[str, str], settings: Settings,
) -> None:
    created = store(client, entrepreneur_headers, settings)
    request_id = created.json()["id"]
    stranger = auth(make_key(session, Role.entrepreneur, name="another entrepreneur"))
    partner = auth(make_key(session, Role.partner))

    def patch_as(headers: dict[str, str], path_id: str) -> httpx.Response:
        return client.patch(f"/v1/requests/{path_id}", json={"title": "Overgenomen"},
                            headers={**headers, "If-Match": "*"})

    missing = str(uuid.uuid4())
    for headers in (stranger, partner):
        theirs = patch_as(headers, request_id)
        assert theirs.status_code == 404
        # Exactly what an id that does not exist gets.
        assert theirs.text.replace(request_id, "ID") == patch_as(headers, missing).text.replace(
            missing, "ID")
    # Without If-Match too: nothing tells "not yours" from "not there".
    assert client.patch(f"/v1/requests/{request_id}", json={},
                        headers=stranger).status_code == 404

    company = create_company(session)
    assert patch_as(auth(make_key(session, Role.company, company_id=company.id)),
                    request_id).status_code == 403
    assert client.patch(f"/v1/requests/{request_id}", json={},
                        headers={"If-Match": "*"}).status_code == 401
    assert client.get(f"/v1/requests/{request_id}",
                      headers=entrepreneur_headers).json() == created.json()

    # Operators may correct any request.
    assert patch_as(admin_headers, request_id).json()["title"] == "Overgenomen"


def test_a_change_committed_after_the_read_is_412_not_lost(
    session: Session, entrepreneur_headers: dict[str, str], client: httpx.Client,
    settings: Settings,
) -> None:
    """Two PATCHes that both passed the If-Match check: the second one's conditional UPDATE
    matches no row, and it is told so instead of overwriting the first."""
    created = store(client, entrepreneur_headers, settings)
    request_id = uuid.UUID(created.json()["id"])
    service.get_owned_request(session, request_id, ADMIN)  # read at version 1
    # Another transaction's change, behind this session's back.
    session.connection().execute(
        update(Request.__table__).where(Request.__table__.c.id == request_id)
        .values(title="Ertussendoor", version=2)
    )
    with pytest.raises(PreconditionFailed):
        service.update_request(session, request_id, RequestUpdate(title="Later"), ADMIN,
                               settings, if_match='"1"')
