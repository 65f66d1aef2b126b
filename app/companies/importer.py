"""Bulk import of company profiles from JSON Lines or CSV (`loket import`).

Each row is validated exactly as `POST /v1/companies` validates a body. Good rows are written
in batches, one transaction per batch with bulk INSERTs; a bad row is reported with its line
number and skipped. If a batch still fails in the database, it is rolled back whole and
retried row by row, so nothing half-written remains and every good row lands.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.companies.schemas import CompanyCreate
from app.companies.service import (
    References,
    locate_site,
    record_profile_change,
    reference_errors,
)
from app.errors import DomainError
from app.models import (
    Capability,
    Company,
    CompanyCertification,
    ContactPerson,
    Site,
    utcnow,
)
from app.models.company import capability_sites

CSV_LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass(slots=True)
class _Rows:
    """The INSERT parameters of one batch, by table."""

    companies: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)
    capabilities: list[dict[str, Any]] = field(default_factory=list)
    capability_sites: list[dict[str, Any]] = field(default_factory=list)
    certifications: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: _Rows) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))


def read_rows(path: Path, fmt: str | None = None) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, profile dict) per record; a string instead of a dict is a parse error."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    with path.open(encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            yield from _csv_rows(handle)
        else:
            yield from _jsonl_rows(handle)


def _jsonl_rows(handle: io.TextIOBase) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON: {exc.msg} (column {exc.colno})"
            continue
        yield number, value if isinstance(value, dict) else "a line must hold one JSON object"


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(CSV_LIST_SEPARATOR) if part.strip()]


def _csv_rows(handle: io.TextIOBase) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """One company with one site per CSV row; see docs/import.md for the columns."""
    reader = csv.DictReader(handle)
    for row in reader:
        number = reader.line_num
        try:
            yield number, _csv_profile(row)
        except ValueError as exc:
            yield number, str(exc)


def _csv_profile(row: dict[str, str | None]) -> dict[str, Any]:
    def text(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    capabilities = []
    for item in _split(row.get("capabilities")):
        kind, _, workers = item.partition(":")
        if not workers.strip().isdigit():
            raise ValueError(f"capabilities: '{item}' is not 'kind:workers'")
        capabilities.append({"work_kind": kind.strip(), "capacity_workers": int(workers)})
    site: dict[str, Any] = {
        "name": text("site_name") or "Hoofdvestiging",
        "address": text("address"),
        "postcode": text("postcode"),
        "city": text("city"),
        "country": text("country") or text("registration_country") or "NL",
    }
    for name in ("lat", "lon", "service_radius_km"):
        if text(name) is not None:
            site[name] = text(name)
    profile: dict[str, Any] = {
        "name": text("name"),
        "registration": {
            "country": text("registration_country"),
            "number": text("registration_number"),
        },
        "description": text("description") or "",
        "website": text("website"),
        "email": text("email"),
        "phone": text("phone"),
        "certifications": _split(row.get("certifications")),
        "sites": [site],
        "capabilities": capabilities,
        "available_from": text("available_from"),
        "status": text("status") or "pending",
    }
    if text("contact_name"):
        profile["contacts"] = [{
            "name": text("contact_name"), "role": text("contact_role"),
            "email": text("contact_email"), "phone": text("contact_phone"),
        }]
    return profile


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        location = ".".join(str(p) for p in err["loc"]) or "row"
        parts.append(f"{location}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _rows_for(data: CompanyCreate, now: datetime) -> tuple[uuid.UUID, _Rows]:
    company_id = uuid.uuid4()
    rows = _Rows()
    rows.companies.append({
        "id": company_id, "name": data.name,
        "registration_country": data.registration.country,
        "registration_number": data.registration.number,
        "description": data.description, "website": data.website, "email": data.email,
        "phone": data.phone, "status": data.status, "available_from": data.available_from,
        "version": 1, "created_at": now, "updated_at": now,
    })
    site_ids: dict[str, uuid.UUID] = {}
    for position, site in enumerate(data.sites):
        lat, lon, source, country = locate_site(position, site)
        site_ids[site.name] = uuid.uuid4()
        rows.sites.append({
            "id": site_ids[site.name], "company_id": company_id, "position": position,
            "name": site.name, "address": site.address, "postcode": site.postcode,
            "city": site.city, "country": country, "lat": lat, "lon": lon,
            "location_source": source, "service_radius_km": site.service_radius_km,
        })
    for cap in data.capabilities:
        capability_id = uuid.uuid4()
        rows.capabilities.append({
            "id": capability_id, "company_id": company_id, "work_kind_code": cap.work_kind,
            "capacity_workers": cap.capacity_workers, "batch_min": cap.batch_min,
            "batch_max": cap.batch_max, "notes": cap.notes, "capacity_updated_at": now,
        })
        rows.capability_sites.extend(
            {"capability_id": capability_id, "site_id": site_ids[name]}
            for name in cap.sites or []
        )
    rows.certifications.extend(
        {"company_id": company_id, "certification_code": code} for code in data.certifications
    )
    rows.contacts.extend(
        {"id": uuid.uuid4(), "company_id": company_id, "position": i, "name": c.name,
         "role": c.role, "email": c.email, "phone": c.phone}
        for i, c in enumerate(data.contacts)
    )
    return company_id, rows


def _write(session: Session, rows: _Rows, company_ids: list[uuid.UUID]) -> None:
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Company.__table__, rows.companies),
        (Site.__table__, rows.sites),
        (Capability.__table__, rows.capabilities),
        (capability_sites, rows.capability_sites),
        (CompanyCertification.__table__, rows.certifications),
        (ContactPerson.__table__, rows.contacts),
    ]
    for table, params in tables:
        if params:
            session.execute(insert(table), params)
    record_profile_change(session, company_ids)


def import_profiles(
    session_factory: sessionmaker[Session],
    records: Iterable[tuple[int, dict[str, Any] | str]],
    *,
    batch_size: int = 1000,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    with session_factory() as session:
        refs = References.load(session)
        registered = {
            (country, number)
            for country, number in session.execute(
                select(Company.registration_country, Company.registration_number)
            )
        }
    seen_in_file: dict[tuple[str, str], int] = {}
    batch: list[tuple[int, uuid.UUID, _Rows]] = []
    all_fields = set(CompanyCreate.model_fields)

    def flush() -> None:
        if batch:
            report.imported += _write_batch(session_factory, batch, report)
            if on_progress:
                on_progress(len(batch))
            batch.clear()

    for line, record in records:
        try:
            if isinstance(record, str):
                raise ValueError(record)
            data = CompanyCreate.model_validate(record)
            errors = reference_errors(data, refs, fields=all_fields)
            if errors:
                raise ValueError("; ".join(f"{e.field}: {e.message}" for e in errors))
            key = (data.registration.country, data.registration.number)
            if key in registered:
                raise ValueError(f"registration {key[0]} {key[1]} is already registered")
            if key in seen_in_file:
                raise ValueError(f"registration {key[0]} {key[1]} repeats line {seen_in_file[key]}")
            company_id, rows = _rows_for(data, utcnow())
        except ValidationError as exc:
            report.errors.append(RowError(line, _validation_message(exc)))
        except DomainError as exc:
            details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors or [])
            report.errors.append(RowError(line, details or str(exc)))
        except ValueError as exc:
            report.errors.append(RowError(line, str(exc)))
        else:
            seen_in_file[key] = line
            batch.append((line, company_id, rows))
            if len(batch) >= batch_size:
                flush()
            continue
        if on_progress:
            on_progress(1)
    flush()
    report.errors.sort(key=lambda e: e.line)
    return report


def _write_batch(
    session_factory: sessionmaker[Session],
    batch: list[tuple[int, uuid.UUID, _Rows]],
    report: ImportReport,
) -> int:
    combined = _Rows()
    for _, _, rows in batch:
        combined.extend(rows)
    try:
        with session_factory.begin() as session:
            _write(session, combined, [company_id for _, company_id, _ in batch])
        return len(batch)
    except (IntegrityError, DBAPIError):
        pass
    # Something in the batch was refused by the database (a race on a registration, say):
    # write row by row so only the offending rows are left out.
    written = 0
    for line, company_id, rows in batch:
        try:
            with session_factory.begin() as session:
                _write(session, rows, [company_id])
            written += 1
        except (IntegrityError, DBAPIError) as exc:
            report.errors.append(RowError(line, f"refused by the database: {exc.orig}"))
    return written
