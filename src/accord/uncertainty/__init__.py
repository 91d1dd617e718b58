"""Uncertainty at scale: distributions, samplers, sweeps, sensitivity and "what would it take".

Modules: :mod:`~accord.uncertainty.distributions` (quantile functions),
:mod:`~accord.uncertainty.parameters` (find and substitute parameters),
:mod:`~accord.uncertainty.samplers` (random / LHS / Sobol' sample matrices, batch by batch),
:mod:`~accord.uncertainty.registry` (the engines, lazily imported),
:mod:`~accord.uncertainty.fast_analyse` (batched bargaining headlines),
:mod:`~accord.uncertainty.sweep` and :mod:`~accord.uncertainty.executors` (sweeps into the store on
serial, process or Dask executors), :mod:`~accord.uncertainty.sensitivity` (tornado, Sobol') and
:mod:`~accord.uncertainty.whatif`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord.scenario.model import Scenario
from accord.uncertainty.distributions import ppf, quantile
from accord.uncertainty.parameters import (
    UncertainParam,
    find_params,
    scenario_params,
    substitute,
    uncertain_params,
)
from accord.uncertainty.registry import available_engines, get_engine
from accord.uncertainty.samplers import (
    SAMPLERS,
    SampleStream,
    sample_matrix,
    sample_rows,
    unit_samples,
)
from accord.uncertainty.sensitivity import (
    SobolResult,
    Tornado,
    ishigami,
    ishigami_indices,
    sobol_indices,
    tornado,
)
from accord.uncertainty.sweep import (
    SweepPlan,
    SweepResult,
    evaluate_samples,
    plan_sweep,
    run_batch,
    run_sweep,
)
from accord.uncertainty.whatif import Target, WhatItTakes, what_would_it_take


def sensitivity_for(
    scenario: Scenario,
    engine: str,
    params: Sequence[UncertainParam],
    output: str,
    options: Mapping[str, Any] | None = None,
) -> Tornado:
    """Tornado table of an engine's ``output`` over ``params`` (5% / 95% quantiles)."""
    entry = get_engine(engine)
    return tornado(
        lambda rows: evaluate_samples(entry, scenario, params, rows, options=options),
        params,
        output,
    )


def sobol_for(
    scenario: Scenario,
    engine: str,
    params: Sequence[UncertainParam],
    output: str,
    options: Mapping[str, Any] | None = None,
    n: int = 1024,
    seed: int = 0,
) -> dict[str, Any]:
    """Sobol' indices of an engine's ``output`` over the uncertain ``params`` (JSON-able)."""
    entry = get_engine(engine)
    dists = [p.dist for p in params if p.dist is not None]
    if len(dists) != len(params):
        raise ValueError("Sobol' indices need a distribution on every parameter")

    def model(rows: np.ndarray) -> np.ndarray:
        return evaluate_samples(entry, scenario, params, rows, options=options)[output]

    result = sobol_indices(model, dists, n=n, seed=seed, names=[p.label for p in params])
    return {"output": output, **result.to_dict()}


__all__ = [
    "SAMPLERS",
    "SampleStream",
    "SobolResult",
    "SweepPlan",
    "SweepResult",
    "Target",
    "Tornado",
    "UncertainParam",
    "WhatItTakes",
    "available_engines",
    "evaluate_samples",
    "find_params",
    "get_engine",
    "ishigami",
    "ishigami_indices",
    "plan_sweep",
    "ppf",
    "quantile",
    "run_batch",
    "run_sweep",
    "sample_matrix",
    "sample_rows",
    "scenario_params",
    "sensitivity_for",
    "sobol_for",
    "sobol_indices",
    "substitute",
    "tornado",
    "uncertain_params",
    "unit_samples",
    "what_would_it_take",
]
