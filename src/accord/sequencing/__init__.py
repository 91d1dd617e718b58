"""Sequencing under mistrust: self-enforcing schedules of reciprocal steps (LP / MILP, HiGHS).

See :mod:`accord.sequencing.problem` for the model and :mod:`accord.sequencing.engine` for the
searches. Entry points: :func:`problem_from_section`, :func:`find_schedule`, :func:`analyse`.
"""

from accord.sequencing.engine import (
    Blocking,
    Opening,
    Schedule,
    SequencingAnalysis,
    Threshold,
    analyse,
    closed_form_rounds,
    feasible_within,
    fewest_rounds,
    find_schedule,
    openings,
    thresholds,
)
from accord.sequencing.problem import (
    GivenStep,
    SequencingProblem,
    problem_from_section,
    slack_fast,
    slack_matrix,
    slack_reference,
)

__all__ = [
    "Blocking",
    "GivenStep",
    "Opening",
    "Schedule",
    "SequencingAnalysis",
    "SequencingProblem",
    "Threshold",
    "analyse",
    "closed_form_rounds",
    "feasible_within",
    "fewest_rounds",
    "find_schedule",
    "openings",
    "problem_from_section",
    "slack_fast",
    "slack_matrix",
    "slack_reference",
    "thresholds",
]
