"""The SQL-backed endpoint for the HTTP load test: `POST /v1/match` answered by the reference
query (`sql_reference.py`) over `bench_site`, through a psycopg connection pool.

Same framework and server as Loket (FastAPI on uvicorn, 2 workers, `def` endpoint in the
thread pool), same request model (`MatchCriteria`), orjson answers. It returns the ranked ids,
scores and distances only (no names, no explanations), so it does less than Loket per request.

    LOKET_BENCH_SQL_URL=postgresql://postgres@127.0.0.1:5432/loket_bench_... \
    .venv/bin/uvicorn benchmarks.sql_service:create_app --factory --workers 2 --port 8001
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI, Response
from psycopg_pool import ConnectionPool

from app.search.schemas import MatchCriteria
from benchmarks.engine_adapter import scoring
from benchmarks.generate import taxonomy_rows
from benchmarks.sql_reference import SqlReference

POOL_SIZE = int(os.environ.get("LOKET_BENCH_SQL_POOL", "8"))


def create_app() -> FastAPI:
    url = os.environ["LOKET_BENCH_SQL_URL"]
    pool = ConnectionPool(url, min_size=POOL_SIZE, max_size=POOL_SIZE, open=False,
                          kwargs={"autocommit": True})
    reference = SqlReference(taxonomy_rows(), scoring())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        nonlocal reference
        pool.open(wait=True)
        with pool.connection() as conn:  # the same query as in `benchmarks.run`
            reference = SqlReference(taxonomy_rows(), scoring(),
                                     SqlReference.largest_radius(conn))
        yield
        pool.close()

    app = FastAPI(title="SQL-backed match (benchmark)", lifespan=lifespan)

    @app.post("/v1/match")
    def match(criteria: MatchCriteria) -> Response:
        body: dict[str, Any] = criteria.model_dump(mode="json", exclude_none=True)
        with pool.connection() as conn:
            answer = reference.run(conn, body)
        return Response(orjson.dumps({
            "matches": [{"company_id": e.company_id, "site_id": e.site_id, "score": e.score,
                         "distance_km": e.distance_km} for e in answer.entries],
            "total_candidates": answer.total_candidates,
        }), media_type="application/json")

    return app
