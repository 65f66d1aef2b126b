"""`loket import`: bad rows are reported with line numbers, good rows land, nothing is left
half-written."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.companies.importer import import_profiles, read_rows
from app.models import Capability, Company, ContactPerson, Site
from tests.factories import company_profile, create_company


def _factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_bad_rows_are_reported_by_line_and_good_rows_land(
    tmp_path: Path, connection: Connection, session: Session
) -> None:
    good = [company_profile(f"Werkbedrijf {i}") for i in range(5)]
    unknown_kind = company_profile("Werkbedrijf X", kinds={"juggling": 3})
    lines = [
        json.dumps(good[0]),
        "{not json",
        json.dumps(good[1]),
        json.dumps(unknown_kind),
        json.dumps([1, 2]),
        json.dumps({**good[2], "registration": {"country": "NL", "number": "123"}}),
        json.dumps(good[3]),
        json.dumps(good[0]),  # the same registration again
        json.dumps(good[4]),
    ]
    path = _write_jsonl(tmp_path / "profiles.jsonl", lines)
    report = import_profiles(_factory(connection), read_rows(path), batch_size=2)

    assert report.imported == 4
    assert [e.line for e in report.errors] == [2, 4, 5, 6, 8]
    messages = {e.line: e.message for e in report.errors}
    assert "not valid JSON" in messages[2]
    assert "juggling" in messages[4]
    assert "one JSON object" in messages[5]
    assert "8 digits" in messages[6]
    assert "repeats line 1" in messages[8]
    names = set(session.scalars(select(Company.name)))
    assert names == {"Werkbedrijf 0", "Werkbedrijf 1", "Werkbedrijf 3", "Werkbedrijf 4"}
    assert _count(session, Site) == 4 and _count(session, ContactPerson) == 4


def test_csv_rows_with_geocoding(tmp_path: Path, connection: Connection, session: Session
                                 ) -> None:
    path = tmp_path / "profiles.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "registration_country", "registration_number", "email",
                         "phone", "site_name", "postcode", "city", "country",
                         "capabilities", "certifications", "status"])
        writer.writerow(["Groenwerk Kempen", "BE", "0403170701", "info@groen.example.org",
                         "+3214000000", "Geel", "2440", "Geel", "BE",
                         "green-maintenance:12;cleaning:4", "vca", "active"])
        writer.writerow(["Werkbedrijf Tilburg", "NL", "41234567", "", "013 500 0000",
                         "", "5038 AB", "Tilburg", "NL", "packaging:20", "iso-9001;pso", ""])
        writer.writerow(["Kapot", "NL", "41234568", "", "", "", "0000", "", "NL",
                         "packaging:x", "", ""])
        writer.writerow(["Onbekend", "NL", "41234569", "", "", "", "1000", "", "NL",
                         "packaging:3", "", ""])
    report = import_profiles(_factory(connection), read_rows(path))

    assert report.imported == 2
    assert [e.line for e in report.errors] == [4, 5]
    assert "kind:workers" in report.errors[0].message
    assert "postcode" in report.errors[1].message
    geel = session.scalars(select(Site).where(Site.name == "Geel")).one()
    assert geel.location_source == "postcode" and 51.0 < geel.lat < 51.3
    tilburg = session.scalars(select(Company).where(Company.name == "Werkbedrijf Tilburg")).one()
    assert tilburg.status == "pending" and tilburg.phone == "+31135000000"
    assert _count(session, Capability) == 3


def test_a_row_refused_by_the_database_leaves_nothing_half_written(
    tmp_path: Path, connection: Connection, session: Session
) -> None:
    first = company_profile("Eerste")
    second = company_profile("Tweede", extra_sites=["Breda"])

    def records() -> Iterator[tuple[int, dict[str, Any] | str]]:
        yield 1, first
        # Someone registers the second company between our check and our write.
        create_company(session, "Concurrent", registration=second["registration"])
        yield 2, second

    report = import_profiles(_factory(connection), records(), batch_size=10)

    assert report.imported == 1
    assert [e.line for e in report.errors] == [2]
    assert "refused by the database" in report.errors[0].message
    names = set(session.scalars(select(Company.name)))
    assert names == {"Eerste", "Concurrent"}
    # No orphaned sites from the refused row: one per company.
    assert _count(session, Site) == 2


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    tmp_path: Path, connection: Connection, session: Session
) -> None:
    path = _write_jsonl(tmp_path / "p.jsonl", [json.dumps(company_profile("Eenmalig"))])
    assert import_profiles(_factory(connection), read_rows(path)).imported == 1
    again = import_profiles(_factory(connection), read_rows(path))
    assert again.imported == 0 and "already registered" in again.errors[0].message
    assert _count(session, Company) == 1
