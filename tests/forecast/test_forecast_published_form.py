"""The published form (``bdm``) recomputed by hand, and the forecast statistics.

One round of the EC emission-standards case (Bueno de Mesquita 1994, pp. 77-78, Table 1 data as
in ``test_forecast_ec_case.py``) is recomputed here in plain loops straight from the published
formulas, independently of :mod:`accord.forecast` (no engine function is called for the
arithmetic):

* range: the range of the positions observed this round (4 to 10, so 6);
* votes: ``v_k(i, j) = c_k s_k ((|x_k − x_j|/Δ)^r_k − (|x_k − x_i|/Δ)^r_k)``;
* probability of success: ``P_ij = Σ_k max(v_k(i, j), 0) / Σ_k |v_k(i, j)|``;
* expected utility of i challenging j (Q = 1): ``s_j (P U_s + (1 − P) U_f) + (1 − s_j) U_s − U_sq``
  with ``U_s = 2 − 4(½ − ½d)^r``, ``U_f = 2 − 4(½ + ½d)^r``, ``U_sq = 2 − 4(½)^r``;
* risk: actor i's danger ``Σ_{j≠i} E^j(U_ji)`` at its own position compared with its largest
  and smallest over the positions on the table (Bueno de Mesquita 1985, the risk index);
  round 1 uses risk-neutral exponents for the others;
* offers: confrontation, compromise, capitulation; each actor takes the smallest move.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_forecast_ec_case import CAPABILITY, EC, POSITION, SALIENCE

from accord.forecast import StakeholderArrays, forecast_dimension
from accord.forecast.convergence import detect
from accord.forecast.expected_utility import BDM, eu_round


def _hand_round(x: list[float], c: list[float], s: list[float]) -> tuple[list[float], list[float]]:
    n = len(x)
    span = max(x) - min(x)

    def vote(k: int, a: float, b: float, pos: list[float], r: list[float]) -> float:
        return c[k] * s[k] * ((abs(pos[k] - b) / span) ** r[k] - (abs(pos[k] - a) / span) ** r[k])

    def prob(i: int, j: int, pos: list[float], r: list[float]) -> float:
        votes = [vote(k, pos[i], pos[j], pos, r) for k in range(n)]
        total = sum(abs(v) for v in votes)
        return sum(v for v in votes if v > 0) / total if total > 0 else 0.0

    def eu(i: int, j: int, ri: float, pos: list[float], r: list[float]) -> float:
        d = abs(pos[i] - pos[j]) / span
        us = 2 - 4 * (0.5 - 0.5 * d) ** ri
        uf = 2 - 4 * (0.5 + 0.5 * d) ** ri
        usq = 2 - 4 * 0.5**ri
        p = prob(i, j, pos, r)
        return s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - usq

    neutral = [1.0] * n
    risk = []
    for i in range(n):
        dangers = []
        for y in range(n):
            pos = list(x)
            pos[i] = x[y]
            dangers.append(sum(eu(j, i, 1.0, pos, neutral) for j in range(n) if j != i))
        hi, lo = max(dangers), min(dangers)
        big_r = (2 * dangers[i] - hi - lo) / (hi - lo) if hi - lo > 1e-12 else 0.0
        risk.append((1 - big_r / 3) / (1 + big_r / 3))

    new = list(x)
    for i in range(n):
        best: float | None = None
        for j in range(n):
            if x[j] == x[i]:
                continue
            mine = eu(i, j, risk[i], x, risk)  # i challenging j, as i sees it
            theirs = eu(j, i, risk[i], x, risk)  # j challenging i, as i sees it
            target = None
            if theirs > mine > 0:
                target = x[j]  # confrontation i loses
            elif theirs > 0 > mine:
                # compromise if j's gain outweighs i's loss, else capitulation
                compromise = theirs > abs(mine)
                target = x[i] + (x[j] - x[i]) * abs(mine / theirs) if compromise else x[j]
            if target is not None and (best is None or abs(target - x[i]) < abs(best - x[i])):
                best = target
        if best is not None:
            new[i] = best
    return risk, new


def test_one_ec_round_by_hand_matches_the_engine() -> None:
    risk, new = _hand_round(list(POSITION), list(CAPABILITY), list(SALIENCE))
    step = eu_round(POSITION[None], CAPABILITY[None], SALIENCE[None], np.array([6.0]), BDM)
    np.testing.assert_allclose(step.risk[0], risk, rtol=1e-12)
    np.testing.assert_allclose(step.positions[0], new, rtol=1e-12)
    # the published risk lies in [1/2, 2] and the hand round moves someone
    assert all(0.5 - 1e-12 <= r <= 2 + 1e-12 for r in risk)
    assert new != list(POSITION)


def test_second_round_uses_the_observed_range_and_the_previous_risk() -> None:
    risk1, x1 = _hand_round(list(POSITION), list(CAPABILITY), list(SALIENCE))
    result = forecast_dimension(EC, "bdm", rounds=2)
    np.testing.assert_allclose(result.rounds[1].positions, x1, rtol=1e-12)
    assert result.rounds[1].risk == pytest.approx(risk1, rel=1e-12)


def test_an_actor_whose_danger_does_not_depend_on_its_position_is_risk_neutral() -> None:
    # Two actors: moving actor 0 to actor 1's position makes the distance 0, so its danger there
    # is 0; at its own position the danger is EU_10 > or < 0. With exactly two positions on the
    # table R_i is ±1, so r_i is 1/2 or 2 (closed form of the risk index).
    x = np.array([[0.0, 1.0]])
    c = np.array([[1.0, 1.0]])
    s = np.array([[1.0, 0.5]])
    step = eu_round(x, c, s, np.array([1.0]), BDM)
    assert set(np.round(step.risk[0], 12)) <= {0.5, 2.0}


def test_weighted_median_is_the_pairwise_vote_winner() -> None:
    # The prediction beats every other actor's position in a capability × salience weighted
    # pairwise vote (each voter votes for the nearer position), the Condorcet property.
    result = forecast_dimension(EC, "bdm", rounds=3)
    final = np.array(result.rounds[-1].positions)
    w = CAPABILITY * SALIENCE
    m = result.prediction
    for other in final:
        if abs(other - m) < 1e-12:
            continue
        for_m = w[np.abs(final - m) < np.abs(final - other)].sum()
        for_other = w[np.abs(final - other) < np.abs(final - m)].sum()
        assert for_m >= for_other


def test_cycle_detection_on_a_known_two_cycle() -> None:
    a, b = np.array([0.0, 10.0]), np.array([2.0, 10.0])
    traj = [np.array([5.0, 10.0]), a, b, a, b]
    means = [7.5, 5.0, 6.0, 5.0, 6.0]
    got = detect(traj, means, means)
    assert (got.status, got.start, got.period, got.mean_range) == ("cycle", 1, 2, (5.0, 6.0))
    assert "oscillates between 5.0 and 6.0" in got.sentence()


def test_convergence_counts_the_rounds() -> None:
    traj = [np.array([0.0, 10.0]), np.array([4.0, 10.0]), np.array([10.0, 10.0])] + [
        np.array([10.0, 10.0])
    ] * 2
    got = detect(traj, [5, 7, 10, 10, 10], [5, 7, 10, 10, 10])
    assert (got.status, got.rounds) == ("converged", 2)


def test_two_actors_meeting_converge_in_the_engine() -> None:
    # With pair probabilities, the weaker of two actors loses a confrontation in round 1
    # (closed form in test_forecast_closed_form.py) and then nobody moves.
    a = StakeholderArrays(
        "d", ("a", "b"), np.array([1.0, 1.0]), np.array([0.0, 100.0]), np.array([1.0, 0.5])
    )
    result = forecast_dimension(a, "bdm", rounds=10)
    assert result.convergence is not None
    assert result.convergence.status == "converged" and result.convergence.rounds == 1
    assert result.prediction == 0.0
