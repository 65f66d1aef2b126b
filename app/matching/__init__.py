"""Pure matching core: criteria against a columnar catalogue of companies and sites.

Imports no web or database framework; only `app.geo` from the rest of the app.
"""

from app.matching.catalogue import NO_DATE, Catalogue, CatalogueColumns
from app.matching.engine import match
from app.matching.explain import certification_label, explain
from app.matching.types import (
    CapabilityRecord,
    CompanyRecord,
    Component,
    Criteria,
    Match,
    MatchResult,
    ScoringParams,
    SiteRecord,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindNode,
)

__all__ = [
    "NO_DATE",
    "CapabilityRecord",
    "Catalogue",
    "CatalogueColumns",
    "CompanyRecord",
    "Component",
    "Criteria",
    "Match",
    "MatchResult",
    "ScoringParams",
    "SiteRecord",
    "Taxonomy",
    "UnknownWorkKind",
    "Weights",
    "WorkKindNode",
    "certification_label",
    "explain",
    "match",
]
