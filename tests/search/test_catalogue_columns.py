"""The two bulk readers of the matching catalogue give the same columns: plain rows (every
backend) and binary COPY (PostgreSQL, what a worker uses there)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.orm import Session

from app.search.catalogue_cache import load_taxonomy
from app.search.repository import CatalogueColumns, columns_by_copy, columns_by_rows
from tests.conftest import backend
from tests.factories import create_company

pytestmark = pytest.mark.skipif(backend() != "postgresql", reason="binary COPY is PostgreSQL's")


def _assert_same(rows: CatalogueColumns, copied: CatalogueColumns) -> None:
    for field in CatalogueColumns.__dataclass_fields__:
        a, b = getattr(rows, field), getattr(copied, field)
        if isinstance(a, list):
            assert a == b, field
        else:
            assert a.dtype == b.dtype and a.shape == b.shape, field
            assert np.array_equal(a, b), field


def test_copy_reads_what_rows_read(session: Session) -> None:
    create_company(session, "Werkbedrijf Tilburg", kinds={"packaging": 12, "assembly": 4},
                   certifications=["pso", "iso-9001"], extra_sites=["Breda", "Eindhoven"])
    create_company(session, "Groen Gent", town="Gent", kinds={"green-maintenance": 9},
                   available_from="2027-02-01")
    create_company(session, "Oud Bedrijf", town="Utrecht", status="inactive",
                   available_from="1999-12-31")
    create_company(session, "Beperkt", town="Breda", extra_sites=["Tilburg"], capabilities=[
        {"work_kind": "cleaning", "capacity_workers": 5, "sites": ["Vestiging Tilburg"]},
        {"work_kind": "packaging", "capacity_workers": 0},
    ])
    kinds = load_taxonomy(session).kinds
    rows, copied = columns_by_rows(session, kinds), columns_by_copy(session, kinds)
    _assert_same(rows, copied)
    assert len(rows.restrict_cap) >= 1
    assert {0, 730120, 730119} & set(rows.company_available_from.tolist()) == {0, 730119}

    # A kind the taxonomy no longer names reads as -1 both ways.
    fewer = tuple(k for k in kinds if k != "cleaning")
    _assert_same(columns_by_rows(session, fewer), columns_by_copy(session, fewer))
    assert -1 in columns_by_copy(session, fewer).cap_kind


def test_an_empty_catalogue_reads_as_empty_columns(session: Session) -> None:
    kinds = load_taxonomy(session).kinds
    copied = columns_by_copy(session, kinds)
    _assert_same(columns_by_rows(session, kinds), copied)
    assert copied.site_ids.shape == (0, 16)
