"""Numbers and dates as a Dutch, English or French reader writes them: 5.000 and 15 januari
2027, 5,000 and 15 January 2027, 5 000 and 15 janvier 2027 (1er janvier). Three languages need
no locale library: a few lines do it."""

from __future__ import annotations

from datetime import UTC, date, datetime

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}
# (thousands separator, decimal mark). French groups with a narrow no-break space, as CLDR
# (and so the browser's Intl.NumberFormat("fr-BE")) does.
_MARKS = {"nl": (".", ","), "en": (",", "."), "fr": ("\u202f", ",")}
_AT = {"nl": "om", "en": "at", "fr": "à"}


def _lang(lang: str) -> str:
    return lang if lang in _MONTHS else "en"


def number(value: float, lang: str, decimals: int = 0, *, trim: bool = False) -> str:
    """`value` with `decimals` decimals and grouped thousands; `trim` drops a zero fraction
    (40.0 -> 40). number(5000, "nl") == "5.000"; number(12.5, "en", 1) == "12.5"."""
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    thousands, mark = _MARKS[_lang(lang)]
    return text.replace(",", "\0").replace(".", mark).replace("\0", thousands)


def day(value: date | datetime, lang: str) -> str:
    """15 januari 2027 / 15 January 2027 / 15 janvier 2027, 1er janvier 2027 (a datetime is
    shown by its date)."""
    if isinstance(value, datetime):
        value = value.date()
    lang = _lang(lang)
    first = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{first} {_MONTHS[lang][value.month - 1]} {value.year}"


def moment(value: datetime, lang: str) -> str:
    """15 januari 2027 om 14:00 UTC / 15 January 2027 at 14:00 UTC / 15 janvier 2027 à 14:00
    UTC (as given, no zone moves)."""
    zone = value.tzname() or ""
    at = _AT[_lang(lang)]
    return f"{day(value, lang)} {at} {value:%H:%M}{' ' + zone if zone else ''}"


def any_value(value: object, lang: str) -> str:
    """For templates: numbers, dates, datetimes and their ISO texts in the reader's form;
    anything else as it is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return number(value, lang, 0 if isinstance(value, int) else 1, trim=True)
    if isinstance(value, datetime):
        return moment(value, lang)
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, str):
        text = value.strip()
        for parse in (date.fromisoformat, datetime.fromisoformat, _utc_text):
            try:
                parsed = parse(text)
            except ValueError:
                continue
            return any_value(parsed, lang)
    return str(value)


def _utc_text(text: str) -> datetime:
    # "2026-12-03 14:00 UTC", as mails were given link expiries.
    return datetime.strptime(text, "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
