"""The two-level engine: fast paths against scalar references, the bargaining engine, Hanoi."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import accord
from accord.bargaining import analyse
from accord.domestic import findings, pass_probability, ratify, solve_masked, win_set_mask
from accord.domestic.probability import approval_probability, pass_probability_reference
from accord.domestic.winsets import (
    SOLUTION_NAMES,
    required_votes,
    solve_masked_reference,
    win_set_reference,
)
from accord.scenario.base import Param
from accord.scenario.outcomes import reservations, utility_matrix


@pytest.mark.parametrize("sid", ["hanoi-2019", "logrolling"])
def test_unconstrained_solutions_equal_the_bargaining_engine(sid: str) -> None:
    s = accord.load(sid)
    a = analyse(s)
    u = np.round(utility_matrix(s), 12)
    r = np.round(reservations(s), 12)
    mine = solve_masked(u, r, None)
    for name in SOLUTION_NAMES:
        assert mine[name] == a.solution(name), name


def test_hanoi_ratify_solutions_equal_analyse() -> None:
    s = accord.load("hanoi-2019")
    res = ratify(s)
    a = analyse(s)
    assert res.solutions == {n: a.solution(n) for n in SOLUTION_NAMES}
    assert res.zone_international == a.zone_size


def test_solve_masked_matches_reference() -> None:
    rng = np.random.default_rng(1988)
    for trial in range(60):
        k = 2 + trial % 2
        n = int(rng.integers(5, 60))
        # coarse grid values make ties frequent
        u = rng.integers(0, 6, size=(n, k)) / 5.0
        r = rng.integers(0, 3, size=k) / 5.0
        mask = rng.random(n) < 0.6
        fast = solve_masked(u, r, mask)
        for name in SOLUTION_NAMES:
            assert fast[name] == solve_masked_reference(name, u, r, mask), (trial, name)


def test_win_set_and_votes_match_reference() -> None:
    rng = np.random.default_rng(7)
    approve = rng.random((200, 5)) < 0.5
    votes = rng.integers(1, 4, size=5)
    for rule, quota in (("all", None), ("majority", None), ("quota", 0.6), ("quota", 1.0)):
        need = required_votes(rule, int(votes.sum()), quota)
        assert np.array_equal(
            win_set_mask(approve, votes, need), win_set_reference(approve, votes, need)
        )


def test_required_votes() -> None:
    assert required_votes("all", 7) == 7
    assert required_votes("majority", 7) == 4
    assert required_votes("majority", 6) == 4  # more than half
    assert required_votes("quota", 10, 0.6) == 6
    assert required_votes("quota", 3, 2 / 3) == 2


def test_pass_probability_matches_enumeration() -> None:
    rng = np.random.default_rng(3)
    for _ in range(30):
        m = int(rng.integers(1, 6))
        p = rng.random(m)
        votes = rng.integers(1, 4, size=m)
        for need in range(1, int(votes.sum()) + 1):
            exact = pass_probability(p[None, :], votes, need)[0]
            assert exact == pytest.approx(
                pass_probability_reference(p.tolist(), votes.tolist(), need), abs=1e-12
            )


def test_triangular_cdf_closed_form() -> None:
    # F(x) = (x - a)^2 / ((b - a)(c - a)) for a <= x <= c on triangular [a, c, b]
    t = Param.model_validate({"triangular": [0.35, 0.45, 0.55]})
    assert approval_probability(t, np.array([0.415]))[0] == pytest.approx(
        0.065**2 / (0.2 * 0.1), abs=1e-7
    )


def test_sampled_probability_agrees_with_exact_within_error(dollar: Any) -> None:
    # An uncertain weight on an issue every package values alike leaves the utility unchanged,
    # so the seeded sample must agree with the exact CDF within sampling error.
    domestic: list[dict[str, Any]] = [
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
    ]
    base = dollar(domestic, proposals=[{"id": "p", "outcome": {"share": 0.3}}])
    exact = ratify(base).proposals[0]
    domestic[0]["ratifiers"][0]["weights"] = {"share": {"uniform": [0.5, 2.0]}}
    noisy = dollar(domestic, proposals=[{"id": "p", "outcome": {"share": 0.3}}])
    a = ratify(noisy, seed=5, samples=20_000).proposals[0]
    b = ratify(noisy, seed=5, samples=20_000).proposals[0]
    assert a.method == "sampled" and exact.method == "exact"
    assert a.p_ratification == b.p_ratification  # seeded
    se = (0.7 * 0.3 / 20_000) ** 0.5
    assert abs(a.p_ratification["b"] - 0.7) < 4 * se
    assert exact.p_ratification["b"] == pytest.approx(0.7, abs=1e-9)


def test_opening_when_the_two_level_zone_is_empty(dollar: Any) -> None:
    # A's ratifier wants A's share >= 0.8 and B's wants B's share >= 0.4: no split passes both.
    # Cheapest fix by reservation: A's ratifier accepts 0.6, or B's accepts 0.2 (0.2 either way).
    s = dollar(
        [
            {
                "party": "a",
                "ratifiers": [
                    {
                        "id": "ha",
                        "weights": {"share": 1},
                        "values": {"share": "increasing"},
                        "reservation": 0.8,
                    }
                ],
            },
            {
                "party": "b",
                "ratifiers": [
                    {
                        "id": "hb",
                        "weights": {"share": 1},
                        "values": {"share": "decreasing"},
                        "reservation": 0.4,
                    }
                ],
            },
        ]
    )
    res = ratify(s)
    assert res.zone_two_level == 0 and res.zone_international == 101
    by = {(o.ratifier, o.kind): o for o in res.openings}
    assert by[("ha", "reservation")].needed == pytest.approx(0.6)
    assert by[("hb", "reservation")].needed == pytest.approx(0.2)
    assert res.openings[0].change == pytest.approx(-0.2)


def test_hanoi_two_level_findings() -> None:
    s = accord.load("hanoi-2019")
    res = ratify(s)
    d = res.to_dict()
    props = {p["id"]: p for p in d["proposals"]}
    # DPRK offer: the critics value it 0.4*0.35 + 0.45*0.2 + 0.15*0.6 = 0.32 < 0.35, the lowest
    # point of their threshold, so the US side cannot ratify it at any threshold
    assert props["dprk-offer"]["ratified"] == {"usa": False, "dprk": True}
    assert {"party": "usa", "ratifier": "congress-critics"} in props["dprk-offer"]["blocked_by"]
    assert props["dprk-offer"]["p_ratification"]["usa"] == 0.0
    # US position: the critics value it 0.415; P = (0.415-0.35)^2 / (0.2*0.1) on their triangle
    assert props["us-position"]["p_ratification"]["usa"] == pytest.approx(0.21125, abs=1e-7)
    assert d["zone"]["international"] == 36
    assert 0 <= d["zone"]["two_level"] <= d["zone"]["international"]
    kinds = {f["kind"] for f in findings(res)}
    assert {"ratify.zone", "ratify.proposal", "ratify.plan_b"} <= kinds
    plan_b = [b for b in res.plan_b if b.party == "dprk"]
    assert plan_b and plan_b[0].outside_option == pytest.approx(0.55)


def test_linkage_lists_one_issue_changes() -> None:
    s = accord.load("hanoi-2019")
    res = ratify(s)
    space = res.space
    for lk in res.links:
        prop = next(p for p in res.proposals if p.id == lk.proposal)
        outcome = space.decode(lk.package)
        differs = [k for k in outcome if outcome[k] != prop.outcome[k]]
        assert differs == [lk.issue]
        assert res.utilities[lk.package].tolist() >= [0, 0]
        assert (res.utilities[lk.package] >= res.reservations - 1e-9).all()


def test_json_keys() -> None:
    d = ratify(accord.load("hanoi-2019")).to_dict()
    assert set(d["win_sets"]["usa"]) >= {"size", "packages"}
    assert set(d["zone"]) == {"international", "two_level"}
    assert set(d["solutions"]["nash"]) >= {"outcome"}
    assert set(d["two_level_solutions"]) == set(SOLUTION_NAMES)
    assert {"ratified", "blocked_by"} <= set(d["proposals"][0])


def test_two_party_shortcut_matches_full_scoring() -> None:
    # The efficient-only shortcut for two parties against the same rule on three parties'
    # path (a constant third column keeps every score's order and takes the general path).
    from accord.domestic.winsets import efficient_2d, pareto_among

    rng = np.random.default_rng(11)
    for _ in range(40):
        n = int(rng.integers(3, 400))
        u = rng.integers(0, 8, size=(n, 2)) / 7.0
        r = rng.integers(0, 3, size=2) / 7.0
        mask = rng.random(n) < 0.7
        order = np.argsort(-u[:, 0])
        assert np.array_equal(efficient_2d(u[order, 0], u[order, 1]), pareto_among(u[order]))
        fast = solve_masked(u, r, mask)
        for name in SOLUTION_NAMES:
            assert fast[name] == solve_masked_reference(name, u, r, mask), name


def _two_issue(rat_weights: dict[str, float], reservation: float) -> Any:
    from accord.scenario.model import Scenario

    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "two",
            "title": "Two issues",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [
                {"id": "s", "range": [0, 1], "step": 0.1},
                {"id": "t", "options": ["x", "y"]},
            ],
            "preferences": {
                "a": {"weights": {"s": 1, "t": 1}, "reservation": 0.3,
                      "values": {"s": "increasing", "t": {"x": 1, "y": 0}}},
                "b": {"weights": {"s": 1, "t": 1}, "reservation": 0.3,
                      "values": {"s": "decreasing", "t": {"x": 0, "y": 1}}},
            },
            "domestic": [
                {"party": "a", "ratifiers": [
                    {"id": "h", "weights": rat_weights, "reservation": reservation,
                     "values": {"s": "increasing", "t": {"x": 0.2, "y": 0.8}}},
                ]},
            ],
        }
    )  # fmt: skip


def test_each_reported_opening_really_opens_the_zone() -> None:
    s = _two_issue({"s": 1.0, "t": 1.0}, 0.95)
    res = ratify(s)
    assert res.zone_two_level == 0 and res.zone_international > 0
    kinds = {o.kind for o in res.openings}
    assert kinds == {"reservation", "weight"}
    # by hand: the ratifier's best zone package is s = 1, t = y, worth (1 + 0.8) / 2 = 0.9; with
    # weight w on s it is worth (w + 0.8) / (w + 1) >= 0.95 from w = 3, a weight share of 0.75
    by_kind = {o.kind: o for o in res.openings}
    assert by_kind["reservation"].needed == pytest.approx(0.9)
    assert abs(by_kind["weight"].change) == pytest.approx(0.25)
    for o in res.openings:
        if o.kind == "reservation":
            fixed = _two_issue({"s": 1.0, "t": 1.0}, o.needed)
        else:
            # raw weight giving issue o.issue the share o.needed next to the other weight 1
            w = o.needed / (1.0 - o.needed)
            assert o.issue is not None
            weights = {"s": 1.0, "t": 1.0, o.issue: w}
            fixed = _two_issue(weights, 0.95)
        assert ratify(fixed).zone_two_level > 0, o
    # the weight change is the smallest: a slightly smaller change does not open it
    o = next(o for o in res.openings if o.kind == "weight")
    share = o.current + 0.98 * (o.needed - o.current)
    w = share / (1.0 - share)
    assert o.issue is not None
    assert ratify(_two_issue({"s": 1.0, "t": 1.0, o.issue: w}, 0.95)).zone_two_level == 0
