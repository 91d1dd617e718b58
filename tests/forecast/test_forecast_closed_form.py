"""Hand-derived closed forms for the expected-utility model (Scholz et al. 2011, §§2-5)."""

import numpy as np
import pytest

from accord.forecast.expected_utility import (
    BDM,
    COMPROMISE,
    CONFRONTATION,
    SCHOLZ,
    EUVariant,
    challenge_utility,
    eu_round,
    win_probabilities,
)


@pytest.mark.parametrize("r", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_full_range_challenge_utility(p: float, r: float) -> None:
    # d = 1: U_s = 2, U_f = -2, U_sq = 2 - 4·0.5^r, so EU = 4 s (P - 1) + 4·0.5^r.
    s = 0.7
    got = challenge_utility(np.array(p), np.array(s), np.array(1.0), r)
    assert float(got) == pytest.approx(4 * s * (p - 1) + 4 * 0.5**r)


def test_zero_distance_challenge_is_worth_nothing() -> None:
    got = challenge_utility(np.array(0.0), np.array(0.4), np.array(0.0), 1.3)
    assert float(got) == pytest.approx(0.0)


def _two_actors() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # a: c=1, s=1 at 0; b: c=1, s=0.5 at 1 (range 1).
    return np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]), np.array([[1.0, 0.5]])


def test_two_actor_probabilities() -> None:
    x, c, s = _two_actors()
    ones = np.ones_like(x)
    pair = win_probabilities(x, c, s, ones, np.array([1.0]), pair_probability=True)[0]
    # a's vote for 0 over 1 is w_a = 1, b's is -w_b = -0.5: P_ab = 1/1.5, P_ba = 0.5/1.5.
    assert pair[0, 1] == pytest.approx(2 / 3) and pair[1, 0] == pytest.approx(1 / 3)
    every = win_probabilities(x, c, s, ones, np.array([1.0]), pair_probability=False)[0]
    # Scholz's denominator sums |votes| over both ordered pairs: 3.
    assert every[0, 1] == pytest.approx(1 / 3) and every[1, 0] == pytest.approx(1 / 6)


@pytest.mark.parametrize("variant", [SCHOLZ, BDM])
def test_two_actor_risk(variant: EUVariant) -> None:
    # Dangers with r = 1: danger_a = EU_ba = 4·1·(P_ba - 1) + 2, danger_b = 4·0.5·(P_ab - 1) + 2;
    # b is in more danger, so R_b = 1 (r = 0.5) and R_a = -1 (r = 2).
    x, c, s = _two_actors()
    step = eu_round(x, c, s, np.array([1.0]), variant)
    assert step.risk[0] == pytest.approx([2.0, 0.5])


def test_two_actor_round_bdm() -> None:
    # Receiver b (r = 0.5), pair probabilities 2/3 and 1/3: EU_ba = 4(1/3 - 1) + 2√2 ≈ 0.16 > 0
    # and EU_ab = 2(2/3 - 1) + 2√2 ≈ 2.16 > EU_ba: a confrontation b loses. Receiver a (r = 2):
    # EU_ba = 4(1/3 - 1) + 1 < 0, so a gets no offer.
    x, c, s = _two_actors()
    step = eu_round(x, c, s, np.array([1.0]), BDM)
    assert step.offer_kind[0].tolist() == [0, CONFRONTATION]
    assert step.positions[0].tolist() == [0.0, 0.0]


def test_two_actor_round_scholz() -> None:
    # Scholz's probabilities are 1/3 and 1/6: EU_ba = 4(1/6 - 1) + 2√2 < 0 < EU_ab =
    # 2(1/3 - 1) + 2√2 and EU_ab > |EU_ba|: b compromises |EU_ba / EU_ab| of the way to 0.
    x, c, s = _two_actors()
    step = eu_round(x, c, s, np.array([1.0]), SCHOLZ)
    eu_ba = 4 * (1 / 6 - 1) + 2 * np.sqrt(2)
    eu_ab = 2 * (1 / 3 - 1) + 2 * np.sqrt(2)
    assert step.offer_kind[0].tolist() == [0, COMPROMISE]
    assert step.positions[0, 1] == pytest.approx(1 - abs(eu_ba / eu_ab))
