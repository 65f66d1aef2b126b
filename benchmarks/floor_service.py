"""Loket's floor for the HTTP load test: the service as `loket serve` runs it, with the engine
step of `POST /v1/match` replaced by a kept answer.

    LOKET_DATABASE_URL=... .venv/bin/uvicorn benchmarks.floor_service:create_app --factory \
        --workers 2 --port 8003

A match request still passes through everything else: the middleware, the rate limit, the
body checked into `MatchCriteria`, the catalogue version check on the event loop and the
orjson answer. The answer is a worker's first real one (20 explained matches, as the load
test asks), kept and served to every later request. So what Loket spends per request above
this floor is the engine and the explanations; what the floor spends above the trivial
endpoint is the service around them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.main import create_app as create_loket_app
from app.search import service


def create_app() -> FastAPI:
    engine_step = service.run_match_on_loop
    kept: dict[str, Any] = {}

    async def kept_answer(session: Any, cache: Any, settings: Any, criteria: Any, *,
                          lang: str) -> service.MatchAnswer:
        if lang not in kept:
            kept[lang] = await engine_step(session, cache, settings, criteria, lang=lang)
        elif await cache.current_on_loop(session) is None:
            raise RuntimeError("the catalogue changed during the load test")
        return kept[lang]

    # The route calls the service through its module, so replacing the attribute reaches it.
    service.run_match_on_loop = kept_answer  # type: ignore[assignment]
    return create_loket_app()
