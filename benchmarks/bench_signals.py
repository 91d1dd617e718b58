"""Signalling benchmark: one 5 × 5 × 5 game, and 10,000 sampled beer–quiche games.

Times, in one run: the full solve of a random 5 × 5 × 5 game (3,125 × 3,125 pure profiles;
every equilibrium built with its beliefs and intuitive-criterion verdict; target < 0.5 s); the
vectorised batch over 10,000 beer–quiche games whose prior and payoffs are sampled (target
< 10 s); the same 10,000 games solved one at a time, as a plain loop; and the brute-force
reference on one 3 × 3 × 3 game against the fast solver.
"""

from __future__ import annotations

import time

import numpy as np

from accord.signals import SignallingGame, beer_quiche, reference_equilibria, solve, solve_batch

SEED = 20190228
SAMPLES = 10_000


def random_game(rng: np.random.Generator, t: int, m: int, a: int) -> SignallingGame:
    return SignallingGame(
        types=tuple(f"t{k}" for k in range(t)),
        messages=tuple(f"m{k}" for k in range(m)),
        actions=tuple(f"a{k}" for k in range(a)),
        prior=rng.dirichlet(np.ones(t)),
        us=rng.normal(size=(t, m, a)),
        ur=rng.normal(size=(t, m, a)),
    )


def sampled_beer_quiche(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Beer–quiche with P(strong) ~ U(0.05, 0.95) and every payoff jittered by U(-0.25, 0.25)."""
    base = beer_quiche(0.5)
    p = rng.uniform(0.05, 0.95, n)
    prior = np.stack([p, 1 - p], axis=1)
    us = base.us[None] + rng.uniform(-0.25, 0.25, (n, 2, 2, 2))
    ur = base.ur[None] + rng.uniform(-0.25, 0.25, (n, 2, 2, 2))
    return prior, us, ur


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    big = random_game(rng, 5, 5, 5)
    solve(big)  # warm the strategy tables
    t_big = best_of(lambda: solve(big), 3)
    sol = solve(big)
    print(f"5x5x5 game: {t_big * 1000:.0f} ms for {sol.count} pure equilibria (target < 500 ms)")

    prior, us, ur = sampled_beer_quiche(rng, SAMPLES)
    t_batch = best_of(lambda: solve_batch(prior, us, ur), 3)
    batch = solve_batch(prior, us, ur)
    start = time.perf_counter()
    loop_sep = np.array(
        [
            solve(
                beer_quiche(0.5).replace(prior=prior[k], us=us[k], ur=ur[k]), with_hybrids=False
            ).separating_exists
            for k in range(SAMPLES)
        ]
    )
    t_loop = time.perf_counter() - start
    assert np.array_equal(loop_sep, batch.separating_exists)
    share = float(batch.separating_exists.mean())
    none = float((batch.count == 0).mean())
    print(
        f"{SAMPLES:,} sampled beer-quiche games: batch {t_batch:.3f} s, one at a time "
        f"{t_loop:.2f} s (target < 10 s); separating in {share:.1%}, no pure equilibrium in "
        f"{none:.1%}"
    )

    small = random_game(rng, 3, 3, 3)
    t_ref = best_of(lambda: reference_equilibria(small), 1)
    t_fast = best_of(lambda: solve(small), 3)
    fast = sorted((e.sender, e.receiver, e.intuitive) for e in solve(small).equilibria)
    assert fast == sorted(reference_equilibria(small))
    print(
        f"3x3x3 game: fast {t_fast * 1000:.1f} ms, brute-force reference {t_ref * 1000:.0f} ms "
        f"(x{t_ref / t_fast:.0f})"
    )


if __name__ == "__main__":
    main()
