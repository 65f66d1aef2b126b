"""Pure matching core: criteria against a columnar catalogue of companies and sites.

Imports no web or database framework; only `app.geo` from the rest of the app.
"""

from app.matching.catalogue import NO_DATE, Catalogue, CatalogueColumns
from app.matching.engine import match
from app.matching.explain import certification_label, explain
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    Criteria,
    DistanceFacts,
    Facts,
    Match,
    MatchResult,
    ScoringParams,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindFacts,
    WorkKindNode,
)

__all__ = [
    "NO_DATE",
    "AvailabilityFacts",
    "CapacityFacts",
    "Catalogue",
    "CatalogueColumns",
    "CertificationFacts",
    "Component",
    "Criteria",
    "DistanceFacts",
    "Facts",
    "Match",
    "MatchResult",
    "ScoringParams",
    "Taxonomy",
    "UnknownWorkKind",
    "Weights",
    "WorkKindFacts",
    "WorkKindNode",
    "certification_label",
    "explain",
    "match",
]
