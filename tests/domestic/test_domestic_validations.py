"""The four validations of issue 14, each against a published closed form."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from accord.bargaining import analyse
from accord.bargaining.solutions import rubinstein_outside_options
from accord.domestic import (
    outside_option_split,
    outside_option_split_reference,
    ratify,
    take_it_or_leave_it,
)
from accord.scenario.base import Param


# --- 1. Putnam's one-dimensional win-set ---------------------------------------------------------
@pytest.mark.parametrize(
    ("m", "q"), [(0.5, 0.2), (0.3, 0.5), (0.7, 0.65), (0.2, 0.9), (0.85, 0.1), (0.5, 0.5)]
)
def test_putnam_one_dimensional_win_set(dollar: Any, m: float, q: float) -> None:
    # One ratifier of party a with the tent u(x) = 1 - |x - m| and reservation 1 - |q - m|
    # (the status quo q): Putnam (1988) p. 441, the win-set [m - |q - m|, m + |q - m|] ∩ [0, 1].
    tent = {"points": [[0.0, 1.0 - m], [m, 1.0], [1.0, 1.0 - (1.0 - m)]]}
    s = dollar(
        [
            {
                "party": "a",
                "ratifiers": [
                    {
                        "id": "home",
                        "weights": {"share": 1},
                        "values": {"share": tent},
                        "reservation": 1.0 - abs(q - m),
                    }
                ],
            }
        ]
    )
    res = ratify(s)
    (side,) = res.sides
    xs = np.array([p["share"] for p in res.to_dict()["win_sets"]["a"]["packages"]])
    lo, hi = max(0.0, m - abs(q - m)), min(1.0, m + abs(q - m))
    step = 0.01
    assert side.win_set_size == xs.shape[0]
    assert xs.min() == pytest.approx(lo, abs=step + 1e-9)
    assert xs.max() == pytest.approx(hi, abs=step + 1e-9)
    assert np.all(np.diff(xs) == pytest.approx(step))  # an interval of the grid


# --- 2. Schelling's paradox of weakness ----------------------------------------------------------
@pytest.mark.parametrize("w", [0.2, 0.5, 0.6, 0.75, 0.9])
def test_schelling_paradox_of_weakness(dollar: Any, w: float) -> None:
    # B's ratifier approves only if B's share 1 - x is at least w: the two-level Nash gives B
    # max(1/2, w) (Schelling 1960, ch. 2; Putnam 1988, p. 440).
    s = dollar(
        [
            {
                "party": "b",
                "ratifiers": [
                    {
                        "id": "home",
                        "weights": {"share": 1},
                        "values": {"share": "decreasing"},
                        "reservation": w,
                    }
                ],
            }
        ]
    )
    res = ratify(s)
    i = res.two_level_solutions["nash"]
    assert i is not None
    assert float(res.utilities[i, 1]) == pytest.approx(max(0.5, w), abs=1e-9)
    (tying,) = res.tying_hands
    assert tying.shift == pytest.approx(max(0.5, w) - 0.5, abs=1e-9)


# --- 3. Iida (1993) ------------------------------------------------------------------------------
def test_iida_take_it_or_leave_it() -> None:
    # Offer s to a ratifier whose threshold is uniform on [0, 1]: accepted with probability s,
    # the proposer expects s (1 - s), maximised at s = 1/2: fails with 1/2, expects 1/4.
    s = np.round(np.linspace(0.0, 1.0, 101), 12)
    i, fail, expected = take_it_or_leave_it(
        1.0 - s, s, Param(dist={"kind": "uniform", "args": [0, 1]})
    )
    assert s[i] == pytest.approx(0.5)
    assert fail == pytest.approx(0.5, abs=1e-9)
    assert expected == pytest.approx(0.25, abs=1e-9)


def test_iida_probability_through_the_scenario(dollar: Any) -> None:
    # The same ratifier in a scenario: the even split is ratified with probability 1/2, exactly.
    s = dollar(
        [
            {
                "party": "b",
                "ratifiers": [
                    {
                        "id": "home",
                        "weights": {"share": 1},
                        "values": {"share": "decreasing"},
                        "reservation": {"uniform": [0, 1]},
                    }
                ],
            }
        ],
        proposals=[
            {"id": "even", "outcome": {"share": 0.5}},
            {"id": "third", "outcome": {"share": 0.7}},
        ],
    )
    even, third = ratify(s).proposals
    assert even.method == "exact"
    assert even.p_ratification["b"] == pytest.approx(0.5, abs=1e-8)
    assert third.p_ratification["b"] == pytest.approx(0.3, abs=1e-8)


# --- 4. Binmore–Shaked–Sutton ---------------------------------------------------------------------
# (δ_A, δ_B, w_A, w_B) -> (x, y, regime), worked out by hand from the closed forms
BSS_CASES = [
    # neither binds: Rubinstein x = 1/(1 + δ) = 0.5263, B gets 0.4737 (issue 14)
    ((0.9, 0.9, 0.0, 0.3), (1 / 1.9, 1 / 1.9, "none")),
    # only B binds: B gets w_B = 0.6 (issue 14); y = 1 - 0.9 * 0.4
    ((0.9, 0.9, 0.0, 0.6), (0.4, 0.64, "b")),
    # only A binds: y = 1 - w_A = 0.4, x = 1 - 0.9 * 0.4 = 0.64 (not max(0.526, 0.6) = 0.6)
    ((0.9, 0.9, 0.6, 0.0), (0.64, 0.4, "a")),
    # both bind: x = 1 - w_B, y = 1 - w_A
    ((0.5, 0.5, 0.45, 0.45), (0.55, 0.55, "both")),
    # unequal patience, B binds: x = 0.75, y = 1 - 0.95 * 0.75 = 0.2875 (δ_B y = 0.23 <= 0.25)
    ((0.95, 0.8, 0.0, 0.25), (0.75, 0.2875, "b")),
    # unequal patience, neither binds: x = 0.2 / 0.24, y = 0.05 / 0.24
    ((0.95, 0.8, 0.1, 0.1), (0.2 / 0.24, 0.05 / 0.24, "none")),
]


@pytest.mark.parametrize(("args", "expected"), BSS_CASES)
def test_binmore_shaked_sutton(
    args: tuple[float, float, float, float], expected: tuple[float, float, str]
) -> None:
    split = outside_option_split(*args)
    x, y, regime = expected
    assert split.surplus
    assert split.x == pytest.approx(x, abs=1e-12)
    assert split.y == pytest.approx(y, abs=1e-12)
    assert split.regime == regime
    # the equations themselves hold
    da, db, wa, wb = args
    assert split.x is not None and split.y is not None
    assert 1 - split.x == pytest.approx(max(db * split.y, wb), abs=1e-12)
    assert 1 - split.y == pytest.approx(max(da * split.x, wa), abs=1e-12)
    # the shared bargaining function gives the same split
    shared = rubinstein_outside_options(*args)
    assert shared is not None
    assert shared[0] == pytest.approx(x, abs=1e-12)
    assert shared[1] == pytest.approx(y, abs=1e-12)
    assert shared[2] == {"a": "first", "b": "second"}.get(regime, regime)


def test_bss_issue_numbers_and_outside_option_principle() -> None:
    assert 1 - outside_option_split(0.9, 0.9, 0.0, 0.3).x == pytest.approx(0.4737, abs=5e-5)  # type: ignore[operator]
    assert 1 - outside_option_split(0.9, 0.9, 0.0, 0.6).x == pytest.approx(0.6, abs=1e-12)  # type: ignore[operator]
    for wb in np.linspace(0.0, 0.95, 20):
        rub_b = 1 - 1 / 1.9
        assert 1 - outside_option_split(0.9, 0.9, 0.0, float(wb)).x == pytest.approx(  # type: ignore[operator]
            max(rub_b, float(wb)), abs=1e-12
        )


def test_bss_closed_form_matches_iteration() -> None:
    rng = np.random.default_rng(14)
    for _ in range(300):
        da, db = rng.uniform(0.05, 0.99, 2)
        wa, wb = rng.uniform(0.0, 0.6, 2)
        if wa + wb >= 1:
            continue
        split = outside_option_split(da, db, wa, wb)
        x, y = outside_option_split_reference(da, db, wa, wb)
        assert split.x == pytest.approx(x, abs=1e-9)
        assert split.y == pytest.approx(y, abs=1e-9)


def test_bss_no_surplus() -> None:
    split = outside_option_split(0.9, 0.9, 0.5, 0.5)
    assert not split.surplus and split.x is None
    assert rubinstein_outside_options(0.9, 0.9, 0.7, 0.4) is None


@pytest.mark.parametrize(("wb", "b_share"), [(0.3, 1 - 1 / 1.9), (0.6, 0.6)])
def test_analyse_reports_the_bss_split(dollar: Any, wb: float, b_share: float) -> None:
    # accord analyse: solutions.rubinstein is the BSS split when outside options are given
    s = dollar(discounts=(0.9, 0.9), outside=(None, wb))
    rb = analyse(s).to_dict()["solutions"]["rubinstein"]
    assert 1 - rb["share"] == pytest.approx(b_share, abs=1e-12)
    assert rb["outcome"]["share"] == pytest.approx(1 - b_share, abs=0.005 + 1e-9)
    assert rb["binds"] == {"a": False, "b": wb > 1 - 1 / 1.9}


def test_analyse_without_outside_options_is_unchanged(dollar: Any) -> None:
    rb = analyse(dollar(discounts=(0.9, 0.9))).to_dict()["solutions"]["rubinstein"]
    assert rb["share"] == pytest.approx(1 / 1.9)
    assert "outside_options" not in rb


def test_iida_offer_agrees_with_the_information_engines_ultimatum() -> None:
    # The same take-it-or-leave-it model as accord.information's ultimatum protocol: the
    # proposer maximises (u_P - d) * F(u_R); both engines must pick the same offer.
    from accord.information.beliefs import Belief
    from accord.information.protocols import ultimatum

    rng = np.random.default_rng(1993)
    thresholds = [
        Param.model_validate({"uniform": [0, 1]}),
        Param.model_validate({"triangular": [0.2, 0.5, 0.9]}),
        Param.model_validate({"beta": [2, 3]}),
    ]
    for t in thresholds:
        for _ in range(5):
            u_r = np.round(rng.random(200), 6)
            u_p = np.round(1.0 - u_r + rng.normal(0, 0.05, 200), 6)
            i, fail, expected = take_it_or_leave_it(u_p, u_r, t, 0.1)
            plan = ultimatum(u_p, u_r, 0.1, Belief.from_param(t))
            assert plan.offers[0] == i
            assert expected - 0.1 == pytest.approx(plan.proposer_gain, abs=1e-6)
            assert 1.0 - fail == pytest.approx(plan.p_accept[0], abs=1e-6)
