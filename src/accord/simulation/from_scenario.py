"""Glue from a :class:`~accord.scenario.model.Scenario` to the array engines, and the analyses the
CLI shows: a simulation summary, the strategy tournament and the opening grid.

The setup uses the scenario's point values: utilities from ``utility_matrix`` (linear additive),
each party's ``reservation.point`` and ``discount.point`` (1 when absent), and the optional
``simulation:`` section (deadline, opener, default strategies, outside options).

Example::

    >>> import accord
    >>> s = accord.load("hanoi-2019")
    >>> sim = scenario_setup(s)
    >>> sim.setup.n_parties, sim.party_ids
    (2, ('usa', 'dprk'))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.model import Scenario
from accord.scenario.outcomes import OutcomeSpace, outcome_space, utility_matrix
from accord.simulation.batch import simulate_batch
from accord.simulation.results import BatchResult, accord_version
from accord.simulation.setup import NegotiationSetup
from accord.simulation.strategies import (
    REGISTRY,
    StrategySpec,
    parse_assignment,
    parse_strategy,
)

DEFAULT_STRATEGY = "boulware"
MAX_OUTCOMES = 1_000_000  # each negotiation keeps a few (parties × outcomes) arrays per thread


@dataclass(frozen=True, eq=False)
class ScenarioSimulation:
    """A scenario's negotiation as arrays, with what is needed to name parties and outcomes."""

    setup: NegotiationSetup
    space: OutcomeSpace
    party_ids: tuple[str, ...]
    default_strategies: tuple[StrategySpec, ...]
    runs: int

    def decode(self, outcome: int) -> dict[str, Any]:
        return self.space.decode(outcome)


def scenario_setup(
    scenario: Scenario, deadline: int | None = None, opener: str | None = None
) -> ScenarioSimulation:
    """The arrays for simulating ``scenario``; ``deadline``/``opener`` override the section."""
    section = getattr(scenario, "simulation", None)
    party_ids = scenario.party_ids
    if len(party_ids) < 2:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {len(party_ids)} parties; a negotiation needs two or "
            "more"
        )
    space = outcome_space(scenario)
    if space.n > MAX_OUTCOMES:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {space.n:,} outcomes; simulation supports up to "
            f"{MAX_OUTCOMES:,} — use coarser steps on numeric issues"
        )
    u = utility_matrix(scenario, space)
    prefs = scenario.preferences
    reservation = [prefs[p].reservation.point for p in party_ids]
    discount = []
    for p in party_ids:
        d = prefs[p].discount
        value = 1.0 if d is None else d.point
        if not 0 < value <= 1:
            raise EngineInputError(
                f"preferences.{p}.discount is {value:g}; a discount factor must lie in (0, 1]"
            )
        discount.append(value)
    opener_id = opener or (section.opener if section is not None else None) or party_ids[0]
    if opener_id not in party_ids:
        raise EngineInputError(
            f"opener '{opener_id}' is not a party; use one of: {', '.join(party_ids)}"
        )
    outside = []
    if section is not None:
        for opt in section.outside_options:
            outside.append((party_ids.index(opt.party), opt.round, opt.value.point))
    codes = np.stack(np.unravel_index(np.arange(space.n), space.sizes), axis=1)
    setup = NegotiationSetup.create(
        u,
        reservation=reservation,
        discount=discount,
        deadline=deadline or (section.deadline if section is not None else 100),
        opener=party_ids.index(opener_id),
        outside_options=outside,
        issue_codes=codes,
    )
    defaults = []
    for p in party_ids:
        text = section.strategies.get(p, DEFAULT_STRATEGY) if section is not None else None
        defaults.append(parse_strategy(text or DEFAULT_STRATEGY))
    return ScenarioSimulation(
        setup=setup,
        space=space,
        party_ids=party_ids,
        default_strategies=tuple(defaults),
        runs=section.runs if section is not None else 1000,
    )


def strategies_for(sim: ScenarioSimulation, assignments: Sequence[str]) -> list[StrategySpec]:
    """The section's defaults overridden by ``party=strategy`` assignments (CLI ``--strategy``)."""
    chosen = dict(zip(sim.party_ids, sim.default_strategies, strict=True))
    for text in assignments:
        party, spec = parse_assignment(text, sim.party_ids)
        chosen[party] = spec
    specs = [chosen[p] for p in sim.party_ids]
    check_applicable(sim.setup, specs)
    return specs


def check_applicable(setup: NegotiationSetup, specs: Sequence[StrategySpec]) -> None:
    """Explain, before running, why a strategy cannot play this negotiation."""
    for spec in specs:
        requires = spec.info.requires
        if "two-parties" in requires and setup.n_parties != 2:
            raise EngineInputError(f"strategy '{spec.name}' needs exactly two parties")
        if "discounting" in requires and not np.all(setup.discount < 1):
            raise EngineInputError(
                f"strategy '{spec.name}' needs every party to discount (preferences.<party>."
                "discount below 1)"
            )


def summarise(sim: ScenarioSimulation, result: BatchResult, top: int = 5) -> dict[str, Any]:
    """The JSON summary of ``accord simulate`` with party ids and decoded outcomes."""
    base = result.to_dict()
    base["mean_utilities"] = dict(zip(sim.party_ids, base["mean_utilities"], strict=True))
    base["strategies"] = dict(zip(sim.party_ids, base["strategies"], strict=True))
    base["agreements"] = [
        {"outcome": sim.decode(o), "count": c} for o, c in result.agreement_counts(top)
    ]
    base["rounds_histogram"] = result.round_histogram(10, sim.setup.deadline)
    base["deadline"] = sim.setup.deadline
    base["opener"] = sim.party_ids[sim.setup.opener]
    return base


@dataclass(frozen=True)
class MatrixResult:
    """Agreement rate, mean round and mean utilities for each (row, column) strategy pair.

    The row strategy plays the first party, the column strategy every other party.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    party_ids: tuple[str, ...]
    agreement_rate: np.ndarray  # (rows, columns)
    mean_rounds: np.ndarray  # (rows, columns)
    mean_utilities: np.ndarray  # (rows, columns, parties)
    runs: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        cells = []
        for a, row in enumerate(self.rows):
            for b, col in enumerate(self.columns):
                cells.append(
                    {
                        "row": row,
                        "column": col,
                        "agreement_rate": float(self.agreement_rate[a, b]),
                        "mean_rounds": float(self.mean_rounds[a, b]),
                        "mean_utilities": dict(
                            zip(self.party_ids, self.mean_utilities[a, b].tolist(), strict=True)
                        ),
                    }
                )
        return {
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": cells,
            "runs": self.runs,
            "seed": self.seed,
            "accord_version": accord_version(),
        }


def play_matrix(
    setup: NegotiationSetup,
    party_ids: Sequence[str],
    rows: Sequence[StrategySpec],
    columns: Sequence[StrategySpec],
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> MatrixResult:
    """Play every (row, column) pair ``runs`` times with the same seed (common random numbers)."""
    k_rows, k_cols, p = len(rows), len(columns), setup.n_parties
    rate = np.zeros((k_rows, k_cols))
    mean_rounds = np.zeros((k_rows, k_cols))
    utilities = np.zeros((k_rows, k_cols, p))
    for a, row in enumerate(rows):
        for b, col in enumerate(columns):
            specs = [row] + [col] * (p - 1)
            # Deterministic pairs give the same negotiation every run: play it once.
            n = runs if any(s.info.stochastic for s in specs) else 1
            result = simulate_batch(setup, specs, n, seed)
            rate[a, b] = result.agreement_rate
            mean_rounds[a, b] = result.rounds.mean()
            utilities[a, b] = result.utilities.mean(axis=0)
            if progress is not None:
                progress(1)
    return MatrixResult(
        rows=tuple(str(r) for r in rows),
        columns=tuple(str(c) for c in columns),
        party_ids=tuple(party_ids),
        agreement_rate=rate,
        mean_rounds=mean_rounds,
        mean_utilities=utilities,
        runs=runs,
        seed=seed,
    )


def tournament_strategies(setup: NegotiationSetup) -> list[StrategySpec]:
    """Every registered tournament strategy that can play this negotiation, with defaults."""
    specs = []
    for name in REGISTRY.names(tournament_only=True):
        spec = parse_strategy(name)
        try:
            check_applicable(setup, [spec])
        except EngineInputError:
            continue
        specs.append(spec)
    return specs


def exponent_grid(exponents: Sequence[float]) -> list[StrategySpec]:
    """Time-dependent strategies with the given exponents (small e: holds out longer)."""
    return [parse_strategy(f"time-dependent:e={e:g}") for e in exponents]
