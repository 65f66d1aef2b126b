"""Readable sentences (Dutch or English) from a component's facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from app.matching.types import Component, Taxonomy

_NL_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def explain(component: Component, lang: str, taxonomy: Taxonomy) -> str:
    """One sentence for `component`; `lang` "nl" gives Dutch, anything else English."""
    nl = lang == "nl"
    facts = component.facts
    match component.criterion:
        case "work_kinds":
            return _work_kinds(facts, nl, taxonomy)
        case "distance":
            return _distance(facts, nl)
        case "capacity":
            return _capacity(facts, nl, taxonomy)
        case "availability":
            return _availability(facts, nl)
        case "certifications":
            return _certifications(facts, nl)
    pct = _number(component.score * 100, nl, 0)
    return f"{component.criterion}: {pct}%."


def certification_label(code: str) -> str:
    """Display form of a certification code: iso-9001 -> ISO 9001, pso -> PSO."""
    return code.replace("-", " ").upper()


# --- per criterion -----------------------------------------------------------------------------


def _work_kinds(facts: Mapping[str, object], nl: bool, taxonomy: Taxonomy) -> str:
    lang = "nl" if nl else "en"
    covered = _strs(facts.get("covered"))
    partial = _str_map(facts.get("partial"))
    missing = _strs(facts.get("missing"))
    group_kinds = facts.get("group_kinds")
    groups: Mapping[str, object] = (
        group_kinds if isinstance(group_kinds, dict | Mapping) else {}
    )

    def label(code: str) -> str:
        text = taxonomy.label(code, lang)
        inside = _strs(groups.get(code))
        if inside:
            text += " (" + ", ".join(taxonomy.label(k, lang) for k in inside) + ")"
        return text

    clauses: list[str] = []
    if covered:
        verb = "Biedt" if nl else "Offers"
        clauses.append(f"{verb} {_join([label(c) for c in covered], nl)}")
    for asked, sibling in partial.items():
        a, s = taxonomy.label(asked, lang), taxonomy.label(sibling, lang)
        if nl:
            clauses.append(f"{a} wordt niet aangeboden, wel verwant werk: {s}")
        else:
            clauses.append(f"{a} is not offered, but related {s} is")
    if missing:
        names = _join([taxonomy.label(m, lang) for m in missing], nl)
        if nl:
            clauses.append(f"{names} {'wordt' if len(missing) == 1 else 'worden'} niet aangeboden")
        else:
            clauses.append(f"{names} {'is' if len(missing) == 1 else 'are'} not offered")
    if not clauses:
        return "Geen gevraagde werksoort." if nl else "No asked kind of work."
    return _sentence("; ".join(clauses))


def _distance(facts: Mapping[str, object], nl: bool) -> str:
    km = _float(facts.get("distance_km"))
    limit = _float(facts.get("limit_km"))
    if km is None:
        return "Afstand onbekend." if nl else "Distance unknown."
    where = "van de gevraagde locatie" if nl else "from the asked location"
    if limit is None:
        bound = "geen afstandsgrens" if nl else "no distance limit"
    else:
        bound = f"{'grens' if nl else 'limit'} {_number(limit, nl, 1, trim=True)} km"
    return f"{_number(km, nl, 1)} km {where} ({bound})."


def _capacity(facts: Mapping[str, object], nl: bool, taxonomy: Taxonomy) -> str:
    available = int(_float(facts.get("available")) or 0)
    needed = int(_float(facts.get("needed")) or 0)
    kind = facts.get("work_kind")
    updated = facts.get("capacity_updated_at")
    if nl:
        people = "medewerker" if available == 1 else "medewerkers"
        if isinstance(kind, str):
            text = f"{available} {people} beschikbaar voor {taxonomy.label(kind, 'nl')}"
        else:
            text = "Geen medewerkers opgegeven voor het gevraagde werk"
        text += f", {needed} nodig"
        when = (
            f"stand van {_date(updated, True)}"
            if isinstance(updated, date)
            else "datum van dit cijfer onbekend"
        )
    else:
        people = "worker" if available == 1 else "workers"
        if isinstance(kind, str):
            text = f"{available} {people} available for {taxonomy.label(kind, 'en')}"
        else:
            text = "No workers listed for the asked work"
        text += f", {needed} needed"
        when = (
            f"figure of {_date(updated, False)}"
            if isinstance(updated, date)
            else "date of figure unknown"
        )
    return f"{text} ({when})."


def _availability(facts: Mapping[str, object], nl: bool) -> str:
    start = facts.get("start_date")
    available_from = facts.get("available_from")
    start_text = _date(start, nl) if isinstance(start, date) else "?"
    late = int(_float(facts.get("days_late")) or 0)
    if isinstance(available_from, date):
        head = f"{'Beschikbaar vanaf' if nl else 'Available from'} {_date(available_from, nl)}"
    else:
        head = "Direct beschikbaar" if nl else "Available now"
    if late <= 0:
        tail = (
            f"op tijd voor de start op {start_text}"
            if nl
            else f"on time for the start on {start_text}"
        )
    elif nl:
        tail = f"{late} {'dag' if late == 1 else 'dagen'} na de start op {start_text}"
    else:
        tail = f"{late} {'day' if late == 1 else 'days'} after the start on {start_text}"
    return f"{head}, {tail}."


def _certifications(facts: Mapping[str, object], nl: bool) -> str:
    held = [certification_label(c) for c in _strs(facts.get("held"))]
    missing = [certification_label(c) for c in _strs(facts.get("missing"))]
    clauses: list[str] = []
    if held:
        clauses.append(f"{'Heeft' if nl else 'Holds'} {_join(held, nl)}")
    if missing:
        verb = ("mist" if held else "Mist") if nl else ("lacks" if held else "Lacks")
        clauses.append(f"{verb} {_join(missing, nl)}")
    if not clauses:
        return "Geen voorkeurscertificaten gevraagd." if nl else "No preferred certifications."
    return "; ".join(clauses) + "."


# --- formatting helpers ------------------------------------------------------------------------


def _join(items: Sequence[str], nl: bool) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" en " if nl else " and ") + items[-1]


def _sentence(text: str) -> str:
    return (text[:1].upper() + text[1:]) + "."


def _number(value: float, nl: bool, decimals: int, trim: bool = False) -> str:
    """Fixed decimals; `trim` drops a zero fraction (40.0 -> 40). Dutch uses a decimal comma."""
    text = f"{value:.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if nl else text


def _date(value: date, nl: bool) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if nl:
        return f"{value.day} {_NL_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()


# The plain containers come first in the checks below: an ABC's isinstance costs about ten
# times as much, and these run for most of the ~100 sentences of an answer.
def _strs(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple | list | frozenset | set):
        return tuple(map(str, value))
    if isinstance(value, str) or not isinstance(value, Sequence):
        return ()
    return tuple(map(str, value))


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict | Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
