"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from app.common.http import reject_unknown_query_params
from app.companies.router import router as companies_router
from app.config import Settings, get_settings
from app.db import create_db_engine, create_session_factory
from app.errors import install_error_handlers
from app.geo import preload as preload_geodata
from app.health.router import router as health_router
from app.logging import configure_logging
from app.middleware import AccessLogAndHeaders, BodySizeLimit
from app.requests.router import router as requests_router
from app.search.catalogue_cache import CatalogueCache
from app.search.router import router as search_router
from app.work_kinds.router import router as work_kinds_router

DESCRIPTION = """
**Loket** - one national counter (*één landelijk loket*) where social entrepreneurs find
sheltered-work companies (SW-bedrijven, maatwerkbedrijven) to work with.

State your criteria once; get ranked companies with the reasons for each place.
Errors are RFC 9457 `application/problem+json`. Writes need `Authorization: Bearer <api key>`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_output=settings.log_json)
    engine = create_db_engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Load the geocoding tables before the first request rather than during it.
        preload_geodata()
        yield
        engine.dispose()

    app = FastAPI(
        title="Loket",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query_params)],
        openapi_tags=[
            {"name": "matching", "description": "Ranked companies for criteria."},
            {"name": "companies", "description": "Capability profiles of companies."},
            {"name": "requests", "description": "Entrepreneurs' stored requests."},
            {"name": "taxonomy", "description": "Kinds of work and certifications."},
        ],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.catalogue_cache = CatalogueCache()

    install_error_handlers(app)
    for router in (
        work_kinds_router,
        companies_router,
        search_router,
        requests_router,
        health_router,
    ):
        app.include_router(router)

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLogAndHeaders)
    _document_problem_schema(app)
    return app


def _document_problem_schema(app: FastAPI) -> None:
    """Replace FastAPI's default validation-error schema: every error here is problem+json."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schemas = schema.get("components", {}).get("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

