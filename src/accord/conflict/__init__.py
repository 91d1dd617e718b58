"""Graph Model for Conflict Resolution (Fang, Hipel & Kilgour 1993): states, moves, stability."""

from accord.conflict.model import ConflictModel, model_from_section
from accord.conflict.stability import CONCEPTS, StabilityResult, analyse

__all__ = ["CONCEPTS", "ConflictModel", "StabilityResult", "analyse", "model_from_section"]
