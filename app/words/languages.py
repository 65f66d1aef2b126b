"""The languages Loket speaks: one list, used by content negotiation, accounts, mails,
labels, error templates and explanations. Adding one here makes the completeness test
(tests/test_languages.py) list every word still missing in it."""

from __future__ import annotations

from typing import Final, Literal, get_args

# Order matters where words are kept as tuples (app/words/codes.py): Dutch, English, French.
Language = Literal["nl", "en", "fr"]
LANGUAGES: Final[tuple[str, ...]] = get_args(Language)
DEFAULT_LANGUAGE: Final = "nl"  # accounts, mails and pages without a stated choice
FALLBACK_LANGUAGE: Final = "en"  # the API's answer when the caller names none we serve

# Primary subtags (RFC 5646) that mean one of ours: West Flemish reads Dutch; Walloon and
# Picard speakers read French.
_PRIMARY: Final[dict[str, str]] = {
    "nl": "nl", "vls": "nl", "zea": "nl", "li": "nl",
    "en": "en",
    "fr": "fr", "wa": "fr", "pcd": "fr",
}  # fmt: skip


def served(tag: str) -> str | None:
    """The language we serve for a language tag ("fr-BE" -> "fr"), or None."""
    return _PRIMARY.get(tag.strip().lower().split("-")[0])


def negotiate(accept_language: str) -> str:
    """The served language the caller prefers most by an `Accept-Language` header (RFC 9110:
    q-values, earlier entries win ties, languages we do not serve are skipped: "de, nl;q=0.8"
    means Dutch); English when it names none of ours."""
    best_lang, best_q = FALLBACK_LANGUAGE, -1.0
    for position, part in enumerate(accept_language.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if not q > 0:  # q=0 means "not acceptable"
            continue
        q -= position * 1e-6
        lang = FALLBACK_LANGUAGE if tag == "*" else served(tag)
        if lang and q > best_q:
            best_lang, best_q = lang, q
    return best_lang


def language_or_default(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """`value` when it is a language we serve, else `default`."""
    return value if value in LANGUAGES else default


def label_in(lang: str, nl: str, en: str, fr: str | None = None) -> str:
    """The one of a label's forms `lang` reads: Dutch, French (English while a French one is
    missing), else English."""
    if lang == "nl":
        return nl
    if lang == "fr" and fr:
        return fr
    return en
