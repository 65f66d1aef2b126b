"""Readable sentences (Dutch, English or French) from a component's facts."""

from __future__ import annotations

from collections.abc import Sequence

from app.matching.procurement_words import pso_sentence, reserved_sentence
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    DistanceFacts,
    PsoFacts,
    ReservedFacts,
    Taxonomy,
    WorkKindFacts,
)
from app.words.format import day, number


def explain(component: Component, lang: str, taxonomy: Taxonomy) -> str:
    """One sentence for `component`; `lang` "nl" gives Dutch, "fr" French, anything else
    English."""
    lang = lang if lang in ("nl", "fr") else "en"
    facts = component.facts
    match facts:
        case WorkKindFacts():
            return _work_kinds(facts, lang, taxonomy)
        case DistanceFacts():
            return _distance(facts, lang)
        case CapacityFacts():
            return _capacity(facts, lang, taxonomy)
        case AvailabilityFacts():
            return _availability(facts, lang)
        case CertificationFacts():
            return _certifications(facts, lang)
        case ReservedFacts():
            return reserved_sentence(facts, lang)
        case PsoFacts():
            return pso_sentence(facts, lang)


def certification_label(code: str) -> str:
    """Display form of a certification code: iso-9001 -> ISO 9001, pso -> PSO."""
    return code.replace("-", " ").upper()


def _work_kinds(facts: WorkKindFacts, lang: str, taxonomy: Taxonomy) -> str:
    def label(code: str) -> str:
        text = taxonomy.label(code, lang)
        inside = facts.group_kinds.get(code)
        if inside:
            text += " (" + ", ".join(taxonomy.label(k, lang) for k in inside) + ")"
        return text

    clauses: list[str] = []
    if facts.covered:
        verb = {"nl": "Biedt", "en": "Offers", "fr": "Propose"}[lang]
        clauses.append(f"{verb} {_join([label(c) for c in facts.covered], lang)}")
    for asked, sibling in facts.partial.items():
        a, s = taxonomy.label(asked, lang), taxonomy.label(sibling, lang)
        clauses.append({
            "nl": f"{a} wordt niet aangeboden, wel verwant werk: {s}",
            "en": f"{a} is not offered, but related {s} is",
            "fr": f"{a} n’est pas proposé, mais un travail apparenté l’est : {s}",
        }[lang])
    missing = facts.missing
    if missing:
        names = _join([taxonomy.label(m, lang) for m in missing], lang)
        one = len(missing) == 1
        clauses.append({
            "nl": f"{names} {'wordt' if one else 'worden'} niet aangeboden",
            "en": f"{names} {'is' if one else 'are'} not offered",
            "fr": f"{names} {'n’est' if one else 'ne sont'} pas proposé{'' if one else 's'}",
        }[lang])
    if not clauses:
        return {"nl": "Geen gevraagde werksoort.", "en": "No asked kind of work.",
                "fr": "Aucun type de travail demandé."}[lang]
    text = "; ".join(clauses) if lang != "fr" else " ; ".join(clauses)
    return text[:1].upper() + text[1:] + "."


def _distance(facts: DistanceFacts, lang: str) -> str:
    where = {"nl": "van de gevraagde locatie", "en": "from the asked location",
             "fr": "du lieu demandé"}[lang]
    if facts.limit_km is None:
        bound = {"nl": "geen afstandsgrens", "en": "no distance limit",
                 "fr": "sans limite de distance"}[lang]
    else:
        limit = {"nl": "grens", "en": "limit", "fr": "limite"}[lang]
        bound = f"{limit} {number(facts.limit_km, lang, 1, trim=True)} km"
    return f"{number(facts.distance_km, lang, 1)} km {where} ({bound})."


def _capacity(facts: CapacityFacts, lang: str, taxonomy: Taxonomy) -> str:
    n, kind, updated = facts.available, facts.work_kind, facts.capacity_updated_at
    has, needed = number(n, lang, 0), number(facts.needed, lang, 0)
    what = "" if kind is None else taxonomy.label(kind, lang)
    s = "" if n == 1 else "s"
    if kind is None:
        text = {
            "nl": f"Geen medewerkers opgegeven voor het gevraagde werk, {needed} nodig",
            "en": f"No workers listed for the asked work, {needed} needed",
            "fr": f"Aucun travailleur indiqué pour le travail demandé, {needed} nécessaires",
        }[lang]
    elif n < facts.needed:  # what falls short, as a person says it: "40 of the 5,000 ..."
        text = {
            "nl": f"{has} van de {needed} gevraagde mensen beschikbaar voor {what}",
            "en": f"{has} of the {needed} people asked available for {what}",
            "fr": f"{has} des {needed} personnes demandées disponibles pour {what}",
        }[lang]
    else:
        text = {
            "nl": f"{has} medewerker{s} beschikbaar voor {what}, {needed} nodig",
            "en": f"{has} worker{s} available for {what}, {needed} needed",
            "fr": f"{has} travailleur{s} disponible{s} pour {what}, {needed} "
                  f"nécessaire{'' if facts.needed == 1 else 's'}",
        }[lang]
    if updated is None:
        when = {"nl": "datum van dit cijfer onbekend", "en": "date of figure unknown",
                "fr": "date de ce chiffre inconnue"}[lang]
    else:
        of = {"nl": "stand van", "en": "figure of", "fr": "chiffre du"}[lang]
        when = f"{of} {day(updated, lang)}"
    return f"{text} ({when})."


def _availability(facts: AvailabilityFacts, lang: str) -> str:
    start = day(facts.start_date, lang)
    late = facts.days_late
    days = number(late, lang, 0)
    if facts.available_from is not None:
        since = day(facts.available_from, lang)
        head = {"nl": f"Beschikbaar vanaf {since}", "en": f"Available from {since}",
                "fr": f"Disponible à partir du {since}"}[lang]
    else:
        head = {"nl": "Direct beschikbaar", "en": "Available now",
                "fr": "Disponible immédiatement"}[lang]
    one = late == 1
    if late <= 0:
        tail = {"nl": f"op tijd voor de start op {start}",
                "en": f"on time for the start on {start}",
                "fr": f"à temps pour le début le {start}"}[lang]
    else:
        tail = {"nl": f"{days} {'dag' if one else 'dagen'} na de start op {start}",
                "en": f"{days} {'day' if one else 'days'} after the start on {start}",
                "fr": f"{days} jour{'' if one else 's'} après le début le {start}"}[lang]
    return f"{head}, {tail}."


def _certifications(facts: CertificationFacts, lang: str) -> str:
    held = [certification_label(c) for c in facts.held]
    missing = [certification_label(c) for c in facts.missing]
    clauses: list[str] = []
    if held:
        verb = {"nl": "Heeft", "en": "Holds", "fr": "Détient"}[lang]
        clauses.append(f"{verb} {_join(held, lang)}")
    if missing:
        verb = {"nl": "mist", "en": "lacks", "fr": "n’a pas"}[lang]
        if not held:
            verb = verb[:1].upper() + verb[1:]
        clauses.append(f"{verb} {_join(missing, lang)}")
    if not clauses:
        return {"nl": "Geen voorkeurscertificaten gevraagd.", "en": "No preferred certifications.",
                "fr": "Aucune certification souhaitée."}[lang]
    return (" ; " if lang == "fr" else "; ").join(clauses) + "."


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = {"nl": " en ", "en": " and ", "fr": " et "}[lang]
    return ", ".join(items[:-1]) + last + items[-1]
