"""The migrations are the schema: they run up and down step by step on both databases, and
they agree with the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from app.cli import alembic_config
from app.config import Settings
from app.db import create_db_engine
from app.models import Base, WorkKind, include_object
from tests.conftest import TEST_SECRET_KEY, downgrade, fresh_database, upgrade


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    with fresh_database("migrations", tmp_path) as url:
        engine = create_db_engine(Settings(env="test", database_url=url,
                                           secret_key=TEST_SECRET_KEY))
        try:
            yield engine
        finally:
            engine.dispose()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_migration_file_names_follow_the_convention() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for rev in script.walk_revisions():
        name = Path(rev.path).stem
        assert name[:10].count("-") == 2 and name[10] == "_", name


def test_stairway_every_migration_up_and_down(empty_engine: Engine) -> None:
    previous = "base"
    for revision in _revisions():
        with empty_engine.begin() as connection:
            upgrade(connection, revision)
        with empty_engine.begin() as connection:
            downgrade(connection, previous)
        with empty_engine.begin() as connection:
            upgrade(connection, revision)
        previous = revision
    with empty_engine.begin() as connection:
        downgrade(connection, "base")
    tables = set(inspect(empty_engine).get_table_names()) - {"alembic_version"}
    assert tables == set()


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        upgrade(connection)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                             "include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_seeded_taxonomy(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        upgrade(connection)
    with empty_engine.connect() as connection:
        rows = connection.execute(select(WorkKind.code, WorkKind.parent_code)).all()
        groups = {code for code, parent in rows if parent is None}
        kinds = {code for code, parent in rows if parent is not None}
        assert groups == {"production", "facility", "logistics", "circular",
                          "business-services", "construction", "secondment"}
        assert len(kinds) == 36
        assert connection.execute(text("SELECT count(*) FROM certifications")).scalar() == 8
