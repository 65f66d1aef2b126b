"""Numbers and dates as a Dutch or English reader writes them: 5.000 and 15 januari 2027,
5,000 and 15 January 2027. Two languages need no locale library: a few lines do it."""

from __future__ import annotations

from datetime import UTC, date, datetime

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
# (thousands separator, decimal mark)
_MARKS = {"nl": (".", ","), "en": (",", ".")}


def _lang(lang: str) -> str:
    return "nl" if lang == "nl" else "en"


def number(value: float, lang: str, decimals: int = 0, *, trim: bool = False) -> str:
    """`value` with `decimals` decimals and grouped thousands; `trim` drops a zero fraction
    (40.0 -> 40). number(5000, "nl") == "5.000"; number(12.5, "en", 1) == "12.5"."""
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    thousands, mark = _MARKS[_lang(lang)]
    return text.replace(",", "\0").replace(".", mark).replace("\0", thousands)


def day(value: date | datetime, lang: str) -> str:
    """15 januari 2027 / 15 January 2027 (a datetime is shown by its date)."""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {_MONTHS[_lang(lang)][value.month - 1]} {value.year}"


def moment(value: datetime, lang: str) -> str:
    """15 januari 2027 om 14:00 UTC / 15 January 2027 at 14:00 UTC (as given, no zone moves)."""
    zone = value.tzname() or ""
    at = "om" if _lang(lang) == "nl" else "at"
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
