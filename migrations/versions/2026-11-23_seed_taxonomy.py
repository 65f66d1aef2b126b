"""seed the starting taxonomy, certification codes and the catalogue state row

The data is written out here, not imported from app code, so this migration keeps doing
exactly what it did when it was written. Codes never change once published.
NACE Rev. 2 codes are given only where the mapping is clear.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, parent, label_nl, label_en, nace_codes)
WORK_KINDS: list[tuple[str, str | None, str, str, list[str]]] = [
    ("production", None, "Productie", "Production", ["C"]),
    ("assembly", "production", "Assemblage & montage", "Assembly", []),
    ("packaging", "production", "Verpakken", "Packaging", ["82.92"]),
    ("small-series-production", "production", "Kleinschalige serieproductie",
     "Small-series production", []),
    ("woodworking", "production", "Houtbewerking", "Woodworking", ["16"]),
    ("metalworking", "production", "Metaalbewerking", "Metalworking", ["25"]),
    ("textile-sewing", "production", "Naaiatelier", "Textile sewing", ["13.92", "14"]),
    ("printing-binding", "production", "Drukwerk & binderij", "Printing & binding",
     ["18.12", "18.14"]),
    ("electronics-assembly", "production", "Elektronica-assemblage & kabelconfectie",
     "Electronics assembly & cable harnessing", ["26.1", "27.32"]),
    ("food-processing", "production", "Voedselverwerking", "Food processing", ["10"]),
    ("sorting-inspection", "production", "Sorteren & controleren", "Sorting & inspection", []),
    ("facility", None, "Facilitaire diensten", "Facility services", ["N81"]),
    ("cleaning", "facility", "Schoonmaak", "Cleaning", ["81.2"]),
    ("green-maintenance", "facility", "Groenonderhoud", "Green maintenance", ["81.30"]),
    ("catering", "facility", "Catering", "Catering", ["56.2"]),
    ("laundry", "facility", "Wasserij", "Laundry", ["96.01"]),
    ("reception", "facility", "Receptie & toezicht", "Reception & supervision", []),
    ("logistics", None, "Logistiek", "Logistics", ["H"]),
    ("warehousing", "logistics", "Opslag", "Warehousing", ["52.10"]),
    ("order-fulfilment", "logistics", "Orderverwerking & fulfilment",
     "Order processing & fulfilment", []),
    ("mail-handling", "logistics", "Postverwerking", "Mail handling", []),
    ("transport", "logistics", "Transport & koeriersdienst", "Transport & courier",
     ["49.41", "53.20"]),
    ("moving", "logistics", "Verhuizingen", "Removals", ["49.42"]),
    ("circular", None, "Circulair & hergebruik", "Circular & reuse", []),
    ("textile-recycling", "circular", "Textielrecycling", "Textile recycling", ["38.32"]),
    ("electronics-recycling", "circular", "Elektronica-demontage", "Electronics dismantling",
     ["38.31"]),
    ("reuse-shop", "circular", "Kringloop", "Reuse shop", ["47.79"]),
    ("bicycle-repair", "circular", "Fietsherstel", "Bicycle repair", ["95.29"]),
    ("furniture-refurbishing", "circular", "Meubelrenovatie", "Furniture refurbishing",
     ["95.24"]),
    ("waste-sorting", "circular", "Afvalsortering", "Waste sorting", ["38.32"]),
    ("business-services", None, "Zakelijke dienstverlening", "Business services", ["N82"]),
    ("document-digitization", "business-services", "Digitaliseren & scannen",
     "Document digitisation & scanning", ["82.19"]),
    ("administration", "business-services", "Administratieve ondersteuning",
     "Administrative support", ["82.11"]),
    ("customer-contact", "business-services", "Klantcontact", "Customer contact", ["82.20"]),
    ("hr-services", "business-services", "HR-advies & opleiding", "HR advice & training",
     ["70.22", "85.59"]),
    ("ict-services", "business-services", "ICT-diensten", "ICT services", ["62"]),
    ("construction", None, "Bouw & onderhoud", "Construction & maintenance", ["F"]),
    ("renovation", "construction", "Renovatie", "Renovation", ["43.3"]),
    ("painting", "construction", "Schilderwerk", "Painting", ["43.34"]),
    ("maintenance-repair", "construction", "Onderhoud & klusdiensten",
     "Maintenance & handyman services", []),
    ("secondment", None, "Detachering", "Secondment", ["N78"]),
    ("individual-secondment", "secondment", "Individuele detachering", "Individual secondment",
     ["78.20"]),
    ("group-secondment", "secondment", "Groepsdetachering", "Group secondment", ["78.20"]),
]

CERTIFICATIONS: list[tuple[str, str, str]] = [
    ("iso-9001", "ISO 9001 (kwaliteitsmanagement)", "ISO 9001 (quality management)"),
    ("iso-14001", "ISO 14001 (milieumanagement)", "ISO 14001 (environmental management)"),
    ("iso-27001", "ISO 27001 (informatiebeveiliging)", "ISO 27001 (information security)"),
    ("pso", "PSO (Prestatieladder Socialer Ondernemen)",
     "PSO (Social Entrepreneurship Performance Ladder)"),
    ("haccp", "HACCP (voedselveiligheid)", "HACCP (food safety)"),
    ("brcgs", "BRCGS (voedselveiligheid en verpakking)", "BRCGS (food safety and packaging)"),
    ("vca", "VCA (veiligheid, gezondheid en milieu)", "VCA (safety, health and environment)"),
    ("fsc", "FSC (verantwoord bosbeheer)", "FSC (responsible forestry)"),
]

work_kinds = sa.table(
    "work_kinds",
    sa.column("code", sa.String),
    sa.column("parent_code", sa.String),
    sa.column("label_nl", sa.String),
    sa.column("label_en", sa.String),
    sa.column("nace_codes", sa.JSON),
    sa.column("position", sa.Integer),
)
certifications = sa.table(
    "certifications",
    sa.column("code", sa.String),
    sa.column("label_nl", sa.String),
    sa.column("label_en", sa.String),
)
catalogue_state = sa.table(
    "catalogue_state",
    sa.column("id", sa.Integer),
    sa.column("token", sa.String),
    sa.column("changed_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    # Groups first, so the parent foreign key is satisfied row by row.
    ordered = sorted(enumerate(WORK_KINDS), key=lambda item: item[1][1] is not None)
    op.bulk_insert(
        work_kinds,
        [
            {"code": code, "parent_code": parent, "label_nl": nl, "label_en": en,
             "nace_codes": nace, "position": position}
            for position, (code, parent, nl, en, nace) in ordered
        ],
    )
    op.bulk_insert(
        certifications,
        [{"code": code, "label_nl": nl, "label_en": en} for code, nl, en in CERTIFICATIONS],
    )
    op.bulk_insert(
        catalogue_state, [{"id": 1, "token": "initial", "changed_at": datetime.now(UTC)}]
    )


def downgrade() -> None:
    op.execute(catalogue_state.delete())
    op.execute(certifications.delete())
    op.execute(work_kinds.delete().where(work_kinds.c.parent_code.is_not(None)))
    op.execute(work_kinds.delete())
