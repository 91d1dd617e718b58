"""What the agents know of each other, and the discounting convention (issue 12, deliverable 4).

The strategies see their own utilities and their beliefs about the others: by default equal
weights on the others' known per-issue value functions and a uniform prior (mean 0.5) on their
walk-away values, or the scenario's ``information:`` beliefs; ``complete`` information gives them
the truth. Walking away in round t is worth δ^t·r (GENIUS/ANAC, the default) or r (deals only).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import accord
from accord.errors import EngineInputError
from accord.scenario.information import InformationSection
from accord.simulation import REGISTRY, NegotiationSetup, negotiate, parse_strategy
from accord.simulation.from_scenario import scenario_beliefs, scenario_setup
from accord.simulation.setup import equal_weight_estimate
from accord.simulation.strategies import PartyView

BATCH_STRATEGIES = [i.name for i in REGISTRY.infos() if i.kernel is not None]


def two_issue_domain(w_them: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Issues A (3 values) and B (4 values); we want A high and B low, they want A low, B high.

    Their value functions are fixed (A: 1, 0.5, 0; B: 0, 0.2, 0.6, 1); their weight on A is
    ``w_them``. Returns (utilities (12, 2), codes, their value tables stacked as (12, 2)).
    """
    codes = np.array([(a, b) for a in range(3) for b in range(4)])
    ours_a, ours_b = np.array([0.0, 0.4, 1.0]), np.array([1.0, 0.7, 0.3, 0.0])
    theirs_a, theirs_b = np.array([1.0, 0.5, 0.0]), np.array([0.0, 0.2, 0.6, 1.0])
    us = 0.6 * ours_a[codes[:, 0]] + 0.4 * ours_b[codes[:, 1]]
    them = w_them * theirs_a[codes[:, 0]] + (1 - w_them) * theirs_b[codes[:, 1]]
    values = np.stack([theirs_a[codes[:, 0]], theirs_b[codes[:, 1]]], axis=1)
    return np.stack([us, them], axis=1), codes, values


def test_the_estimate_is_the_equal_weight_average_of_the_value_functions() -> None:
    # By hand: with equal weights the estimate of outcome (a, b) is (v_A(a) + v_B(b)) / 2, for
    # whatever true weight they put on A (utility is linear in the weights, so this is also the
    # expected utility under a symmetric Dirichlet prior on them).
    for w in (0.1, 0.5, 0.9):
        u, codes, values = two_issue_domain(w)
        est = equal_weight_estimate(u, codes)
        np.testing.assert_allclose(est[:, 1], values.mean(axis=1), atol=1e-12)


def test_an_issue_the_party_ignores_adds_nothing_to_the_estimate() -> None:
    codes = np.array([(a, b) for a in range(2) for b in range(3)])
    u = np.stack([codes[:, 0] * 1.0, codes[:, 1] / 2.0], axis=1)  # each cares about one issue
    est = equal_weight_estimate(u, codes)
    np.testing.assert_allclose(est[:, 0], codes[:, 0] / 2.0)
    np.testing.assert_allclose(est[:, 1], codes[:, 1] / 4.0)


def test_default_beliefs_and_their_validation() -> None:
    u, codes, _ = two_issue_domain(0.8)
    setup = NegotiationSetup.create(u, reservation=[0.3, 0.4], issue_codes=codes)
    assert setup.information == "beliefs" and setup.discounting == "deals-and-walkaway"
    assert setup.believed_reservation.tolist() == [[0.3, 0.5], [0.5, 0.4]]
    complete = NegotiationSetup.create(
        u, reservation=[0.3, 0.4], issue_codes=codes, information="complete"
    )
    assert complete.believed_reservation.tolist() == [[0.3, 0.4], [0.3, 0.4]]
    np.testing.assert_array_equal(complete.believed_others, u[:, ::-1])
    with pytest.raises(EngineInputError, match="give beliefs only with information 'beliefs'"):
        NegotiationSetup.create(u, information="complete", believed_reservation=np.eye(2))
    with pytest.raises(EngineInputError, match="information must be one of: beliefs, complete"):
        NegotiationSetup.create(u, information="perfect")
    with pytest.raises(EngineInputError, match="believed_reservation must be finite, of shape"):
        NegotiationSetup.create(u, believed_reservation=[0.5, 0.5])


def test_a_strategy_sees_neither_the_true_utilities_nor_the_walk_away_of_the_other() -> None:
    u, codes, _ = two_issue_domain(0.8)
    setup = NegotiationSetup.create(u, reservation=[0.3, 0.4], issue_codes=codes)
    view = PartyView(0, setup, np.zeros(setup.deadline))
    assert not hasattr(view, "setup") and not hasattr(view, "utilities")
    np.testing.assert_array_equal(view.own, u[:, 0])
    assert view.believed_reservation.tolist() == [0.3, 0.5]  # its own, and the prior mean


@pytest.mark.parametrize("name", BATCH_STRATEGIES)
def test_offers_do_not_depend_on_the_others_true_weights(name: str) -> None:
    # The other side's weight on A moves from 0.1 to 0.9; its value functions stay. Under beliefs
    # nothing our agent can see changes, so it makes the same offers. The other side is a
    # hardliner whose demand (its best package) is the same for both weights and who, with a
    # walk-away value of 0.99 and no discounting, takes nothing else: the talks run to the end.
    offers = []
    for w in (0.1, 0.9):
        u, codes, _ = two_issue_domain(w)
        setup = NegotiationSetup.create(
            u, reservation=[0.1, 0.99], discount=[0.95, 1.0], deadline=12, issue_codes=codes
        )
        trace = negotiate(setup, [parse_strategy(name), parse_strategy("hardliner")], seed=2)
        offers.append([o.outcome for o in trace.offers if o.proposer == 0])
    assert len(offers[0]) >= 3 and offers[0] == offers[1]


def test_under_complete_information_the_true_weights_steer_the_offer() -> None:
    # The counterpart of the test above: with the truth, a linear agent picks, among the
    # packages worth its aspiration, the one best for the other side — which moves with its
    # weights. At the opening aspiration (its best, 1.0) only A=2, B=0 qualifies, so look at the
    # offers later in the talks.
    seen = []
    for w in (0.1, 0.9):
        u, codes, _ = two_issue_domain(w)
        setup = NegotiationSetup.create(u, deadline=12, issue_codes=codes, information="complete")
        trace = negotiate(setup, [parse_strategy("linear"), parse_strategy("hardliner")])
        seen.append([o.outcome for o in trace.offers if o.proposer == 0])
    assert seen[0] != seen[1]


def test_beliefs_from_the_information_section_reach_the_setup() -> None:
    base = accord.load("divide-the-dollar")
    section = InformationSection.model_validate(
        {
            "beliefs": [
                {"holder": "alice", "about": "bob", "reservation": {"uniform": [0.2, 0.4]}},
            ],
            "proposer": "alice",
        }
    )
    scenario = base.model_copy(update={"information": section})
    res = [scenario.preferences[p].reservation.point for p in scenario.party_ids]
    beliefs = scenario_beliefs(scenario)
    # Alice's belief is the uniform's mean; Bob holds none, so he keeps the prior's mean.
    np.testing.assert_allclose(beliefs, [[res[0], 0.3], [0.5, res[1]]], rtol=1e-15)
    sim = scenario_setup(scenario)
    np.testing.assert_array_equal(sim.setup.believed_reservation, beliefs)
    complete = scenario_setup(scenario, information="complete")
    assert complete.setup.believed_reservation.tolist() == [res, res]


def test_hanoi_defaults_to_beliefs_and_discounted_walk_away_values() -> None:
    sim = scenario_setup(accord.load("hanoi-2019"))
    assert (sim.setup.information, sim.setup.discounting) == ("beliefs", "deals-and-walkaway")
    assert sim.party_ids == ("usa", "dprk")  # a party not at the table does not negotiate


def pie(points: int) -> np.ndarray:
    x = np.linspace(0.0, 1.0, points)
    return np.stack([x, 1.0 - x], axis=1)


@pytest.mark.parametrize("discounting", ["deals-and-walkaway", "deals-only"])
def test_no_deal_at_the_deadline_pays_the_walk_away_value_of_the_last_round(
    discounting: str,
) -> None:
    # Two hardliners on a pie: the last responder takes anything above its walk-away value, so
    # with 0.3 > 0 for party 1 nobody agrees; the talks end in round T = 7 (t = 6).
    setup = NegotiationSetup.create(
        pie(11), reservation=[0.2, 0.3], discount=[0.9, 0.8], deadline=7,
        discounting=discounting,
    )  # fmt: skip
    trace = negotiate(setup, [parse_strategy("hardliner"), parse_strategy("hardliner")])
    assert trace.end == 1 and trace.round == 7
    if discounting == "deals-and-walkaway":  # δ^t·r at t = 6
        assert trace.utilities == pytest.approx((0.9**6 * 0.2, 0.8**6 * 0.3), rel=1e-15)
    else:
        assert trace.utilities == (0.2, 0.3)


def test_only_undiscounted_walk_away_values_make_a_patient_proposer_walk_out() -> None:
    # Party 0's best package is worth 0.6 to it, its walk-away value 0.5, δ = 0.9. Deals only:
    # its next turn is worth 0.9^t'·0.6, below 0.5 from t' > ln(5/6)/ln(0.9) = 1.73, so t' = 2;
    # it walks away as the responder of round t = 1 (round 2), the round before that turn.
    # Discounting both leaves the comparison 0.6 vs 0.5 unchanged: it stays.
    u = pie(11) * [0.6, 1.0]
    t_star = math.ceil(math.log(0.5 / 0.6) / math.log(0.9))
    specs = [parse_strategy("hardliner"), parse_strategy("hardliner")]
    only = NegotiationSetup.create(
        u, reservation=[0.5, 0.0], discount=[0.9, 1.0], deadline=20, discounting="deals-only"
    )
    walked = negotiate(only, specs)
    assert walked.end == 2 and walked.walked_away == 0 and walked.round == t_star == 2
    assert walked.utilities == (0.5, 0.0)
    both = NegotiationSetup.create(u, reservation=[0.5, 0.0], discount=[0.9, 1.0], deadline=20)
    stayed = negotiate(both, specs)
    assert stayed.walked_away != 0 and stayed.round > 2


def test_the_comparison_plays_both_models_and_states_them() -> None:
    from accord.simulation.from_scenario import compare_information, information_findings

    scenario = accord.load("divide-the-dollar")  # both discount at 0.9, walk-away values 0
    c = compare_information(scenario, ["alice=rubinstein", "bob=rubinstein"], runs=1, matrix=False)
    beliefs, complete = c.by_model["beliefs"], c.by_model["complete"]
    # Rubinstein (1982) with the truth: the opener gets 1/(1 + δ) = 0.526 (a 0.01 grid: ±0.1).
    assert complete["mean_utilities"]["alice"] == pytest.approx(1 / 1.9, abs=0.01 * 1.9 / 0.19)
    # With beliefs, Bob's unknown walk-away value has the prior mean 0.5 > 0.9·0.474: it binds.
    assert beliefs["mean_utilities"]["alice"] == pytest.approx(0.5, abs=0.01)
    (finding,) = information_findings(c)
    assert finding["kind"] == "simulate.information"
    assert finding["values"]["agreement_rate_complete"] == complete["agreement_rate"] == 1.0
    assert "with complete information in 100%" in finding["text"]


def test_explicit_believed_utilities_are_what_the_strategies_rank_by() -> None:
    # Party 0 believes party 1 wants outcome 2 most. Its own utility is flat, so every outcome
    # reaches its aspiration, and it offers the package it believes best for the other side —
    # outcome 2 — not the truly best one (outcome 0).
    u = np.array([[0.5, 1.0], [0.5, 0.5], [0.5, 0.0]])
    believed = np.zeros((2, 3, 2))
    believed[0, :, 1] = [0.0, 0.5, 1.0]
    believed[1, :, 0] = 0.5
    setup = NegotiationSetup.create(u, deadline=4, believed_utilities=believed)
    view = PartyView(0, setup, np.zeros(4))
    np.testing.assert_array_equal(view.others_min, [0.0, 0.5, 1.0])
    agent = parse_strategy("hardliner").create()
    agent.reset(view)
    assert agent.offer(0, 0.0) == 2
    with pytest.raises(EngineInputError, match=r"believed_utilities must be finite, of shape"):
        NegotiationSetup.create(u, believed_utilities=np.zeros((2, 3)))
