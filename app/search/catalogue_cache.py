"""Each worker process keeps one matching catalogue in memory and brings it up to date before
every match, so a profile change is seen by the very next match on every worker.

The database holds a catalogue version and a change log (see `CatalogueState`); when the
version moved on, the cache applies the companies that changed since its snapshot.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db import LoopProbe, SharedRead
from app.matching import (
    CapabilityRecord,
    Catalogue,
    CompanyRecord,
    SiteRecord,
    Taxonomy,
    WorkKindNode,
)
from app.models import Company, CompanyStatus
from app.search import repository

# Beyond this many changed companies a full bulk load is cheaper than an overlay.
FULL_RELOAD_ABOVE = 5000
# Cards (names, places, contacts of matched sites) kept per worker; past this, start afresh.
MAX_CARDS = 200_000


@dataclass(frozen=True, slots=True)
class Snapshot:
    epoch: str
    version: int
    catalogue: Catalogue
    taxonomy: Taxonomy
    certification_codes: frozenset[str]


class CatalogueCache:
    """Holds one snapshot per worker process and brings it up to date before a match.

    Few changes since the snapshot: only those companies are reloaded and applied as an
    overlay (`Catalogue.with_changes`), milliseconds even at a million sites. Many changes,
    another epoch, or no snapshot yet: a full bulk load.
    """

    def __init__(
        self,
        *,
        probe: Engine | None = None,
        loop_probe: LoopProbe | None = None,
        snapshot: Snapshot | None = None,
        full_reload_above: int = FULL_RELOAD_ABOVE,
        max_cards: int = MAX_CARDS,
    ) -> None:
        # With a probe engine (`app.db.create_probe_engine`) the check before each match is
        # one autocommit read, and a match whose snapshot is current opens no transaction;
        # without one, the check runs in the caller's session. `snapshot`: one to start from
        # (brought up to date before its first match like any other).
        self._probe = probe
        # With a loop probe as well, an async route's check waits on the event loop, one read
        # shared by the matches waiting at the time (`current_on_loop`).
        self._version_on_loop = (
            None if loop_probe is None
            else SharedRead(lambda: repository.probe_catalogue_version_on_loop(loop_probe))
        )
        self._snapshot: Snapshot | None = snapshot
        self._lock = threading.Lock()
        self._full_reload_above = full_reload_above
        # Every change to a company's name, contacts or sites moves the catalogue version and
        # lists the company in the change log, so its cards go when the snapshot moves on.
        # By site id as the engine spells it (str), so a match needs no UUID conversions.
        self._cards: dict[str, repository.Card] = {}
        self._card_sites: dict[uuid.UUID, list[str]] = {}  # company -> cached sites
        self._max_cards = max_cards

    def current(self, session: Session) -> Snapshot | None:
        """The kept snapshot if it is the database's current version, else None (`get` brings
        it up to date). With a probe engine, one short read: cheap enough for the event loop."""
        if self._probe is None:
            seen = repository.catalogue_version(session)
        else:
            seen = repository.probe_catalogue_version(self._probe)
        return self._kept_if_at(seen)

    async def current_on_loop(self, session: Session) -> Snapshot | None:
        """`current` for a caller on the event loop: the read waits there, shared with the
        other matches waiting at the time, when there is a loop probe; else `current`."""
        if self._version_on_loop is None:
            return self.current(session)
        return self._kept_if_at(await self._version_on_loop())

    def _kept_if_at(self, seen: tuple[str, int]) -> Snapshot | None:
        """The kept snapshot if it is at this (epoch, version), else None."""
        snapshot = self._snapshot
        if snapshot is not None and (snapshot.epoch, snapshot.version) == seen:
            return snapshot
        return None

    def get(self, session: Session) -> Snapshot:
        snapshot = self.current(session)
        if snapshot is not None:
            return snapshot
        # In the session, whatever `current` read: the update must see the version and the
        # changes in one transaction.
        epoch, version = repository.catalogue_version(session)
        with self._lock:
            snapshot = self._snapshot
            if snapshot is not None and (snapshot.epoch, snapshot.version) == (epoch, version):
                return snapshot
            if snapshot is None or snapshot.epoch != epoch or version < snapshot.version:
                snapshot = build_snapshot(session, epoch, version)
                self._drop_cards(None)
            else:
                snapshot = self._updated(session, snapshot, version)
            self._snapshot = snapshot
            return snapshot

    def cards(
        self, session: Session, snapshot: Snapshot, site_ids: Iterable[str]
    ) -> dict[str, repository.Card]:
        """Cards of these sites (ids as the engine gives them) as of `snapshot` or later; from
        memory where they are kept, the rest in one query (and kept, unless the snapshot moved
        on meanwhile)."""
        found, missing = self.kept_cards(site_ids)
        if not missing:
            return found
        fetched = {
            str(site_id): card
            for site_id, card in repository.cards_for(session, map(uuid.UUID, missing)).items()
        }
        found.update(fetched)
        with self._lock:
            current = self._snapshot
            # Read before a change that a newer snapshot already dropped: not kept.
            if current is None or (current.epoch, current.version) != (
                snapshot.epoch, snapshot.version
            ):
                return found
            if len(self._cards) + len(fetched) > self._max_cards:
                self._drop_cards(None)
            for site_id, card in fetched.items():
                self._cards[site_id] = card
                self._card_sites.setdefault(card.company_id, []).append(site_id)
        return found

    def kept_cards(self, site_ids: Iterable[str]) -> tuple[dict[str, repository.Card], list[str]]:
        """The cards kept in memory for these sites, and the site ids that have none."""
        found: dict[str, repository.Card] = {}
        missing: list[str] = []
        for site_id in site_ids:
            card = self._cards.get(site_id)
            if card is None:
                missing.append(site_id)
            else:
                found[site_id] = card
        return found, missing

    def _drop_cards(self, company_ids: Iterable[uuid.UUID] | None) -> None:
        """Forget the cards of these companies (all cards for None); under the lock."""
        if company_ids is None:
            self._cards = {}
            self._card_sites = {}
            return
        for company_id in company_ids:
            for site_id in self._card_sites.pop(company_id, ()):
                self._cards.pop(site_id, None)

    def _updated(self, session: Session, snapshot: Snapshot, version: int) -> Snapshot:
        changed = repository.changed_company_ids(session, snapshot.version, version)
        if len(changed) > self._full_reload_above:
            self._drop_cards(None)
            return build_snapshot(session, snapshot.epoch, version)
        self._drop_cards(changed)
        rows = repository.companies_for_matching(session, changed)
        present = {row.id for row in rows}
        catalogue = snapshot.catalogue.with_changes(
            [to_record(row) for row in rows],
            [str(company_id) for company_id in changed - present],
        )
        return replace(snapshot, version=version, catalogue=catalogue)


def load_taxonomy(session: Session) -> Taxonomy:
    return Taxonomy(
        nodes=tuple(
            WorkKindNode(
                code=k.code, parent=k.parent_code, label_nl=k.label_nl, label_en=k.label_en
            )
            for k in repository.all_work_kinds(session)
        )
    )


# The snapshot `loket serve --workers N` loads before it forks its workers (`load_for_workers`):
# each worker starts from it, sharing its memory with the others (copy-on-write pages) until
# it moves on to a newer one.
_for_workers: Snapshot | None = None


def load_for_workers(session: Session) -> Snapshot:
    """Load the current snapshot and keep it for the worker processes forked from here on."""
    global _for_workers
    _for_workers = CatalogueCache().get(session)
    return _for_workers


def inherited_snapshot() -> Snapshot | None:
    """The snapshot this process was forked with, if any (see `load_for_workers`)."""
    return _for_workers


def build_snapshot(session: Session, epoch: str, version: int) -> Snapshot:
    taxonomy = load_taxonomy(session)
    columns = repository.catalogue_columns(session, taxonomy.kinds)
    catalogue = Catalogue.from_columns(
        taxonomy,
        company_ids=columns.company_ids,
        company_active=columns.company_active,
        company_available_from=columns.company_available_from,
        cert_company=columns.cert_company,
        cert_code=columns.cert_code,
        cert_vocabulary=columns.cert_vocabulary,
        site_ids=columns.site_ids,
        site_company=columns.site_company,
        site_lat=columns.site_lat,
        site_lon=columns.site_lon,
        site_radius_km=columns.site_radius_km,
        cap_company=columns.cap_company,
        cap_kind=columns.cap_kind,
        cap_workers=columns.cap_workers,
        cap_updated_at=columns.cap_updated_at,
        restrict_cap=columns.restrict_cap,
        restrict_site=columns.restrict_site,
    )
    return Snapshot(
        epoch=epoch,
        version=version,
        catalogue=catalogue,
        taxonomy=taxonomy,
        certification_codes=frozenset(columns.cert_vocabulary),
    )


def to_record(company: Company) -> CompanyRecord:
    return CompanyRecord(
        company_id=str(company.id),
        name=company.name,
        active=company.status == CompanyStatus.active,
        certifications=frozenset(c.certification_code for c in company.certifications),
        available_from=company.available_from,
        sites=tuple(
            SiteRecord(
                site_id=str(s.id),
                name=s.name,
                city=s.city or "",
                country=s.country,
                lat=s.lat,
                lon=s.lon,
                service_radius_km=s.service_radius_km,
            )
            for s in company.sites
        ),
        capabilities=tuple(
            CapabilityRecord(
                work_kind=c.work_kind_code,
                capacity_workers=c.capacity_workers,
                capacity_updated_at=c.capacity_updated_at,
                site_ids=tuple(str(s.id) for s in c.sites) or None,
            )
            for c in company.capabilities
        ),
    )
