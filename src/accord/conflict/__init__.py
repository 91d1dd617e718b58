"""Graph Model for Conflict Resolution (Fang, Hipel & Kilgour 1993): states, moves, stability,
coalitions in both readings and first-level hypergames (Wang, Hipel & Fraser 1988)."""

from accord.conflict.changes import describe_state, what_would_change
from accord.conflict.coalition import JointResult, coalition_as_decision_maker
from accord.conflict.hypergame import HypergameResult, analyse_hypergame
from accord.conflict.model import ConflictModel, model_from_section, perceptions_from_section
from accord.conflict.stability import (
    CONCEPT_DEFINITIONS,
    CONCEPT_LABELS,
    CONCEPTS,
    StabilityResult,
    analyse,
)

__all__ = [
    "CONCEPTS",
    "CONCEPT_DEFINITIONS",
    "CONCEPT_LABELS",
    "ConflictModel",
    "HypergameResult",
    "JointResult",
    "StabilityResult",
    "analyse",
    "analyse_hypergame",
    "coalition_as_decision_maker",
    "describe_state",
    "model_from_section",
    "perceptions_from_section",
    "what_would_change",
]
