"""Several workers on their own connections, at once, against a database of their own (real
commits): every notification is sent exactly once."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db import create_db_engine, create_session_factory
from app.models import OutboxMessage, WebhookEndpoint, utcnow
from app.notifications.outbox import emit_event
from app.worker import make_worker
from tests.conftest import TEST_SECRET_KEY, fresh_database, upgrade

MESSAGES = 40


def test_concurrent_workers_send_each_notification_once(
    tmp_path: Path, receiver: Any, settings: Any
) -> None:
    with fresh_database("workers", tmp_path) as url:
        local = settings.model_copy(update={
            "database_url": url, "secret_key": TEST_SECRET_KEY, "webhook_allow_loopback": True,
            "worker_batch_size": 3,
        })
        engine = create_db_engine(local)
        try:
            with engine.begin() as connection:
                upgrade(connection)
            factory = create_session_factory(engine)
            with factory() as session:
                _queue(session, f"{receiver.url}/concurrent")
                session.commit()

            errors: list[BaseException] = []

            def work(name: str) -> None:
                worker = make_worker(factory, local, name=name)
                idle = 0
                try:
                    while idle < 3:
                        idle = idle + 1 if worker.run_once() == 0 else 0
                except BaseException as exc:  # surfaced below
                    errors.append(exc)

            threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert errors == []

            hits = receiver.on("/concurrent")
            event_ids = [h.headers["loket-event-id"] for h in hits]
            assert len(event_ids) == MESSAGES
            assert len(set(event_ids)) == MESSAGES
            with factory() as session:
                rows = session.query(OutboxMessage).all()
                assert {r.status for r in rows} == {"sent"}
                assert all(r.attempts == 1 for r in rows)
        finally:
            engine.dispose()


def _queue(session: Session, url: str) -> None:
    session.add(WebhookEndpoint(
        id=uuid.uuid4(), owner_id=uuid.uuid4(), url=url, events=["company.updated"],
        secret="whsec_test", active=True, created_at=utcnow(),
    ))
    session.flush()
    for i in range(MESSAGES):
        emit_event(session, "company.updated", {"n": i}, owner_ids=None)
