"""The privacy rule of the insights, on plain data: requester sketches and the fold of cells
into atoms.

A *cell* is the demand of one source and month for one asked code (a kind of work or a
group) in one municipality ("" when no place was given): a count and a bottom-k sketch of
its distinct requesters. An *atom* is what may be shown. `fold` turns the cells of one
source and month into atoms, the same way whatever anyone later asks:

1. every cell with at least `threshold` distinct requesters is an atom;
2. the rest is merged one level up and tried again, level by level: municipality ->
   province -> country, then kind -> group -> any kind, then country -> anywhere;
3. what is still too small at the top is never shown, nor counted in any total.

The atoms partition the shown demand, each with at least `threshold` distinct requesters, and
every figure a query answers (a row, "other", a total, under any filter) is a sum of whole
atoms: a filter keeps an atom only when all of it lies inside. So no difference of answers
can isolate a group smaller than an atom.

A sketch keeps the K smallest requester hashes. The union of two sketches' K smallest is
exactly the K smallest of the union, so a count below K is exact, and "at least `threshold`"
(threshold <= K) is decided exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SKETCH_SIZE = 32

# (work_kind, work_group, country, province_id, municipality_id); "" where not specific.
AtomKey = tuple[str, str, str, str, str]


def parse_sketch(text: str) -> list[int]:
    return [int(h, 16) for h in text.split()] if text else []


def format_sketch(values: Iterable[int]) -> str:
    return " ".join(f"{v:016x}" for v in values)


def merge_sketches(*sketches: Iterable[int]) -> list[int]:
    union: set[int] = set()
    for sketch in sketches:
        union.update(sketch)
    return sorted(union)[:SKETCH_SIZE]


@dataclass(slots=True)
class Tally:
    events: int
    sketch: list[int]


@dataclass(frozen=True, slots=True)
class Atom:
    key: AtomKey
    events: int

    @property
    def work_kind(self) -> str:
        return self.key[0]

    @property
    def work_group(self) -> str:
        return self.key[1]

    @property
    def country(self) -> str:
        return self.key[2]

    @property
    def province_id(self) -> str:
        return self.key[3]

    @property
    def municipality_id(self) -> str:
        return self.key[4]


def region_parts(municipality_id: str) -> tuple[str, str, str]:
    """"NL.noord-brabant.tilburg" -> ("NL", "NL.noord-brabant", "NL.noord-brabant.tilburg")."""
    if not municipality_id:
        return ("", "", "")
    parts = municipality_id.split(".")
    return (parts[0], ".".join(parts[:2]), municipality_id)


def cell_key(code: str, municipality_id: str, groups: Mapping[str, str | None]) -> AtomKey:
    """The atom key of a cell: `groups` maps a kind to its group and a group to None."""
    group = groups.get(code, "")
    country, province, municipality = region_parts(municipality_id)
    if group is None:  # the code is a group
        return ("", code, country, province, municipality)
    return (code, group, country, province, municipality)


_LEVELS = (
    lambda k: (k[0], k[1], k[2], k[3], ""),  # municipality -> its province
    lambda k: (k[0], k[1], k[2], "", ""),  # province -> its country
    lambda k: ("", k[1], k[2], "", ""),  # kind -> its group
    lambda k: ("", "", k[2], "", ""),  # group -> any kind
    lambda k: ("", "", "", "", ""),  # country -> anywhere
)


def fold(cells: Mapping[AtomKey, Tally], threshold: int) -> list[Atom]:
    """The atoms of one source and month (see the module's docstring). Deterministic."""
    if not 1 <= threshold <= SKETCH_SIZE:
        raise ValueError(f"threshold must lie within 1..{SKETCH_SIZE}")
    atoms: list[Atom] = []
    current: dict[AtomKey, Tally] = dict(cells)
    for level in (None, *_LEVELS):
        if level is not None:
            merged: dict[AtomKey, Tally] = {}
            for key, tally in current.items():
                up = level(key)
                have = merged.get(up)
                if have is None:
                    merged[up] = Tally(tally.events, tally.sketch)
                else:
                    merged[up] = Tally(
                        have.events + tally.events, merge_sketches(have.sketch, tally.sketch)
                    )
            current = merged
        rest: dict[AtomKey, Tally] = {}
        for key in sorted(current):
            tally = current[key]
            if len(tally.sketch) >= threshold:
                atoms.append(Atom(key, tally.events))
            else:
                rest[key] = tally
        current = rest
    return atoms
