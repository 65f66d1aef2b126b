"""Every sentence the HSDS answers make up exists in every language, with the same blanks."""

from __future__ import annotations

import string

from app.hsds.texts import TEXTS
from app.words.languages import LANGUAGES


def _blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_in_every_language() -> None:
    missing = [(key, lang) for key, texts in TEXTS.items() for lang in LANGUAGES
               if not texts.get(lang)]
    assert not missing
    for key, texts in TEXTS.items():
        assert len({frozenset(_blanks(t)) for t in texts.values()}) == 1, key
