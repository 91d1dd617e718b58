"""The outcome space of a scenario and every party's utility of every outcome.

Outcomes are the Cartesian product of the issues' values, numbered in C order (the first issue is
the most significant digit), so ``np.unravel_index(i, space.sizes)`` decodes outcome ``i``.
Utilities are linear additive (Keeney & Raiffa 1976, ch. 3): ``u_p(x) = Σ_j w_pj · v_pj(x_j)`` with
the weights normalised by their sum. They are undiscounted: discounting matters to simulation and
the Rubinstein solution, not to the static analysis.

Example::

    >>> import accord
    >>> s = accord.load("divide-the-dollar")
    >>> space = outcome_space(s)
    >>> utility_matrix(s, space).shape == (space.n, 2)
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.model import Issue, PiecewiseLinear, Scenario


@dataclass(frozen=True)
class OutcomeSpace:
    """The issues' values in order; ``n`` outcomes in C order over ``sizes``."""

    issue_ids: tuple[str, ...]
    issues: tuple[Issue, ...]
    sizes: tuple[int, ...]

    @property
    def n(self) -> int:
        return math.prod(self.sizes)

    def values(self, j: int) -> list[str] | np.ndarray:
        """The j-th issue's options (ids) or numeric grid."""
        issue = self.issues[j]
        return list(issue.options) if issue.options is not None else issue.grid()

    def decode(self, index: int) -> dict[str, str | float]:
        """The outcome with number ``index`` as {issue: option id or number}."""
        digits = np.unravel_index(int(index), self.sizes)
        out: dict[str, str | float] = {}
        for j, (issue, d) in enumerate(zip(self.issues, digits, strict=True)):
            if issue.options is not None:
                out[issue.id] = issue.options[int(d)]
            else:
                out[issue.id] = round(float(self.values(j)[int(d)]), 12)
        return out

    def encode(self, outcome: Mapping[str, str | float]) -> int:
        """The number of an outcome given as {issue: option or value} (numeric: nearest grid)."""
        digits = []
        for issue in self.issues:
            v = outcome[issue.id]
            if issue.options is not None:
                digits.append(issue.options.index(str(v)))
            else:
                assert issue.range is not None and issue.step is not None
                k = round((float(v) - issue.range[0]) / issue.step)
                digits.append(min(max(k, 0), issue.size - 1))
        return int(np.ravel_multi_index(tuple(digits), self.sizes))


MAX_OUTCOME_ISSUES = 64
"""NumPy arrays have at most 64 axes, and the outcome space gives each issue one."""


def outcome_space(scenario: Scenario) -> OutcomeSpace:
    """The scenario's outcome space (no arrays are allocated)."""
    if not scenario.issues:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no issues; add an 'issues:' section to analyse outcomes"
        )
    if len(scenario.issues) > MAX_OUTCOME_ISSUES:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {len(scenario.issues)} issues; the outcome space holds "
            f"at most {MAX_OUTCOME_ISSUES} (one array axis each): merge issues, or drop those "
            "with a single option"
        )
    return OutcomeSpace(
        issue_ids=tuple(i.id for i in scenario.issues),
        issues=scenario.issues,
        sizes=tuple(i.size for i in scenario.issues),
    )


def issue_value_table(scenario: Scenario, party_id: str, issue: Issue) -> np.ndarray:
    """Party's value v_pj of each of the issue's values, in [0, 1] (float64)."""
    pref = scenario.preferences[party_id]
    vf = pref.values.get(issue.id)
    if vf is None:  # weight 0: the values never matter
        return np.zeros(issue.size)
    if issue.options is not None:
        assert isinstance(vf, dict)
        return np.array([vf[o].point for o in issue.options], dtype=np.float64)
    return numeric_value(issue, vf, issue.grid())  # type: ignore[arg-type]


def numeric_value(issue: Issue, vf: str | PiecewiseLinear, x: np.ndarray) -> np.ndarray:
    """Value of numeric issue values ``x`` under 'increasing', 'decreasing' or piecewise linear."""
    assert issue.range is not None
    lo, hi = issue.range
    if isinstance(vf, PiecewiseLinear):
        return vf(np.asarray(x, dtype=np.float64))
    t = (np.asarray(x, dtype=np.float64) - lo) / (hi - lo)
    return np.clip(t if vf == "increasing" else 1.0 - t, 0.0, 1.0)


def require_preferences(scenario: Scenario) -> None:
    """Raise EngineInputError unless every party has preferences over the issues."""
    if not scenario.parties:
        raise EngineInputError(f"scenario '{scenario.id}' has no parties; add a 'parties:' section")
    missing = [p for p in scenario.party_ids if p not in scenario.preferences]
    if missing:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no preferences for {', '.join(missing)}; add them "
            "under 'preferences:' (weights, values and a reservation value)"
        )


def party_issue_tables(scenario: Scenario) -> list[list[np.ndarray]]:
    """For each party, for each issue, the weighted value table w_pj · v_pj (the additive parts)."""
    require_preferences(scenario)
    tables = []
    for pid in scenario.party_ids:
        w = scenario.preferences[pid].normalised_weights()
        tables.append(
            [w.get(i.id, 0.0) * issue_value_table(scenario, pid, i) for i in scenario.issues]
        )
    return tables


def utility_matrix(scenario: Scenario, space: OutcomeSpace | None = None) -> np.ndarray:
    """Every party's utility of every outcome: shape (n_outcomes, n_parties), float64.

    Built by broadcasting the per-issue tables into the product space (no Python loop over
    outcomes), so 1e7 outcomes cost a few hundred milliseconds.
    """
    space = space or outcome_space(scenario)
    tables = party_issue_tables(scenario)
    m = len(space.sizes)
    out = np.empty((space.n, len(tables)), dtype=np.float64)
    for p, parts in enumerate(tables):
        shaped = [t.reshape((1,) * j + (-1,) + (1,) * (m - j - 1)) for j, t in enumerate(parts)]
        out[:, p] = reduce(np.add, shaped).reshape(-1)
    return out


def utility_matrix_reference(scenario: Scenario) -> np.ndarray:
    """Scalar reference for :func:`utility_matrix`: one outcome at a time, from the model."""
    space = outcome_space(scenario)
    require_preferences(scenario)
    rows = []
    for i in range(space.n):
        rows.append(outcome_utilities(scenario, space.decode(i)))
    return np.array(rows, dtype=np.float64).reshape(space.n, len(scenario.party_ids))


def outcome_utilities(scenario: Scenario, outcome: Mapping[str, str | float]) -> np.ndarray:
    """Each party's utility of one outcome given as {issue: option or number} (off-grid allowed)."""
    require_preferences(scenario)
    us = []
    for pid in scenario.party_ids:
        pref = scenario.preferences[pid]
        w = pref.normalised_weights()
        total = 0.0
        for issue in scenario.issues:
            weight = w.get(issue.id, 0.0)
            if weight == 0.0:
                continue
            vf = pref.values[issue.id]
            v = outcome[issue.id]
            if issue.options is not None:
                assert isinstance(vf, dict)
                total += weight * vf[str(v)].point
            else:
                total += weight * float(numeric_value(issue, vf, np.array([float(v)]))[0])  # type: ignore[arg-type]
        us.append(total)
    return np.array(us, dtype=np.float64)


def reservations(scenario: Scenario) -> np.ndarray:
    """Each party's reservation value (utility of no agreement), in party order."""
    require_preferences(scenario)
    return np.array([scenario.preferences[p].reservation.point for p in scenario.party_ids])
