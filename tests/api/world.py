"""Two companies, two entrepreneurs, a partner with a server key and a browser key, and an
operator: the cast of the access tests, with the objects each owns. Three of them are also
people signed in with a session cookie: a member of the first company, the first entrepreneur
(whose key acts for the same account) and an operator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.keys import parse_key
from app.accounts.principal import Role
from app.accounts.repository import get_by_prefix
from app.alerts.tokens import make_token as make_unsubscribe_token
from app.config import Settings
from app.main import create_app
from app.models import ApiKey, Capability, Invitation, WebhookEndpoint, utcnow
from tests.conftest import TEST_SECRET_KEY, auth, make_key
from tests.factories import (
    SignedInPerson,
    company_profile,
    create_company,
    create_person,
    sign_in,
)

PARTNER_ORIGIN = "https://partner.example.org"
CONTACT_EMAIL = "anna@werkbedrijf.example.org"
ROLES = (
    "anonymous",
    "admin",
    "company",
    "other_company",
    "entrepreneur",
    "other_entrepreneur",
    "partner",
    "publishable",
    "member",
    "person",
    "operator",
)
# Signed-in people (cookie and CSRF token) and the key role each acts exactly like.
PEOPLE = {"member": "company", "person": "entrepreneur", "operator": "admin"}
REQUEST_BODY = {"title": "Notitieboekjes binden", "contact": {"name": "Sanne",
                "email": "sanne@greenside.example.org"},
                "criteria": {"work_kinds": ["packaging"],
                             "location": {"place": "Breda", "country": "NL"}}}
# Operations a draft request allows, but not a published one: called on the entrepreneur's
# draft rather than on its published request.
DRAFT_ONLY = {("PATCH", "/v1/requests/{request_id}")}
CASE_BODY = {"title": "Notitieboekjes voor een webwinkel", "work_kinds": ["packaging"],
             "summary": "Samen verpakken.", "story": "Het begon met een oproep."}
MATCH_BODY = {"work_kinds": ["packaging"], "location": {"place": "Breda", "country": "NL"}}


def openapi_operations() -> list[tuple[str, str]]:
    """Every (method, path) the app documents, read from its own OpenAPI document."""
    app = create_app(Settings(env="test", database_url="sqlite://", secret_key=TEST_SECRET_KEY))
    return sorted(
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


def key_id_of(session: Session, secret: str) -> uuid.UUID:
    parsed = parse_key(secret)
    assert parsed is not None
    key = get_by_prefix(session, parsed.prefix)
    assert key is not None
    return key.id


@dataclass
class World:
    secrets: dict[str, str | None]
    company_id: uuid.UUID
    other_company_id: uuid.UUID
    request_id: uuid.UUID  # published
    draft_request_id: uuid.UUID
    other_request_id: uuid.UUID  # a draft
    invitation_id: uuid.UUID
    endpoint_id: uuid.UUID
    # A spare key of each owner, for the key paths (revoking your own calling key would end
    # the test early).
    spare_keys: dict[str, uuid.UUID] = field(default_factory=dict)
    people: dict[str, SignedInPerson] = field(default_factory=dict)
    # The entrepreneur person's other browser session, for the session paths.
    spare_session_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    colleague_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    # The entrepreneur's organisation; a partnership the company proposed to the other
    # entrepreneur's organisation; the company's network and its member (that organisation).
    organisation_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    partnership_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    network_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    member_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    # The entrepreneur person's saved search.
    saved_search_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    # The first company's first capability: an HSDS service (/hsds/services/{service_id}).
    service_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    # Drafts: the first company's case, and the first entrepreneur's.
    case_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    entrepreneur_case_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))

    def ids(self, **overrides: uuid.UUID) -> dict[str, uuid.UUID]:
        """The objects of the first company and entrepreneur (and the partner's webhook)."""
        return {
            "company_id": self.company_id,
            "request_id": self.request_id,
            "key_id": self.spare_keys["company"],
            "invitation_id": self.invitation_id,
            "endpoint_id": self.endpoint_id,
            "session_id": self.spare_session_id,
            "user_id": self.colleague_id,
            "organisation_id": self.organisation_id,
            "partnership_id": self.partnership_id,
            "network_id": self.network_id,
            "member_id": self.member_id,
            "saved_search_id": self.saved_search_id,
            "organization_id": self.company_id,
            "service_id": self.service_id,
            "case_id": self.case_id,
            **overrides,
        }

    def ids_for(self, method: str, path: str, **overrides: uuid.UUID) -> dict[str, uuid.UUID]:
        """`ids`, with the entrepreneur's draft for what only a draft allows."""
        ids = self.ids(**overrides)
        if (method, path) in DRAFT_ONLY and ids["request_id"] == self.request_id:
            ids["request_id"] = self.draft_request_id
        return ids

    def headers(self, role: str) -> dict[str, str]:
        if role in PEOPLE:
            return self.people[role].headers()
        secret = self.secrets[role]
        if secret is None:
            return {}
        headers = auth(secret)
        if role == "publishable":
            headers["Origin"] = PARTNER_ORIGIN
        return headers


def build_world(session: Session, client: httpx.Client) -> World:
    company = create_company(session, "Werkbedrijf Eigen", town="Tilburg")
    other = create_company(session, "Werkbedrijf Ander", town="Breda")
    users = {
        "member": create_person(session, "lid@werkbedrijf.example.org", role="company",
                                company_id=company.id),
        "person": create_person(session, "sanne@greenside.example.org"),
        "operator": create_person(session, "olga@loket.example", role="admin"),
    }
    people = {role: sign_in(session, client, user.id) for role, user in users.items()}
    # A second member of the first company, for the member paths.
    colleague = create_person(session, "collega@werkbedrijf.example.org", role="company",
                              company_id=company.id)
    spare_session = sign_in(session, client, users["person"].id)
    secrets: dict[str, str | None] = {
        "anonymous": None,
        "admin": make_key(session, Role.admin),
        "company": make_key(session, Role.company, company_id=company.id),
        "other_company": make_key(session, Role.company, company_id=other.id),
        # The signed-in entrepreneur's own key: both act for one account.
        "entrepreneur": make_key(session, Role.entrepreneur, owner_id=users["person"].id),
        "other_entrepreneur": make_key(session, Role.entrepreneur),
        "partner": make_key(session, Role.partner),
        "other_partner": make_key(session, Role.partner),
        "publishable": make_key(session, Role.partner, publishable=True,
                                allowed_origins=[PARTNER_ORIGIN]),
    }
    ids = {}
    for role in ("entrepreneur", "other_entrepreneur", "draft"):
        owner = "entrepreneur" if role == "draft" else role
        r = client.post("/v1/requests", json=REQUEST_BODY, headers=auth(secrets[owner] or ""))
        assert r.status_code == 201, r.text
        ids[role] = uuid.UUID(r.json()["id"])
    r = client.post(f"/v1/requests/{ids['entrepreneur']}/publish",
                    headers=auth(secrets["entrepreneur"] or ""))
    assert r.status_code == 200, r.text
    session.expire_all()
    invitation = session.scalars(
        select(Invitation).where(Invitation.company_id == company.id)
    ).first()
    assert invitation is not None
    partner_owner = session.get_one(ApiKey, key_id_of(session, secrets["partner"] or "")).owner_id
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(), owner_id=partner_owner, url="https://8.8.8.8/loket",
        events=["company.updated"], secret="s" * 40, active=True, created_at=utcnow(),
    )
    session.add(endpoint)
    session.commit()
    world = World(
        secrets=secrets,
        company_id=company.id,
        other_company_id=other.id,
        request_id=ids["entrepreneur"],
        draft_request_id=ids["draft"],
        other_request_id=ids["other_entrepreneur"],
        invitation_id=invitation.id,
        endpoint_id=endpoint.id,
        people=people,
        spare_session_id=spare_session.session_id,
        colleague_id=colleague.id,
        service_id=session.scalars(
            select(Capability.id).where(Capability.company_id == company.id)
        ).first() or uuid.UUID(int=0),
    )
    _partners_world(client, world)
    r = client.post("/v1/saved-searches", headers=people["person"].headers(),
                    json={"name": "Inpakken", "criteria": MATCH_BODY, "frequency": "weekly"})
    assert r.status_code == 201, r.text
    world.saved_search_id = uuid.UUID(r.json()["id"])
    for role, attribute in (("company", "case_id"), ("entrepreneur", "entrepreneur_case_id")):
        r = client.post("/v1/cases", json=CASE_BODY, headers=auth(secrets[role] or ""))
        assert r.status_code == 201, r.text
        setattr(world, attribute, uuid.UUID(r.json()["id"]))
    world.spare_keys["company"] = key_id_of(
        session, make_key(session, Role.company, company_id=company.id, name="spare")
    )
    for role in ("entrepreneur", "other_entrepreneur"):
        owner = session.get_one(ApiKey, key_id_of(session, secrets[role] or "")).owner_id
        world.spare_keys[role] = key_id_of(
            session, make_key(session, Role.entrepreneur, owner_id=owner, name="spare")
        )
    return world


ORGANISATION_BODY = {"name": "Kringloop Test", "kind": "shop",
                     "location": {"place": "Breda", "country": "NL"}}


def _partners_world(client: httpx.Client, world: World) -> None:
    """Organisations, a proposed partnership and a network (issue 18)."""
    orgs = {}
    for role in ("entrepreneur", "other_entrepreneur"):
        r = client.post("/v1/organisations", json=ORGANISATION_BODY,
                        headers=world.headers(role))
        assert r.status_code == 201, r.text
        orgs[role] = r.json()["id"]
    world.organisation_id = uuid.UUID(orgs["entrepreneur"])
    r = client.post("/v1/partnerships", headers=world.headers("company"), json={
        "organisation_id": orgs["other_entrepreneur"], "company_id": str(world.company_id),
        "kind": "supplier"})
    assert r.status_code == 201, r.text
    world.partnership_id = uuid.UUID(r.json()["id"])
    r = client.post("/v1/networks", headers=world.headers("company"), json={
        "name": "Werkgeverscoöperatie Test", "location": {"place": "Tilburg", "country": "NL"},
        "members": [{"organisation_id": orgs["other_entrepreneur"]}]})
    assert r.status_code == 201, r.text
    world.network_id = uuid.UUID(r.json()["id"])
    world.member_id = uuid.UUID(next(m["id"] for m in r.json()["members"]
                                     if m["member_type"] == "organisation"))


def call(
    client: httpx.Client,
    method: str,
    path: str,
    headers: dict[str, str],
    **ids: uuid.UUID,
) -> httpx.Response:
    """One call of an operation with a valid body, the given objects in its path."""
    url = path.format(delivery_id=uuid.UUID(int=1), **ids)
    company_id = ids.get("company_id")
    body: Any = None
    extra: dict[str, str] = {}
    match (method, path):
        case ("POST", "/v1/companies"):
            body = company_profile("Werkbedrijf Nieuw")
        case ("PATCH", "/v1/companies/{company_id}"):
            body = {"description": "Gewijzigd."}
            extra["If-Match"] = "*"
        case ("POST", "/v1/match"):
            body = MATCH_BODY
        case ("POST", "/v1/requests"):
            body = REQUEST_BODY
        case ("PATCH", "/v1/requests/{request_id}"):
            body = {"title": "Notitieboekjes inpakken"}
            extra["If-Match"] = "*"
        case ("POST", "/v1/api-keys"):
            body = {"name": "member", "role": "company", "company_id": str(company_id)}
        case ("POST", "/v1/api-keys/{key_id}/rotate"):
            body = {}
        case ("POST", "/v1/privacy/contacts/export") | ("POST", "/v1/privacy/contacts/erase"):
            body = {"email": CONTACT_EMAIL}
        case ("POST", "/v1/requests/{request_id}/outcome"):
            body = {"company_ids": []}
        case ("POST", "/v1/requests/{request_id}/widen"):
            body = {"work_kinds": ["production"]}
        case ("POST", "/v1/invitations/{invitation_id}/response"):
            body = {"status": "interested", "message": "Graag."}
        case ("POST", "/v1/auth/links"):
            body = {"email": "nobody@example.org"}
        case ("POST", "/v1/auth/sign-up"):
            body = {"name": "Nieuwe Ondernemer", "email": "nieuw@example.org"}
        case ("POST", "/v1/auth/sessions"):
            body = {"token": "lkl_not-a-token"}
        case ("POST", "/v1/company-registrations"):
            body = {"company": company_profile("Werkbedrijf Zelf"),
                    "contact": {"name": "Rik", "email": "rik@zelf.example.org"}}
        case ("POST", "/v1/companies/{company_id}/members"):
            body = {"name": "Nieuwe Collega", "email": "nieuw@werkbedrijf.example.org"}
        case ("PATCH", "/v1/me"):
            body = {"name": "Sanne Nieuw"}
        case ("POST", "/v1/webhooks"):
            body = {"url": "https://8.8.8.8/hook", "events": ["company.updated"]}
        case ("POST", "/v1/cases"):
            body = CASE_BODY
        case ("PATCH", "/v1/cases/{case_id}"):
            body = {"summary": "Samen verpakken en versturen."}
            extra["If-Match"] = "*"
        case ("POST", "/v1/cases/{case_id}/send-back"):
            body = {"note": "Graag meer cijfers."}
        case ("POST", "/v1/cases/{case_id}/confirm"):
            body = {"named": True}
        case ("GET", "/v1/places"):
            url += "?q=Gen"
        case ("POST", "/v1/organisations"):
            body = ORGANISATION_BODY
        case ("PATCH", "/v1/organisations/{organisation_id}") | (
            "PATCH", "/v1/networks/{network_id}"
        ):
            body = {"description": "Gewijzigd."} if "organisations" in path else {"goal": "Werk."}
        case ("PUT", "/v1/companies/{company_id}/exchange"):
            body = {"seeks": {"expertise": ["engineering"]}}
        case ("POST", "/v1/partnerships"):
            body = {"organisation_id": str(ids["organisation_id"]),
                    "company_id": str(company_id), "kind": "customer"}
        case ("POST", "/v1/networks"):
            body = {"name": "Netwerk Breda", "location": {"place": "Breda", "country": "NL"}}
        case ("POST", "/v1/networks/{network_id}/members"):
            body = {"organisation_id": str(ids["organisation_id"])}
        case ("POST", "/v1/reverse-match"):
            body = {"offers": {"expertise": ["engineering"]}}
        case ("GET", "/v1/nearby"):
            url += "?place=Breda"
        case ("POST", "/v1/saved-searches"):
            body = {"name": "Inpakken", "criteria": MATCH_BODY, "frequency": "daily"}
        case ("PATCH", "/v1/saved-searches/{saved_search_id}"):
            body = {"frequency": "daily"}
        case ("GET", "/v1/unsubscribe") | ("POST", "/v1/unsubscribe"):
            saved = ids.get("saved_search_id") or uuid.UUID(int=0)
            url += f"?token={make_unsubscribe_token(TEST_SECRET_KEY, saved)}"
    return client.request(method, url, json=body, headers={**headers, **extra})
