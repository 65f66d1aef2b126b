"""Each worker process keeps one matching catalogue in memory and builds it anew, whole, when
the database's catalogue version has moved on: a profile change is seen by the very next match
on every worker. (What a rebuild costs by size: docs/performance.md.)"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.matching.catalogue import Catalogue
from app.search import repository


@dataclass(frozen=True, slots=True)
class Snapshot:
    epoch: str
    version: int
    catalogue: Catalogue
    certification_codes: frozenset[str]  # every code the taxonomy knows, held or not


class CatalogueCache:
    """One snapshot per worker process, checked against the version before every match."""

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Snapshot:
        """The snapshot at the version this session's transaction sees."""
        seen = repository.catalogue_version(session)
        snapshot = self._snapshot
        if snapshot is not None and (snapshot.epoch, snapshot.version) == seen:
            return snapshot
        with self._lock:  # one build at a time; the threads waiting take it
            snapshot = self._snapshot
            if snapshot is None or (snapshot.epoch, snapshot.version) != seen:
                catalogue = Catalogue.from_columns(repository.taxonomy(session),
                                                   repository.catalogue_columns(session))
                codes = frozenset(repository.certification_codes(session))
                snapshot = self._snapshot = Snapshot(*seen, catalogue, codes)
            return snapshot
