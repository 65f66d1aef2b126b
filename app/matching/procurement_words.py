"""Procurement in sentences (Dutch, English, French): why a company may take part in a reserved
contract or meets a PSO minimum, what a contract puts at stake in social return, and how much
of it a company's work could cover. Used by app/matching/explain.py, the answers and mails."""

from __future__ import annotations

from datetime import date

from app.matching.procurement import RESERVED_CODE, Coverage, Obligation, pso_label
from app.matching.types import PsoFacts, ReservedFacts
from app.words.format import day, number


def _lang(lang: str) -> str:
    return lang if lang in ("nl", "fr") else "en"


def _pct(value: float, lang: str) -> str:
    # French puts a (narrow no-break) space before the percent sign.
    text = number(value, lang, 2, trim=True)
    return f"{text}\u202f%" if lang == "fr" else f"{text}%"


def euros(value: float, lang: str) -> str:
    """An amount in euros as a reader writes it: € 100.000 / €100,000 / 100 000 € (cents when
    any)."""
    lang = _lang(lang)
    text = number(value, lang, 2 if round(value * 100) % 100 else 0)
    return {"nl": f"€ {text}", "en": f"€{text}", "fr": f"{text}\u00a0€"}[lang]


def reserved_sentence(facts: ReservedFacts, lang: str) -> str:
    lang = _lang(lang)
    share, need = _pct(facts.target_group_share, lang), _pct(facts.threshold, lang)
    when = _when(facts.stated_on, lang, {"nl": "opgegeven op", "en": "stated on",
                                         "fr": "déclarée le"})
    return {
        "nl": f"Mag meedoen aan een voorbehouden opdracht ({RESERVED_CODE}): {share} "
              f"doelgroepmedewerkers{when}, {need} of meer nodig.",
        "en": f"May take part in a reserved contract ({RESERVED_CODE}): {share} target-group "
              f"workers{when}, {need} or more needed.",
        "fr": f"Peut participer à un marché réservé ({RESERVED_CODE}) : {share} de "
              f"travailleurs du public cible{when}, {need} ou plus requis.",
    }[lang]


def pso_sentence(facts: PsoFacts, lang: str) -> str:
    lang = _lang(lang)
    level, minimum = pso_label(facts.level, lang), pso_label(facts.minimum, lang)
    when = "" if facts.certified_on is None else {
        "nl": f", gecertificeerd op {day(facts.certified_on, lang)}",
        "en": f", certified on {day(facts.certified_on, lang)}",
        "fr": f", certifié le {day(facts.certified_on, lang)}",
    }[lang]
    return {
        "nl": f"{level}{when}; minimaal {minimum} gevraagd.",
        "en": f"{level}{when}; at least {minimum} asked.",
        "fr": f"{level}{when} ; au moins {minimum} demandé.",
    }[lang]


def obligation_sentence(obliged: Obligation, lang: str) -> str:
    """What is at stake: "€100,000 of social return at stake: 5% of a contract value of
    €2,000,000 (counting rules: ...)"."""
    lang = _lang(lang)
    amount, region = euros(obliged.amount_eur, lang), obliged.region.label(lang)
    if obliged.contract_value_eur is not None and obliged.percentage is not None:
        pct, value = _pct(obliged.percentage, lang), euros(obliged.contract_value_eur, lang)
        head = {
            "nl": f"{amount} aan social return staat op het spel: {pct} van een "
                  f"opdrachtwaarde van {value}",
            "en": f"{amount} of social return at stake: {pct} of a contract value of {value}",
            "fr": f"{amount} de clause sociale en jeu : {pct} d’un marché d’une valeur de "
                  f"{value}",
        }[lang]
    else:
        head = {"nl": f"{amount} aan social return staat op het spel",
                "en": f"{amount} of social return at stake",
                "fr": f"{amount} de clause sociale en jeu"}[lang]
    rules = {"nl": "telregels", "en": "counting rules", "fr": "règles de calcul"}[lang]
    return f"{head} ({rules}: {region})."


def coverage_sentence(cover: Coverage, obliged: Obligation, lang: str) -> str:
    """How much of the obligation a company's (or a consortium's) work could cover, and by
    which counting rule: an estimate, said as one."""
    lang = _lang(lang)
    amount, total = euros(cover.could_cover_eur, lang), euros(obliged.amount_eur, lang)
    pct = _pct(cover.counted_percent, lang)
    per_worker = euros(obliged.region.annual_value_per_worker_eur, lang)
    people = number(cover.workers, lang, 0)
    one = cover.workers == 1
    if cover.rule == "pso" and cover.pso_level is not None:
        level = pso_label(cover.pso_level, lang)
        rule = {
            "nl": f"inkoop bij een bedrijf met {level} telt voor {pct} van de factuurwaarde "
                  "excl. btw",
            "en": f"buying from a company at {level} counts at {pct} of the invoice value "
                  "excl. VAT",
            "fr": f"un achat auprès d’une entreprise {level} compte pour {pct} de la valeur "
                  "facturée hors TVA",
        }[lang]
    elif cover.rule == "mixed":
        rule = {
            "nl": f"ieder lid telt volgens zijn eigen regel, samen {pct} van de factuurwaarde "
                  "excl. btw",
            "en": f"each member counts by its own rule, together {pct} of the invoice value "
                  "excl. VAT",
            "fr": f"chaque membre compte selon sa propre règle, ensemble {pct} de la valeur "
                  "facturée hors TVA",
        }[lang]
    else:
        rule = {
            "nl": f"inkoop bij een sw-bedrijf telt voor {pct} van de factuurwaarde excl. btw",
            "en": f"buying from a sheltered-work company counts at {pct} of the invoice value "
                  "excl. VAT",
            "fr": f"un achat auprès d’une entreprise de travail adapté compte pour {pct} de la "
                  "valeur facturée hors TVA",
        }[lang]
    return {
        "nl": f"Kan naar schatting {amount} van de {total} dekken: {people} "
              f"{'medewerker' if one else 'medewerkers'} × {per_worker} per jaar werk; "
              f"{rule}; hooguit het bedrag dat op het spel staat.",
        "en": f"Could cover an estimated {amount} of the {total}: {people} "
              f"{'worker' if one else 'workers'} × {per_worker} of work a year; {rule}; at "
              "most the amount at stake.",
        "fr": f"Pourrait couvrir environ {amount} des {total} : {people} "
              f"{'travailleur' if one else 'travailleurs'} × {per_worker} de travail par an ; "
              f"{rule} ; au plus le montant en jeu.",
    }[lang]


def _when(value: date | None, lang: str, verb: dict[str, str]) -> str:
    return "" if value is None else f" ({verb[lang]} {day(value, lang)})"
