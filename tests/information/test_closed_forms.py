"""Closed forms of issue 12, item 5, on divide-the-dollar with step 0.001 (within 0.002).

* Ultimatum, responder reservation ~ U[a, b], proposer's no-deal value d: the responder's share
  is s* = (1 + a − d)/2 clipped to [a, b] and P(reject) = (b − s*)/(b − a) (Iida 1993's uniform
  case: a=0, b=1, d=0 gives s*=½, P(reject)=½, the proposer expects ¼).
* Screening with two offers, common δ, r ~ U[0, 1] (Fudenberg & Tirole 1983): the cutoff is
  κ = (2 − δ)/(4 − 3δ); the proposer takes κ(1 − δ/2), then κ/2.
* Bayes: after a rejection the posterior is the prior cut at the cutoff type.
* Nash (1950) for the broker: with reservations r_a, r_b party a gets (1 + r_a − r_b)/2.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.information import run
from accord.information.protocols import _solve, screening_reference

from .conftest import dollar

TOL = 0.002


def share(regime: dict, k: int = 0) -> float:
    return float(regime["offers"][k]["outcome"]["bob-share"])


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [(0.0, 1.0, 0.0), (0.2, 0.8, 0.1), (0.1, 0.6, 0.3), (0.1, 0.3, 0.0), (0.3, 0.9, 0.4)],
)
def test_ultimatum_uniform(build, a: float, b: float, d: float) -> None:
    s = build(dollar({"uniform": [a, b]}, r_alice=d, r_bob=(a + b) / 2))
    out = run(s).to_dict()["regimes"]["leaders"]
    star = min(max((1 + a - d) / 2, a), b)
    p_reject = (b - star) / (b - a)
    assert share(out) == pytest.approx(star, abs=TOL)
    assert 1 - out["p_agreement"] == pytest.approx(p_reject, abs=TOL)
    expected = (1 - star) * (1 - p_reject) + d * p_reject
    assert out["expected_utilities"]["alice"] == pytest.approx(expected, abs=TOL)


def test_iida_uniform_case(build) -> None:
    out = run(build(dollar({"uniform": [0, 1]}, r_bob=0.3))).to_dict()
    lead = out["regimes"]["leaders"]
    assert share(lead) == pytest.approx(0.5, abs=TOL)
    assert lead["offers"][0]["p_accept"] == pytest.approx(0.5, abs=TOL)
    assert lead["expected_utilities"]["alice"] == pytest.approx(0.25, abs=TOL)
    # Bayes: rejecting share s under U[0, 1] leaves U[s, 1].
    post = lead["posteriors"][0]
    assert post["lo"] == pytest.approx(0.5, abs=TOL) and post["hi"] == 1.0
    assert post["mean"] == pytest.approx(0.75, abs=TOL)
    # Bob's true bottom line 0.3 is below 0.5: he accepts.
    assert lead["truth"]["p_agreement"] == 1.0


@pytest.mark.parametrize(
    ("delta", "first", "second", "value", "p_none"),
    [(0.5, 0.55, 0.70, 0.225, 0.30), (0.8, 0.55, 0.625, 0.225, 0.375)],
)
def test_fudenberg_tirole_two_offers(build, delta, first, second, value, p_none) -> None:
    s = build(
        dollar({"uniform": [0, 1]}, discount=delta, protocol="screening", rounds=2, r_bob=0.9)
    )
    lead = run(s).to_dict()["regimes"]["leaders"]
    kappa = (2 - delta) / (4 - 3 * delta)
    assert 1 - share(lead, 0) == pytest.approx(kappa * (1 - delta / 2), abs=TOL)
    assert 1 - share(lead, 1) == pytest.approx(kappa / 2, abs=TOL)
    assert share(lead, 0) == pytest.approx(first, abs=TOL)
    assert share(lead, 1) == pytest.approx(second, abs=TOL)
    assert lead["expected_utilities"]["alice"] == pytest.approx(value, abs=TOL)
    assert 1 - lead["p_agreement"] == pytest.approx(p_none, abs=TOL)
    # The posterior is the prior cut at the cutoff type 1 − κ, not at the offered share.
    post = lead["posteriors"][0]
    assert post["lo"] == pytest.approx(1 - kappa, abs=TOL) and post["hi"] == 1.0
    if delta == 0.5:
        assert post["lo"] == pytest.approx(0.4, abs=TOL)
    # Bob (bottom line 0.9) turns both offers down: an impasse although a zone exists.
    assert lead["truth"]["p_agreement"] == 0.0
    assert lead["truth"]["p_impasse_despite_zone"] == 1.0


def test_screening_one_round_is_the_ultimatum(build) -> None:
    s = build(dollar({"uniform": [0, 1]}, protocol="screening", rounds=1))
    lead = run(s).to_dict()["regimes"]["leaders"]
    assert share(lead) == pytest.approx(0.5, abs=TOL)
    assert lead["p_agreement"] == pytest.approx(0.5, abs=TOL)


def test_broker_proposes_the_nash_split(build) -> None:
    s = build(dollar({"uniform": [0, 1]}, r_alice=0.2, r_bob=0.1))
    broker = run(s).to_dict()["regimes"]["broker"]
    # Alice's share (1 + 0.2 − 0.1)/2 = 0.55, so Bob's is 0.45 (Nash 1950).
    assert share(broker) == pytest.approx(0.45, abs=TOL)
    assert broker["truth"]["p_agreement"] == 1.0
    # Under Alice's belief a zone exists unless Bob's bottom line exceeds 1 − 0.2.
    assert broker["p_agreement"] == pytest.approx(0.8, abs=TOL)


def test_complete_information_takes_all_but_the_bottom_line(build) -> None:
    s = build(dollar({"uniform": [0, 1]}, r_bob=0.3))
    out = run(s).to_dict()["regimes"]
    assert share(out["complete"]) == pytest.approx(0.3, abs=TOL)
    assert out["complete"]["truth"]["p_agreement"] == 1.0
    assert out["complete"]["truth"]["joint_gain_share"] == pytest.approx(1.0)


def test_working_level_zero_on_a_centred_belief_is_complete_information(build) -> None:
    s = build(dollar({"uniform": [0.1, 0.5]}, r_bob=0.3, working_level=0.0))
    out = run(s).to_dict()["regimes"]
    assert share(out["working_level"]) == pytest.approx(share(out["complete"]), abs=TOL)
    assert out["working_level"]["truth"]["p_agreement"] == 1.0
    assert out["working_level"]["p_agreement"] == pytest.approx(1.0)


def test_no_zone_means_no_deal_and_no_impasse(build) -> None:
    s = build(dollar({"uniform": [0.5, 1.0]}, r_alice=0.6, r_bob=0.7))
    out = run(s).to_dict()["regimes"]
    for name in ("complete", "broker", "leaders"):
        assert out[name]["truth"]["p_agreement"] == 0.0
        assert out[name]["truth"]["p_impasse_despite_zone"] == 0.0
    assert out["broker"]["zone"] is False


def test_vectorised_screening_matches_the_loop_reference() -> None:
    rng = np.random.default_rng(20190228)
    for _ in range(6):
        n, k = 30, 17
        u_p, u_r = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
        types = np.sort(rng.uniform(0, 1, k))
        mass = rng.dirichlet(np.ones(k))
        fast = _solve(u_p, u_r, 0.1, types, mass, 3, 0.9, 0.8)
        off, nxt, val = screening_reference(u_p, u_r, 0.1, types, mass, 3, 0.9, 0.8)
        assert np.array_equal(fast.offer, np.array(off))
        assert np.array_equal(fast.nxt, np.array(nxt))
        assert np.allclose(fast.value, np.array(val), rtol=0, atol=1e-12)


def test_two_types_with_an_impatient_responder(build) -> None:
    """Bob's bottom line is 0.2 or 0.6 (even odds); Alice is patient (δ=1), Bob is not (δ=½).

    By hand: the low type takes s1 in round 0 when s1 − 0.2 ≥ ½·(0.6 − 0.2), so s1 = 0.4 and the
    high type gets 0.6 in round 1. Alice expects ½·0.6 + ½·0.4 = 0.5, more than offering 0.6 at
    once (0.4) or only the low type's 0.2 (½·0.8 = 0.4).
    """
    belief = {"choice": [[0.2, 0.5], [0.6, 0.5]]}
    s = build(
        dollar(belief, discount=1.0, discount_bob=0.5, protocol="screening", rounds=2, r_bob=0.6)
    )
    lead = run(s).to_dict()["regimes"]["leaders"]
    assert share(lead, 0) == pytest.approx(0.4, abs=1e-9)
    assert share(lead, 1) == pytest.approx(0.6, abs=1e-9)
    assert [o["p_accept"] for o in lead["offers"]] == pytest.approx([0.5, 1.0])
    assert lead["expected_utilities"]["alice"] == pytest.approx(0.5)
    assert lead["p_agreement"] == pytest.approx(1.0)
    # The true type (0.6) waits for the second offer.
    assert lead["truth"]["offers"][-1]["round"] == 1 and lead["truth"]["p_agreement"] == 1.0
    assert lead["truth"]["expected_utilities"]["bob"] == pytest.approx(0.6)


@pytest.mark.parametrize("delta", [0.5, 0.8, 0.95, 0.99])
@pytest.mark.parametrize(
    "dist", [{"uniform": [0, 1]}, {"triangular": [0.1, 0.4, 0.9]}, {"beta": [2, 3]}]
)
def test_each_type_best_responds_to_the_equilibrium_offers(delta: float, dist: dict) -> None:
    """Sequential rationality of the responder: along the equilibrium offers, every grid type
    accepts in the round that maximises δ^t·(s_t − r) (at a gain ≥ 0), i.e. the round its cutoff
    assigns it; no type accepts below its bottom line."""
    from accord.information import Belief, screening
    from accord.scenario.base import Param

    s = np.round(np.arange(1001) * 0.001, 12)
    belief = Belief.from_param(Param.model_validate(dist))
    for rounds in (2, 3, 5):
        plan = screening(1 - s, s, 0.0, belief, rounds, delta, delta, grid=200)
        types, _, _ = belief.grid(200)
        assigned = np.full(len(types), -1)
        start = 0
        for t, cut in enumerate(plan.cutoffs):
            assigned[start:cut] = t
            start = cut
        offers = [s[i] if i >= 0 else -np.inf for i in plan.offers]
        gains = np.array([[delta**t * (o - r) for t, o in enumerate(offers)] for r in types])
        best = np.maximum(gains.max(axis=1), 0.0)
        got = np.where(assigned >= 0, gains[np.arange(len(types)), np.maximum(assigned, 0)], 0.0)
        assert np.all(got >= -1e-12)
        assert np.max(best - got) <= 1e-12, (rounds, np.flatnonzero(best - got > 1e-12))
