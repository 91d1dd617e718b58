"""Many games of one shape at once: the headline numbers a sweep records, fully vectorised.

:func:`solve_batch` applies the equilibrium conditions of :mod:`accord.signals.solver`
(:func:`~accord.signals.solver.equilibrium_mask`) to N games stacked along a first axis, so
10,000 sampled beer–quiche games cost a handful of NumPy operations rather than 10,000 solves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.errors import EngineInputError
from accord.signals.beliefs import TOL
from accord.signals.game import MAX_SIZE
from accord.signals.solver import (
    admissible_batch,
    distinct_messages,
    equilibrium_mask,
    strategies,
)


@dataclass(frozen=True)
class BatchResult:
    """Per game: how many pure PBE of each kind, and whether a separating one exists."""

    count: np.ndarray
    pooling: np.ndarray
    separating: np.ndarray
    partial: np.ndarray

    @property
    def separating_exists(self) -> np.ndarray:
        return self.separating > 0


def solve_batch(
    prior: np.ndarray, us: np.ndarray, ur: np.ndarray, tol: float = TOL, chunk: int = 4096
) -> BatchResult:
    """Counts of pure PBE for N games: ``prior`` (N, T), ``us`` and ``ur`` (N, T, M, A)."""
    prior, us, ur = (np.asarray(x, dtype=np.float64) for x in (prior, us, ur))
    if us.ndim != 4 or ur.shape != us.shape or prior.shape != us.shape[:2]:
        raise EngineInputError("solve_batch needs prior (N, T) and payoffs (N, T, M, A)")
    n, t_count, m_count, a_count = us.shape
    if max(t_count, m_count, a_count) > MAX_SIZE:
        raise EngineInputError(f"at most {MAX_SIZE} types, messages and actions")
    distinct = distinct_messages(t_count, m_count)
    pooling_s = distinct == 1
    separating_s = (distinct == t_count) & (distinct > 1)
    partial_s = (distinct > 1) & (distinct < t_count)
    out = {k: np.zeros(n, dtype=np.int64) for k in ("count", "pooling", "separating", "partial")}
    size = len(strategies(t_count, m_count)) * len(strategies(m_count, a_count))
    step = max(1, min(chunk, 2_000_000 // max(size, 1)))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        adm = admissible_batch(ur[lo:hi], tol)
        mask = equilibrium_mask(prior[lo:hi], us[lo:hi], ur[lo:hi], adm, tol)  # (n, nS, nR)
        per_s = mask.sum(axis=2)  # (n, nS)
        out["count"][lo:hi] = per_s.sum(axis=1)
        out["pooling"][lo:hi] = per_s[:, pooling_s].sum(axis=1)
        out["separating"][lo:hi] = per_s[:, separating_s].sum(axis=1)
        out["partial"][lo:hi] = per_s[:, partial_s].sum(axis=1)
    return BatchResult(**out)
