"""Tournaments: every pair of strategies from a list played on one negotiation.

``play_matrix`` plays each (row, column) pair — the row strategy for the first party, the column
strategy for every other party — with common random numbers (the same seed for every pair), so
differences between cells come from the strategies, not from the draws. ``tournament_strategies``
lists every registered tournament strategy that can play a setup, ``exponent_grid`` the
time-dependent strategies of a grid of concession exponents (Faratin et al. 1998, §4.2.1).

Example::

    >>> import numpy as np
    >>> from accord.simulation.setup import NegotiationSetup
    >>> u = np.array([[1.0, 0.0], [0.6, 0.4], [0.4, 0.6], [0.0, 1.0]])
    >>> setup = NegotiationSetup.create(u, deadline=10)
    >>> grid = exponent_grid([0.2, 2.0])
    >>> play_matrix(setup, ("a", "b"), grid, grid, runs=1, seed=0).agreement_rate.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.simulation.batch import simulate_batch
from accord.simulation.results import accord_version
from accord.simulation.setup import NegotiationSetup
from accord.simulation.strategies import REGISTRY, StrategySpec, check_applicable, parse_strategy


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
