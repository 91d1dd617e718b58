"""Bargaining under incomplete information: the cloze test of issue 12.

How likely is a no-deal when a zone of agreement exists but the bottom lines are unknown, and what
would working-level talks or an honest broker change? :mod:`accord.information.protocols` solves
the ultimatum and the screening game (Fudenberg & Tirole 1983) over a scenario's packages;
:mod:`accord.information.engine` puts the regimes side by side; :mod:`accord.information.beliefs`
holds the exact CDFs and Bayes updates; :mod:`accord.information.findings` the plain sentences.
"""

from accord.information.beliefs import Belief
from accord.information.engine import (
    REGIMES,
    InformationResult,
    Problem,
    problem_from_scenario,
    run,
    solve,
)
from accord.information.protocols import (
    Plan,
    pareto_frontier,
    screening,
    screening_reference,
    ultimatum,
)

__all__ = [
    "REGIMES",
    "Belief",
    "InformationResult",
    "Plan",
    "Problem",
    "pareto_frontier",
    "problem_from_scenario",
    "run",
    "screening",
    "screening_reference",
    "solve",
    "ultimatum",
]
