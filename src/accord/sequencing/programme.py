"""The linear (or mixed-integer) programme behind a sequencing question, solved with HiGHS.

Variables: the shares ``z[k, t]`` in [0, 1] (binary for an indivisible step), one free slack
``s``, optional elastic violations ``e[i, t] >= 0`` and, for ordering rules whose first step is
divisible, gate binaries ``b[k→l, t]``. Rows:

* incentive: ``A z + g + e >= s`` for every party and round (see :mod:`.problem`);
* completion: ``sum_t z[k, t] = 1`` for every step;
* ordering, "step k finished in an earlier round than any part of step l starts": for every
  round t, ``z[l, t] <= b[t] <= sum_{u<t} z[k, u]`` with ``b[t]`` binary, so ``b[t] = 1`` only
  once k is complete, and l can move only then. When k is indivisible its cumulative share is
  already 0 or 1, so the gate is dropped: ``z[l, t] <= sum_{u<t} z[k, u]``.

Ordering gates make the programme a MILP even when every step is divisible (the issue's "a MILP
when steps are indivisible or ordered"). Solved with :func:`scipy.optimize.milp` (HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from accord.errors import EngineInputError
from accord.sequencing.problem import SequencingProblem, slack_matrix

SOLVER_TIME_LIMIT_S = 30.0
"""Wall-clock limit on one HiGHS solve; a MILP that needs longer is reported, not waited on."""


@dataclass(frozen=True)
class Solution:
    """What one solve returns: status and, when there is one, the schedule and the objective."""

    feasible: bool
    shares: np.ndarray | None  # (K, T)
    objective: float | None
    violation: np.ndarray | None = None  # (2, T), elastic mode only


def is_mixed_integer(problem: SequencingProblem) -> bool:
    """True when the programme needs integer variables (indivisible steps or ordering rules)."""
    return bool(np.any(~problem.divisible)) or bool(problem.order)


def solve(
    problem: SequencingProblem,
    rounds: int,
    *,
    mode: str = "feasible",
    silent_first: int | None = None,
    pattern: np.ndarray | None = None,
    mimic: np.ndarray | None = None,
    time_limit: float = SOLVER_TIME_LIMIT_S,
    relax: bool = False,
) -> Solution:
    """Solve one programme over ``rounds`` rounds.

    ``mode``: ``"feasible"`` finds any schedule with every slack >= 0; ``"max_slack"`` maximises
    the smallest slack; ``"elastic"`` minimises the total violation ``sum e`` (always feasible);
    ``"opening"`` maximises the share of its total cost that party ``1 − silent_first`` pays in
    round 1 while party ``silent_first`` gives nothing in round 1. ``pattern`` (first mover per
    round, sequential) and ``mimic`` (Bayesian trust) fix the constants of the incentive rows.
    ``relax`` drops integrality (the LP relaxation); ``time_limit`` caps the HiGHS run, and a
    run stopped by it returns its best solution so far (used only for the elastic explanation).
    """
    n_steps = problem.n_steps
    n_z = n_steps * rounds
    a_inc, g_inc = slack_matrix(problem, rounds, pattern, mimic)
    n_rows = 2 * rounds
    gates = [
        (before, after)
        for before, after in problem.order
        if bool(problem.divisible[before])  # an indivisible predecessor needs no gate
    ]
    n_gate = len(gates) * rounds
    elastic = mode == "elastic"
    n_e = n_rows if elastic else 0
    n_var = n_z + 1 + n_e + n_gate
    slack_col = n_z
    e_cols = slice(n_z + 1, n_z + 1 + n_e)
    gate0 = n_z + 1 + n_e

    def zcol(k: int, t: int) -> int:
        return k * rounds + t

    constraints: list[LinearConstraint] = []
    # incentive rows: A z + e − s >= −g
    inc = np.zeros((n_rows, n_var))
    inc[:, :n_z] = a_inc
    inc[:, slack_col] = -1.0
    if elastic:
        inc[:, e_cols] = np.eye(n_rows)
    constraints.append(LinearConstraint(inc, lb=-g_inc, ub=np.inf))
    # every step done exactly once
    done = np.zeros((n_steps, n_var))
    for k in range(n_steps):
        done[k, zcol(k, 0) : zcol(k, 0) + rounds] = 1.0
    constraints.append(LinearConstraint(done, lb=1.0, ub=1.0))
    # ordering rows
    order_rows: list[np.ndarray] = []
    gate_index = {pair: n for n, pair in enumerate(gates)}
    for before, after in problem.order:
        for t in range(rounds):
            row = np.zeros(n_var)
            row[zcol(after, t)] = 1.0
            if (before, after) in gate_index:
                gate = gate0 + gate_index[(before, after)] * rounds + t
                row[gate] = -1.0
                link = np.zeros(n_var)
                link[gate] = 1.0
                link[zcol(before, 0) : zcol(before, 0) + t] = -1.0
                order_rows.append(link)
            else:
                row[zcol(before, 0) : zcol(before, 0) + t] = -1.0
            order_rows.append(row)
    if order_rows:
        constraints.append(LinearConstraint(np.array(order_rows), lb=-np.inf, ub=0.0))

    lower = np.zeros(n_var)
    upper = np.ones(n_var)
    integrality = np.zeros(n_var, dtype=np.int64)
    integrality[:n_z] = np.repeat(~problem.divisible, rounds).astype(np.int64)
    integrality[gate0:] = 1
    if relax:
        integrality[:] = 0
    objective = np.zeros(n_var)
    if mode == "max_slack":
        lower[slack_col], upper[slack_col] = -np.inf, np.inf
        objective[slack_col] = -1.0
    else:
        lower[slack_col] = upper[slack_col] = 0.0
    if elastic:
        upper[e_cols] = np.inf
        objective[e_cols] = 1.0
    if mode == "opening":
        if silent_first is None:
            raise ValueError("mode 'opening' needs silent_first")
        mover = 1 - silent_first
        total = float(problem.cost[problem.owner == mover].sum())
        for k in range(n_steps):
            if problem.owner[k] == silent_first:
                upper[zcol(k, 0)] = 0.0
            elif total > 0:
                objective[zcol(k, 0)] = -problem.cost[k] / total
    elif mode not in ("feasible", "max_slack", "elastic"):
        raise ValueError(f"unknown mode {mode!r}")

    if mode == "feasible" and integrality.any():
        # exact shortcut: if the LP relaxation has no solution, neither has the MILP
        relaxed = milp(
            objective,
            constraints=constraints,
            bounds=Bounds(lower, upper),
            integrality=np.zeros(n_var, dtype=np.int64),
            options={"time_limit": SOLVER_TIME_LIMIT_S, "presolve": True},
        )
        if relaxed.status == 2:
            return Solution(False, None, None)
    res = milp(
        objective,
        constraints=constraints,
        bounds=Bounds(lower, upper),
        integrality=integrality,
        options={"time_limit": time_limit, "presolve": True},
    )
    if res.status == 2:  # infeasible
        return Solution(False, None, None)
    if res.x is None:
        raise EngineInputError(
            f"the solver stopped without an answer ({res.message.strip()}) on {n_steps} steps × "
            f"{rounds} rounds; lower max_rounds, merge steps or make steps divisible"
        )
    x = np.asarray(res.x)
    shares = _clean(x[:n_z].reshape(n_steps, rounds), problem.divisible)
    violation = x[e_cols].reshape(2, rounds) if elastic else None
    return Solution(True, shares, float(res.fun), violation)


def _clean(shares: np.ndarray, divisible: np.ndarray) -> np.ndarray:
    """Snap solver round-off: indivisible rows to exact 0/1, tiny negatives to 0, rows sum to 1."""
    out = np.clip(shares, 0.0, 1.0)
    out[out < 1e-12] = 0.0
    for k in np.flatnonzero(~divisible):
        row = np.zeros(out.shape[1])
        row[int(np.argmax(out[k]))] = 1.0
        out[k] = row
    out /= out.sum(axis=1, keepdims=True)
    return out
