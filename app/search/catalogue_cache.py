"""Each worker process keeps one matching catalogue in memory and brings it up to date before
every match, so a profile change is seen by the very next match on every worker.

The database holds a catalogue version (see `CatalogueState`); when it moved on, the cache
rebuilds its catalogue from the database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

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


@dataclass(frozen=True, slots=True)
class Snapshot:
    epoch: str
    version: int
    catalogue: Catalogue
    taxonomy: Taxonomy
    certification_codes: frozenset[str]


class CatalogueCache:
    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Snapshot:
        epoch, version = repository.catalogue_version(session)
        snapshot = self._snapshot
        if snapshot is not None and (snapshot.epoch, snapshot.version) == (epoch, version):
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or (snapshot.epoch, snapshot.version) != (epoch, version):
                snapshot = build_snapshot(session, epoch, version)
                self._snapshot = snapshot
            return snapshot


def load_taxonomy(session: Session) -> Taxonomy:
    return Taxonomy(
        nodes=tuple(
            WorkKindNode(
                code=k.code, parent=k.parent_code, label_nl=k.label_nl, label_en=k.label_en
            )
            for k in repository.all_work_kinds(session)
        )
    )


def build_snapshot(session: Session, epoch: str, version: int) -> Snapshot:
    taxonomy = load_taxonomy(session)
    records = [to_record(company) for company in repository.companies_for_matching(session)]
    return Snapshot(
        epoch=epoch,
        version=version,
        catalogue=Catalogue.build(records, taxonomy),
        taxonomy=taxonomy,
        certification_codes=frozenset(repository.certification_codes(session)),
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
