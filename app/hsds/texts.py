"""The sentences the HSDS answers make up, in every language Loket speaks (Content-Language
says which; tests/hsds/test_texts.py checks that each has every language and placeholder)."""

from __future__ import annotations

from typing import Final

from app.words.languages import FALLBACK_LANGUAGE

TEXTS: Final[dict[str, dict[str, str]]] = {
    "group": {
        "nl": "Groep soorten werk: {kinds}.",
        "en": "Group of kinds of work: {kinds}.",
        "fr": "Groupe de types de travail : {kinds}.",
    },
    "kind": {
        "nl": "Soort werk in de groep {group}.",
        "en": "Kind of work in the group {group}.",
        "fr": "Type de travail du groupe {group}.",
    },
    "nace_of_kind": {
        "nl": " NACE Rev. 2: {codes}.",
        "en": " NACE Rev. 2: {codes}.",
        "fr": " NACE Rév. 2 : {codes}.",
    },
    "nace_term": {
        "nl": "NACE Rev. 2-klasse {code}; de soorten werk van Loket daarin: {kinds}.",
        "en": "NACE Rev. 2 class {code}; Loket's kinds of work in it: {kinds}.",
        "fr": "Classe NACE Rév. 2 {code} ; les types de travail de Loket qui en relèvent : "
              "{kinds}.",
    },
    "capacity": {
        "nl": "Mensen beschikbaar voor nieuw werk",
        "en": "People available for new work",
        "fr": "Personnes disponibles pour de nouveaux travaux",
    },
    "area_name": {
        "nl": "{radius} km rond {place}",
        "en": "{radius} km around {place}",
        "fr": "{radius} km autour de {place}",
    },
    "area_description": {
        "nl": "Het bedrijf werkt of levert tot {radius} km van zijn vestiging {site} "
              "({place}, {country}).",
        "en": "The company works or delivers within {radius} km of its site {site} "
              "({place}, {country}).",
        "fr": "L'entreprise travaille ou livre dans un rayon de {radius} km autour de son site "
              "{site} ({place}, {country}).",
    },
    "service_at_location": {
        "nl": "{label} bij {site}",
        "en": "{label} at {site}",
        "fr": "{label} à {site}",
    },
    "phone": {
        "nl": "Algemeen nummer",
        "en": "General number",
        "fr": "Numéro général",
    },
}


def text(lang: str, key: str, **params: object) -> str:
    templates = TEXTS[key]
    return templates.get(lang, templates[FALLBACK_LANGUAGE]).format(**params)
