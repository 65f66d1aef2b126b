"""The engine and the benchmark's SQL reference (PostgreSQL + PostGIS) agree on generated data.

A small generated catalogue (2,000 sites) and a few hundred generated criteria, answered by the
engine and by the one-query SQL reference of `benchmarks/`; every top-k must be the same (entries
whose scores differ by less than 1e-6 may swap). Runs only with LOKET_TEST_DATABASE=postgresql;
a server without PostGIS skips it, except with CI=true, where it fails. No timings here: the
latency comparison is `python -m benchmarks.run` (docs/performance.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from benchmarks import engine_adapter, load_postgis
from benchmarks.generate import Dataset, generate, generate_criteria
from benchmarks.sql_reference import SqlReference, compare
from tests.conftest import PG_ADMIN_URL, backend, fresh_database

pytestmark = pytest.mark.skipif(
    backend() != "postgresql", reason="needs LOKET_TEST_DATABASE=postgresql"
)

SITES = 2_000
SEED = 7


def _require_postgis() -> None:
    try:
        load_postgis.ensure_postgis(PG_ADMIN_URL, install=False)
    except (RuntimeError, psycopg.OperationalError) as exc:
        message = f"PostGIS is not available: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(SITES, SEED)


@pytest.fixture(scope="module")
def reference_db(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_postgis()
    with fresh_database("sqlref", tmp_path_factory.mktemp("sqlref")) as url:
        plain = load_postgis.psycopg_url(url)
        load_postgis.load_sites(plain, dataset)
        yield plain


def _disagreements(dataset: Dataset, url: str, bodies: list[dict[str, Any]]) -> list[str]:
    catalogue = engine_adapter.build_catalogue(dataset)
    found = []
    with psycopg.connect(url, autocommit=True) as conn:
        reference = SqlReference(dataset.taxonomy, engine_adapter.scoring(),
                                 SqlReference.largest_radius(conn))
        for i, body in enumerate(bodies):
            engine = engine_adapter.run(catalogue, engine_adapter.criteria(body))
            difference = compare(engine, reference.run(conn, body), body["limit"])
            if difference is not None:
                found.append(f"#{i} {difference}: {body}")
    return found


def test_engine_agrees_with_sql_on_the_general_mix(dataset: Dataset, reference_db: str) -> None:
    bodies = generate_criteria(250, SEED)
    assert _disagreements(dataset, reference_db, bodies) == []


def test_engine_agrees_with_sql_on_the_targeted_mix(dataset: Dataset, reference_db: str) -> None:
    bodies = generate_criteria(100, SEED, targeted=True)
    assert _disagreements(dataset, reference_db, bodies) == []


def test_the_radius_lookup_in_the_query_agrees_too(dataset: Dataset, reference_db: str) -> None:
    """Without the largest radius given, the query looks it up itself (same answers)."""
    reference = SqlReference(dataset.taxonomy, engine_adapter.scoring())
    catalogue = engine_adapter.build_catalogue(dataset)
    with psycopg.connect(reference_db) as conn:
        for body in generate_criteria(40, SEED):
            engine = engine_adapter.run(catalogue, engine_adapter.criteria(body))
            assert compare(engine, reference.run(conn, body), body["limit"]) is None, body


def test_queries_have_answers_to_compare(dataset: Dataset, reference_db: str) -> None:
    """Guards the tests above against agreeing on nothing."""
    reference = SqlReference(dataset.taxonomy, engine_adapter.scoring())
    with psycopg.connect(reference_db) as conn:
        sizes = [len(reference.run(conn, b).entries) for b in generate_criteria(50, SEED)]
    assert sum(1 for n in sizes if n > 0) >= 25
    assert max(sizes) == 20


def test_the_generated_data_are_reproducible() -> None:
    first, again = generate(300, SEED), generate(300, SEED)
    assert first.site_id == again.site_id
    assert (first.site_lat == again.site_lat).all()
    assert generate_criteria(20, SEED) == generate_criteria(20, SEED)
