"""Pure helpers of the cases domain: the provinces a case can be placed in, the Markdown story
as sanitised HTML, and the Dutch and English stems SQLite's full-text index is fed with.

PostgreSQL stems with its own `dutch` and `english` text-search configurations; SQLite's FTS5
has only an English (Porter) stemmer, so there the text is stemmed here with the Snowball
stemmers of both languages (the same algorithms PostgreSQL's configurations use), and the
query is stemmed the same way."""

from __future__ import annotations

import functools
import re
import unicodedata

import nh3
import snowballstemmer
from markdown_it import MarkdownIt

# ISO 3166-2 codes of the provinces (NL) and provinces and capital region (BE), with their
# Dutch names (the names the people of both countries use in Dutch).
REGIONS: dict[str, str] = {
    "NL-DR": "Drenthe",
    "NL-FL": "Flevoland",
    "NL-FR": "Fryslân",
    "NL-GE": "Gelderland",
    "NL-GR": "Groningen",
    "NL-LI": "Limburg (NL)",
    "NL-NB": "Noord-Brabant",
    "NL-NH": "Noord-Holland",
    "NL-OV": "Overijssel",
    "NL-UT": "Utrecht",
    "NL-ZE": "Zeeland",
    "NL-ZH": "Zuid-Holland",
    "BE-BRU": "Brussel",
    "BE-VAN": "Antwerpen",
    "BE-VBR": "Vlaams-Brabant",
    "BE-VLI": "Limburg (BE)",
    "BE-VOV": "Oost-Vlaanderen",
    "BE-VWV": "West-Vlaanderen",
    "BE-WBR": "Waals-Brabant",
    "BE-WHT": "Henegouwen",
    "BE-WLG": "Luik",
    "BE-WLX": "Luxemburg",
    "BE-WNA": "Namen",
}

# Belgian postcodes follow the provinces (bpost's ranges).
_BE_RANGES: tuple[tuple[int, int, str], ...] = (
    (1000, 1299, "BE-BRU"), (1300, 1499, "BE-WBR"), (1500, 1999, "BE-VBR"),
    (2000, 2999, "BE-VAN"), (3000, 3499, "BE-VBR"), (3500, 3999, "BE-VLI"),
    (4000, 4999, "BE-WLG"), (5000, 5999, "BE-WNA"), (6000, 6599, "BE-WHT"),
    (6600, 6999, "BE-WLX"), (7000, 7999, "BE-WHT"), (8000, 8999, "BE-VWV"),
    (9000, 9999, "BE-VOV"),
)


def region_of_postcode(country: str | None, postcode: str | None) -> str | None:
    """The province of a Belgian postcode; None where the postcode does not tell (NL)."""
    if country != "BE" or not postcode:
        return None
    digits = re.sub(r"\D", "", postcode)
    if len(digits) != 4:
        return None
    number = int(digits)
    return next((code for low, high, code in _BE_RANGES if low <= number <= high), None)


# --- the story: Markdown to sanitised HTML ---------------------------------------------------

# CommonMark without raw HTML; nh3 (ammonia) then keeps only these tags, whatever a parser
# bug or a future option lets through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "code",
    "pre", "a", "table", "thead", "tbody", "tr", "th", "td",
}


def render_markdown(text: str) -> str:
    """Markdown as HTML safe to put in a page: no scripts, no styles, no event handlers, only
    http(s) and mailto links, each with rel="nofollow noopener noreferrer". Headings move
    down one level (a story's `#` is an h2 under the case's title)."""
    html = _markdown.render(text)
    html = re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 4)}>",
                  html)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, for the search index."""
    return nh3.clean(_markdown.render(markdown), tags=set())


# --- stems for SQLite's index -----------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


@functools.cache
def _stemmers() -> tuple[snowballstemmer.stemmer, snowballstemmer.stemmer]:
    return snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english")


def _fold(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def words(text: str) -> list[str]:
    return [_fold(w) for w in _WORD.findall(text) if w.strip("_")]


@functools.lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The Dutch and the English stem of one (folded) word, each once."""
    dutch, english = _stemmers()
    return tuple(dict.fromkeys((dutch.stemWord(word), english.stemWord(word))))


def stemmed(text: str) -> str:
    """A text as its Dutch and English stems: what the FTS5 index holds."""
    return " ".join(s for w in words(text) for s in stems(w))


def fts_query(text: str) -> str | None:
    """An FTS5 query for the words typed: every word must match, by either of its stems
    (prefix match on the last word while typing is left out: results should not jump)."""
    terms = []
    for w in words(text)[:20]:
        options = " OR ".join(f'"{s}"' for s in stems(w))
        terms.append(f"({options})")
    return " AND ".join(terms) or None
