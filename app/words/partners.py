"""The words of the reverse search's explanations, in every served language: the labels of
expertise, materials and kinds of partnership, and one sentence per criterion. (The pages keep
their own copy of the labels in app/web/static/partners-ui.js.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

LABELS: Final[dict[str, dict[str, dict[str, str]]]] = {
    "nl": {
        "expertise": {"engineering": "engineering", "hr": "HR", "care-expertise": "zorgexpertise",
                      "design": "ontwerp", "ict": "ICT", "marketing": "marketing",
                      "finance": "financiën", "legal": "juridische kennis"},
        "materials": {"textile": "afgedankt textiel", "electronics": "elektronica",
                      "furniture": "meubels", "wood": "hout", "metal": "metaal",
                      "plastics": "kunststof", "paper-cardboard": "papier en karton",
                      "bicycles": "fietsen", "building-materials": "bouwmaterialen",
                      "food": "voedsel", "other": "overige materialen"},
        "partnership_kinds": {"customer": "klant", "supplier": "leverancier",
                              "full-partnership": "volwaardig partnerschap",
                              "cooperative-member": "lid van een coöperatie"},
    },
    "en": {
        "expertise": {"engineering": "engineering", "hr": "HR", "care-expertise": "care expertise",
                      "design": "design", "ict": "ICT", "marketing": "marketing",
                      "finance": "finance", "legal": "legal expertise"},
        "materials": {"textile": "discarded textile", "electronics": "electronics",
                      "furniture": "furniture", "wood": "wood", "metal": "metal",
                      "plastics": "plastics", "paper-cardboard": "paper and cardboard",
                      "bicycles": "bicycles", "building-materials": "building materials",
                      "food": "food", "other": "other materials"},
        "partnership_kinds": {"customer": "customer", "supplier": "supplier",
                              "full-partnership": "full partnership",
                              "cooperative-member": "cooperative member"},
    },
    "fr": {
        "expertise": {"engineering": "ingénierie", "hr": "RH",
                      "care-expertise": "expertise en soins", "design": "design", "ict": "TIC",
                      "marketing": "marketing", "finance": "finances",
                      "legal": "expertise juridique"},
        "materials": {"textile": "textile usagé", "electronics": "électronique",
                      "furniture": "meubles", "wood": "bois", "metal": "métal",
                      "plastics": "plastiques", "paper-cardboard": "papier et carton",
                      "bicycles": "vélos", "building-materials": "matériaux de construction",
                      "food": "alimentation", "other": "autres matériaux"},
        "partnership_kinds": {"customer": "client", "supplier": "fournisseur",
                              "full-partnership": "partenariat complet",
                              "cooperative-member": "membre d’une coopérative"},
    },
}

_SENTENCES: Final[dict[str, dict[str, str]]] = {
    "nl": {"covered": "zoekt {covered}", "also": "; zoekt ook {missing}",
           "other": "zoekt {missing}, niet wat u biedt", "none": "zoekt hierin niets",
           "distance": "{km} km hiervandaan"},
    "en": {"covered": "seeks {covered}", "also": "; also seeks {missing}",
           "other": "seeks {missing}, not what you offer", "none": "seeks nothing of this kind",
           "distance": "{km} km away"},
    "fr": {"covered": "cherche {covered}", "also": " ; cherche aussi {missing}",
           "other": "cherche {missing}, pas ce que vous offrez",
           "none": "ne cherche rien de ce genre", "distance": "à {km} km"},
}


def _names(lang: str, facet: str, codes: Sequence[str], kind_labels: dict[str, str]) -> str:
    table = LABELS[lang].get(facet, {})
    return ", ".join(table.get(c) or kind_labels.get(c) or c for c in codes)


def need_detail(
    lang: str, facet: str, covered: Sequence[str], missing: Sequence[str],
    kind_labels: dict[str, str] | None = None,
) -> str:
    """One facet's reason: what the seeker seeks that is offered, and what else it seeks."""
    words = _SENTENCES.get(lang, _SENTENCES["en"])
    lang = lang if lang in LABELS else "en"
    kinds = kind_labels or {}
    if covered:
        text = words["covered"].format(covered=_names(lang, facet, covered, kinds))
        if missing:
            text += words["also"].format(missing=_names(lang, facet, missing, kinds))
        return text
    if missing:
        return words["other"].format(missing=_names(lang, facet, missing, kinds))
    return words["none"]


def distance_detail(lang: str, km: float) -> str:
    words = _SENTENCES.get(lang, _SENTENCES["en"])
    shown = f"{km:.1f}"
    if lang in {"nl", "fr"}:
        shown = shown.replace(".", ",")
    return words["distance"].format(km=shown)
