"""Every word exists in every language Loket speaks (app/words/languages.py: nl, en, fr).

Each test fails with the list of what is missing, per language and place, so whoever adds a
string in one language sees at once where to add the others:
- the pages' string tables (`{nl: {...}, en: {...}, fr: {...}}` in app/web/static/*.js),
- the mail templates (`<name>_<lang>.txt` and `.html`) and their subjects,
- the error-code templates (app/words/codes.py: TEMPLATES and TEMPLATES_FR),
- the labels of kinds of work and certifications (the migrated database),
- the explanations of a match (app/matching/explain.py) and of a consortium.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.consortia.proposer import Candidate, Proposal
from app.consortia.proposer import explain as explain_consortium
from app.matching.explain import explain
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    DistanceFacts,
    PsoFacts,
    ReservedFacts,
    WorkKindFacts,
)
from app.models import Certification, WorkKind
from app.notifications.email import SUBJECTS
from app.words.codes import ALL_CODES, TEMPLATES, TEMPLATES_FR, placeholders
from app.words.languages import LANGUAGES
from tests.matching import TAXONOMY

APP = Path(__file__).resolve().parents[1] / "app"
STATIC = APP / "web" / "static"
MAIL_TEMPLATES = APP / "notifications" / "templates"

# The start of a language table: `{` then `nl:` then `{` (any spacing).
_TABLE_START = re.compile(r"\{\s*nl\s*:\s*\{")


def _literal_end(source: str, start: int) -> int:
    """The index after the `}` closing the object literal opened at `start`: strings, template
    literals (with `${...}` inside) and comments are skipped."""
    depth, i, templates = 0, start, []  # templates: brace depth at each open `${`
    while i < len(source):
        c = source[i]
        if c in "\"'":
            i += 1
            while source[i] != c:
                i += 2 if source[i] == "\\" else 1
        elif c == "`" or (c == "}" and templates and templates[-1] == depth):
            if c == "}":
                templates.pop()
                depth -= 1
            i += 1
            while source[i] != "`":
                if source[i] == "\\":
                    i += 1
                elif source.startswith("${", i):
                    templates.append(depth + 1)
                    depth += 1
                    i += 1
                    break
                i += 1
        elif source.startswith("//", i):
            i = source.index("\n", i)
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unclosed object literal at {start}")


def _in_comment(source: str, at: int) -> bool:
    line_start = source.rfind("\n", 0, at) + 1
    return "//" in source[line_start:at] or source.rfind("/*", 0, at) > source.rfind("*/", 0, at)


def string_tables() -> dict[str, str]:
    """`file:line` -> the source of every language table in the pages' scripts."""
    tables: dict[str, str] = {}
    for path in sorted(STATIC.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        position = 0
        while match := _TABLE_START.search(source, position):
            if _in_comment(source, match.start()):
                position = match.end()
                continue
            end = _literal_end(source, match.start())
            line = source.count("\n", 0, match.start()) + 1
            tables[f"{path.relative_to(APP.parent)}:{line}"] = source[match.start():end]
            position = end
    return tables


# Node evaluates each table (the values are never called) and lists its keys per language,
# nested tables as dotted paths.
_KEYS_JS = """
const tables = JSON.parse(require("fs").readFileSync(0, "utf8"));
const paths = (o, prefix = "") => Object.entries(o).flatMap(([k, v]) =>
  v && typeof v === "object" && !Array.isArray(v) ? paths(v, `${prefix}${k}.`) : [`${prefix}${k}`]);
const out = {};
for (const [where, source] of Object.entries(tables)) {
  const table = (0, eval)(`(${source})`);
  out[where] = Object.fromEntries(
    Object.entries(table).map(([lang, words]) => [lang, paths(words)]));
}
process.stdout.write(JSON.stringify(out));
"""


def table_keys() -> dict[str, dict[str, list[str]]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "-e", _KEYS_JS], input=json.dumps(string_tables()),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    keys: dict[str, dict[str, list[str]]] = json.loads(done.stdout)
    return keys


def test_the_pages_know_the_same_languages_as_the_server() -> None:
    source = (STATIC / "i18n.js").read_text(encoding="utf-8")
    listed = re.search(r"export const LANGUAGES = (\[[^\]]*\])", source)
    assert listed, "i18n.js should export LANGUAGES"
    assert tuple(json.loads(listed.group(1))) == LANGUAGES


def test_every_page_string_exists_in_every_language() -> None:
    keys = table_keys()
    assert len(keys) >= 10, f"found only these string tables: {sorted(keys)}"
    problems: list[str] = []
    for where, by_lang in keys.items():
        if set(by_lang) != set(LANGUAGES):
            problems.append(f"{where}: languages {sorted(by_lang)}, expected {list(LANGUAGES)}")
        every = set().union(*(set(v) for v in by_lang.values()))
        for lang in LANGUAGES:
            missing = sorted(every - set(by_lang.get(lang, [])))
            if missing:
                problems.append(f"{where}: missing in {lang}: {', '.join(missing)}")
    assert not problems, "UI strings missing:\n" + "\n".join(problems)


def test_every_data_i18n_key_of_the_pages_has_words() -> None:
    """A key named in a page's HTML exists in the shared tables or in the page's own."""
    keys = table_keys()
    known: dict[str, set[str]] = {}
    for where, by_lang in keys.items():
        known.setdefault(where.split(":")[0], set()).update(by_lang.get("nl", []))
    shared = known.get("app/web/static/i18n.js", set())
    problems = []
    for page in sorted((APP / "web" / "pages").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        script = re.search(r'src="/static/([\w-]+\.js)"', html)
        own = known.get(f"app/web/static/{script.group(1)}", set()) if script else set()
        if page.name == "layout.html":
            own = set()
        for key in re.findall(r'data-i18n(?:-label|-placeholder)?="([^"]+)"', html):
            if key not in shared and key not in own and not any(key in k for k in known.values()):
                problems.append(f"{page.name}: {key}")
    assert not problems, "data-i18n keys without words:\n" + "\n".join(problems)


def test_every_mail_exists_in_every_language_as_text_and_html() -> None:
    names = {re.sub(r"_[a-z]{2}$", "", p.stem) for p in MAIL_TEMPLATES.glob("*_*.*")}
    missing = [
        f"{name}_{lang}.{ext}"
        for name in sorted(names) for lang in LANGUAGES for ext in ("txt", "html")
        if not (MAIL_TEMPLATES / f"{name}_{lang}.{ext}").is_file()
    ]
    assert not missing, "mail templates missing in app/notifications/templates: " + ", ".join(
        missing)
    no_subject = [f"{name} ({lang})" for name in sorted(names) for lang in LANGUAGES
                  if lang not in SUBJECTS.get(name, {})]
    assert not no_subject, "mail subjects missing in app/notifications/email.py SUBJECTS: " + (
        ", ".join(no_subject))


_MAIL_NAMES = re.compile(r"{{\s*([a-z_]+)|{%-?\s*(?:el)?if\s+(?:not\s+)?([a-z_]+)"
                         r"|{%-?\s*for\s+\w+\s+in\s+([a-z_]+)")


def test_every_language_of_a_mail_says_the_same_things() -> None:
    """Each language's template names the same values: one that shows the amount at stake in
    Dutch shows it in French too."""
    problems = []
    for dutch in sorted(MAIL_TEMPLATES.glob("*_nl.*")):
        said = {n for m in _MAIL_NAMES.findall(dutch.read_text(encoding="utf-8")) for n in m if n}
        for lang in LANGUAGES:
            other = dutch.with_name(dutch.name.replace("_nl.", f"_{lang}."))
            if not other.is_file():
                continue  # named by the test above
            found = {n for m in _MAIL_NAMES.findall(other.read_text(encoding="utf-8"))
                     for n in m if n}
            if found != said:
                problems.append(f"{other.name}: missing {sorted(said - found)}, "
                                f"extra {sorted(found - said)} (against {dutch.name})")
    assert not problems, "mail templates that say different things:\n" + "\n".join(problems)


def test_every_mail_html_says_its_language() -> None:
    wrong = [p.name for p in MAIL_TEMPLATES.glob("*.html")
             if f'lang="{p.stem.rsplit("_", 1)[1]}"' not in p.read_text(encoding="utf-8")]
    assert not wrong, f"<html lang> does not match the file's language: {wrong}"


def test_every_error_code_has_a_french_template_with_the_same_placeholders() -> None:
    missing = sorted(set(TEMPLATES) - set(TEMPLATES_FR))
    assert not missing, (
        "error codes without French in app/words/codes.py TEMPLATES_FR: " + ", ".join(missing))
    assert not set(TEMPLATES_FR) - set(ALL_CODES), "TEMPLATES_FR names unknown codes"
    pattern = re.compile(r"\{([a-z_]+)\}")
    differ = [code for code in TEMPLATES
              if set(pattern.findall(TEMPLATES_FR[code])) != placeholders(code)
              or set(pattern.findall(TEMPLATES[code][0])) != placeholders(code)]
    assert not differ, f"French and Dutch/English templates name different params: {differ}"


def test_every_kind_of_work_and_certification_has_a_french_label(session: Session) -> None:
    missing = [f"work kind {k.code}" for k in session.scalars(select(WorkKind))
               if not k.label_fr]
    missing += [f"certification {c.code}" for c in session.scalars(select(Certification))
                if not c.label_fr]
    assert not missing, "labels without French (label_fr, set it in a migration): " + ", ".join(
        missing)


COMPONENTS = [
    WorkKindFacts(covered=("packaging",), partial={"assembly": "small-series-production"},
                  missing=("cleaning",), group_kinds={}),
    DistanceFacts(distance_km=12.5, limit_km=40.0),
    CapacityFacts(available=3, needed=10, work_kind="packaging",
                  capacity_updated_at=datetime(2026, 11, 1, 9, 0)),
    AvailabilityFacts(available_from=date(2027, 2, 1), start_date=date(2027, 1, 15),
                      days_late=17),
    CertificationFacts(held=("iso-9001",), missing=("haccp",)),
    ReservedFacts(target_group_share=42.5, stated_on=date(2026, 11, 1), threshold=30.0),
    PsoFacts(level="trede-2", certified_on=date(2026, 3, 1), minimum="trede-1"),
]


@pytest.mark.parametrize("facts", COMPONENTS, ids=lambda f: type(f).__name__)
def test_every_explanation_is_written_in_every_language(facts: object) -> None:
    component = Component(criterion="x", weight=1.0, score=0.5, facts=facts)  # type: ignore[arg-type]
    sentences = {lang: explain(component, lang, TAXONOMY) for lang in LANGUAGES}
    assert len(set(sentences.values())) == len(LANGUAGES), sentences


def test_a_consortium_is_explained_in_every_language() -> None:
    proposal = Proposal(
        members=tuple(
            Candidate(company_id=n, name=f"Atelier {n}", site_name="Siège", city="Namur",
                      distance_km=d, capacity_workers=w, kinds=frozenset({"packaging"}))
            for n, d, w in (("A", 10.0, 6), ("B", 20.0, 5))),
        total_capacity=11, shared_kinds=("packaging",), covered_kinds=("packaging",),
        largest_distance_km=20.0)
    sentences = {lang: explain_consortium(proposal, 10, lang) for lang in LANGUAGES}
    assert len(set(sentences.values())) == len(LANGUAGES), sentences
