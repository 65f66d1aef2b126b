"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app.accounts.dependencies import enforce_rate_limit
from app.accounts.router import router as api_keys_router
from app.alerts.router import router as alerts_router
from app.callouts.router import router as callouts_router
from app.cases.router import router as cases_router
from app.changes.router import router as changes_router
from app.common import metrics as process_metrics
from app.common.http import reject_unknown_query_params, reject_unstorable_text
from app.common.ratelimit import RateLimiter
from app.companies.router import router as companies_router
from app.config import Settings, get_settings
from app.db import create_db_engine, create_session_factory
from app.errors import install_error_handlers
from app.geo import preload as preload_geodata
from app.health.router import router as health_router
from app.hsds.router import router as hsds_router
from app.insights.router import router as insights_router
from app.logging import configure_logging
from app.lookups.router import router as lookups_router
from app.metrics.router import PATH as METRICS_PATH
from app.metrics.router import metrics as metrics_endpoint
from app.middleware import AccessLogAndHeaders, BodySizeLimit, HeadAsGet, KeyCors
from app.notifications.devmail import router as devmail_router
from app.notifications.router import router as webhooks_router
from app.partners.router import router as partners_router
from app.people.router import router as people_router
from app.privacy.router import router as privacy_router
from app.requests.router import router as requests_router
from app.search.catalogue import CatalogueCache
from app.search.router import router as search_router
from app.web.router import STATIC_DIR
from app.web.router import router as web_router
from app.work_kinds.router import router as work_kinds_router

DESCRIPTION = """
**Loket** - one national counter (*één landelijk loket*) where social entrepreneurs find
sheltered-work companies (SW-bedrijven, maatwerkbedrijven) to work with.

State your criteria once; get ranked companies with the reasons for each place.
Errors are RFC 9457 `application/problem+json`. Writes need `Authorization: Bearer <api key>`.
Without a key you get 401; with a key whose role may never do a call, 403; an object that is
not yours is 404, exactly as if it did not exist. Every call is rate limited (429 with
`Retry-After` and `RateLimit` headers); POSTs that create something accept `Idempotency-Key`.
No text, anywhere in a request, may contain NUL (`\\u0000`) or unpaired surrogate characters:
no database can store them, so they are refused with 422 naming the field. Every date and
timestamp lies in the years 1900 to 2100 (as written), every number within its stated range.
Every answer carries `X-Request-ID`, the id our logs know the request by: send your own (up to
63 letters, digits and `.:/+=-`) to find a call in both your logs and ours.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(
        settings.log_level, json_output=settings.log_json, cache=settings.env != "test"
    )
    engine = create_db_engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The geocoding tables are loaded before the first request rather than during it.
        preload_geodata()
        process_metrics.process_started()
        yield
        process_metrics.process_stopped()
        engine.dispose()

    app = FastAPI(
        title="Loket",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs is served by app.web with Swagger UI from our own static files (works offline).
        docs_url=None,
        redoc_url=None,
        # Rate limiting first, so refused calls spend from the budget too.
        dependencies=[
            Depends(enforce_rate_limit),
            Depends(reject_unknown_query_params),
            Depends(reject_unstorable_text),
        ],
        openapi_tags=[
            {"name": "matching", "description": "Ranked companies for criteria."},
            {"name": "companies", "description": "Capability profiles of companies."},
            {"name": "requests", "description": "Entrepreneurs' stored requests."},
            {"name": "taxonomy", "description": "Kinds of work and certifications."},
            {"name": "api-keys", "description": "Making, listing, revoking and rotating keys."},
            {"name": "privacy", "description": "GDPR export and erasure for contact persons."},
            {"name": "people", "description": "Signing in by mailed link; one's own account."},
        ],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.catalogue_cache = CatalogueCache()
    app.state.rate_limiter = RateLimiter(settings)

    install_error_handlers(app)
    for router in (
        search_router,
        work_kinds_router,
        lookups_router,
        companies_router,
        requests_router,
        api_keys_router,
        privacy_router,
        health_router,
        callouts_router,
        alerts_router,
        cases_router,
        webhooks_router,
        changes_router,
        hsds_router,
        web_router,
        people_router,
        partners_router,
        devmail_router,
        insights_router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Prometheus: outside the API (no key, no rate limit, not in the OpenAPI document).
    app.add_route(METRICS_PATH, metrics_endpoint, methods=["GET"], include_in_schema=False)

    app.add_middleware(HeadAsGet)  # innermost: everything above sees the request as it came
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(KeyCors)
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

