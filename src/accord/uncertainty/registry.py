"""The engines a sweep can run, reached through one small registry (DESIGN.md §2).

Each entry maps an engine name to a function ``(scenario, options, rng) -> {output: number}`` of
headline outputs, the scenario section whose parameters matter to it, and, where one exists, a
batched fast path ``(scenario, params, values (n, d), options) -> {output: array (n,)} | None`` that
gives the same numbers for many samples without rebuilding the scenario per sample (None: this
case needs the slow path). Engines are imported
lazily; one that is not installed (or not written yet) is reported as unavailable with the reason.

Headline outputs (every value a float; booleans as 0/1):

* ``analyse`` (bargaining): ``deal_possible`` (the zone of agreement is non-empty), ``zone_size``,
  ``best_min_gain`` (max over outcomes of the smallest gain over reservation; >= 0 exactly when a
  deal is possible), and per named proposal ``in_zone:<id>`` and ``margin:<id>`` (the smallest
  party's gain over its reservation value), plus ``any_proposal_in_zone``.
* ``simulate``: ``agreement_rate`` over ``runs`` alternating-offers negotiations, ``mean_rounds``.
* ``stability``: ``no_deal_equilibrium`` (the status quo is an equilibrium under ``concept``) and
  the number of equilibria.
* ``forecast``: ``forecast:<dimension>`` for each stakeholder dimension.
* ``sequence``: ``schedule_exists`` and ``fewest_rounds`` (NaN when none exists).

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> out = get_engine("analyse").evaluate(load_scenario("hanoi-2019"), {}, None)
    >>> out["deal_possible"]
    1.0
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError, EngineInputError
from accord.scenario.model import Scenario
from accord.uncertainty.parameters import UncertainParam

Outputs = dict[str, float]
Evaluate = Callable[[Scenario, Mapping[str, Any], np.random.Generator | None], Outputs]
BatchEvaluate = Callable[
    [Scenario, Sequence[UncertainParam], np.ndarray, Mapping[str, Any]],
    dict[str, np.ndarray] | None,
]


@dataclass(frozen=True)
class EngineEntry:
    """One engine as the uncertainty layer sees it."""

    name: str
    module: str
    section: str
    headline: str
    target: str
    evaluate: Evaluate
    batch: BatchEvaluate | None = None
    stochastic: bool = False

    def availability(self) -> str | None:
        """None when the engine can run, else why not (in words)."""
        try:
            importlib.import_module(self.module)
        except ImportError as exc:
            return f"the {self.name} engine is not available ({self.module}: {exc})"
        return None

    def relevant(self, param: UncertainParam) -> bool:
        """Whether the parameter can change this engine's outputs."""
        return bool(param.path) and param.path[0] == self.section


# --- analyse --------------------------------------------------------------------------------


def _analyse(scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.bargaining import analyse

    result = analyse(scenario)
    gains = result.utilities - result.reservations
    out: Outputs = {
        "deal_possible": float(result.zone_size > 0),
        "zone_size": float(result.zone_size),
        "best_min_gain": float(gains.min(axis=1).max()),
    }
    for a in result.proposals:
        margin = float(np.min(np.asarray(a.utilities) - result.reservations))
        out[f"in_zone:{a.id}"] = float(a.in_zone)
        out[f"margin:{a.id}"] = margin
    if result.proposals:
        out["any_proposal_in_zone"] = float(any(a.in_zone for a in result.proposals))
    return out


def _analyse_batch(
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: np.ndarray,
    options: Mapping[str, Any],
) -> dict[str, np.ndarray] | None:
    from accord.uncertainty.fast_analyse import analyse_headlines

    return analyse_headlines(scenario, params, values)


# --- simulate -------------------------------------------------------------------------------

SIMULATE_DEFAULTS: dict[str, Any] = {"runs": 100, "deadline": 50, "strategy": "boulware"}


def _simulation_inputs(scenario: Scenario, options: Mapping[str, Any]) -> dict[str, Any]:
    from accord.scenario.outcomes import outcome_space, reservations
    from accord.simulation import parse_strategy

    opts = {**SIMULATE_DEFAULTS, **options}
    space = outcome_space(scenario)
    codes = np.indices(space.sizes).reshape(len(space.sizes), -1).T
    discount = [
        1.0 if scenario.preferences[p].discount is None else scenario.preferences[p].discount.point  # type: ignore[union-attr]
        for p in scenario.party_ids
    ]
    return {
        "strategies": [parse_strategy(str(opts["strategy"]))] * len(scenario.parties),
        "runs": int(opts["runs"]),
        "deadline": int(opts["deadline"]),
        "codes": np.ascontiguousarray(codes, dtype=np.int64),
        "reservation": reservations(scenario),
        "discount": np.asarray(discount, dtype=np.float64),
    }


def _simulate(scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.scenario.outcomes import utility_matrix
    from accord.simulation import NegotiationSetup, simulate_batch

    inputs = _simulation_inputs(scenario, options)
    setup = NegotiationSetup.create(
        utility_matrix(scenario),
        inputs["reservation"],
        inputs["discount"],
        deadline=inputs["deadline"],
        issue_codes=inputs["codes"],
    )
    seed = 0 if rng is None else int(rng.integers(2**63))
    result = simulate_batch(setup, inputs["strategies"], inputs["runs"], seed)
    return {"agreement_rate": result.agreement_rate, "mean_rounds": float(result.rounds.mean())}


def _simulate_batch(
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: np.ndarray,
    options: Mapping[str, Any],
) -> dict[str, np.ndarray] | None:
    """All samples' negotiations in one call of the batch engine; None (use the slow path) when a
    strategy is stochastic, because each sample's runs must then use that sample's own stream."""
    from accord.simulation import simulate_batch_arrays
    from accord.uncertainty.fast_analyse import sample_arrays

    inputs = _simulation_inputs(scenario, options)
    if any(s.info.stochastic or s.info.kernel is None for s in inputs["strategies"]):
        return None
    utilities, reservation = sample_arrays(scenario, params, values)
    n, runs = values.shape[0], inputs["runs"]
    discount = np.broadcast_to(inputs["discount"], reservation.shape)
    result = simulate_batch_arrays(
        np.repeat(utilities, runs, axis=0),
        np.repeat(reservation, runs, axis=0),
        np.repeat(discount, runs, axis=0),
        inputs["deadline"],
        inputs["strategies"],
        0,
        issue_codes=inputs["codes"],
    )
    agreed = (result.agreement >= 0).reshape(n, runs)
    return {
        "agreement_rate": agreed.mean(axis=1),
        "mean_rounds": result.rounds.reshape(n, runs).mean(axis=1).astype(np.float64),
    }


# --- stability, forecast, sequence ----------------------------------------------------------


def _stability(scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.conflict import analyse, model_from_section

    if scenario.conflict is None:
        raise EngineInputError(f"scenario '{scenario.id}' has no 'conflict:' section")
    model = model_from_section(scenario.conflict)
    result = analyse(model)
    concept = str(options.get("concept", "seq"))
    eq = result.equilibria.get(concept, [])
    sq = None if model.status_quo is None else model.status_quo + 1
    return {
        "no_deal_equilibrium": float(sq is not None and sq in eq),
        "equilibria": float(len(eq)),
    }


def _forecast(scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.forecast import forecast

    if scenario.stakeholders is None:
        raise EngineInputError(f"scenario '{scenario.id}' has no 'stakeholders:' section")
    result = forecast(scenario.stakeholders, model=str(options.get("model", "scholz")))
    return {f"forecast:{d.dimension}": float(d.forecast) for d in result.dimensions}


def _sequence(scenario: Scenario, options: Mapping[str, Any], rng: Any) -> Outputs:
    from accord.sequencing import fewest_rounds, problem_from_section

    if scenario.sequencing is None:
        raise EngineInputError(f"scenario '{scenario.id}' has no 'sequencing:' section")
    problem, _ = problem_from_section(scenario.sequencing)
    rounds = fewest_rounds(problem)
    return {
        "schedule_exists": float(rounds is not None),
        "fewest_rounds": float("nan") if rounds is None else float(rounds),
    }


ENGINES: dict[str, EngineEntry] = {
    e.name: e
    for e in (
        EngineEntry(
            "analyse", "accord.bargaining", "preferences", "deal_possible",
            "the zone of agreement is non-empty", _analyse, _analyse_batch,
        ),
        EngineEntry(
            "simulate", "accord.simulation", "preferences", "agreement_rate",
            "the simulated agreement rate is at least 50%", _simulate, _simulate_batch, True,
        ),
        EngineEntry(
            "stability", "accord.conflict", "conflict", "no_deal_equilibrium",
            "no deal stops being an equilibrium", _stability,
        ),
        EngineEntry(
            "forecast", "accord.forecast", "stakeholders", "",
            "the forecast reaches the threshold", _forecast,
        ),
        EngineEntry(
            "sequence", "accord.sequencing", "sequencing", "schedule_exists",
            "a self-enforcing schedule exists", _sequence,
        ),
    )
}  # fmt: skip


def get_engine(name: str) -> EngineEntry:
    """The registry entry of an engine; unknown or unavailable engines raise a clear error."""
    entry = ENGINES.get(name)
    if entry is None:
        raise AccordError(f"unknown engine '{name}'; use one of: {', '.join(ENGINES)}")
    why = entry.availability()
    if why is not None:
        raise AccordError(why + "; install or update Accord with that engine, or pick another")
    return entry


def available_engines() -> dict[str, str | None]:
    """Each engine name with None (available) or the reason it is not."""
    return {name: e.availability() for name, e in ENGINES.items()}
