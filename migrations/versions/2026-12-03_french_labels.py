"""French: a French label for every kind of work and certification

The labels are written out here, not imported from app code, so this migration keeps doing
exactly what it did when it was written. A kind or certification added later without a
French label has an empty one (English is shown; tests/test_languages.py names it).

Revision ID: 0330
Revises: 0350
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0330"
down_revision: str | None = "0350"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORK_KINDS_FR: dict[str, str] = {
    "production": "Production",
    "assembly": "Assemblage & montage",
    "packaging": "Conditionnement & emballage",
    "small-series-production": "Production en petites séries",
    "woodworking": "Travail du bois",
    "metalworking": "Travail des métaux",
    "textile-sewing": "Atelier de couture",
    "printing-binding": "Imprimerie & reliure",
    "electronics-assembly": "Assemblage électronique & câblage",
    "food-processing": "Transformation alimentaire",
    "sorting-inspection": "Tri & contrôle",
    "facility": "Services facilitaires",
    "cleaning": "Nettoyage",
    "green-maintenance": "Entretien des espaces verts",
    "catering": "Restauration & traiteur",
    "laundry": "Blanchisserie",
    "reception": "Accueil & surveillance",
    "logistics": "Logistique",
    "warehousing": "Entreposage",
    "order-fulfilment": "Préparation & traitement des commandes",
    "mail-handling": "Traitement du courrier",
    "transport": "Transport & coursiers",
    "moving": "Déménagements",
    "circular": "Économie circulaire & réemploi",
    "textile-recycling": "Recyclage textile",
    "electronics-recycling": "Démantèlement d’appareils électroniques",
    "reuse-shop": "Ressourcerie",
    "bicycle-repair": "Réparation de vélos",
    "furniture-refurbishing": "Rénovation de meubles",
    "waste-sorting": "Tri des déchets",
    "business-services": "Services aux entreprises",
    "document-digitization": "Numérisation & scannage",
    "administration": "Soutien administratif",
    "customer-contact": "Contact clientèle",
    "hr-services": "Conseil RH & formation",
    "ict-services": "Services informatiques",
    "construction": "Construction & entretien",
    "renovation": "Rénovation",
    "painting": "Peinture",
    "maintenance-repair": "Entretien & petits travaux",
    "secondment": "Mise à disposition",
    "individual-secondment": "Mise à disposition individuelle",
    "group-secondment": "Mise à disposition en équipe",
}

CERTIFICATIONS_FR: dict[str, str] = {
    "iso-9001": "ISO 9001 (management de la qualité)",
    "iso-14001": "ISO 14001 (management environnemental)",
    "iso-27001": "ISO 27001 (sécurité de l’information)",
    "pso": "PSO (échelle de performance de l’entrepreneuriat social)",
    "haccp": "HACCP (sécurité alimentaire)",
    "brcgs": "BRCGS (sécurité alimentaire et emballage)",
    "vca": "VCA (sécurité, santé et environnement)",
    "fsc": "FSC (gestion forestière responsable)",
}


def _label(table: str) -> sa.TableClause:
    return sa.table(table, sa.column("code", sa.String), sa.column("label_fr", sa.String))


def upgrade() -> None:
    for table, labels in (("work_kinds", WORK_KINDS_FR), ("certifications", CERTIFICATIONS_FR)):
        # Plain ALTER TABLE, also on SQLite: a batch copy would trip the foreign keys that
        # point at these tables.
        op.add_column(table, sa.Column("label_fr", sa.String(length=120), server_default="",
                                       nullable=False))
        rows = _label(table)
        for code, label in labels.items():
            op.execute(rows.update().where(rows.c.code == code).values(label_fr=label))


def downgrade() -> None:
    for table in ("certifications", "work_kinds"):
        op.drop_column(table, "label_fr")  # SQLite 3.35+ drops a column in place
