"""`/dev/mail`: the mail the service sent, read back from the .eml files of the file backend
(`LOKET_EMAIL_DIR`, `var/mail` by default), so a person running the service locally can follow
a sign-in link without a mail server. Only with LOKET_ENV=development; 404 elsewhere."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.errors import NotFound

router = APIRouter(include_in_schema=False)

NAME = re.compile(r"[0-9A-Za-z_-]{1,100}")
LINK = re.compile(r"https?://[^\s<>\"']+")
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
MAX_LISTED = 200


def _folder(request: Request) -> Path:
    settings = request.app.state.settings
    if settings.env != "development":
        raise NotFound(f"No resource at {request.url.path}")
    return Path(settings.email_dir)


def _read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    return str(body.get_content()) if body is not None else ""


def _links(text: str) -> str:
    """The text, escaped, with its http(s) links made clickable."""
    out, last = [], 0
    for found in LINK.finditer(text):
        url = found.group(0).rstrip(".,);")
        out.append(escape(text[last:found.start()]))
        out.append(f'<a href="{escape(url, quote=True)}">{escape(url)}</a>')
        last = found.start() + len(url)
    out.append(escape(text[last:]))
    return "".join(out)


def _page(title: str, body: str) -> HTMLResponse:
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title></head><body><main>{body}</main></body></html>")
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP})


@router.get("/dev/mail")
def mail_list(request: Request) -> HTMLResponse:
    """Every message sent, newest first: subject, recipient and the links in it."""
    folder = _folder(request)
    # Newest written first (names start with the second the mail was queued, too coarse).
    files = sorted(folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name),
                   reverse=True)[:MAX_LISTED]
    rows = []
    for path in files:
        message = _read(path)
        links = "".join(
            f'<li><a href="{escape(u, quote=True)}">{escape(u)}</a></li>'
            for u in dict.fromkeys(m.group(0).rstrip(".,);") for m in LINK.finditer(_text(message)))
        )
        rows.append(
            f'<li class="mail"><a href="/dev/mail/{escape(path.stem, quote=True)}">'
            f'{escape(str(message["Subject"] or ""))}</a> '
            f'<span class="to">to {escape(str(message["To"] or ""))}</span> '
            f'<span class="date">{escape(str(message["Date"] or ""))}</span>'
            f"<ul>{links}</ul></li>"
        )
    body = ("<h1>Mail sent in development</h1>"
            f"<p>From {escape(str(folder))}, newest first.</p>"
            + (f'<ol class="mails">{"".join(rows)}</ol>' if rows else "<p>No mail yet.</p>"))
    return _page("Mail sent in development", body)


@router.get("/dev/mail/{name}")
def mail_message(name: str, request: Request) -> HTMLResponse:
    """One message: its headers and its plain text, links clickable."""
    folder = _folder(request)
    path = folder / f"{name}.eml"
    if not NAME.fullmatch(name) or not path.is_file():
        raise NotFound(f"No message {name}.")
    message = _read(path)
    body = (
        '<p><a href="/dev/mail">All mail</a></p>'
        f"<h1>{escape(str(message['Subject'] or ''))}</h1>"
        f"<dl><dt>To</dt><dd>{escape(str(message['To'] or ''))}</dd>"
        f"<dt>From</dt><dd>{escape(str(message['From'] or ''))}</dd>"
        f"<dt>Date</dt><dd>{escape(str(message['Date'] or ''))}</dd></dl>"
        f'<pre style="white-space: pre-wrap">{_links(_text(message))}</pre>'
    )
    return _page(str(message["Subject"] or name), body)
