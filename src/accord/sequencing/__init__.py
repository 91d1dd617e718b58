"""Sequencing under mistrust: self-enforcing schedules of reciprocal steps (LP / MILP, HiGHS).

See :mod:`accord.sequencing.problem` for the model and :mod:`accord.sequencing.engine` for the
searches. Entry points: :func:`problem_from_section`, :func:`find_schedule`, :func:`analyse`;
findings in :mod:`accord.sequencing.findings`. Model: docs/models.md, Sequencing (issues 6, 15).
"""

from accord.sequencing.engine import (
    VARIANTS,
    Blocking,
    Opening,
    Schedule,
    SequencingAnalysis,
    Threshold,
    analyse,
    closed_form_rounds,
    feasible_at,
    feasible_within,
    fewest_rounds,
    find_schedule,
    openings,
    thresholds,
    variants,
)
from accord.sequencing.problem import (
    GivenStep,
    SequencingProblem,
    mimic_likelihood,
    problem_from_section,
    slack_fast,
    slack_matrix,
    slack_reference,
    trust_path,
)

__all__ = [
    "VARIANTS",
    "Blocking",
    "GivenStep",
    "Opening",
    "Schedule",
    "SequencingAnalysis",
    "SequencingProblem",
    "Threshold",
    "analyse",
    "closed_form_rounds",
    "feasible_at",
    "feasible_within",
    "fewest_rounds",
    "find_schedule",
    "mimic_likelihood",
    "openings",
    "problem_from_section",
    "slack_fast",
    "slack_matrix",
    "slack_reference",
    "thresholds",
    "trust_path",
    "variants",
]
