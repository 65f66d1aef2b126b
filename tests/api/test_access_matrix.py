"""Who may do what, cell by cell: every operation in the app's own OpenAPI document, called by
every kind of caller, must answer exactly the status written here. A new endpoint without a
row here fails the suite, so access is decided on purpose, never by accident.

The rule the table follows: 401 without a key; 403 when the caller's role (or a publishable
key) may never do this; 404 when the object belongs to someone else, exactly as if it did not
exist.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.models import ApiKey
from tests.api.world import PEOPLE, ROLES, build_world, call, openapi_operations

OPERATIONS = openapi_operations()


def row(default: int, **cells: int) -> dict[str, int]:
    """Each role's status; a signed-in person gets what the key they act like gets, unless
    said otherwise."""
    out = {role: cells.get(role, default) for role in ROLES}
    for person, key_role in PEOPLE.items():
        out[person] = cells.get(person, out[key_role])
    return out


PUBLIC = row(200)
ADMIN_ONLY_CREATE = row(403, anonymous=401, admin=201)
OWN_COMPANY = row(403, anonymous=401, admin=200, company=200, other_company=404)
OWN_REQUEST = row(403, anonymous=401, admin=200, entrepreneur=200, other_entrepreneur=404,
                  partner=404)
# The company's spare key: every keyed role may manage its own account's keys.
OWN_KEY = row(404, anonymous=401, publishable=403, admin=200, company=200)
PRIVACY = row(403, anonymous=401, admin=200, company=200, other_company=200)
PARTNER_ONLY = row(403, anonymous=401, admin=200, partner=200)
# One's own account is a signed-in person's: keys have no person behind them.
PERSON_ONLY = row(403, anonymous=401, member=200, person=200, operator=200)
# Signing in is for anyone; a publishable key reaches only public search.
AUTH_ANYONE = row(202, publishable=403)
# Invitations also open with the emailed link's token, so anonymous gets 403 (no token), and
# any key but its company's finds nothing.
ORGANISATION_MAKERS = row(403, anonymous=401, admin=201, entrepreneur=201,
                         other_entrepreneur=201)
OWN_ORGANISATION = row(403, anonymous=401, admin=200, entrepreneur=200, other_entrepreneur=404)
PARTNERSHIP_SIDES = row(403, anonymous=401, admin=200, company=200, other_company=404,
                        entrepreneur=404, other_entrepreneur=200)
OWN_NETWORK = row(403, anonymous=401, admin=200, company=200, other_company=404,
                  entrepreneur=404, other_entrepreneur=404)
OWN_INVITATION = row(404, anonymous=403, admin=200, company=200, publishable=403)

# The entrepreneur person's saved search: their key acts for the same account.
OWN_SAVED_SEARCH = row(404, anonymous=401, publishable=403, admin=200, entrepreneur=200)

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/health/live"): PUBLIC,
    ("GET", "/health/ready"): PUBLIC,
    ("GET", "/v1/work-kinds"): PUBLIC,
    ("GET", "/v1/error-codes"): PUBLIC,
    ("GET", "/v1/places"): PUBLIC,
    ("POST", "/v1/match"): PUBLIC,
    ("GET", "/v1/companies"): PUBLIC,
    ("GET", "/v1/companies/{company_id}"): PUBLIC,
    ("POST", "/v1/companies"): ADMIN_ONLY_CREATE,
    ("PATCH", "/v1/companies/{company_id}"): OWN_COMPANY,
    ("GET", "/v1/companies/{company_id}/history"): OWN_COMPANY,
    # Insights are public (every figure sums groups of at least the threshold of requesters);
    # a publishable key stays limited to search, as for every operation not listed for it.
    ("GET", "/v1/insights/demand"): row(200, publishable=403),
    ("GET", "/v1/insights/gaps"): row(200, publishable=403),
    ("GET", "/v1/companies/{company_id}/missed-demand"): OWN_COMPANY,
    ("POST", "/v1/requests"): row(403, anonymous=401, admin=201, entrepreneur=201,
                                  other_entrepreneur=201, partner=201),
    ("GET", "/v1/requests"): row(403, anonymous=401, admin=200, entrepreneur=200,
                                 other_entrepreneur=200, partner=200),
    ("GET", "/v1/requests/{request_id}"): OWN_REQUEST,
    # Changing a draft (the world's draft: a published request is 409 for everyone).
    ("PATCH", "/v1/requests/{request_id}"): OWN_REQUEST,
    ("GET", "/v1/requests/{request_id}/matches"): OWN_REQUEST,
    # A company key makes keys for its own company only.
    ("POST", "/v1/api-keys"): row(403, anonymous=401, admin=201, company=201),
    ("GET", "/v1/api-keys"): row(200, anonymous=401, publishable=403),
    ("GET", "/v1/api-keys/{key_id}"): OWN_KEY,
    ("DELETE", "/v1/api-keys/{key_id}"): row(404, anonymous=401, publishable=403, admin=204,
                                             company=204),
    ("POST", "/v1/api-keys/{key_id}/rotate"): row(404, anonymous=401, publishable=403,
                                                   admin=201, company=201),
    # A company may only export/erase among its own contacts: for another company's contact
    # it finds nothing (200, empty), which tells it nothing.
    ("POST", "/v1/privacy/contacts/export"): PRIVACY,
    ("POST", "/v1/privacy/contacts/erase"): PRIVACY,
    # Call-outs: the request's owner publishes, reads responses, closes, records the outcome.
    ("POST", "/v1/requests/{request_id}/publish"): OWN_REQUEST,
    ("GET", "/v1/requests/{request_id}/responses"): OWN_REQUEST,
    ("POST", "/v1/requests/{request_id}/close"): OWN_REQUEST,
    ("POST", "/v1/requests/{request_id}/outcome"): OWN_REQUEST,
    ("POST", "/v1/requests/{request_id}/widen"): OWN_REQUEST,
    ("GET", "/v1/invitations"): row(403, anonymous=401, admin=200, company=200,
                                    other_company=200),
    ("GET", "/v1/invitations/{invitation_id}"): OWN_INVITATION,
    ("GET", "/v1/invitations/{invitation_id}/response"): OWN_INVITATION,
    ("POST", "/v1/invitations/{invitation_id}/response"): OWN_INVITATION,
    # People: signing in, one's own account and sessions.
    ("POST", "/v1/auth/links"): AUTH_ANYONE,
    ("POST", "/v1/auth/sign-up"): AUTH_ANYONE,
    # The world's token is no real one: 410 for everyone.
    ("POST", "/v1/auth/sessions"): row(410, publishable=403),
    ("DELETE", "/v1/auth/sessions/current"): row(403, anonymous=401, member=204, person=204,
                                                 operator=204),
    ("GET", "/v1/me"): PERSON_ONLY,
    ("PATCH", "/v1/me"): PERSON_ONLY,
    ("GET", "/v1/me/sessions"): PERSON_ONLY,
    # The entrepreneur person's other session: another person's is 404.
    ("DELETE", "/v1/me/sessions/{session_id}"): row(403, anonymous=401, member=404,
                                                    person=204, operator=404),
    # Companies register themselves; operators verify; members manage their colleagues.
    ("POST", "/v1/company-registrations"): AUTH_ANYONE,
    ("POST", "/v1/companies/{company_id}/verify"): row(403, anonymous=401, admin=200),
    ("GET", "/v1/companies/{company_id}/members"): OWN_COMPANY,
    ("POST", "/v1/companies/{company_id}/members"): row(403, anonymous=401, admin=201,
                                                        company=201, other_company=404),
    ("DELETE", "/v1/companies/{company_id}/members/{user_id}"): row(
        403, anonymous=401, admin=204, company=204, other_company=404
    ),
    # Saved searches: a person's own (mail), or a partner's (webhook); operators see all.
    ("POST", "/v1/saved-searches"): row(403, anonymous=401, admin=201, partner=201,
                                        member=201, person=201, operator=201),
    ("GET", "/v1/saved-searches"): row(200, anonymous=401, publishable=403),
    ("GET", "/v1/saved-searches/{saved_search_id}"): OWN_SAVED_SEARCH,
    ("PATCH", "/v1/saved-searches/{saved_search_id}"): OWN_SAVED_SEARCH,
    ("DELETE", "/v1/saved-searches/{saved_search_id}"): row(
        404, anonymous=401, publishable=403, admin=204, entrepreneur=204
    ),
    # The mail's signed link is the proof: anyone holding it (no key, no cookie, no CSRF).
    ("GET", "/v1/unsubscribe"): row(200, publishable=403),
    ("POST", "/v1/unsubscribe"): row(200, publishable=403),
    # Cases: published ones are public; the world's case is the first company's draft.
    ("GET", "/v1/cases"): row(200, publishable=403),
    ("POST", "/v1/cases"): row(201, anonymous=401, partner=403, publishable=403),
    ("GET", "/v1/cases/draft-from-request/{request_id}"): row(
        403, anonymous=401, admin=200, entrepreneur=200, other_entrepreneur=404, partner=404,
        company=404, other_company=404,
    ),
    ("GET", "/v1/cases/{case_id}"): row(404, admin=200, company=200, publishable=403),
    ("PATCH", "/v1/cases/{case_id}"): row(404, anonymous=401, admin=200, company=200,
                                          partner=403, publishable=403),
    ("POST", "/v1/cases/{case_id}/submit"): row(404, anonymous=401, admin=200, company=200,
                                                partner=403, publishable=403),
    ("GET", "/v1/cases/{case_id}/revisions"): row(404, anonymous=401, admin=200, company=200,
                                                  partner=403, publishable=403),
    ("POST", "/v1/cases/{case_id}/publish"): row(403, anonymous=401, admin=200),
    # A draft cannot be sent back.
    ("POST", "/v1/cases/{case_id}/send-back"): row(403, anonymous=401, admin=409),
    # The company the case names (its own) confirms; operators do not confirm for it.
    ("POST", "/v1/cases/{case_id}/confirm"): row(403, anonymous=401, company=200,
                                                 other_company=404),
    # Partners' change feed and webhooks.
    ("GET", "/v1/changes"): PARTNER_ONLY,
    ("POST", "/v1/webhooks"): row(403, anonymous=401, admin=201, partner=201),
    ("GET", "/v1/webhooks"): PARTNER_ONLY,
    ("GET", "/v1/webhooks/{endpoint_id}"): PARTNER_ONLY,
    ("DELETE", "/v1/webhooks/{endpoint_id}"): row(403, anonymous=401, admin=204, partner=204),
    ("GET", "/v1/webhooks/{endpoint_id}/deliveries"): PARTNER_ONLY,
    # No such delivery: the owner learns that, nobody else gets that far.
    ("POST", "/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver"): row(
        403, anonymous=401, admin=404, partner=404
    ),
    # Two-way profiles, organisations, partnerships, networks (docs/partnerships.md).
    ("GET", "/v1/companies/{company_id}/exchange"): PUBLIC,
    ("PUT", "/v1/companies/{company_id}/exchange"): OWN_COMPANY,
    ("GET", "/v1/organisations"): PUBLIC,
    ("POST", "/v1/organisations"): ORGANISATION_MAKERS,
    ("GET", "/v1/organisations/{organisation_id}"): PUBLIC,
    ("PATCH", "/v1/organisations/{organisation_id}"): OWN_ORGANISATION,
    ("DELETE", "/v1/organisations/{organisation_id}"): row(
        403, anonymous=401, admin=204, entrepreneur=204, other_entrepreneur=404
    ),
    ("GET", "/v1/partnerships"): PUBLIC,
    # For the entrepreneur's organisation and the company: either side proposes.
    ("POST", "/v1/partnerships"): row(403, anonymous=401, admin=201, company=201,
                                      entrepreneur=201),
    # The company's proposal to the other entrepreneur's organisation: not public yet.
    ("GET", "/v1/partnerships/{partnership_id}"): row(
        404, publishable=403, admin=200, company=200, other_entrepreneur=200
    ),
    ("POST", "/v1/partnerships/{partnership_id}/confirm"): PARTNERSHIP_SIDES,
    ("POST", "/v1/partnerships/{partnership_id}/end"): PARTNERSHIP_SIDES,
    ("GET", "/v1/networks"): PUBLIC,
    ("POST", "/v1/networks"): row(403, anonymous=401, admin=201, company=201, other_company=201,
                                  entrepreneur=201, other_entrepreneur=201),
    ("GET", "/v1/networks/{network_id}"): PUBLIC,
    ("PATCH", "/v1/networks/{network_id}"): OWN_NETWORK,
    ("DELETE", "/v1/networks/{network_id}"): row(
        403, anonymous=401, admin=204, company=204, other_company=404, entrepreneur=404,
        other_entrepreneur=404
    ),
    ("POST", "/v1/networks/{network_id}/members"): row(
        403, anonymous=401, admin=201, company=201, other_company=404, entrepreneur=404,
        other_entrepreneur=404
    ),
    ("DELETE", "/v1/networks/{network_id}/members/{member_id}"): row(
        403, anonymous=401, admin=204, company=204, other_company=404, entrepreneur=404,
        other_entrepreneur=404
    ),
    ("POST", "/v1/reverse-match"): PUBLIC,
    ("GET", "/v1/nearby"): PUBLIC,
    ("GET", "/v1/changes/relations"): PARTNER_ONLY,
    # Open data (HSDS 3.1): public reads, the same for every caller.
    ("GET", "/hsds/"): PUBLIC,
    ("GET", "/hsds/services"): PUBLIC,
    ("GET", "/hsds/services/{service_id}"): PUBLIC,
    ("GET", "/hsds/organizations"): PUBLIC,
    ("GET", "/hsds/organizations/{organization_id}"): PUBLIC,
    ("GET", "/hsds/service_at_locations"): PUBLIC,
    ("GET", "/hsds/taxonomies"): PUBLIC,
    ("GET", "/hsds/taxonomy_terms"): PUBLIC,
}


def test_every_documented_operation_has_an_expectation_for_every_role() -> None:
    missing = [op for op in OPERATIONS if op not in EXPECTED]
    assert not missing, f"decide who may call these, in EXPECTED: {missing}"
    stale = [op for op in EXPECTED if op not in OPERATIONS]
    assert not stale, f"these operations no longer exist: {stale}"
    for op, cells in EXPECTED.items():
        assert set(cells) == set(ROLES), op


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_role_matrix(
    client: httpx.Client, session: Session, connection: Connection, method: str, path: str
) -> None:
    """Every role calls the operation on the same fresh world; each call is undone after."""
    if (method, path) not in EXPECTED:
        pytest.fail(f"no expectation for {method} {path}")
    world = build_world(session, client)
    wrong = []
    for role in ROLES:
        cell = connection.begin_nested()
        try:
            r = call(client, method, path, world.headers(role), **world.ids_for(method, path))
        finally:
            cell.rollback()
        expected = EXPECTED[(method, path)][role]
        if r.status_code != expected:
            wrong.append(f"{role}: expected {expected}, got {r.status_code} {r.text[:200]}")
        elif r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/problem+json")
    assert not wrong, "\n".join(wrong)


def test_a_publishable_key_reaches_no_private_endpoint(
    client: httpx.Client, session: Session
) -> None:
    world = build_world(session, client)
    public = {op for op, cells in EXPECTED.items() if cells["anonymous"] < 400}
    for method, path in OPERATIONS:
        r = call(client, method, path, world.headers("publishable"), **world.ids())
        if (method, path) in public:
            assert r.status_code == EXPECTED[(method, path)]["publishable"], (method, path, r.text)
        else:
            assert r.status_code == 403, (method, path, r.status_code)


# --- no object crosses owners --------------------------------------------------------------------


def _owner_pairs(world: Any) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """For each kind of path id: (owner, intruder, the owner's objects)."""
    return {
        "company_id": [
            ("company", "other_company", {"company_id": world.company_id}),
            ("other_company", "company", {"company_id": world.other_company_id}),
        ],
        "request_id": [
            ("entrepreneur", "other_entrepreneur", {"request_id": world.request_id}),
            ("other_entrepreneur", "entrepreneur", {"request_id": world.other_request_id}),
            ("entrepreneur", "partner", {"request_id": world.request_id}),
        ],
        "case_id": [
            ("entrepreneur", "other_entrepreneur", {"case_id": world.entrepreneur_case_id}),
            ("company", "other_company", {"case_id": world.case_id}),
        ],
        "invitation_id": [
            ("company", "other_company", {"invitation_id": world.invitation_id}),
        ],
        "endpoint_id": [
            ("partner", "other_partner", {"endpoint_id": world.endpoint_id}),
        ],
        "session_id": [
            ("person", "member", {"session_id": world.spare_session_id}),
            ("person", "operator", {"session_id": world.spare_session_id}),
        ],
        "organisation_id": [
            ("entrepreneur", "other_entrepreneur", {"organisation_id": world.organisation_id}),
        ],
        "partnership_id": [
            ("company", "other_company", {"partnership_id": world.partnership_id}),
            ("other_entrepreneur", "entrepreneur", {"partnership_id": world.partnership_id}),
        ],
        "network_id": [
            ("company", "other_company", {"network_id": world.network_id}),
            ("company", "entrepreneur", {"network_id": world.network_id}),
        ],
        "saved_search_id": [
            ("person", "member", {"saved_search_id": world.saved_search_id}),
            ("entrepreneur", "other_entrepreneur", {"saved_search_id": world.saved_search_id}),
            ("person", "partner", {"saved_search_id": world.saved_search_id}),
        ],
        # Open data: anyone reads an active company's HSDS organization and services.
        "organization_id": [
            ("company", "other_company", {"organization_id": world.company_id}),
        ],
        "service_id": [
            ("company", "other_company", {"service_id": world.service_id}),
        ],
        "key_id": [
            ("company", "other_company", {"key_id": world.spare_keys["company"]}),
            ("entrepreneur", "other_entrepreneur",
             {"key_id": world.spare_keys["entrepreneur"]}),
            ("other_entrepreneur", "entrepreneur",
             {"key_id": world.spare_keys["other_entrepreneur"]}),
            ("entrepreneur", "company", {"key_id": world.spare_keys["entrepreneur"]}),
        ],
    }


def test_no_id_path_crosses_owners(
    client: httpx.Client, session: Session, connection: Connection
) -> None:
    """Two companies and two entrepreneurs try every `{id}` path on each other's objects:
    reads, changes and deletes all answer 404, change nothing, and the owner still can."""
    world = build_world(session, client)
    tried = 0
    for method, path in OPERATIONS:
        if "{" not in path:
            continue
        kind = path.split("{")[1].split("}")[0]
        for owner, intruder, objects in _owner_pairs(world)[kind]:
            if EXPECTED[(method, path)][owner] == 403:
                continue  # not even the owner's to do (operators only): nothing to cross
            ids = world.ids_for(method, path, **objects)
            before = client.get(f"/v1/companies/{ids['company_id']}",
                                headers=world.headers("admin")).json()
            r = call(client, method, path, world.headers(intruder), **ids)
            if EXPECTED[(method, path)]["anonymous"] < 400:
                # A public profile: readable, but without the owner's private fields.
                assert r.status_code == 200 and "contacts" not in r.json()
                continue
            assert r.status_code == 404, (intruder, method, path, r.status_code, r.text)
            # Exactly what a made-up id gets: nothing tells "not yours" from "not there".
            made_up = uuid.uuid4()
            r_none = call(client, method, path, world.headers(intruder),
                          **{**ids, kind: made_up})
            assert r_none.status_code == 404
            assert r.text.replace(str(ids[kind]), "ID") == r_none.text.replace(str(made_up), "ID")
            after = client.get(f"/v1/companies/{ids['company_id']}",
                               headers=world.headers("admin")).json()
            assert after == before
            if kind == "key_id":
                key = session.get_one(ApiKey, ids["key_id"])
                session.refresh(key)
                assert key.revoked_at is None, "an intruder revoked or rotated a key"
            tried += 1
    # Finally each owner can do it all (reads and changes of their own objects).
    for method, path in OPERATIONS:
        if "{" not in path or method == "DELETE":
            continue
        kind = path.split("{")[1].split("}")[0]
        owner, _, objects = _owner_pairs(world)[kind][0]
        ids = world.ids_for(method, path, **objects)
        if (kind == "key_id" and method == "POST") or "delivery_id" in path:
            continue  # rotating is covered by the matrix; there is no delivery to resend
        if EXPECTED[(method, path)][owner] == 403:
            continue  # operators only (verifying a company)
        # Each on the world as it was (closing a call-out would make widening it a 409).
        cell = connection.begin_nested()
        try:
            r = call(client, method, path, world.headers(owner), **ids)
        finally:
            cell.rollback()
        # The owner gets exactly what an operator gets.
        assert r.status_code == EXPECTED[(method, path)]["admin"], (owner, method, path, r.text)
    assert tried >= 12
