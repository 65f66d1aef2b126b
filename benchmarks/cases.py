"""Case search over 100k cases: the full-text search (text and filters, ranked, with the total
and the facet counts) against the same search with a `LIKE` scan for the text, on the same
database, in the same run. Target (issue 17): p95 at most 1/5 of the `LIKE` scan's.

    .venv/bin/python -m benchmarks.cases --database sqlite
    .venv/bin/python -m benchmarks.cases --database postgresql [--cases 100000]

Both run `app.cases.repository.search` (one page of 20, the total, facets per kind, region and
year); the baseline sets `CaseFilters.like`, which matches the words with
`lower(title|summary|story) LIKE '%word%'` instead of the index. The cases are generated from
a Dutch and English vocabulary with a seeded random generator, loaded in bulk, then indexed
as the service does (SQLite: FTS5 over Snowball stems; PostgreSQL: the weighted Dutch and
English `tsvector` with its GIN index).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.cases.repository import CaseFilters, search
from app.cases.text import REGIONS, stemmed
from app.cli import alembic_config
from app.models import Case, CaseWorkKind

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SEED = 17

# Each kind of work has its own words (Dutch, English); the rest of a story comes from a large
# filler vocabulary with a Zipf-like spread, so a word like "verpakken" is in the packaging
# cases (as in real texts), not in every case.
DOMAIN: dict[str, tuple[str, ...]] = {
    "packaging": ("verpakken", "verpakking", "dozen", "inpakken", "packing", "boxes"),
    "assembly": ("assemblage", "monteren", "onderdelen", "assembly", "parts"),
    "green-maintenance": ("groenonderhoud", "maaien", "snoeien", "bermen", "mowing", "pruning"),
    "cleaning": ("schoonmaak", "kantoren", "dagschoonmaak", "cleaning", "offices"),
    "textile-recycling": ("textiel", "sorteren", "inzameling", "textile", "sorting"),
    "order-fulfilment": ("orders", "magazijn", "verzenden", "webwinkel", "warehouse", "parcels"),
    "document-digitization": ("scannen", "archief", "dossiers", "scanning", "archive"),
    "catering": ("catering", "maaltijden", "keuken", "meals", "kitchen"),
    "bicycle-repair": ("fietsen", "herstel", "deelfietsen", "bicycles", "repair"),
    "electronics-assembly": ("kabels", "kabelbomen", "laadpalen", "cables", "harness"),
    "furniture-refurbishing": ("meubels", "renovatie", "bureaus", "furniture", "refurbished"),
    "customer-contact": ("klantcontact", "telefoon", "leden", "customer", "phone"),
}
KINDS = list(DOMAIN)
_SYLLABLES = ("ba", "be", "bi", "bo", "ka", "ke", "ko", "la", "le", "li", "lo", "ma", "me",
              "mo", "na", "ne", "no", "pa", "pe", "po", "ra", "re", "ri", "ro", "sa", "se",
              "si", "so", "ta", "te", "ti", "to", "va", "ve", "vo", "wa", "we", "zo", "der",
              "ing", "en", "heid", "lijk", "baar")
# Rare words for the queries: (word, share of cases that hold it somewhere).
RARE = {"kerstpakketten": 0.01, "bouwarchief": 0.002}


def _filler(rng: random.Random, size: int = 4000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _text(rng: random.Random, filler: list[str], weights: list[float], domain: list[str],
          n: int) -> str:
    out = rng.choices(filler, weights=weights, k=n)
    for i in range(0, n, 8):  # one word in eight is about the kind of work
        out[i] = rng.choice(domain)
    return " ".join(out)


def generate(count: int) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    filler = _filler(rng)
    weights = [1 / (rank + 1) for rank in range(len(filler))]
    regions = list(REGIONS)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        kinds = rng.sample(KINDS, rng.randint(1, 3))
        domain = [w for k in kinds for w in DOMAIN[k]]
        story = ". ".join(_text(rng, filler, weights, domain, 12)
                          for _ in range(rng.randint(6, 14)))
        for word, share in RARE.items():
            if rng.random() < share:
                story += f". {word}"
        rows.append({
            "id": uuid.UUID(int=rng.getrandbits(128)), "status": "published",
            "title": _text(rng, filler, weights, domain, 6).capitalize(),
            "summary": _text(rng, filler, weights, domain, 20),
            "story": story, "resources": "", "lessons": "",
            "results": _text(rng, filler, weights, domain, 10),
            "transfer": "", "partners": [], "links": [], "contact_consent": False,
            "place": None, "country": "NL", "region": rng.choice(regions),
            "year_started": rng.randint(2010, 2026), "author_id": uuid.UUID(int=1),
            "author_name": "benchmark", "author_role": "admin", "version": 1,
            "created_at": now, "updated_at": now, "published_at": now,
            "kinds": kinds,
        })
    return rows


def load(engine: Engine, rows: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            connection.execute(insert(Case), [{k: v for k, v in r.items() if k != "kinds"}
                                              for r in chunk])
            connection.execute(insert(CaseWorkKind), [{"case_id": r["id"], "work_kind": k}
                                                      for r in chunk for k in r["kinds"]])
            if engine.dialect.name == "sqlite":
                connection.execute(
                    text("INSERT INTO cases_fts (case_id, title, body) VALUES (:i, :t, :b)"),
                    [{"i": r["id"].hex, "t": stemmed(r["title"]),
                      "b": stemmed(f"{r['summary']}\n{r['story']}\n{r['results']}")}
                     for r in chunk])
        if engine.dialect.name == "postgresql":
            # The service's document (app/cases/repository.py: index_case), for every row.
            parts = []
            for column, weight in (("title", "A"), ("summary", "B"), ("story", "C"),
                                   ("results", "C")):
                for config in ("dutch", "english"):
                    parts.append(f"setweight(to_tsvector('{config}', {column}), '{weight}')")
            connection.execute(text(f"UPDATE cases SET search_vector = {' || '.join(parts)}"))
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def queries() -> list[CaseFilters]:
    """Text and filters as people combine them: a word (common or rare, Dutch or English,
    often inflected otherwise than stored), with a kind, a group, a region or a year."""
    out = []
    for word, extra in (
        ("verpakken", {"work_kinds": ("packaging",)}),
        ("snoeien", {"regions": ("NL-NB",)}),
        ("kerstpakketten", {}),
        ("laadpalen", {"work_kinds": ("electronics-assembly", "assembly")}),
        ("deelfietsen", {"years": (2024,)}),
        ("bouwarchief", {"regions": ("BE-VAN",)}),
        ("refurbished", {"work_kinds": ("furniture-refurbishing",)}),
        ("parcels", {"years": (2022, 2023)}),
        ("textiel sorteren", {"regions": ("NL-GR", "NL-FR")}),
        ("kabelbomen", {}),
        ("magazijn", {"work_kinds": ("order-fulfilment",), "years": (2025,)}),
        ("dossiers scannen", {"years": (2020, 2021)}),
    ):
        out.append(CaseFilters(q=word, **extra))  # type: ignore[arg-type]
    return out


def measure(engine: Engine, rounds: int) -> dict[str, Any]:
    times: dict[bool, list[float]] = {False: [], True: []}
    totals: dict[bool, list[int]] = {False: [], True: []}
    with Session(engine) as session:
        for like in (False, True):  # warm both up once
            for f in queries():
                search(session, replace(f, like=like), limit=20, offset=0)
        for _ in range(rounds):
            for f in queries():
                for like in (False, True):
                    started = time.perf_counter()
                    page = search(session, replace(f, like=like),
                                  limit=20, offset=0)
                    times[like].append((time.perf_counter() - started) * 1000)
                    totals[like].append(page.total)

    def p(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]

    return {
        "index_p50": p(times[False], 50), "index_p95": p(times[False], 95),
        "like_p50": p(times[True], 50), "like_p95": p(times[True], 95),
        "calls": len(times[False]),
        "hits_index": sum(totals[False]) // rounds, "hits_like": sum(totals[True]) // rounds,
    }


def run(backend: str, count: int, rounds: int) -> None:
    admin = None
    if backend == "postgresql":
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"loket_bench_cases_{uuid.uuid4().hex[:6]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        folder = None
    else:
        folder = tempfile.TemporaryDirectory(prefix="loket-bench-cases-")
        url = f"sqlite:///{Path(folder.name) / 'cases.db'}"
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            config.attributes["configure_logging"] = False
            command.upgrade(config, "heads")
        rows = generate(count)
        seconds = load(engine, rows)
        del rows
        result = measure(engine, rounds)
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if folder is not None:
            folder.cleanup()
    ratio = result["index_p95"] / result["like_p95"]
    print(f"{backend}: {count} cases loaded and indexed in {seconds:.0f} s; "
          f"{result['calls']} searches each way ({len(queries())} queries x {rounds} rounds)")
    print(f"  index: p50 {result['index_p50']:.1f} ms, p95 {result['index_p95']:.1f} ms "
          f"({result['hits_index']} matches over the queries)")
    print(f"  LIKE:  p50 {result['like_p50']:.1f} ms, p95 {result['like_p95']:.1f} ms "
          f"({result['hits_like']} matches)")
    print(f"  ratio p95 index / LIKE = {ratio:.3f} (1/{1 / ratio:.0f}); target <= 0.2: "
          f"{'met' if ratio <= 0.2 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    run(args.database, args.cases, args.rounds)


if __name__ == "__main__":
    main()
