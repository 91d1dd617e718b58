"""Bargaining solutions and the zone: closed forms, hand-checked cases, scalar reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.bargaining.solutions import (
    SOLUTION_NAMES,
    best_outcomes,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    rubinstein_share,
    solution_reference,
    solve,
    utilitarian_solution,
    worst_outcomes,
    zopa_mask,
)
from accord.errors import EngineInputError


def dollar(step: float, u1=lambda x: x, u2=lambda x: 1.0 - x) -> tuple[np.ndarray, np.ndarray]:
    """Divide-the-dollar space: x is party 1's share on a grid of the given step."""
    x = np.round(np.arange(0, 1 + step / 2, step), 12)
    return x, np.stack([u1(x), u2(x)], axis=1)


# --- closed forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("r1", "r2"), [(0.0, 0.0), (0.2, 0.0), (0.1, 0.3), (0.4, 0.4), (0.0, 0.9)])
def test_nash_divide_the_dollar_closed_form(r1: float, r2: float) -> None:
    # Nash (1950) with linear utilities: maximise (x - r1)(1 - x - r2), so x* = (1 + r1 - r2) / 2.
    x, u = dollar(0.01)
    i = nash_solution(u, np.array([r1, r2]))
    assert i is not None
    assert x[i] == pytest.approx((1 + r1 - r2) / 2, abs=1e-9)


@pytest.mark.parametrize(("r1", "r2"), [(0.0, 0.0), (0.2, 0.0), (0.1, 0.3)])
def test_kalai_smorodinsky_and_egalitarian_on_linear_dollar(r1: float, r2: float) -> None:
    # Symmetric surplus: KS and egalitarian both give equal gains, x* = (1 + r1 - r2) / 2.
    x, u = dollar(0.01)
    r = np.array([r1, r2])
    for solver in (kalai_smorodinsky_solution, egalitarian_solution):
        i = solver(u, r)
        assert i is not None
        assert x[i] == pytest.approx((1 + r1 - r2) / 2, abs=1e-9)


def test_concave_frontier_closed_forms() -> None:
    # Frontier u2 = 1 - u1² (u1 = x, u2 = 1 - x²), disagreement (0, 0), ideal point (1, 1):
    #   Nash: max x(1 - x²) → x = 1/√3;  KS and egalitarian: x = 1 - x² → x = (√5 - 1)/2;
    #   utilitarian: max x + 1 - x² → x = 1/2.  (Calculus; KS: Kalai & Smorodinsky 1975.)
    step = 1e-4
    x, u = dollar(step, u2=lambda x: 1.0 - x**2)
    r = np.zeros(2)
    expected = {
        "nash": 1 / math.sqrt(3),
        "kalai_smorodinsky": (math.sqrt(5) - 1) / 2,
        "egalitarian": (math.sqrt(5) - 1) / 2,
        "utilitarian": 0.5,
    }
    for name, value in expected.items():
        i = solve(name, u, r)
        assert i is not None
        assert abs(x[i] - value) <= step, name


def test_nash_with_concave_utility_closed_form() -> None:
    # u1 = √x, u2 = 1 - x: maximise √x (1 - x) → x = 1/3.
    step = 1e-3
    x, u = dollar(step, u1=np.sqrt)
    i = nash_solution(u, np.zeros(2))
    assert i is not None
    assert abs(x[i] - 1 / 3) <= step


def finite_horizon_first_share(d1: float, d2: float, rounds: int) -> float:
    """Ståhl (1972) backward induction: with T rounds the last proposer takes the whole pie;
    each earlier proposer offers the responder exactly what it would get by waiting."""
    share = 1.0  # proposer's share in the last round
    for t in range(rounds - 1, 0, -1):
        # In round t the proposer is party 1 when t is odd; the responder proposes in round t + 1.
        responder_delta = d2 if t % 2 == 1 else d1
        share = 1.0 - responder_delta * share
    return share


@pytest.mark.parametrize(
    ("d1", "d2"), [(0.9, 0.9), (0.95, 0.8), (0.5, 0.99), (0.0, 0.7), (1.0, 0.6)]
)
def test_rubinstein_share_is_the_limit_of_finite_horizon_games(d1: float, d2: float) -> None:
    closed = (1 - d2) / (1 - d1 * d2)
    assert rubinstein_share(d1, d2) == pytest.approx(closed, abs=1e-15)
    # An independent check: the finite-horizon SPE share converges to Rubinstein's (odd horizon).
    assert finite_horizon_first_share(d1, d2, 2001) == pytest.approx(closed, abs=1e-9)


def test_rubinstein_special_values_and_errors() -> None:
    assert rubinstein_share(0.9, 0.9) == pytest.approx(1 / 1.9)
    assert rubinstein_share(0.3, 0.0) == 1.0  # an infinitely impatient responder takes anything
    with pytest.raises(EngineInputError, match="discount factor below 1"):
        rubinstein_share(1.0, 1.0)
    with pytest.raises(EngineInputError, match="delta_second"):
        rubinstein_share(0.9, 1.5)


# --- hand-checked cases ---------------------------------------------------------------------------


def test_hand_checked_small_case() -> None:
    u = np.array(
        [
            [1.0, 0.0],  # 0
            [0.8, 0.3],  # 1 gains (0.6, 0.1)
            [0.6, 0.5],  # 2 gains (0.4, 0.3)
            [0.4, 0.6],  # 3 gains (0.2, 0.4)
            [0.3, 0.3],  # 4 dominated
            [0.1, 0.9],  # 5 outside the zone (u1 < 0.2)
        ]
    )
    r = np.array([0.2, 0.2])
    assert zopa_mask(u, r).tolist() == [False, True, True, True, True, False]
    # Nash products: 0.06, 0.12, 0.08, 0.01 → outcome 2.
    assert nash_solution(u, r) == 2
    # Utilitarian sums of utilities: 1.1, 1.1, 1.0 → tie between 1 and 2; the more even gains
    # (smallest gain 0.3 against 0.1) win.
    assert utilitarian_solution(u, r) == 2
    # Egalitarian min gains: 0.1, 0.3, 0.2 → outcome 2.
    assert egalitarian_solution(u, r) == 2
    # KS: ideal gains (0.6, 0.4); ratios min(1, .25)=.25, min(.667, .75)=.667, min(.333, 1) → 2.
    assert kalai_smorodinsky_solution(u, r) == 2
    assert best_outcomes(u) == [0, 5]
    assert worst_outcomes(u) == [5, 0]


def test_ks_nash_and_egalitarian_differ_when_ideal_is_lopsided() -> None:
    # From (0, 0): Nash products .285, .25, .273, 0 → outcome 0. KS divides by the ideal gains
    # (1.0, 0.5): min ratios .6, .5, .65, 0 → outcome 2. Egalitarian min gains .3, .5, .42, 0 → 1.
    u = np.array([[0.95, 0.3], [0.5, 0.5], [0.65, 0.42], [1.0, 0.0]])
    r = np.zeros(2)
    assert nash_solution(u, r) == 0
    assert kalai_smorodinsky_solution(u, r) == 2
    assert egalitarian_solution(u, r) == 1


def test_tie_prefers_pareto_optimal_outcome() -> None:
    # Outcome 0 is dominated (0.5, 0.5) < (0.5, 0.6): both have egalitarian min gain 0.5.
    u = np.array([[0.5, 0.5], [0.5, 0.6]])
    assert egalitarian_solution(u, np.zeros(2)) == 1
    assert solution_reference("egalitarian", u, np.zeros(2)) == 1


def test_empty_zone_gives_none() -> None:
    u = np.array([[0.6, 0.2], [0.2, 0.6]])
    r = np.array([0.5, 0.5])
    assert not zopa_mask(u, r).any()
    for name in SOLUTION_NAMES:
        assert solve(name, u, r) is None
        assert solution_reference(name, u, r) is None


def test_zone_includes_outcomes_exactly_at_reservation_despite_rounding() -> None:
    u = np.array([[0.1 + 0.2, 0.7]])  # 0.30000000000000004
    assert zopa_mask(u, np.array([0.3, 0.7])).tolist() == [True]
    u = np.array([[0.3 - 1e-6, 0.7]])
    assert zopa_mask(u, np.array([0.3, 0.7])).tolist() == [False]


def test_bad_inputs_name_the_problem() -> None:
    u = np.zeros((3, 2))
    with pytest.raises(EngineInputError, match="one per party"):
        zopa_mask(u, np.zeros(3))
    with pytest.raises(EngineInputError, match="unknown solution"):
        solve("shapley", u, np.zeros(2))
    with pytest.raises(EngineInputError, match="finite"):
        zopa_mask(u, np.array([np.nan, 0.0]))


# --- fast against the scalar reference ------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 4))
    u = draw(arrays(np.int64, (n, k), elements=st.integers(0, 5))) / 5.0
    r = draw(arrays(np.int64, (k,), elements=st.integers(0, 3))) / 5.0
    return u, r


@settings(max_examples=300, deadline=None)
@given(instances())
def test_fast_solutions_equal_scalar_reference(instance: tuple[np.ndarray, np.ndarray]) -> None:
    u, r = instance
    for name in SOLUTION_NAMES:
        assert solve(name, u, r) == solution_reference(name, u, r), name


@settings(max_examples=100, deadline=None)
@given(instances())
def test_best_and_worst_outcomes_are_extremes(instance: tuple[np.ndarray, np.ndarray]) -> None:
    u, _ = instance
    for p, i in enumerate(best_outcomes(u)):
        assert u[i, p] == u[:, p].max()
        # No outcome at the party's maximum dominates the chosen one.
        assert not ((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any()
    for p, i in enumerate(worst_outcomes(u)):
        assert u[i, p] == u[:, p].min()
        assert i == int(np.flatnonzero(u[:, p] == u[:, p].min())[0])


def test_utilitarian_tie_on_divide_the_dollar_is_the_even_split() -> None:
    # Every split of a linear dollar has the same total; the tie goes to the most even gains.
    x = np.linspace(0.0, 1.0, 101)
    u = np.column_stack([x, 1.0 - x])
    assert utilitarian_solution(u, np.zeros(2)) == 50
    assert solution_reference("utilitarian", u, np.zeros(2)) == 50
