"""Pure matching core: criteria against a columnar catalogue of companies and sites.

Imports no web or database framework; only `app.geo` from the rest of the app.
"""

from app.matching.catalogue import Catalogue
from app.matching.engine import POOL_CRITERIA, match, rank, warm_up
from app.matching.explain import certification_label, explain
from app.matching.types import (
    CRITERIA_NAMES,
    CapabilityRecord,
    CompanyInfo,
    CompanyRecord,
    Component,
    Criteria,
    IndexSettings,
    Match,
    MatchResult,
    Ranked,
    Ranking,
    ScoringParams,
    SiteInfo,
    SiteRecord,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindNode,
)

__all__ = [
    "CRITERIA_NAMES",
    "POOL_CRITERIA",
    "CapabilityRecord",
    "Catalogue",
    "CompanyInfo",
    "CompanyRecord",
    "Component",
    "Criteria",
    "IndexSettings",
    "Match",
    "MatchResult",
    "Ranked",
    "Ranking",
    "ScoringParams",
    "SiteInfo",
    "SiteRecord",
    "Taxonomy",
    "UnknownWorkKind",
    "Weights",
    "WorkKindNode",
    "certification_label",
    "explain",
    "match",
    "rank",
    "warm_up",
]
