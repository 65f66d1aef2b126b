"""HTML pages. Static assets (plain ES modules, Leaflet) are mounted at /static; no build step."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

STATIC_DIR = Path(__file__).parent / "static"
PAGES_DIR = Path(__file__).parent / "pages"

router = APIRouter(include_in_schema=False)

# Pages load only our own scripts and styles; map tiles may come from the configured host.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


@lru_cache(maxsize=8)
def _template(path: Path) -> str:
    """A page or script as shipped, read once per process."""
    return path.read_text(encoding="utf-8")


def _page(request: Request, name: str) -> HTMLResponse:
    settings = request.app.state.settings
    html = _template(PAGES_DIR / name)
    html = html.replace("{{tile_url}}", escape(settings.map_tile_url, quote=True))
    html = html.replace(
        "{{stale_days}}", str(int(settings.capacity_stale_days))
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP})


@router.get("/")
def loket_page(request: Request) -> HTMLResponse:
    """The loket: search sheltered-work companies."""
    return _page(request, "index.html")


@router.get("/company")
def company_page(request: Request) -> HTMLResponse:
    """The company page: capacity, availability, sites and invitations."""
    return _page(request, "company.html")


@router.get("/embed.js")
def embed_script(request: Request) -> Response:
    """The one script a partner site includes (see README, "Embed on a partner site"), with
    this service's map tile URL filled in."""
    tile_url = json.dumps(request.app.state.settings.map_tile_url)[1:-1]  # a JS string body
    script = _template(STATIC_DIR / "embed.js")
    return Response(
        script.replace("{{tile_url}}", tile_url),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )
