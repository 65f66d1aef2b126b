"""Two write transactions at once, each reading before it writes, on their own connections to a
real database (issue 16, item 1): the second waits for the first instead of failing. On SQLite
that takes BEGIN IMMEDIATE: a deferred transaction that read before the other committed cannot
upgrade to a writer and fails at once with "database is locked", busy timeout or not."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Uuid, bindparam, select, text
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.accounts.service import authenticate
from app.config import Settings
from app.db import READ_ONLY, create_db_engine, create_session_factory
from app.insights import service as insights
from app.models import ApiKey
from tests.conftest import TEST_SECRET_KEY, make_key, migrated_database
from tests.factories import create_company

READ = text("SELECT version FROM companies WHERE id = :id").bindparams(bindparam("id", type_=Uuid))
# As the ORM writes a versioned row: only if nobody changed it since it was read.
WRITE = text(
    "UPDATE companies SET version = :version + 1 WHERE id = :id AND version = :version"
).bindparams(bindparam("id", type_=Uuid))


def test_a_second_writer_waits_for_the_first_and_nothing_is_lost(tmp_path: Path) -> None:
    with migrated_database("writers", tmp_path) as url:
        settings = Settings(database_url=url, secret_key=TEST_SECRET_KEY)
        engine = create_db_engine(settings)
        try:
            factory = create_session_factory(engine)
            with factory() as session:
                company_id = create_company(session, "Werkbedrijf Schrijvers").id
            with factory() as session:
                created = session.execute(READ, {"id": company_id}).scalar_one()
            first_wrote, second_read = threading.Event(), threading.Event()
            errors: list[BaseException] = []
            written: list[int] = []

            def read_then_write(session: Session) -> None:
                version = session.execute(READ, {"id": company_id}).scalar_one()
                written.append(session.execute(
                    WRITE, {"id": company_id, "version": version}).rowcount)  # type: ignore[attr-defined]

            def first() -> None:
                try:
                    with factory.begin() as session:
                        read_then_write(session)
                        first_wrote.set()
                        # Let the second read meanwhile if it can (a deferred transaction
                        # can; an immediate one waits for this commit).
                        second_read.wait(timeout=1)
                except BaseException as exc:
                    errors.append(exc)

            def second() -> None:
                first_wrote.wait(timeout=30)
                try:
                    with factory.begin() as session:
                        version = session.execute(READ, {"id": company_id}).scalar_one()
                        second_read.set()
                        written.append(session.execute(
                            WRITE, {"id": company_id, "version": version}).rowcount)  # type: ignore[attr-defined]
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=first), threading.Thread(target=second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert errors == []
            with factory() as session:
                stored = session.execute(READ, {"id": company_id}).scalar_one()
            assert stored == created + sum(written)  # no write lost
            if engine.dialect.name == "sqlite":
                # Both in turn: the second began after the first's commit, so read its value.
                assert written == [1, 1]
            else:
                # PostgreSQL (READ COMMITTED) lets the second read the old version, then wait
                # for the first's row lock; its conditional write then changes nothing (the
                # service answers 409) instead of overwriting.
                assert sorted(written) in ([0, 1], [1, 1])
        finally:
            engine.dispose()


def test_a_keyed_read_that_cannot_record_the_keys_use_still_answers(tmp_path: Path) -> None:
    """SQLite: a GET with a key begins deferred (it does not queue behind writers); when its
    snapshot went stale before it records the key's last use, the record waits for a later
    call and the read goes on."""
    with migrated_database("lastuse", tmp_path) as url:
        if not url.startswith("sqlite"):
            pytest.skip("PostgreSQL has no deferred transactions to upgrade")
        engine = create_db_engine(Settings(database_url=url, secret_key=TEST_SECRET_KEY))
        try:
            factory = create_session_factory(engine)
            with factory() as session:
                secret = make_key(session, Role.admin)
            with factory() as reader:
                reader.connection(execution_options={READ_ONLY: True})
                reader.execute(text("SELECT count(*) FROM api_keys")).scalar_one()
                with factory.begin() as writer:  # another worker writes meanwhile
                    writer.execute(text("UPDATE api_keys SET name = name || '.'"))
                principal = authenticate(reader, secret, secret_key=TEST_SECRET_KEY)
                assert principal.role is Role.admin
                reader.commit()
            with factory() as session:
                assert session.scalars(select(ApiKey.last_used_at)).one() is None
                authenticate(session, secret, secret_key=TEST_SECRET_KEY)
                session.commit()
                assert session.scalars(select(ApiKey.last_used_at)).one() is not None
        finally:
            engine.dispose()


def test_a_search_that_cannot_count_itself_still_answers(tmp_path: Path) -> None:
    """SQLite: a search begins deferred; when another process wrote since it read, its count for
    the demand insights gives up (the answer must not become a 503) and the next search counts."""
    with migrated_database("searchcount", tmp_path) as url:
        if not url.startswith("sqlite"):
            pytest.skip("PostgreSQL has no deferred transactions to upgrade")
        settings = Settings(database_url=url, secret_key=TEST_SECRET_KEY)
        engine = create_db_engine(settings)

        def search(session: Session) -> None:
            insights.record_search(session, settings, work_kinds=["packaging"], lat=51.56,
                                   lon=5.09, country="NL", postcode=None, principal=None,
                                   address="192.0.2.7")

        try:
            factory = create_session_factory(engine)
            with factory() as reader:
                reader.connection(execution_options={READ_ONLY: True})
                reader.execute(text("SELECT count(*) FROM insight_events")).scalar_one()
                with factory.begin() as writer:  # another worker writes meanwhile
                    writer.execute(text("UPDATE work_kinds SET label_en = label_en || '.'"))
                search(reader)
                reader.commit()
            with factory() as session:
                counted = text("SELECT count(*) FROM insight_events")
                assert session.execute(counted).scalar_one() == 0
                search(session)
                session.commit()
                assert session.execute(counted).scalar_one() == 1
        finally:
            engine.dispose()
