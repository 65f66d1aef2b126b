"""Mail: rendered from templates (NL, EN and FR, plain text and HTML) when queued, sent by the
worker through SMTP (the standard library's blocking smtplib: the worker sends from plain
threads, and an event loop of our own would clash with one already running in the thread, as
under pytest-xdist after a Playwright test) or, in development, written as .eml files."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from app.config import Settings
from app.words.format import any_value
from app.words.languages import language_or_default

SUBJECTS: dict[str, dict[str, str]] = {
    "invitation": {
        "nl": "Nieuwe oproep via Loket: {title}", "en": "New call-out on Loket: {title}",
        "fr": "Nouvel appel sur Loket : {title}",
    },
    "answered": {
        "nl": "Reactie op uw oproep: {title}", "en": "An answer to your call-out: {title}",
        "fr": "Une réponse à votre appel : {title}",
    },
    "late_invitation": {
        "nl": "Meer bedrijven uitgenodigd voor uw oproep: {title}",
        "en": "More companies invited to your call-out: {title}",
        "fr": "D'autres entreprises invitées à votre appel : {title}",
    },
    "alert": {
        "nl": "Nieuw voor uw zoekopdracht: {name}", "en": "New for your saved search: {name}",
        "fr": "Du nouveau pour votre recherche enregistrée : {name}",
    },
    "closed": {"nl": "Uw oproep is gesloten: {title}", "en": "Your call-out is closed: {title}",
               "fr": "Votre appel est clôturé : {title}"},
    "sign_in": {"nl": "Uw aanmeldlink voor Loket", "en": "Your sign-in link for Loket",
                "fr": "Votre lien de connexion à Loket"},
    "company_verified": {
        "nl": "{company_name} staat nu op Loket", "en": "{company_name} is now on Loket",
        "fr": "{company_name} figure désormais sur Loket",
    },
    "write_case": {
        "nl": "Deel uw samenwerking als case: {title}",
        "en": "Share your collaboration as a case: {title}",
        "fr": "Partagez votre collaboration comme bonne pratique : {title}",
    },
}


@pass_context
def _local(context: Context, value: object) -> str:
    """`{{ n | local }}`: numbers and dates as the recipient reads them (5.000, 15 januari
    2027 in Dutch; 5,000, 15 January 2027 in English; 5 000, 15 janvier 2027 in French)."""
    return any_value(value, context.get("mail_language", "nl"))


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("app.notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["local"] = _local
    return env


def render(template: str, lang: str, context: dict[str, Any]) -> dict[str, str]:
    """{"subject", "text", "html"} for a template in `lang` (nl, en or fr; else Dutch)."""
    lang = language_or_default(lang)
    env = _env()
    context = {**context, "mail_language": lang}
    return {
        "subject": SUBJECTS[template][lang].format(**context),
        "text": env.get_template(f"{template}_{lang}.txt").render(context),
        "html": env.get_template(f"{template}_{lang}.html").render(context),
    }


def build_message(
    settings: Settings, to: str, mail: dict[str, Any], message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = to
    message["Subject"] = mail["subject"]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    for name, value in (mail.get("headers") or {}).items():
        message[name] = value
    message.set_content(mail["text"])
    message.add_alternative(mail["html"], subtype="html")
    return message


def message_id_for(outbox_id: uuid.UUID) -> str:
    # Stable across retries, so a receiving server can drop a duplicate.
    return make_msgid(idstring=outbox_id.hex, domain="loket.invalid")


def send(settings: Settings, message: EmailMessage, name: str) -> None:
    if settings.email_backend == "file":
        folder = Path(settings.email_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.eml").write_bytes(bytes(message))
        return
    timeout = settings.smtp_timeout_seconds
    smtp: smtplib.SMTP
    if settings.smtp_use_tls:
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_starttls and not settings.smtp_use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
