"""The engines a sweep can run: built from the one engine registry (:mod:`accord.app.registry`).

A sweep evaluates an engine's ``headlines`` (docs/architecture.md, "The registry") on each
sampled scenario. :func:`get_engine` wraps a spec as an :class:`EngineEntry`: ``evaluate`` runs
the spec on one scenario (the slow, per-sample path, always correct), and for a few engines a
batched fast path gives the same numbers for many samples at once.

A fast path *declares the parameters it models* (``models``). When a sweep samples any parameter
that is relevant to the engine but not modelled by its fast path, the whole batch takes the slow
path, so a fast path can never drop a parameter (tests/uncertainty/test_uncertainty_fast_path.py
checks equality over every uncertain parameter of every built-in scenario).

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> out = get_engine("analyse").evaluate(load_scenario("hanoi-2019"), {}, None)
    >>> out["deal_possible"]
    1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.scenario.model import Scenario
from accord.uncertainty.parameters import UncertainParam

Outputs = dict[str, float]
Evaluate = Callable[[Scenario, Mapping[str, Any], np.random.Generator | None], Outputs]
BatchEvaluate = Callable[
    [Scenario, Sequence[UncertainParam], np.ndarray, Mapping[str, Any]],
    dict[str, np.ndarray] | None,
]

SWEEP_DEFAULTS: dict[str, dict[str, Any]] = {
    # A sweep records the scenario strategies' agreement rate; the strategy matrix and the
    # exponent grid are for people, and would multiply the cost of every sample.
    "simulate": {
        "matrix": False,
        "grid": False,
        "compare_information": False,
        "compare_discounting": False,
    },
    "sequence": {"thresholds": False},
}


@dataclass(frozen=True)
class EngineEntry:
    """One engine as the uncertainty layer sees it."""

    name: str
    sections: tuple[str, ...]
    headline: str
    target: str
    evaluate: Evaluate
    batch: BatchEvaluate | None = None
    models: Callable[[UncertainParam], bool] | None = None
    stochastic: bool = False

    @property
    def section(self) -> str:
        return self.sections[0] if self.sections else ""

    def relevant(self, param: UncertainParam) -> bool:
        """Whether the parameter can change this engine's outputs."""
        return bool(param.path) and str(param.path[0]) in self.sections

    def tornado_output(self, outputs: Mapping[str, Any]) -> str:
        """The output a tornado shows: a continuous one beats a 0/1 headline."""
        for name in ("best_min_gain", "agreement_rate", self.headline):
            if name in outputs:
                return name
        return next(iter(outputs))

    def fast_path_applies(self, params: Sequence[UncertainParam]) -> bool:
        """The fast path models every relevant sampled parameter."""
        if self.batch is None or self.models is None:
            return False
        return all(self.models(p) for p in params if self.relevant(p))


def _evaluate_spec(key: str, scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.app.result import run_engine

    seed = 0 if rng is None else int(rng.integers(2**63))
    settings = {**SWEEP_DEFAULTS.get(key, {}), **options}
    return dict(run_engine(key, scenario, settings, seed).headlines)


# --- fast paths -----------------------------------------------------------------------------


def _models_utilities(param: UncertainParam) -> bool:
    """Weights, per-option values and reservation values of a party's preferences."""
    p = param.path
    return (
        len(p) >= 3
        and p[0] == "preferences"
        and (p[2] in ("weights", "reservation") or (p[2] == "values" and len(p) == 5))
    )


def _models_analyse(param: UncertainParam) -> bool:
    """The analyse headlines (zone, margins) do not depend on discount factors or outside
    options (those only move the Rubinstein split), so the fast path models them exactly."""
    p = param.path
    return _models_utilities(param) or (
        len(p) == 3 and p[0] == "preferences" and p[2] in ("discount", "outside_option")
    )


def _models_simulation(param: UncertainParam) -> bool:
    p = param.path
    return _models_utilities(param) or (
        len(p) == 3 and p[0] == "preferences" and p[2] == "discount"
    )


def _analyse_batch(
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: np.ndarray,
    options: Mapping[str, Any],
) -> dict[str, np.ndarray] | None:
    from accord.uncertainty.fast_analyse import analyse_headlines

    return analyse_headlines(scenario, params, values)


def _simulate_batch(
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: np.ndarray,
    options: Mapping[str, Any],
) -> dict[str, np.ndarray] | None:
    """Every sample's negotiation of the scenario strategies in one call of the batch engine.

    None (the slow path) when a strategy is stochastic (each sample's runs must use that sample's
    own stream), when the scenario has time-varying outside options (the array engine has none),
    or when the strategy matrix is asked for.
    """
    from accord.app.engines.simulate import SimulateSettings, scenario_settings
    from accord.app.engines.simulate import prepare as prepare_simulation
    from accord.simulation import simulate_batch_arrays
    from accord.uncertainty.fast_analyse import sample_arrays

    settings = SimulateSettings(
        **{
            k: v
            for k, v in {
                **scenario_settings(scenario),
                **SWEEP_DEFAULTS["simulate"],
                **options,
            }.items()
            if v is not None
        }
    )
    if settings.matrix:
        return None
    prepared = prepare_simulation(scenario, settings)
    specs, setup = prepared.specs, prepared.sim.setup
    if any(s.info.stochastic or s.info.kernel is None for s in specs) or setup.outside_options:
        return None
    utilities, reservation = sample_arrays(scenario, params, values)
    discount = np.repeat(np.asarray(setup.discount, dtype=np.float64)[None], len(values), axis=0)
    parties = {p: k for k, p in enumerate(scenario.party_ids)}
    for c, prm in enumerate(params):
        path = prm.path
        if len(path) == 3 and path[0] == "preferences" and path[2] == "discount":
            discount[:, parties[str(path[1])]] = values[:, c]
    result = simulate_batch_arrays(
        utilities, reservation, discount, setup.deadline, list(specs), 0,
        opener=setup.opener, issue_codes=setup.issue_codes, **setup.model_options(),
    )  # fmt: skip
    return {
        "agreement_rate": (result.agreement >= 0).astype(np.float64),
        "mean_rounds": result.rounds.astype(np.float64),
    }


FAST_PATHS: dict[str, tuple[BatchEvaluate, Callable[[UncertainParam], bool]]] = {
    "analyse": (_analyse_batch, _models_analyse),
    "simulate": (_simulate_batch, _models_simulation),
}


def get_engine(name: str) -> EngineEntry:
    """The sweep entry of an engine in the registry; an unknown name is a clear error."""
    from accord.app.registry import all_specs

    specs = all_specs()
    if name not in specs:
        raise AccordError(f"unknown engine '{name}'; use one of: {', '.join(specs)}")
    spec = specs[name]
    batch, models = FAST_PATHS.get(name, (None, None))
    return EngineEntry(
        name=spec.key,
        sections=spec.sections,
        headline=spec.target,
        target=spec.description,
        evaluate=partial(_evaluate_spec, spec.key),
        batch=batch,
        models=models,
        stochastic=spec.stochastic,
    )


def available_engines() -> dict[str, str | None]:
    """Each engine's key with None (every registered engine can run)."""
    from accord.app.registry import all_specs

    return dict.fromkeys(all_specs())
