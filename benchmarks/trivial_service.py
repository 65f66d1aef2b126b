"""The framework's ceiling for the HTTP load test: `POST /v1/match` on the same framework and
server as Loket (FastAPI on uvicorn, 2 workers), answering a constant small JSON without
reading the body.

    .venv/bin/uvicorn benchmarks.trivial_service:create_app --factory --workers 2 --port 8002
"""

from __future__ import annotations

from fastapi import FastAPI

ANSWER = {"matches": [], "total_candidates": 0}


def create_app() -> FastAPI:
    app = FastAPI(title="Trivial endpoint (benchmark)")

    @app.post("/v1/match")
    async def match() -> dict[str, object]:
        return ANSWER

    return app
