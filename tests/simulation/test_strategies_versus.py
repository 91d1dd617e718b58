"""Each strategy against a scripted opponent, plus the generic checks (DESIGN.md §5)."""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass

import numpy as np
import pytest

from accord.simulation import REGISTRY, NegotiationSetup, negotiate, parse_strategy
from accord.simulation.strategies import PartyView, Strategy, StrategyInfo


@dataclass(eq=False)
class Scripted(Strategy):
    """Offers a fixed list of outcomes in turn (the last one repeated) and never concedes more."""

    script: tuple[int, ...] = ()

    def reset(self, view: PartyView) -> None:
        super().reset(view)
        self.made = 0

    def offer(self, t: int, reservation: float) -> int:
        return self.script[min(self.made, len(self.script) - 1)]

    def proposed(self, t: int, outcome: int) -> None:
        self.made += 1


SCRIPTED_INFO = StrategyInfo("scripted", "test", "fixed offers", Scripted)


def scripted(*outcomes: int) -> Scripted:
    return Scripted(info=SCRIPTED_INFO, params={}, script=tuple(outcomes))


def split(points: int) -> np.ndarray:
    """One divisible issue: outcome k gives party 0 the share k/(points-1), party 1 the rest."""
    x = np.linspace(0.0, 1.0, points)
    return np.stack([x, 1.0 - x], axis=1)


def own_offers(trace, party: int) -> list[float]:
    return [o.utilities[party] for o in trace.offers if o.proposer == party]


@pytest.mark.parametrize("name,e", [("boulware", 0.2), ("linear", 1.0), ("conceder", 2.0)])
def test_time_dependent_follows_the_faratin_curve(name: str, e: float) -> None:
    # Opponent never moves from "everything to me"; our agent can only concede along its curve.
    deadline, reservation = 40, 0.3
    setup = NegotiationSetup.create(split(101), reservation=[reservation, 0.0], deadline=deadline)
    trace = negotiate(setup, [parse_strategy(name), scripted(0)])
    offered = own_offers(trace, 0)
    for k, u in enumerate(offered):
        t = 2 * k  # party 0 proposes in the even rounds
        aspiration = 1.0 - (1.0 - reservation) * (t / deadline) ** (1.0 / e)  # Faratin (1998)
        expected = math.ceil(aspiration * 100 - 1e-9) / 100  # cheapest grid share >= aspiration
        assert u == pytest.approx(expected, abs=1e-12)
    assert trace.agreement == -1
    assert min(offered) >= reservation  # never below its walk-away value


def test_boulware_holds_out_longer_than_conceder() -> None:
    setup = NegotiationSetup.create(split(101), deadline=40)
    boulware = own_offers(negotiate(setup, [parse_strategy("boulware"), scripted(0)]), 0)
    conceder = own_offers(negotiate(setup, [parse_strategy("conceder"), scripted(0)]), 0)
    assert all(b >= c for b, c in zip(boulware, conceder, strict=True))
    assert boulware[5] > conceder[5] + 0.3


def test_time_dependent_accepts_what_it_would_offer_next() -> None:
    # Linear, T=10: its next demand (round 1 of its own) is 0.9, so 0.9 is accepted, 0.89 is not.
    setup = NegotiationSetup.create(split(101), deadline=10, opener=1)
    accepted = negotiate(setup, [parse_strategy("linear"), scripted(90)])
    refused = negotiate(setup, [parse_strategy("linear"), scripted(89)])
    assert accepted.agreement == 90 and accepted.round == 1
    assert refused.agreement == -1 or refused.round > 1


def test_hardliner_only_takes_its_best() -> None:
    setup = NegotiationSetup.create(split(11), deadline=12, opener=1)
    almost = negotiate(setup, [parse_strategy("hardliner"), scripted(9)])
    best = negotiate(setup, [parse_strategy("hardliner"), scripted(10)])
    assert set(own_offers(almost, 0)) == {1.0}
    hardliner_answers = {r for o in almost.offers for p, r in o.responses if p == 0}
    assert hardliner_answers == {"reject"}
    # The scripted side has no next turn in the last round, so it takes the hardliner's demand.
    assert almost.agreement == 10 and almost.round == 12
    assert best.agreement == 10 and best.round == 1


def test_tit_for_tat_mirrors_the_opponents_concession() -> None:
    # Opponent concedes 0.1 (in our utility) on each offer: 0.0, 0.1, 0.2, ...
    setup = NegotiationSetup.create(split(101), deadline=12, opener=1)
    trace = negotiate(setup, [parse_strategy("tit-for-tat:step=0.05"), scripted(0, 10, 20, 30, 40)])
    demands = own_offers(trace, 0)
    # After the opponent's k-th offer it has conceded 0.1·(k−1); we demand 0.95 − that.
    assert demands[:4] == pytest.approx([0.95, 0.85, 0.75, 0.65])
    stubborn = negotiate(setup, [parse_strategy("tit-for-tat:step=0.05"), scripted(0)])
    assert own_offers(stubborn, 0) == pytest.approx([0.95] * 6)


def test_grit_makes_m_unilateral_steps_then_waits() -> None:
    setup = NegotiationSetup.create(split(101), deadline=20)
    trace = negotiate(setup, [parse_strategy("grit:step=0.05,m=3"), scripted(0)])
    demands = own_offers(trace, 0)
    assert demands == pytest.approx([1.0, 0.95, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85])
    # Reciprocated: the opponent's concessions come on top of the unilateral steps.
    moving = negotiate(setup, [parse_strategy("grit:step=0.05,m=3"), scripted(0, 10, 20)])
    # Round 4: steps 2·0.05 plus the 0.1 conceded by then; round 6: 3·0.05 + 0.2.
    assert own_offers(moving, 0)[:4] == pytest.approx([1.0, 0.95, 0.8, 0.65])


def test_random_offers_are_acceptable_reproducible_and_spread() -> None:
    setup = NegotiationSetup.create(split(11), reservation=[0.5, 0.0], deadline=400)
    one = negotiate(setup, [parse_strategy("random"), scripted(0)], seed=3)
    again = negotiate(setup, [parse_strategy("random"), scripted(0)], seed=3)
    other = negotiate(setup, [parse_strategy("random"), scripted(0)], seed=4)
    offered = own_offers(one, 0)
    assert offered == own_offers(again, 0)
    assert offered != own_offers(other, 0)
    assert min(offered) >= 0.5
    shares = [round(u * 10) for u in offered]
    counts = np.array([shares.count(v) for v in range(5, 11)])
    assert counts.sum() == 200 and counts.min() > 15  # six shares, about 33 each


def test_working_level_learns_what_the_opponent_keeps_fixed() -> None:
    # Two issues: A (3 values) matters only to the opponent, B (2 values) only to us.
    codes = np.array([(a, b) for a in range(3) for b in range(2)])
    u_us = codes[:, 1].astype(float)  # we want B = 1
    u_them = np.where(codes[:, 0] == 2, 1.0, 0.0) * 0.5 + 0.5 * (1 - codes[:, 1])
    setup = NegotiationSetup.create(
        np.stack([u_us, u_them], axis=1), deadline=10, issue_codes=codes
    )
    a2_b0 = int(np.flatnonzero((codes[:, 0] == 2) & (codes[:, 1] == 0))[0])
    trace = negotiate(setup, [parse_strategy("working-level:e=0.01"), scripted(a2_b0)])
    first, later = own_offers(trace, 0)[0], [o for o in trace.offers if o.proposer == 0][1:]
    assert first == 1.0
    assert trace.offers[0].outcome == 1  # A=0, B=1: no information yet, lowest number
    # Having seen A=2 every time, it proposes A=2 with its own B=1.
    assert all(tuple(codes[o.outcome]) == (2, 1) for o in later)


def test_working_level_frequency_model_matches_a_hand_count() -> None:
    codes = np.array([(a, b) for a in range(2) for b in range(3)])
    setup = NegotiationSetup.create(np.ones((6, 2)), deadline=5, issue_codes=codes)
    agent = parse_strategy("working-level").create()
    agent.reset(PartyView(0, setup, np.zeros(5)))
    for outcome in (0, 1, 2):  # (0,0), (0,1), (0,2): A kept at 0, B moving
        agent.observe(0, 1, outcome)
    predicted = agent.predicted_others()
    # weights: A 1+2 = 3, B 1 → 3/4, 1/4; A counts [3, 0]; B counts [1, 1, 1]
    expected = [0.75 * (a == 0) + 0.25 for a, _ in codes]
    np.testing.assert_allclose(predicted, expected)


@pytest.mark.parametrize("name", [i.name for i in REGISTRY.infos()])
def test_generic_determinism_pickling_and_reset(name: str) -> None:
    rng = np.random.default_rng(1)
    codes = np.array([(a, b) for a in range(4) for b in range(3)])
    u = rng.random((12, 2))
    setup = NegotiationSetup.create(
        u, reservation=[0.1, 0.1], discount=[0.95, 0.9], deadline=15, issue_codes=codes
    )
    agent = parse_strategy(name).create()
    opponent = parse_strategy("linear").create()
    first = negotiate(setup, [agent, opponent], seed=8)
    restored = pickle.loads(pickle.dumps(agent))
    assert restored.info.name == name and restored.params == agent.params
    second = negotiate(setup, [agent, opponent], seed=8)  # same objects: reset must clear state
    fresh = negotiate(setup, [parse_strategy(name), parse_strategy("linear")], seed=8)
    assert first.to_dict()["offers"] == second.to_dict()["offers"] == fresh.to_dict()["offers"]
    assert first.utilities == second.utilities


def test_strategy_metadata_is_declared() -> None:
    for info in REGISTRY.infos():
        assert info.family and info.description and info.observes
        assert info.stochastic == (info.name == "random")
    assert {
        "boulware",
        "linear",
        "conceder",
        "hardliner",
        "tit-for-tat",
        "grit",
        "random",
        "working-level",
    } <= set(REGISTRY.names(tournament_only=True))
