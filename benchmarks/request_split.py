"""Where a match request's CPU goes outside the web framework: the steps of `POST /v1/match`
on a warm worker, timed one by one in this process.

    .venv/bin/python -m benchmarks.request_split --size 1m

The catalogue and the 1,000 request bodies are the harness's (`benchmarks.generate`, same
seed). Per body, as the match route runs it once the catalogue is current: the body checked
into `MatchCriteria` (from JSON bytes), the engine run with its components and facts
(`service._rank`), the answer with its sentences (`service._answer`, with a card per matched
site made up here: the service keeps them in memory), and the orjson bytes. Best of the rounds,
in ms per request. What the HTTP test measures beyond their sum is the framework, the version
check and the network, on a machine where two workers share the cores.
"""

from __future__ import annotations

import argparse
import gc
import time
import uuid

import orjson

from app.config import Settings
from app.search import service
from app.search.catalogue_cache import Snapshot
from app.search.repository import Card
from app.search.schemas import MatchCriteria
from benchmarks import engine_adapter
from benchmarks.generate import DEFAULT_SEED, generate, generate_criteria, parse_size

STEPS = ("criteria", "rank", "answer", "json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lang", default="en", choices=("en", "nl"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    ds = generate(parse_size(args.size), args.seed)
    catalogue = engine_adapter.build_catalogue(ds)
    snapshot = Snapshot("bench", 1, catalogue, catalogue.taxonomy,
                        frozenset(ds.taxonomy.cert_codes))
    settings = Settings(database_url="sqlite://", secret_key="bench-" * 8)
    bodies = [orjson.dumps(b) for b in generate_criteria(args.queries, args.seed)]
    cards: dict[str, Card] = {}

    def card(site_id: str) -> Card:
        found = cards.get(site_id)
        if found is None:
            found = cards[site_id] = Card(
                uuid.UUID(site_id), "Vestiging 1", "Tilburg", "NL", 51.56, 5.09, uuid.uuid4(),
                "Werkbedrijf", "info@example.org", "+31 13 000 0000", None,
            )
        return found

    # As a worker does once it is warm (app.main): what is loaded by now stays out of every
    # later garbage collection.
    gc.collect()
    gc.freeze()
    best: dict[str, float] | None = None
    for _ in range(args.rounds):
        spent = dict.fromkeys(STEPS, 0.0)
        for body in bodies:
            t0 = time.perf_counter()
            criteria = MatchCriteria.model_validate_json(body)
            t1 = time.perf_counter()
            ranked = service._rank(snapshot, settings, criteria, "")
            t2 = time.perf_counter()
            found = {site_id: card(site_id) for site_id in ranked.site_ids()}
            t3 = time.perf_counter()
            answer = service._answer(ranked, found, criteria, args.lang)
            t4 = time.perf_counter()
            orjson.dumps(answer)
            t5 = time.perf_counter()
            for step, seconds in zip(STEPS, (t1 - t0, t2 - t1, t4 - t3, t5 - t4), strict=True):
                spent[step] += seconds
        if best is None or sum(spent.values()) < sum(best.values()):
            best = spent
    assert best is not None
    per_request = {step: 1000 * seconds / len(bodies) for step, seconds in best.items()}
    print(f"match request steps at {args.size} sites, ms per request (best of {args.rounds}, "
          f"{len(bodies)} bodies, {args.lang}):")
    print("| " + " | ".join(STEPS) + " | sum |")
    print("|" + " ---: |" * (len(STEPS) + 1))
    print("| " + " | ".join(f"{per_request[s]:.3f}" for s in STEPS)
          + f" | {sum(per_request.values()):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
