"""HTML pages. Static assets (plain ES modules, the NL Design System CSS, Leaflet, Swagger UI)
are mounted at /static from app/web/static/vendor (scripts/vendor_web_assets.sh); no build step
and no CDN, so every page and /docs work offline.

Each page is a fragment in pages/ set into pages/layout.html (header with the language switch,
sign-in state and main navigation; skip link; footer) with its own module script."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

SESSION_COOKIE = "loket_session"  # set by the sign-in API (see the people contract)
STATIC_DIR = Path(__file__).parent / "static"
PAGES_DIR = Path(__file__).parent / "pages"

router = APIRouter(include_in_schema=False)

# Pages load only our own scripts and styles; map tiles may come from the configured host.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
# Swagger UI starts itself with one inline script that FastAPI writes.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class Page:
    fragment: str
    script: str
    title: str  # the Dutch title served; the script sets the page's language's own
    title_key: str
    head: str = ""


LEAFLET = (
    '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">\n'
    '<script src="/static/vendor/leaflet/leaflet.js" defer></script>'
)
PAGES = {
    "search": Page("index.html", "app.js", "Zoeken", "titleSearch", LEAFLET),
    "sign-in": Page("sign-in.html", "sign-in.js", "Aanmelden", "titleSignIn"),
    "sign-up": Page("sign-up.html", "sign-up.js", "Account maken", "titleSignUp"),
    "register-company": Page("register-company.html", "register-company.js",
                             "Bedrijf aanmelden", "titleRegister"),
    "requests": Page("requests.html", "requests.js", "Mijn aanvragen", "titleRequests"),
    "request": Page("request.html", "request.js", "Aanvraag", "titleRequest"),
    "company": Page("company.html", "company.js", "Mijn bedrijf", "titleCompany"),
    "invitation": Page("invitation.html", "invitation.js", "Uitnodiging", "titleInvitation"),
    "console": Page("console.html", "console.js", "Console", "titleConsole"),
    # Issue 18: organisations, public profiles, networks, near a place, the reverse search.
    "organisations": Page("organisations.html", "organisations.js", "Organisaties",
                          "titleOrganisations"),
    "organisation": Page("organisation.html", "organisation.js", "Organisatie",
                         "titleOrganisation"),
    "company-profile": Page("company-profile.html", "company-profile.js", "Bedrijf",
                            "titleCompanyProfile"),
    "networks": Page("networks.html", "networks.js", "Lokale netwerken", "titleNetworks"),
    "nearby": Page("nearby.html", "nearby.js", "In de buurt", "titleNearby", LEAFLET),
    "reverse-search": Page("reverse-search.html", "reverse-search.js", "Wie zoekt wat u biedt",
                           "titleReverse"),
    "alerts": Page("alerts.html", "alerts.js", "Mijn meldingen", "titleAlerts"),
    "unsubscribe": Page("unsubscribe.html", "unsubscribe.js", "Meldingen stoppen",
                        "titleUnsubscribe"),
    "insights": Page("insights.html", "insights.js", "Waar is de vraag?", "titleInsights",
                     LEAFLET + '\n<script src="/static/vendor/chartjs/chart.umd.min.js" defer>'
                     "</script>"),
    "cases": Page("cases.html", "cases.js", "Praktijkvoorbeelden", "titleCases"),
    "case": Page("case.html", "case.js", "Praktijkvoorbeeld", "titleCase"),
    "case-form": Page("case-form.html", "case-form.js", "Case schrijven", "titleCaseForm"),
}


@lru_cache(maxsize=32)
def _template(path: Path) -> str:
    """A page or script as shipped, read once per process."""
    return path.read_text(encoding="utf-8")


def _page(request: Request, name: str) -> HTMLResponse:
    settings = request.app.state.settings
    page = PAGES[name]
    attrs = (
        f'data-tile-url="{escape(settings.map_tile_url, quote=True)}" '
        f'data-stale-days="{int(settings.capacity_stale_days)}"'
    )
    # Whether to ask GET /v1/me at all: without a session cookie the answer is 401 anyway.
    if request.cookies.get(SESSION_COOKIE):
        attrs += ' data-session="true"'
    html = (
        _template(PAGES_DIR / "layout.html")
        .replace("{{head}}", page.head)
        .replace("{{script}}", page.script)
        .replace("{{title_key}}", page.title_key)
        .replace("{{title}}", page.title)
        .replace("{{page}}", name)
        .replace("{{body_attrs}}", attrs)
        .replace("{{content}}", _template(PAGES_DIR / page.fragment))
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP})


@router.get("/")
def loket_page(request: Request) -> HTMLResponse:
    """The loket: search sheltered-work companies, save the search as a request, publish it."""
    return _page(request, "search")


@router.get("/sign-in")
def sign_in_page(
    request: Request, token: str | None = None, next: str | None = None
) -> HTMLResponse:
    """Ask for a sign-in link; with ?token= a button that signs in (a POST, so mail scanners
    that follow links do not use the link up). `next`: where to go after signing in. Both are
    read by the page's script."""
    return _page(request, "sign-in")


@router.get("/sign-up")
def sign_up_page(request: Request) -> HTMLResponse:
    """An entrepreneur makes an account."""
    return _page(request, "sign-up")


@router.get("/register-company")
def register_company_page(request: Request) -> HTMLResponse:
    """A company registers itself; it stays pending until an operator verifies it."""
    return _page(request, "register-company")


@router.get("/my/requests")
def my_requests_page(request: Request) -> HTMLResponse:
    """The entrepreneur's requests and their states."""
    return _page(request, "requests")


@router.get("/my/requests/{request_id}")
def my_request_page(request: Request, request_id: str) -> HTMLResponse:
    """One request: each invitation's state, the answers and contacts; publish, close, outcome."""
    return _page(request, "request")


@router.get("/my/alerts")
def my_alerts_page(request: Request) -> HTMLResponse:
    """The signed-in person's saved searches: frequency, pause, rename, delete."""
    return _page(request, "alerts")


@router.get("/unsubscribe")
def unsubscribe_page(request: Request, token: str | None = None) -> HTMLResponse:
    """Where an alert mail's unsubscribe link lands: a confirm button (a GET changes nothing;
    the mail client's one-click POST goes to the same address, see app/alerts/router.py)."""
    return _page(request, "unsubscribe")


@router.get("/my/company")
@router.get("/company")
def company_page(request: Request) -> HTMLResponse:
    """The company: profile, sites, capacity, availability, certifications, members and
    invitations."""
    return _page(request, "company")


@router.get("/my/company/invitations/{invitation_id}")
def invitation_page(
    request: Request, invitation_id: str, token: str | None = None
) -> HTMLResponse:
    """One invitation with the whole request, and the answer form; `token`: a personal
    answer link's, read by the page's script (without it the person signs in)."""
    return _page(request, "invitation")


@router.get("/answer")
def answer_link(invitation: uuid.UUID, token: str) -> RedirectResponse:
    """Where the invitation mail's personal answer link lands: the invitation's page, which
    reads the token (the link is used up only by answering)."""
    query = urlencode({"token": token})
    return RedirectResponse(f"/my/company/invitations/{invitation}?{query}", status_code=303)


@router.get("/console")
def console_page(request: Request) -> HTMLResponse:
    """The operator's console: companies waiting for verification, call-outs, keys."""
    return _page(request, "console")


@router.get("/organisations")
def organisations_page(request: Request) -> HTMLResponse:
    """Organisations that are not sheltered-work companies; signed-in people add theirs."""
    return _page(request, "organisations")


@router.get("/organisations/{organisation_id}")
def organisation_page(request: Request, organisation_id: str) -> HTMLResponse:
    """An organisation's public profile; its members edit it and manage its partnerships."""
    return _page(request, "organisation")


@router.get("/companies/{company_id}")
def company_profile_page(request: Request, company_id: str) -> HTMLResponse:
    """A company's public profile: kinds of work, what it offers and seeks, its partners."""
    return _page(request, "company-profile")


@router.get("/networks")
def networks_page(request: Request) -> HTMLResponse:
    """Local networks and their members; companies and entrepreneurs start one."""
    return _page(request, "networks")


@router.get("/nearby")
def nearby_page(
    request: Request, place: str | None = None, radius_km: str | None = None
) -> HTMLResponse:
    """Near a place: companies, their partners and networks on the map and as a list. The
    query (`place`, `radius_km`) is read by the page's script."""
    return _page(request, "nearby")


@router.get("/reverse-search")
def reverse_search_page(request: Request) -> HTMLResponse:
    """Who seeks what I offer: the reverse search."""
    return _page(request, "reverse-search")


@router.get("/insights")
def insights_page(request: Request) -> HTMLResponse:
    """Where the demand is: per kind of work and province, next to the supply."""
    return _page(request, "insights")


@router.get("/cases")
def cases_page(
    request: Request, q: str | None = None, work_kind: str | None = None,
    region: str | None = None, year: str | None = None, offset: str | None = None,
    mine: str | None = None,
) -> HTMLResponse:
    """Browse and search the published cases (and, signed in, one's own). The search lives in
    the query (read by the page's script), so it can be shared."""
    return _page(request, "cases")


@router.get("/cases/new")
def case_new_page(
    request: Request, from_request: Annotated[str | None, Query(alias="request")] = None
) -> HTMLResponse:
    """Write a case; `?request=` fills it in from a call-out (read by the page's script)."""
    return _page(request, "case-form")


@router.get("/cases/{case_id}/edit")
def case_edit_page(request: Request, case_id: str) -> HTMLResponse:
    """Edit a case (its authors and operators)."""
    return _page(request, "case-form")


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str) -> HTMLResponse:
    """One case; its authors submit it, operators publish it or send it back."""
    return _page(request, "case")


@router.get("/docs")
def docs_page() -> HTMLResponse:
    """Swagger UI from the service itself, so the API documentation works offline."""
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Loket API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
    return HTMLResponse(bytes(page.body), headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})


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
