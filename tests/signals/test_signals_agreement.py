"""The vectorised solver against the brute-force reference on random games (issue: >= 500)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.signals import SignallingGame, beer_quiche, reference_equilibria, solve, solve_batch
from accord.signals.solver import profiles

SEED = 20190228


def random_game(rng: np.random.Generator, shape: tuple[int, int, int], integer: bool = False):
    t, m, a = shape
    draw = (
        (lambda: rng.integers(0, 3, (t, m, a)).astype(float))
        if integer
        else (lambda: rng.normal(size=(t, m, a)))
    )
    return SignallingGame(
        types=tuple(f"t{i}" for i in range(t)),
        messages=tuple(f"m{i}" for i in range(m)),
        actions=tuple(f"a{i}" for i in range(a)),
        prior=rng.dirichlet(np.ones(t)),
        us=draw(),
        ur=draw(),
    )


def test_solver_agrees_with_brute_force_on_600_random_real_games() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    compared = with_equilibria = separating = 0
    for _ in range(600):
        shape = tuple(int(x) for x in rng.integers(1, 4, 3))
        game = random_game(rng, shape)  # type: ignore[arg-type]
        fast = sorted((e.sender, e.receiver, e.intuitive) for e in solve(game).equilibria)
        ref = sorted(reference_equilibria(game))
        assert fast == ref, f"shape {shape}: solver {fast} != reference {ref}"
        compared += 1
        with_equilibria += bool(ref)
        separating += any(len(set(s)) == len(s) > 1 for s, _, _ in ref)
    assert compared == 600
    # the sample is not trivial: most games have equilibria, many have separating ones
    assert with_equilibria > 400 and separating > 50


def test_solver_agrees_with_brute_force_on_games_with_ties() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED).spawn(1)[0])
    for _ in range(150):
        shape = tuple(int(x) for x in rng.integers(1, 4, 3))
        game = random_game(rng, shape, integer=True)  # type: ignore[arg-type]
        fast = sorted((e.sender, e.receiver, e.intuitive) for e in solve(game).equilibria)
        assert fast == sorted(reference_equilibria(game))


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 3, 2), (3, 2, 3)])
def test_batch_counts_agree_with_one_game_solves(shape) -> None:
    rng = np.random.default_rng(np.random.SeedSequence([SEED, *shape]))
    games = [random_game(rng, shape) for _ in range(60)]
    batch = solve_batch(
        np.stack([g.prior for g in games]),
        np.stack([g.us for g in games]),
        np.stack([g.ur for g in games]),
    )
    for k, g in enumerate(games):
        sol = solve(g)
        assert batch.count[k] == len(profiles(g)) == sol.count
        assert batch.separating[k] == sol.kinds["separating"]
        assert batch.pooling[k] == sol.kinds["pooling"]


def test_batch_reproduces_beer_quiche_at_both_priors() -> None:
    games = [beer_quiche(0.9), beer_quiche(0.1)]
    batch = solve_batch(
        np.stack([g.prior for g in games]),
        np.stack([g.us for g in games]),
        np.stack([g.ur for g in games]),
    )
    assert batch.count.tolist() == [2, 0]
    assert batch.pooling.tolist() == [2, 0]


def check_hybrid(game: SignallingGame, h, tol: float = 1e-7) -> None:
    """The mixed-strategy equilibrium conditions, checked directly (not with solver code)."""
    p, us, ur = game.prior, game.us, game.ur
    np.testing.assert_allclose(h.sender.sum(axis=1), 1.0)
    np.testing.assert_allclose(h.receiver.sum(axis=1), 1.0)
    value = np.einsum("tma,ma->tm", us, h.receiver)  # each type's payoff from each message
    for t in range(2):
        used = h.sender[t] > 0
        assert np.all(value[t, used] >= value[t].max() - tol), "a type sends a non-best message"
    for m in range(len(game.messages)):
        mass = p * h.sender[:, m]
        if mass.sum() > 0:
            post = mass / mass.sum()
            np.testing.assert_allclose(h.posteriors[m], post, atol=1e-9)  # Bayes' rule
            payoff = post @ ur[:, m, :]
            used = h.receiver[m] > 0
            assert np.all(payoff[used] >= payoff.max() - tol), "receiver mixes over a non-best"


def test_hybrids_of_random_two_type_games_satisfy_the_equilibrium_conditions() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED).spawn(2)[1])
    no_pure = checked = 0
    while no_pure < 60:
        shape = (2, int(rng.integers(2, 4)), int(rng.integers(2, 4)))
        game = random_game(rng, shape)
        sol = solve(game)
        if sol.count:
            continue
        no_pure += 1
        for h in sol.hybrids:
            check_hybrid(game, h)
            checked += 1
    assert checked >= 30  # most two-type games without a pure equilibrium have such a hybrid
