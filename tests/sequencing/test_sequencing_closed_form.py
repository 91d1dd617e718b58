"""The issue's closed form for the symmetric linear case is the outside reference.

Two parties, one divisible unit step each, cost c and value v per unit, the same β, prize G,
nothing reversible: T* = ceil(ln(1 + c·(κ − 1)/G) / ln κ) with κ = β·v/c; the binding schedule
has shares ∝ κ^(T−t); with κ <= 1 a schedule exists only if G > c·(1 − κ).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from accord.sequencing import (
    SequencingProblem,
    closed_form_rounds,
    fewest_rounds,
    find_schedule,
)

# The issue's table (v = 2, c = 1): β → T* for G = 0.05, 0.1, 0.2, 0.3, 0.5 (None: no schedule).
GRID = {
    0.9: (5, 4, 3, 3, 2),
    0.6: (9, 7, 4, 3, 2),
    0.4: (None, None, None, 5, 3),
    0.2: (None, None, None, None, None),
}
PRIZES = (0.05, 0.1, 0.2, 0.3, 0.5)


def formula(beta: float, prize: float, cost: float = 1.0, value: float = 2.0) -> int | None:
    """The closed form, written out here independently of the engine's helper."""
    kappa = beta * value / cost
    if kappa <= 1 and prize <= cost * (1 - kappa) + 1e-12:
        return None
    return math.ceil(math.log(1 + cost * (kappa - 1) / prize) / math.log(kappa) - 1e-12)


@pytest.mark.parametrize("beta", sorted(GRID))
def test_issue_grid(beta: float) -> None:
    for prize, expected in zip(PRIZES, GRID[beta], strict=True):
        problem = SequencingProblem.symmetric(beta=beta, cost=1.0, value=2.0, completion=prize)
        assert fewest_rounds(problem) == expected, (beta, prize)
        assert formula(beta, prize) == expected
        engine_formula = closed_form_rounds(beta, 1.0, 2.0, prize)
        assert engine_formula == (None if expected is None else float(expected))


@pytest.mark.parametrize(
    ("beta", "cost", "value", "rounds"),
    [(0.9, 1.0, 2.0, 4), (0.6, 1.0, 2.0, 6), (0.4, 1.0, 2.0, 5), (0.8, 0.5, 3.0, 3)],
)
def test_binding_schedule_is_geometric(beta: float, cost: float, value: float, rounds: int) -> None:
    # Choose G so that exactly `rounds` rounds suffice with every constraint binding:
    # (G/c)·(κ^T − 1)/(κ − 1) = 1. Then the only schedule is x_t = (G/c)·κ^(T−t).
    kappa = beta * value / cost
    prize = cost * (kappa - 1) / (kappa**rounds - 1)
    problem = SequencingProblem.symmetric(beta=beta, cost=cost, value=value, completion=prize)
    result = find_schedule(problem)
    assert result.rounds == rounds
    assert result.shares is not None and result.slack is not None
    expected = (prize / cost) * kappa ** (rounds - 1 - np.arange(rounds))
    np.testing.assert_allclose(result.shares[0], expected, atol=1e-6)
    np.testing.assert_allclose(result.shares[1], expected, atol=1e-6)
    np.testing.assert_allclose(result.slack, 0.0, atol=1e-6)


@pytest.mark.parametrize("beta", [0.3, 0.45])
def test_kappa_below_one_needs_prize_above_cost_times_one_minus_kappa(beta: float) -> None:
    kappa = beta * 2.0
    edge = 1.0 - kappa
    above = SequencingProblem.symmetric(
        beta=beta, cost=1.0, value=2.0, completion=edge * 1.05, max_rounds=200
    )
    below = SequencingProblem.symmetric(
        beta=beta, cost=1.0, value=2.0, completion=edge * 0.95, max_rounds=200
    )
    assert fewest_rounds(above) == formula(beta, edge * 1.05)
    assert fewest_rounds(below) is None


@pytest.mark.parametrize("beta", [0.2, 0.6, 0.9, 1.0])
def test_no_prize_nothing_reversible_never_works(beta: float) -> None:
    problem = SequencingProblem.symmetric(
        beta=beta, cost=1.0, value=2.0, completion=0.0, max_rounds=30
    )
    result = find_schedule(problem)
    assert not result.feasible
    assert result.blocking is not None
    assert result.blocking.party in ("a", "b")


def test_half_reversible_one_round_suffices_without_prize(schedule_checker) -> None:
    problem = SequencingProblem.symmetric(
        beta=0.5, cost=1.0, value=2.0, completion=0.0, reversible=0.5
    )
    result = find_schedule(problem)
    assert result.rounds == 1
    assert result.shares is not None
    assert schedule_checker(problem, result.shares) == []
    # one round works exactly when the snapback covers the cost: c <= r·v (here 1 <= 0.45·2 fails)
    less = SequencingProblem.symmetric(
        beta=0.5, cost=1.0, value=2.0, completion=0.0, reversible=0.45, max_rounds=30
    )
    rounds = fewest_rounds(less)
    assert rounds is not None and rounds > 1
