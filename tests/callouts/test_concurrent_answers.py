"""Eight answers through one single-use link at the same moment, on `loket serve --workers 2`
with real commits: exactly one is taken, the others are told clearly why not, none is a 5xx,
and the entrepreneur hears of the answer once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.callouts.service import answer_link
from app.config import Settings
from app.models import Callout, Invitation, OutboxMessage
from tests.conftest import TEST_SECRET_KEY, auth, make_key, migrated_database
from tests.factories import create_company
from tests.test_serve import LOKET, _children, _free_port, _live, _wait_for, _workers

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to see the workers"
)
ANSWERS = 8


@contextmanager
def _serve(url: str) -> Iterator[str]:
    env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": TEST_SECRET_KEY,
           "LOKET_LOG_LEVEL": "WARNING"}
    port = _free_port()
    process = subprocess.Popen(
        [str(LOKET), "serve", "--workers", "2", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _live(base) and len(_workers(process.pid)) == 2)
        yield base
    finally:
        workers = _children(process.pid)
        process.kill()
        process.wait()
        for pid in workers:
            with suppress(ProcessLookupError):
                os.kill(pid, 9)


def test_eight_concurrent_answers_through_one_link_give_one_200(tmp_path: Path) -> None:
    with migrated_database("answers", tmp_path) as url:
        engine = create_engine(url)
        try:
            with Session(engine) as session:
                create_company(session, "Werkbedrijf Gelijktijdig")
                owner = make_key(session, Role.entrepreneur)
            with _serve(url) as base:
                with httpx.Client(base_url=base, headers=auth(owner), timeout=30) as client:
                    r = client.post("/v1/requests", json={
                        "title": "Gelijktijdig antwoorden",
                        "contact": {"name": "Sanne", "email": "sanne@greenside.example.org"},
                        "criteria": {"work_kinds": ["packaging"],
                                     "location": {"place": "Tilburg", "country": "NL"}},
                    })
                    assert r.status_code == 201, r.text
                    request_id = r.json()["id"]
                    r = client.post(f"/v1/requests/{request_id}/publish")
                    assert r.status_code == 200 and r.json()["invited"] == 1, r.text
                with Session(engine) as session:
                    invitation = session.scalars(select(Invitation)).one()
                    callout = session.get(Callout, invitation.request_id)
                    assert callout is not None
                    link, _ = answer_link(Settings(secret_key=TEST_SECRET_KEY), invitation,
                                          callout)
                token = parse_qs(urlsplit(link).query)["token"][0]
                statuses = _answer_at_once(base, f"/v1/invitations/{invitation.id}/response",
                                           token)
            assert sorted(statuses).count(200) == 1, statuses
            assert set(statuses) <= {200, 409, 410}, statuses
            with Session(engine) as session:
                assert session.get(Invitation, invitation.id).link_used_at is not None  # type: ignore[union-attr]
                told = session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.event_type == "invitation.answered"))
                assert told == 1  # the entrepreneur's mail, once
        finally:
            engine.dispose()


def _answer_at_once(base: str, path: str, token: str) -> list[int]:
    """ANSWERS clients, each on its own open connection, POST the same answer together."""
    start = threading.Barrier(ANSWERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/health/live")  # connected before the start
            start.wait()
            r = client.post(path, params={"token": token},
                            json={"status": "interested" if i % 2 else "declined"})
            with lock:
                statuses.append(r.status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(ANSWERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == ANSWERS
    return statuses
