"""Readable sentences (Dutch or English) from a component's facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    DistanceFacts,
    Taxonomy,
    WorkKindFacts,
)
from app.words.format import day, number


def explain(component: Component, lang: str, taxonomy: Taxonomy) -> str:
    """One sentence for `component`; `lang` "nl" gives Dutch, anything else English."""
    nl = lang == "nl"
    facts = component.facts
    match facts:
        case WorkKindFacts():
            return _work_kinds(facts, nl, taxonomy)
        case DistanceFacts():
            return _distance(facts, nl)
        case CapacityFacts():
            return _capacity(facts, nl, taxonomy)
        case AvailabilityFacts():
            return _availability(facts, nl)
        case CertificationFacts():
            return _certifications(facts, nl)


def certification_label(code: str) -> str:
    """Display form of a certification code: iso-9001 -> ISO 9001, pso -> PSO."""
    return code.replace("-", " ").upper()


def _work_kinds(facts: WorkKindFacts, nl: bool, taxonomy: Taxonomy) -> str:
    lang = "nl" if nl else "en"

    def label(code: str) -> str:
        text = taxonomy.label(code, lang)
        inside = facts.group_kinds.get(code)
        if inside:
            text += " (" + ", ".join(taxonomy.label(k, lang) for k in inside) + ")"
        return text

    clauses: list[str] = []
    if facts.covered:
        verb = "Biedt" if nl else "Offers"
        clauses.append(f"{verb} {_join([label(c) for c in facts.covered], nl)}")
    for asked, sibling in facts.partial.items():
        a, s = taxonomy.label(asked, lang), taxonomy.label(sibling, lang)
        if nl:
            clauses.append(f"{a} wordt niet aangeboden, wel verwant werk: {s}")
        else:
            clauses.append(f"{a} is not offered, but related {s} is")
    missing = facts.missing
    if missing:
        names = _join([taxonomy.label(m, lang) for m in missing], nl)
        if nl:
            clauses.append(f"{names} {'wordt' if len(missing) == 1 else 'worden'} niet aangeboden")
        else:
            clauses.append(f"{names} {'is' if len(missing) == 1 else 'are'} not offered")
    if not clauses:
        return "Geen gevraagde werksoort." if nl else "No asked kind of work."
    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."


def _distance(facts: DistanceFacts, nl: bool) -> str:
    where = "van de gevraagde locatie" if nl else "from the asked location"
    if facts.limit_km is None:
        bound = "geen afstandsgrens" if nl else "no distance limit"
    else:
        bound = f"{'grens' if nl else 'limit'} {_number(facts.limit_km, nl, 1, trim=True)} km"
    return f"{_number(facts.distance_km, nl, 1)} km {where} ({bound})."


def _capacity(facts: CapacityFacts, nl: bool, taxonomy: Taxonomy) -> str:
    n, kind, updated = facts.available, facts.work_kind, facts.capacity_updated_at
    has, needed = _number(n, nl, 0), _number(facts.needed, nl, 0)
    what = "" if kind is None else taxonomy.label(kind, "nl" if nl else "en")
    if kind is None:
        text = (f"Geen medewerkers opgegeven voor het gevraagde werk, {needed} nodig" if nl
                else f"No workers listed for the asked work, {needed} needed")
    elif n < facts.needed:  # what falls short, as a person says it: "40 of the 5,000 ..."
        text = (f"{has} van de {needed} gevraagde mensen beschikbaar voor {what}" if nl
                else f"{has} of the {needed} people asked available for {what}")
    else:
        text = (f"{has} medewerker{'' if n == 1 else 's'} beschikbaar voor {what}, "
                f"{needed} nodig" if nl else
                f"{has} worker{'' if n == 1 else 's'} available for {what}, {needed} needed")
    if updated is None:
        when = "datum van dit cijfer onbekend" if nl else "date of figure unknown"
    else:
        when = f"{'stand van' if nl else 'figure of'} {_date(updated, nl)}"
    return f"{text} ({when})."


def _availability(facts: AvailabilityFacts, nl: bool) -> str:
    start = _date(facts.start_date, nl)
    late = facts.days_late
    days = _number(late, nl, 0)
    if facts.available_from is not None:
        since = _date(facts.available_from, nl)
        head = f"Beschikbaar vanaf {since}" if nl else f"Available from {since}"
    else:
        head = "Direct beschikbaar" if nl else "Available now"
    if late <= 0:
        tail = f"op tijd voor de start op {start}" if nl else f"on time for the start on {start}"
    elif nl:
        tail = f"{days} {'dag' if late == 1 else 'dagen'} na de start op {start}"
    else:
        tail = f"{days} {'day' if late == 1 else 'days'} after the start on {start}"
    return f"{head}, {tail}."


def _certifications(facts: CertificationFacts, nl: bool) -> str:
    held = [certification_label(c) for c in facts.held]
    missing = [certification_label(c) for c in facts.missing]
    clauses: list[str] = []
    if held:
        clauses.append(f"{'Heeft' if nl else 'Holds'} {_join(held, nl)}")
    if missing:
        verb = ("mist" if held else "Mist") if nl else ("lacks" if held else "Lacks")
        clauses.append(f"{verb} {_join(missing, nl)}")
    if not clauses:
        return "Geen voorkeurscertificaten gevraagd." if nl else "No preferred certifications."
    return "; ".join(clauses) + "."


def _join(items: Sequence[str], nl: bool) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" en " if nl else " and ") + items[-1]


def _number(value: float, nl: bool, decimals: int, trim: bool = False) -> str:
    return number(value, "nl" if nl else "en", decimals, trim=trim)


def _date(value: date | datetime, nl: bool) -> str:
    return day(value, "nl" if nl else "en")
