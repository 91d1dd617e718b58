"""Validation against Rubinstein's closed form, and the protocol's rules (walk-away, plan B,
deadline, discounting, more than two parties)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import EngineInputError
from accord.simulation import (
    NegotiationSetup,
    negotiate,
    parse_strategy,
    simulate_batch,
)
from accord.simulation.strategies import stationary_values


def pie(step: float) -> np.ndarray:
    x = np.round(np.arange(0.0, 1.0 + step / 2, step), 12)
    return np.stack([x, 1.0 - x], axis=1)


DISCOUNTS = [(0.9, 0.9), (0.5, 0.8), (0.95, 0.6), (0.99, 0.97), (0.3, 0.3)]


@pytest.mark.parametrize("d1,d2", DISCOUNTS)
@pytest.mark.parametrize("opener", [0, 1])
def test_rubinstein_agents_agree_at_once_on_the_closed_form_split(
    d1: float, d2: float, opener: int
) -> None:
    step = 0.001
    # Rubinstein's closed form is a complete-information result: each side knows that the other
    # can walk away with nothing. Under the default beliefs an unknown walk-away value has the
    # uniform prior's mean 0.5, which binds here (see the test below).
    setup = NegotiationSetup.create(
        pie(step), discount=[d1, d2], deadline=50, opener=opener, information="complete"
    )
    specs = [parse_strategy("rubinstein"), parse_strategy("rubinstein")]
    trace = negotiate(setup, specs)
    # Rubinstein (1982): the first proposer gets (1 − δ_responder)/(1 − δ1·δ2).
    d_second = d2 if opener == 0 else d1  # the responder's discount factor
    first_share = (1 - d_second) / (1 - d1 * d2)
    # On a grid of step h each stationarity condition rounds by at most h, hence the bound.
    tolerance = step * (1 + max(d1, d2)) / (1 - d1 * d2)
    assert trace.round == 1 and trace.agreement >= 0
    assert trace.utilities[opener] == pytest.approx(first_share, abs=tolerance)
    assert trace.utilities[1 - opener] == pytest.approx(1 - first_share, abs=tolerance)
    batch = simulate_batch(setup, specs, runs=2, seed=0)
    assert batch.rounds.tolist() == [1, 1] and batch.agreement[0] == trace.agreement


@pytest.mark.parametrize("b", [0.6, 0.75])
def test_a_binding_outside_option_gives_the_responder_exactly_its_value(b: float) -> None:
    # Osborne & Rubinstein (1990) §3.12: an outside option b worth more than the responder's
    # discounted equilibrium share δ·(1 − δ)/(1 − δ²) = 0.474 (δ = 0.9) gives it exactly b.
    setup = NegotiationSetup.create(
        pie(0.001), reservation=[0.0, b], discount=[0.9, 0.9], deadline=50,
        information="complete",
    )  # fmt: skip
    trace = negotiate(setup, [parse_strategy("rubinstein"), parse_strategy("rubinstein")])
    assert trace.round == 1
    assert trace.utilities == pytest.approx((1 - b, b), abs=1e-9)
    # An option below that share changes nothing (the closed form of the test above).
    low = NegotiationSetup.create(
        pie(0.001), reservation=[0.0, 0.3], discount=[0.9, 0.9], information="complete"
    )
    low_trace = negotiate(low, [parse_strategy("rubinstein"), parse_strategy("rubinstein")])
    assert low_trace.utilities[0] == pytest.approx(1 / 1.9, abs=0.001 * 1.9 / 0.19)


def test_under_beliefs_rubinstein_leaves_the_prior_mean_of_an_unknown_walk_away_value() -> None:
    # Nothing known about the other's walk-away value: the uniform prior on [0, 1] has mean 0.5,
    # above its discounted share 0.474, so the opener leaves it 0.5 (it believes that binds).
    setup = NegotiationSetup.create(pie(0.001), discount=[0.9, 0.9], deadline=50)
    assert setup.information == "beliefs"
    trace = negotiate(setup, [parse_strategy("rubinstein"), parse_strategy("rubinstein")])
    assert trace.round == 1 and trace.utilities == pytest.approx((0.5, 0.5), abs=1e-9)
    # A belief that the other can walk away with only 0.2 restores Rubinstein's split.
    told = NegotiationSetup.create(
        pie(0.001), discount=[0.9, 0.9], believed_reservation=[[0.0, 0.2], [0.2, 0.0]]
    )
    trace = negotiate(told, [parse_strategy("rubinstein"), parse_strategy("rubinstein")])
    assert trace.utilities[0] == pytest.approx(1 / 1.9, abs=0.001 * 1.9 / 0.19)


def test_stationary_values_converge_to_the_continuous_solution() -> None:
    v0, v1 = stationary_values(pie(1e-4), np.array([0.8, 0.7]))
    assert v0 == pytest.approx((1 - 0.7) / (1 - 0.56), abs=1e-3)
    assert v1 == pytest.approx((1 - 0.8) / (1 - 0.56), abs=1e-3)


def test_rubinstein_plans_its_stationary_demand() -> None:
    # Party 1 proposing demands v_1 = max{u_1 : u_0 >= δ_0·v_0}; close to (1 − δ_0)/(1 − δ_0·δ_1).
    setup = NegotiationSetup.create(pie(0.01), discount=[0.9, 0.8], deadline=3)
    agent = parse_strategy("rubinstein").create()
    from accord.simulation.strategies import PartyView

    agent.reset(PartyView(1, setup, np.zeros(3)))
    _, v1 = stationary_values(setup.utilities, setup.discount)
    assert setup.utilities[agent.offer(1, 0.0), 1] == v1
    assert v1 == pytest.approx(0.1 / 0.28, abs=0.01 * 1.9 / 0.28)


def test_plan_b_that_appears_makes_a_party_walk_away() -> None:
    # Party 1 values its best outcome at 0.8; from round 6 it has a plan B worth 0.9.
    u = pie(0.01) * [1.0, 0.8]
    base = NegotiationSetup.create(u, deadline=40)
    with_plan_b = NegotiationSetup.create(u, deadline=40, outside_options=[(1, 6, 0.9)])
    weaker_plan_b = NegotiationSetup.create(u, deadline=40, outside_options=[(1, 6, 0.6)])
    specs = [parse_strategy("linear"), parse_strategy("linear")]
    deal = negotiate(base, specs)
    walked = negotiate(with_plan_b, specs)
    insisted = negotiate(weaker_plan_b, specs)
    assert deal.agreement >= 0 and deal.round > 6
    # Round 6 is party 1's turn to propose: nothing it could offer beats the plan B.
    assert walked.agreement == -1 and walked.walked_away == 1 and walked.round == 6
    assert walked.utilities == (0.0, 0.9)  # each gets its walk-away value of that round
    # A plan B below its best keeps it at the table but raises its floor.
    assert insisted.agreement >= 0 and insisted.utilities[1] >= 0.6 > deal.utilities[1]


def test_plan_b_that_vanishes_lowers_the_bar() -> None:
    # Party 1 could walk away to 0.7 until round 4; after that its walk-away value is 0.
    setup = NegotiationSetup.create(
        pie(0.01), reservation=[0.0, 0.7], deadline=30, outside_options=[(1, 5, 0.0)]
    )
    np.testing.assert_array_equal(setup.reservation_schedule[1, :6], [0.7] * 4 + [0.0] * 2)
    trace = negotiate(setup, [parse_strategy("hardliner"), parse_strategy("conceder")])
    assert trace.agreement >= 0 and trace.round >= 5  # only once the plan B is gone
    assert trace.utilities[1] < 0.7


def test_deadline_without_agreement_pays_reservations() -> None:
    setup = NegotiationSetup.create(pie(0.1), reservation=[0.2, 0.3], deadline=7)
    trace = negotiate(setup, [parse_strategy("hardliner"), parse_strategy("hardliner")])
    # The last responder has no next turn and takes anything above its walk-away value, so two
    # hardliners only fail when the final demand is below it: here 0 < 0.3.
    assert trace.end == 1 and trace.round == 7 and trace.agreement == -1
    assert trace.utilities == (0.2, 0.3)


def test_agreement_payoffs_are_discounted_by_round() -> None:
    setup = NegotiationSetup.create(pie(0.01), discount=[0.9, 0.8], deadline=20)
    trace = negotiate(setup, [parse_strategy("linear"), parse_strategy("linear")])
    t = trace.round - 1
    raw = setup.utilities[trace.agreement]
    assert trace.round > 1
    assert trace.utilities == pytest.approx((0.9**t * raw[0], 0.8**t * raw[1]))


def test_three_parties_need_everyone_and_a_rejection_ends_the_round() -> None:
    rng = np.random.default_rng(4)
    u = rng.random((30, 3))
    setup = NegotiationSetup.create(u, deadline=30)
    specs = [parse_strategy("linear")] * 3
    trace = negotiate(setup, specs)
    assert [o.proposer for o in trace.offers[:4]] == [0, 1, 2, 0]
    for o in trace.offers[:-1]:
        assert [r for _, r in o.responses][-1] != "accept"  # a round ends at its first "no"
    last = trace.offers[-1]
    assert trace.agreement == last.outcome and [r for _, r in last.responses] == ["accept"] * 2


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"utilities": np.ones((3, 1))}, "utilities"),
        ({"utilities": np.full((3, 2), np.nan)}, "utilities"),
        ({"discount": [0.0, 1.0]}, "discount"),
        ({"reservation": [0.1]}, "reservation"),
        ({"deadline": 0}, "deadline"),
        ({"opener": 2}, "opener"),
        ({"outside_options": [(0, 0, 0.5)]}, "outside option"),
    ],
)
def test_bad_setup_is_refused_with_the_field_named(kwargs: dict, field: str) -> None:
    args = {"utilities": np.ones((3, 2))} | kwargs
    with pytest.raises(EngineInputError, match=field):
        NegotiationSetup.create(**args)
