"""The one place where the report and the web app call the engines.

Every engine is reached through a small function here, so that when an engine's API changes only
this module follows it. :func:`compute_sections` runs each engine the scenario has a section for
and returns a frozen :class:`ReportData`; a section is left out, with the reason recorded in
``ReportData.left_out``, when the scenario lacks it, when the engine is not installed yet, or when
the engine rejects the input (``EngineInputError``). An unexpected failure in one engine is also
recorded (as ``failed: ...``) rather than stopping the other sections: an analyst still gets the
rest of the report, and the note says what went wrong.

The simulation section builds its negotiation from the scenario's outcome space (linear-additive
utilities, reservation values, discount factors; DESIGN.md §3a) and plays one negotiation with the
chosen strategies (the concession curves) plus a strategy matrix: every pair of strategies from
``ReportSettings.matrix_strategies`` for the first two parties, each played ``runs`` times when a
strategy is stochastic (once otherwise: deterministic strategies give the same result every run).

Example::

    >>> import accord
    >>> data = compute_sections(accord.load("divide-the-dollar"))
    >>> data.bargaining is not None
    True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import EngineInputError, ScenarioError
from accord.scenario.model import Scenario

DEFAULT_STRATEGIES = ("boulware", "conceder")
MATRIX_STRATEGIES = ("hardliner", "boulware", "linear", "conceder", "tit-for-tat")


@dataclass(frozen=True)
class ReportSettings:
    """Knobs of the engines that are not in the scenario file (the web app's controls)."""

    strategies: tuple[str, ...] = DEFAULT_STRATEGIES
    matrix_strategies: tuple[str, ...] = MATRIX_STRATEGIES
    deadline: int = 30
    runs: int = 50
    seed: int = 0
    forecast_model: str = "scholz"
    forecast_rounds: int = 10
    sequencing_thresholds: bool = True
    max_outcomes: int = 2_000_000


@dataclass(frozen=True)
class SimulationData:
    """One negotiation's trace and the strategy matrix (``None`` unless two parties)."""

    trace: Any
    strategies: tuple[str, ...]
    utilities: np.ndarray
    matrix_strategies: tuple[str, ...]
    agreement_rate: np.ndarray | None  # (rows, cols)
    mean_utilities: np.ndarray | None  # (rows, cols, 2)
    runs: int
    seed: int
    deadline: int


@dataclass(frozen=True)
class ConflictData:
    """Stability result plus every decision maker's unilateral improvements as (src, dst) edges."""

    result: Any
    improvements: tuple[tuple[np.ndarray, np.ndarray], ...]


@dataclass(frozen=True)
class ReportData:
    """Each engine's result for one scenario, or ``None`` with the reason in ``left_out``."""

    scenario: Scenario
    settings: ReportSettings
    bargaining: Any | None = None
    simulation: SimulationData | None = None
    conflict: ConflictData | None = None
    forecast: Any | None = None
    sequencing: Any | None = None
    sweep: SweepData | None = None
    left_out: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


SECTION_TITLES = {
    "bargaining": "Bargaining analysis",
    "simulation": "Simulated negotiation",
    "conflict": "Conflict stability (graph model)",
    "forecast": "Stakeholder forecast",
    "sequencing": "Sequencing under mistrust",
    "sweep": "Uncertainty sweep",
}


class _Absent(Exception):
    """The scenario has no section for this engine (not an error)."""


def _bargaining(scenario: Scenario, settings: ReportSettings) -> Any:
    if not scenario.issues or not scenario.preferences:
        raise _Absent("the scenario has no issues and preferences")
    from accord.bargaining import analyse

    return analyse(scenario, max_outcomes=settings.max_outcomes)


def _issue_codes(sizes: tuple[int, ...]) -> np.ndarray:
    n = int(np.prod(sizes))
    return np.stack(np.unravel_index(np.arange(n), sizes), axis=1).astype(np.int64)


def _simulation(scenario: Scenario, settings: ReportSettings) -> SimulationData:
    if not scenario.issues or not scenario.preferences:
        raise _Absent("the scenario has no issues and preferences")
    from accord.bargaining import space_size
    from accord.scenario.outcomes import outcome_space, reservations, utility_matrix
    from accord.simulation import NegotiationSetup, negotiate, parse_strategy, simulate_batch

    if space_size(scenario) > settings.max_outcomes:
        raise EngineInputError(
            f"the outcome space has more than {settings.max_outcomes:,} outcomes; "
            "simulate it with 'accord simulate' instead"
        )
    parties = scenario.party_ids
    if len(settings.strategies) != len(parties):
        raise EngineInputError(
            f"give one strategy per party ({len(parties)}), got {len(settings.strategies)}"
        )
    space = outcome_space(scenario)
    u = utility_matrix(scenario, space)
    discount = [
        1.0 if scenario.preferences[p].discount is None else scenario.preferences[p].discount.point  # type: ignore[union-attr]
        for p in parties
    ]
    setup = NegotiationSetup.create(
        u,
        reservations(scenario),
        discount,
        deadline=settings.deadline,
        issue_codes=_issue_codes(space.sizes),
    )
    specs = [parse_strategy(s) for s in settings.strategies]
    trace = negotiate(setup, specs, seed=settings.seed)
    rate = mean_u = None
    names = settings.matrix_strategies
    if len(parties) == 2 and names:
        matrix_specs = [parse_strategy(s) for s in names]
        rate = np.zeros((len(names), len(names)))
        mean_u = np.zeros((len(names), len(names), 2))
        for i, a in enumerate(matrix_specs):
            for j, b in enumerate(matrix_specs):
                # Deterministic pairs give the same negotiation every run: one run suffices.
                stochastic = a.info.stochastic or b.info.stochastic
                batch = simulate_batch(
                    setup, [a, b], runs=settings.runs if stochastic else 1, seed=settings.seed
                )
                rate[i, j] = batch.agreement_rate
                mean_u[i, j] = batch.utilities.mean(axis=0)
    return SimulationData(
        trace=trace,
        strategies=tuple(str(s) for s in specs),
        utilities=u,
        matrix_strategies=tuple(names) if rate is not None else (),
        agreement_rate=rate,
        mean_utilities=mean_u,
        runs=settings.runs,
        seed=settings.seed,
        deadline=settings.deadline,
    )


def _conflict(scenario: Scenario, settings: ReportSettings) -> ConflictData:
    if scenario.conflict is None:
        raise _Absent("the scenario has no 'conflict:' section")
    from accord.conflict import analyse, model_from_section
    from accord.conflict.stability import all_moves

    model = model_from_section(scenario.conflict)
    result = analyse(model)
    moves = all_moves(model)
    edges = tuple((np.asarray(e.src), np.asarray(e.dst)) for e in moves.improvements)
    return ConflictData(result=result, improvements=edges)


def _forecast(scenario: Scenario, settings: ReportSettings) -> Any:
    if scenario.stakeholders is None:
        raise _Absent("the scenario has no 'stakeholders:' section")
    from accord.forecast import forecast

    return forecast(scenario.stakeholders, settings.forecast_model, settings.forecast_rounds)


def _sequencing(scenario: Scenario, settings: ReportSettings) -> Any:
    if scenario.sequencing is None:
        raise _Absent("the scenario has no 'sequencing:' section")
    from accord.sequencing import analyse, problem_from_section

    problem, _given = problem_from_section(scenario.sequencing)
    return analyse(problem, with_thresholds=settings.sequencing_thresholds)


@dataclass(frozen=True)
class SweepData:
    """An in-memory sweep of the bargaining headlines over the scenario's uncertain parameters.

    ``values``: the deal margin (best smallest gain over the reservation values; negative when no
    package clears every reservation) of each of ``samples`` Latin-hypercube samples; ``low`` and
    ``high``: the margin with one parameter at its low or high end and the rest at their point
    values (a one-at-a-time tornado); ``base``: the margin at the point values.
    """

    labels: tuple[str, ...]
    values: np.ndarray
    deal_possible: np.ndarray
    low: np.ndarray
    high: np.ndarray
    base: float
    samples: int
    seed: int


SWEEP_SAMPLES = 400
SWEEP_OUTPUT = "best_min_gain"


def _sweep(scenario: Scenario, settings: ReportSettings) -> SweepData:
    if not scenario.issues or not scenario.preferences:
        raise _Absent("the scenario has no issues and preferences")
    from accord.uncertainty.parameters import uncertain_params
    from accord.uncertainty.registry import get_engine
    from accord.uncertainty.samplers import sample_matrix
    from accord.uncertainty.sweep import evaluate_samples

    entry = get_engine("analyse")
    params = [p for p in uncertain_params(scenario) if entry.relevant(p)]
    if not params:
        raise _Absent("no bargaining parameter carries a distribution")
    values = sample_matrix(params, SWEEP_SAMPLES, settings.seed, "lhs")
    out = evaluate_samples(entry, scenario, params, values, seed=settings.seed)
    point = np.array([p.point for p in params])
    # One-at-a-time rows: row 0 all points, then each parameter at its low, then at its high end.
    d = len(params)
    grid = np.repeat(point[None, :], 2 * d + 1, axis=0)
    for k, p in enumerate(params):
        grid[1 + k, k] = p.low
        grid[1 + d + k, k] = p.high
    oat = evaluate_samples(entry, scenario, params, grid, seed=settings.seed)[SWEEP_OUTPUT]
    return SweepData(
        labels=tuple(p.label for p in params),
        values=out[SWEEP_OUTPUT],
        deal_possible=out["deal_possible"],
        low=oat[1 : 1 + d],
        high=oat[1 + d :],
        base=float(oat[0]),
        samples=SWEEP_SAMPLES,
        seed=settings.seed,
    )


ENGINES: dict[str, Callable[[Scenario, ReportSettings], Any]] = {
    "bargaining": _bargaining,
    "simulation": _simulation,
    "conflict": _conflict,
    "forecast": _forecast,
    "sequencing": _sequencing,
    "sweep": _sweep,
}


def compute_sections(
    scenario: Scenario,
    settings: ReportSettings | None = None,
    only: tuple[str, ...] | None = None,
) -> ReportData:
    """Run every engine the scenario has a section for (``only``: a subset by name)."""
    settings = settings or ReportSettings()
    results: dict[str, Any] = {}
    left_out: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for name, engine in ENGINES.items():
        if only is not None and name not in only:
            continue
        start = time.perf_counter()
        try:
            results[name] = engine(scenario, settings)
        except _Absent as exc:
            left_out[name] = str(exc)
        except ImportError as exc:
            left_out[name] = f"the engine is not available in this installation ({exc})"
        except (EngineInputError, ScenarioError) as exc:
            left_out[name] = str(exc)
        except MemoryError:
            left_out[name] = "ran out of memory; the scenario is too large for this section"
        except Exception as exc:  # one engine's bug must not take the other sections down
            left_out[name] = f"failed: {type(exc).__name__}: {exc}"
        seconds[name] = time.perf_counter() - start
    return ReportData(
        scenario=scenario, settings=settings, left_out=left_out, seconds=seconds, **results
    )
