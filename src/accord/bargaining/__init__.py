"""Bargaining analysis: Pareto frontier, zone of possible agreement and bargaining solutions.

Array level (pure NumPy over a utility matrix of shape (outcomes, parties)):
:func:`pareto_mask`, :func:`zopa_mask`, :func:`solve` and the named solutions, best and worst
outcomes, :func:`rubinstein_share`. Scenario level: :func:`analyse` → :class:`AnalysisResult`.

Example::

    >>> import numpy as np
    >>> from accord.bargaining import pareto_mask, nash_solution
    >>> U = np.array([[1.0, 0.0], [0.6, 0.5], [0.5, 0.5], [0.0, 1.0]])
    >>> pareto_mask(U).tolist(), nash_solution(U, np.zeros(2))
    ([True, True, False, True], 1)
"""

from accord.bargaining.analysis import (
    DEFAULT_MAX_OUTCOMES,
    AnalysisResult,
    ProposalAssessment,
    RubinsteinSolution,
    analyse,
    space_size,
)
from accord.bargaining.frontier import (
    dominated_by_any,
    pareto_mask,
    pareto_mask_2d,
    pareto_mask_reference,
    pareto_mask_skyline,
)
from accord.bargaining.solutions import (
    SOLUTION_NAMES,
    best_outcomes,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    rubinstein_share,
    solution_reference,
    solve,
    solve_all,
    utilitarian_solution,
    worst_outcomes,
    zopa_mask,
)

__all__ = [
    "DEFAULT_MAX_OUTCOMES",
    "SOLUTION_NAMES",
    "AnalysisResult",
    "ProposalAssessment",
    "RubinsteinSolution",
    "analyse",
    "best_outcomes",
    "dominated_by_any",
    "egalitarian_solution",
    "kalai_smorodinsky_solution",
    "nash_solution",
    "pareto_mask",
    "pareto_mask_2d",
    "pareto_mask_reference",
    "pareto_mask_skyline",
    "rubinstein_share",
    "solution_reference",
    "solve",
    "solve_all",
    "space_size",
    "utilitarian_solution",
    "worst_outcomes",
    "zopa_mask",
]
