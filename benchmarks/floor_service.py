"""Loket's floor for the HTTP load test: the service as `loket serve` runs it, with the engine
step of `POST /v1/match` replaced by a kept answer.

    LOKET_DATABASE_URL=... .venv/bin/python -m benchmarks.floor_service --workers 2 --port 8003

Started the way `loket serve --workers N` starts Loket (the catalogue loaded before the
workers are forked, a socket of their own each), with this module's app in the workers.

A match request still passes through everything else: the middleware, the rate limit, the
body checked into `MatchCriteria`, the catalogue version check on the event loop and the
orjson answer. The answer is a worker's first real one (20 explained matches, as the load
test asks), kept and served to every later request. So what Loket spends per request above
this floor is the engine and the explanations; what the floor spends above the trivial
endpoint is the service around them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fastapi import FastAPI

from app import cli, server
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    # The workers are forked from this process and read the app's path when they start.
    server.APP = "benchmarks.floor_service:create_app"
    return server.run_workers(
        args.host, args.port, args.workers, {"proxy_headers": True, "access_log": False},
        before_fork=cli._load_catalogue_for_workers,
    )


if __name__ == "__main__":
    sys.exit(main())
