"""Closed-form checks: beer–quiche (Cho & Kreps 1987, §II, p. 186) and textbook signalling facts.

Every expected number below is derived by hand in the comments from the game's definition, not
from the solver's output.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.signals import (
    SignallingGame,
    beer_quiche,
    message_readings,
    reference_equilibria,
    solve,
    what_it_would_take,
)

BEER, QUICHE = 0, 1
DUEL, NO_DUEL = 0, 1
STRONG, WEAK = 0, 1


def test_beer_quiche_prior_09_has_exactly_two_pooling_equilibria() -> None:
    sol = solve(beer_quiche(0.9))
    assert sol.count == 2 and len(sol.equilibria) == 2
    by_message = {e.sender: e for e in sol.equilibria}
    assert set(by_message) == {(BEER, BEER), (QUICHE, QUICHE)}
    beer, quiche = by_message[(BEER, BEER)], by_message[(QUICHE, QUICHE)]
    assert beer.kind == quiche.kind == "pooling"
    # pooled message answered by no duel (posterior = prior 0.9 strong), off-path one by a duel
    assert beer.receiver == (NO_DUEL, DUEL)
    assert quiche.receiver == (DUEL, NO_DUEL)
    np.testing.assert_allclose(beer.posteriors[BEER], [0.9, 0.1])
    np.testing.assert_allclose(quiche.posteriors[QUICHE], [0.9, 0.1])
    # dueling after the off-path breakfast needs P(weak | off path) >= 1/2
    for eq, off in ((beer, QUICHE), (quiche, BEER)):
        region = eq.off_path[off]
        assert region.lo[WEAK] == pytest.approx(0.5, abs=1e-8)
        assert region.hi[WEAK] == pytest.approx(1.0)
        assert region.witness[WEAK] >= 0.5 - 1e-8
    # payoffs: beer pooling gives strong 1 + 2 = 3, weak 0 + 2 = 2; quiche pooling the reverse
    np.testing.assert_allclose(beer.sender_payoffs, [3.0, 2.0])
    np.testing.assert_allclose(quiche.sender_payoffs, [2.0, 3.0])
    assert beer.receiver_expected == pytest.approx(0.9)
    # only beer-pooling survives the intuitive criterion; the strong type breaks quiche-pooling
    assert beer.intuitive and not quiche.intuitive
    assert quiche.broken_by == (BEER, STRONG)
    assert not sol.hybrids


def test_beer_quiche_prior_01_has_no_pure_equilibrium_and_the_textbook_hybrid() -> None:
    sol = solve(beer_quiche(0.1))
    assert sol.count == 0
    assert len(sol.hybrids) == 1
    h = sol.hybrids[0]
    # strong always beer; weak beer w.p. 1/9 so that P(strong | beer) = 0.1 / (0.1 + 0.9/9) = 1/2
    np.testing.assert_allclose(h.sender[STRONG], [1.0, 0.0])
    np.testing.assert_allclose(h.sender[WEAK], [1 / 9, 8 / 9])
    np.testing.assert_allclose(h.posteriors[BEER], [0.5, 0.5])
    # the receiver duels after beer w.p. 1/2 (weak indifferent: 2(1 - ρ) = 1) and after quiche
    np.testing.assert_allclose(h.receiver[BEER], [0.5, 0.5])
    np.testing.assert_allclose(h.receiver[QUICHE], [1.0, 0.0])
    np.testing.assert_allclose(h.sender_payoffs, [2.0, 1.0])


def test_reference_reproduces_beer_quiche() -> None:
    assert sorted(reference_equilibria(beer_quiche(0.9))) == [
        ((BEER, BEER), (NO_DUEL, DUEL), True),
        ((QUICHE, QUICHE), (DUEL, NO_DUEL), False),
    ]
    assert reference_equilibria(beer_quiche(0.1)) == []


def test_json_shape_of_an_equilibrium() -> None:
    data = solve(beer_quiche(0.9)).to_dict()
    first = data["equilibria"][0]
    assert set(first) >= {"sender", "receiver", "kind", "posteriors", "off_path_beliefs"}
    assert first["sender"] == {"strong": "beer", "weak": "beer"}
    assert first["receiver"] == {"beer": "no-duel", "quiche": "duel"}
    assert first["intuitive"] is True
    assert first["off_path_beliefs"]["quiche"]["bounds"]["weak"] == [0.5, 1.0]


def costly_signal(cost_low: float, cost_high: float = 0.2, benefit: float = 1.0) -> SignallingGame:
    """Spence-style job market: a high or low type, signal or not; hire (benefit) or not.

    The employer hires only someone it believes high (payoff 1 for hiring high, -1 for low, 0
    for not hiring). Separation (high signals, low does not) holds iff the signal costs the low
    type at least the benefit and the high type at most the benefit (Spence 1973; Gibbons 1992,
    §4.2.B).
    """
    us = np.zeros((2, 2, 2))  # [type high/low, message none/signal, action hire/pass]
    ur = np.zeros((2, 2, 2))
    for t, cost in ((0, cost_high), (1, cost_low)):
        for m in range(2):
            us[t, m, 0] = benefit - (cost if m == 1 else 0.0)
            us[t, m, 1] = -(cost if m == 1 else 0.0)
            ur[t, m, 0] = 1.0 if t == 0 else -1.0
    return SignallingGame(
        types=("high", "low"),
        messages=("none", "signal"),
        actions=("hire", "pass"),
        prior=np.array([0.3, 0.7]),
        us=us,
        ur=ur,
    )


@pytest.mark.parametrize(("cost_low", "separates"), [(0.5, False), (0.99, False), (1.2, True)])
def test_costly_signal_separates_iff_it_costs_the_low_type_the_benefit(cost_low, separates):
    sol = solve(costly_signal(cost_low))
    assert sol.separating_exists is separates
    if separates:
        eq = next(e for e in sol.equilibria if e.kind == "separating")
        assert eq.sender == (1, 0)  # high signals, low does not
        assert eq.receiver == (1, 0)  # pass after none, hire after the signal


def test_what_it_would_take_finds_the_closed_form_threshold() -> None:
    # low type's payoff from (signal, hire) is benefit - cost = 1 - 0.5 = 0.5; separation needs
    # cost >= 1, i.e. that payoff <= 0 (= its payoff from (none, pass)): a change of -0.5
    game = costly_signal(0.5)
    found = what_it_would_take(game)
    cell = [t for t in found if (t.target, t.type, t.message, t.action) == ("sender", 1, 1, 0)]
    assert cell and cell[0].needed == pytest.approx(0.0, abs=1e-6) and cell[0].becomes
    # and the signal is a sunk cost (the same whatever the employer does), differing by type
    reading = message_readings(solve(game))[1]
    assert reading.cost_kind == "sunk"
    np.testing.assert_allclose(reading.cost[:, 0], [0.2, 0.5])


def test_cheap_talk_with_common_interest_separates_and_babbles() -> None:
    # Crawford & Sobel (1982): with aligned interests a costless message can reveal the type;
    # a babbling (pooling) equilibrium always exists too. Both players get 1 if the action
    # matches the type.
    match = np.zeros((2, 2, 2))
    for t in range(2):
        match[t, :, t] = 1.0
    game = SignallingGame(
        types=("a", "b"),
        messages=("say-a", "say-b"),
        actions=("do-a", "do-b"),
        prior=np.array([0.6, 0.4]),
        us=match,
        ur=match,
    )
    sol = solve(game)
    kinds = sorted(e.kind for e in sol.equilibria)
    assert "separating" in kinds and "pooling" in kinds
    readings = message_readings(sol)
    assert readings[1].cost_kind == "cheap"
    # in the separating equilibrium "say-b" reveals type b: total variation |1 - 0.4| = 0.6
    assert readings[1].shift == pytest.approx(0.6)
    # with opposed interests (sender always wants do-a) cheap talk moves no belief
    us = np.zeros((2, 2, 2))
    us[:, :, 0] = 1.0
    opposed = solve(game.replace(us=us))
    assert not opposed.separating_exists
    shifts = [r.shift for r in message_readings(opposed) if r.shift is not None]
    assert shifts and max(shifts) == pytest.approx(0.0)


def test_tying_hands_is_a_cost_that_depends_on_the_response() -> None:
    # Fearon (1997): an audience cost is paid only if the sender later backs down, i.e. when
    # the receiver stands firm; a sunk cost is paid whatever happens.
    game = costly_signal(1.2)
    us = game.us.copy()
    us[:, 1, 0] += 0.3  # the signal costs 0.3 less when the receiver "hires" (gives way)
    reading = message_readings(solve(game.replace(us=us)))[1]
    assert reading.cost_kind == "tied-hands"
