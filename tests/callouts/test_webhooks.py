"""Partner webhooks: signed, retried with the same event id, logged, redeliverable, and never
sent anywhere an attacker would like (SSRF)."""

from __future__ import annotations

import ipaddress
import json
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import OutboxMessage, utcnow
from app.notifications.delivery import send_webhook
from app.notifications.outbox import emit_event, queue_email
from app.notifications.signing import sign
from app.notifications.ssrf import UnsafeUrl, check_url
from app.notifications.verify import verify_loket_signature
from app.notifications.worker import Worker
from tests.callouts.test_loop import new_request
from tests.conftest import auth, make_key
from tests.factories import create_company

README = Path(__file__).resolve().parents[2] / "README.md"
ALL_EVENTS = ["request.published", "invitation.created", "invitation.answered",
              "request.closed", "company.updated"]


def register(client: httpx.Client, key: str, url: str, events: list[str] | None = None) -> Any:
    r = client.post("/v1/webhooks", headers=auth(key),
                    json={"url": url, "events": events or ALL_EVENTS})
    assert r.status_code == 201, r.text
    return r.json()


def readme_verifier() -> Any:
    """The verification function exactly as README.md shows it."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- webhook-verify -->\s*```python\n(.*?)```", text, re.S)
    assert block, "README.md has no webhook verification snippet"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    return namespace["verify_loket_signature"]


def test_the_readme_shows_the_verifier_the_tests_use() -> None:
    source = (Path(__file__).resolve().parents[2] / "app/notifications/verify.py").read_text()
    snippet = source[source.index("import hashlib"):]
    assert f"<!-- webhook-verify -->\n```python\n{snippet}```" in README.read_text()


def test_deliveries_are_signed_and_carry_a_stable_event_id(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
    notify_settings: Any,
) -> None:
    create_company(session, "Werkbedrijf A")
    partner = make_key(session, Role.partner)
    hook = register(client, partner, f"{receiver.url}/hooks")
    assert hook["secret"].startswith("whsec_")
    assert "secret" not in client.get(f"/v1/webhooks/{hook['id']}", headers=auth(partner)).json()
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))

    make_worker().run_once()
    hits = receiver.on("/hooks")
    types = sorted(h.headers["loket-event-type"] for h in hits)
    assert types == ["invitation.created", "request.published"]
    verify = readme_verifier()
    for hit in hits:
        body = json.loads(hit.body)
        assert hit.headers["loket-event-id"] == body["id"]
        assert body["data"]["request_id"] == request_id
        header = hit.headers["loket-signature"]
        assert verify(hook["secret"], header, hit.body)
        assert verify_loket_signature(hook["secret"], header, hit.body)
        # Tampered body, wrong secret, stale or future timestamp: refused.
        assert not verify(hook["secret"], header, hit.body.replace(b"request", b"reQuest"))
        assert not verify("whsec_wrong", header, hit.body)
        signed_at = int(header.split(",")[0].removeprefix("t="))
        assert verify(hook["secret"], header, hit.body, now=signed_at + 300)
        assert not verify(hook["secret"], header, hit.body, now=signed_at + 301)
        assert not verify(hook["secret"], header, hit.body, now=signed_at - 301)
        stale = sign(hook["secret"], hit.body, int(time.time()) - 600)
        assert not verify(hook["secret"], stale, hit.body)
        assert not verify(hook["secret"], "t=abc,v1=00", hit.body)
        assert not verify(hook["secret"], "", hit.body)

    # Another partner's endpoint hears nothing of this request.
    other = make_key(session, Role.partner, name="other partner")
    assert client.get(f"/v1/webhooks/{hook['id']}", headers=auth(other)).status_code == 404
    assert client.get("/v1/webhooks", headers=auth(other)).json()["total"] == 0


def test_a_crashed_worker_delivers_after_restart_with_the_same_event_id(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
    notify_settings: Any,
) -> None:
    partner = make_key(session, Role.partner)
    register(client, partner, f"{receiver.url}/crash", ["request.published"])
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))
    (row,) = session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == "webhook")
    ).all()
    now = utcnow()

    # Worker 1 commits its claim, then dies before sending.
    crashed = make_worker("crashed")
    assert crashed.claim(now) == [row.id]
    # While the lease holds, nobody else sends it.
    survivor = make_worker("survivor")
    assert survivor.run_once(now=now + timedelta(seconds=10)) == 0
    assert receiver.on("/crash") == []
    # After the lease, the next worker delivers it.
    later = now + timedelta(seconds=notify_settings.worker_lease_seconds + 1)
    assert survivor.run_once(now=later) == 1
    (hit,) = receiver.on("/crash")
    assert hit.headers["loket-event-id"] == str(row.event_id)
    session.expire_all()
    assert session.get(OutboxMessage, row.id).status == "sent"  # type: ignore[union-attr]
    # The dead worker cannot record anything afterwards.
    assert make_worker("survivor").run_once(now=later) == 0


def test_a_worker_that_dies_after_sending_resends_the_same_event(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
    notify_settings: Any,
) -> None:
    partner = make_key(session, Role.partner)
    register(client, partner, f"{receiver.url}/twice", ["request.published"])
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))
    now = utcnow()
    crashed = make_worker("crashed")
    (row_id,) = crashed.claim(now)
    row = session.get(OutboxMessage, row_id)
    assert row is not None and row.endpoint_id is not None
    from app.models import WebhookEndpoint

    endpoint = session.get(WebhookEndpoint, row.endpoint_id)
    assert endpoint is not None
    assert send_webhook(notify_settings, row, endpoint).ok  # sent, then the worker died
    later = now + timedelta(seconds=notify_settings.worker_lease_seconds + 1)
    assert make_worker("next").run_once(now=later) == 1
    first, second = receiver.on("/twice")
    assert first.headers["loket-event-id"] == second.headers["loket-event-id"]
    assert first.body == second.body


def test_several_workers_never_claim_the_same_row(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
) -> None:
    partner = make_key(session, Role.partner)
    register(client, partner, f"{receiver.url}/many", ["company.updated"])
    for i in range(6):
        create_company(session, f"Bedrijf {i}")
    now = utcnow()
    workers = [make_worker(f"w{i}", worker_batch_size=2) for i in range(4)]
    claims = [w.claim(now) for w in workers]
    flat = [i for c in claims for i in c]
    assert len(flat) == len(set(flat)) == 6
    for worker, ids in zip(workers, claims, strict=True):
        for message_id in ids:
            assert worker.deliver(message_id, now).ok
    hits = receiver.on("/many")
    assert len(hits) == 6
    assert len({h.headers["loket-event-id"] for h in hits}) == 6


def test_failures_back_off_are_logged_and_can_be_redelivered(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
) -> None:
    partner = make_key(session, Role.partner)
    hook = register(client, partner, f"{receiver.url}/fail", ["request.published"])
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))
    worker = make_worker(webhook_backoff_base_seconds=60)
    now = utcnow()
    worker.run_once(now=now)
    worker.run_once(now=now + timedelta(seconds=30))  # not due yet
    assert len(receiver.on("/fail")) == 1
    worker.run_once(now=now + timedelta(seconds=61))
    worker.run_once(now=now + timedelta(seconds=61 + 119))  # 2nd backoff is 120 s
    assert len(receiver.on("/fail")) == 2
    ids = {h.headers["loket-event-id"] for h in receiver.on("/fail")}
    assert len(ids) == 1

    log = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(partner)).json()
    (delivery,) = log["items"]
    assert delivery["status"] == "pending" and delivery["attempts"] == 2
    assert [a["status_code"] for a in delivery["log"]] == [500, 500]
    # After three days of failures it gives up.
    worker.run_once(now=now + timedelta(days=3, seconds=1))
    session.expire_all()
    final = client.get(f"/v1/webhooks/{hook['id']}/deliveries?status=failed",
                       headers=auth(partner)).json()
    assert final["total"] == 1
    # Manual redelivery: same event id, sent on the next pass.
    r = client.post(
        f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver", headers=auth(partner)
    )
    assert r.status_code == 202 and r.json()["status"] == "pending"
    worker.run_once()
    assert {h.headers["loket-event-id"] for h in receiver.on("/fail")} == ids
    other = make_key(session, Role.partner, name="other")
    assert client.post(
        f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver", headers=auth(other)
    ).status_code == 404
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(partner)).status_code == 204


def test_a_rolled_back_change_sends_nothing(
    session: Session, receiver: Any, inbox: Any, make_worker: Any, client: httpx.Client
) -> None:
    partner = make_key(session, Role.partner)
    register(client, partner, f"{receiver.url}/rollback")
    company = create_company(session, "Werkbedrijf A")
    make_worker().run_once()
    receiver.hits.clear()

    emit_event(session, "company.updated", {"company_id": str(company.id)}, owner_ids=None)
    queue_email(session, "x@example.org", "closed", "nl", {
        "contact_name": "X", "title": "T", "invited": 1, "interested": 0, "declined": 0,
        "request_id": str(uuid.uuid4()),
    }, event_type="request.closed")
    session.flush()
    session.rollback()

    assert make_worker().run_once() == 0
    assert receiver.on("/rollback") == []
    assert inbox.to("x@example.org") == []


def test_a_profile_change_notifies_subscribed_partners(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
) -> None:
    partner = make_key(session, Role.partner)
    register(client, partner, f"{receiver.url}/profiles", ["company.updated"])
    company = create_company(session, "Werkbedrijf A")
    make_worker().run_once()
    (hit,) = receiver.on("/profiles")
    assert json.loads(hit.body)["data"]["company_id"] == str(company.id)


def test_redirects_are_not_followed(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
) -> None:
    partner = make_key(session, Role.partner)
    hook = register(client, partner, f"{receiver.url}/redirect", ["request.published"])
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))
    make_worker().run_once()
    assert len(receiver.on("/redirect")) == 1
    assert receiver.on("/redirected") == []
    (delivery,) = client.get(f"/v1/webhooks/{hook['id']}/deliveries",
                             headers=auth(partner)).json()["items"]
    assert "redirect" in delivery["last_error"]


# --- SSRF ----------------------------------------------------------------------------------


def _resolves_to(*addresses: str) -> Any:
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "http://192.168.1.10/hook",
    "http://172.16.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fd00:ec2::254]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    # Not globally reachable, though Python before 3.11.10 calls them global.
    "http://192.0.0.8/hook",
    "http://[fec0::1]/hook",
    "http://[64:ff9b:1::a00:1]/hook",
    "http://[3fff::1]/hook",
    # IPv4 inside IPv6, judged as the IPv4 address it leads to.
    "http://[2002:7f00:1::]/hook",  # 6to4 for 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/hook",  # 6to4 for 169.254.169.254
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",  # Teredo, client 192.0.2.45
    "http://[64:ff9b::a00:1]/hook",  # NAT64 for 10.0.0.1
    "http://[::127.0.0.1]/hook",  # IPv4-compatible
    "http://[::ffff:a9fe:a9fe]/hook",  # IPv4-mapped metadata address
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://100.64.0.1/hook",
    "http://localhost/hook",
    "ftp://example.org/hook",
    "file:///etc/passwd",
    "http://user:pw@example.org/hook",
])
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url)


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8",
                                     "2606:4700::1111", "93.184.215.14"])
def test_public_addresses_pass_also_inside_ipv6(address: str) -> None:
    allowed = check_url("https://partner.example/hook", resolver=_resolves_to(address))
    assert [ipaddress.ip_address(a) for a in allowed] == [ipaddress.ip_address(address)]


def test_a_hostname_is_judged_by_every_address_it_resolves_to() -> None:
    with pytest.raises(UnsafeUrl):
        check_url("https://partner.example/hook", resolver=_resolves_to("93.184.215.14",
                                                                         "127.0.0.1"))
    with pytest.raises(UnsafeUrl):
        check_url("https://rebind.example/hook", resolver=_resolves_to("10.1.2.3"))
    assert check_url("https://partner.example/hook",
                     resolver=_resolves_to("93.184.215.14")) == ["93.184.215.14"]
    # The test setting allows loopback, and nothing else.
    assert check_url("http://127.0.0.1:8080/", allow_loopback=True) == ["127.0.0.1"]
    with pytest.raises(UnsafeUrl):
        check_url("http://10.0.0.1/", allow_loopback=True)


def test_registration_refuses_unsafe_urls(
    client: httpx.Client, session: Session, bound_app: Any,
) -> None:
    partner = make_key(session, Role.partner)
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.1/hook",
                "http://169.254.169.254/", "http://[::1]/hook", "http://localhost:9/hook",
                "http://[2002:7f00:1::]/", "http://[fec0::1]/", "http://192.0.0.8/"):
        r = client.post("/v1/webhooks", headers=auth(partner),
                        json={"url": url, "events": ["request.published"]})
        assert r.status_code == 422, (url, r.text)
        assert r.json()["errors"][0]["field"] == "url"
    entrepreneur = make_key(session, Role.entrepreneur)
    r = client.post("/v1/webhooks", headers=auth(entrepreneur),
                    json={"url": "https://partner.example/", "events": ["request.published"]})
    assert r.status_code == 403


def test_the_send_time_check_refuses_what_registration_allowed(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
    notify_settings: Any,
) -> None:
    partner = make_key(session, Role.partner)
    hook = register(client, partner, f"{receiver.url}/later", ["request.published"])
    request_id = new_request(client, partner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(partner))
    strict: Worker = make_worker(webhook_allow_loopback=False)
    strict.run_once()
    assert receiver.on("/later") == []
    (delivery,) = client.get(f"/v1/webhooks/{hook['id']}/deliveries",
                             headers=auth(partner)).json()["items"]
    assert delivery["status"] == "failed" and "loopback" in delivery["last_error"]


def test_the_request_goes_to_the_address_that_was_checked(
    session: Session, receiver: Any, notify_settings: Any
) -> None:
    """No DNS rebinding: the connection is pinned to the addresses the SSRF check approved,
    so the name is never resolved a second time (here it would not resolve at all)."""
    from app.models import WebhookEndpoint

    port = receiver.url.rsplit(":", 1)[1]
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(), owner_id=uuid.uuid4(), url=f"http://partner.invalid:{port}/pinned",
        events=["company.updated"], secret="whsec_test", active=True, created_at=utcnow(),
    )
    message = OutboxMessage(
        id=uuid.uuid4(), channel="webhook", event_id=uuid.uuid4(), event_type="company.updated",
        recipient=str(endpoint.id), endpoint_id=endpoint.id, payload={"id": "x"},
        status="pending", attempts=0, created_at=utcnow(), next_attempt_at=utcnow(),
    )
    outcome = send_webhook(notify_settings, message, endpoint,
                           resolver=_resolves_to("127.0.0.1"))
    assert outcome.ok, outcome.error
    (hit,) = receiver.on("/pinned")
    assert hit.headers["host"] == f"partner.invalid:{port}"
    # The same name resolving to a private address is refused before any connection.
    refused = send_webhook(notify_settings, message, endpoint, resolver=_resolves_to("10.0.0.7"))
    assert not refused.ok and refused.permanent and "private" in (refused.error or "")
