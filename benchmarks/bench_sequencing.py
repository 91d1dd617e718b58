"""Sequencing benchmark: 20 steps × 50 rounds, divisible (LP) and indivisible (MILP), HiGHS.

Times, in one run: building the constraint rows (vectorised vs the plain-loop reference, with
their ratio), one feasibility solve at 50 rounds, and the full fewest-rounds + widest-margin search.
Problem: 10 steps per side with costs and values drawn from a seeded generator. Issue 15 adds
the sequential model (credible snapback, first mover searched over four patterns) on the same
problem, and Bayesian trust on 10 steps × 20 rounds (target: under 2 s for the full search).
"""

from __future__ import annotations

import time

import numpy as np

from accord.sequencing import (
    SequencingProblem,
    feasible_within,
    find_schedule,
    slack_fast,
    slack_reference,
)

SEED = 20190228
STEPS = 20
ROUNDS = 50


def make_problem(divisible: bool, seed: int = SEED) -> SequencingProblem:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    cost = rng.uniform(0.02, 0.1, STEPS)
    return SequencingProblem(
        party_ids=("a", "b"),
        step_ids=tuple(f"step-{k}" for k in range(STEPS)),
        owner=np.arange(STEPS) % 2,
        cost=cost,
        value=cost * rng.uniform(1.2, 2.0, STEPS),
        reversible=rng.uniform(0.0, 0.1, STEPS),
        divisible=np.full(STEPS, divisible),
        patience=np.array([0.97, 0.97]),
        trust=np.array([0.8, 0.75]),
        completion=np.array([0.004, 0.004]),
        detection=np.array([0.9, 0.95]),
        max_rounds=ROUNDS,
    )


def make_bayesian(seed: int = SEED, steps: int = 10, rounds: int = 20) -> SequencingProblem:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    cost = rng.uniform(0.02, 0.1, steps)
    return SequencingProblem(
        party_ids=("a", "b"),
        step_ids=tuple(f"step-{k}" for k in range(steps)),
        owner=np.arange(steps) % 2,
        cost=cost,
        value=cost * rng.uniform(0.9, 1.1, steps),
        reversible=rng.uniform(0.0, 0.1, steps),
        divisible=np.full(steps, True),
        patience=np.array([0.97, 0.97]),
        trust=np.array([0.6, 0.55]),
        completion=np.array([0.1, 0.1]),
        detection=np.array([0.9, 0.95]),
        max_rounds=rounds,
        within_round="sequential",
        snapback="credible",
        trust_model="bayesian",
        mimic_scale=np.array([0.05, 0.05]),
    )


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    start = time.perf_counter()
    out = None
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - start) / repeat, out


def main() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED).spawn(1)[0])
    shares = rng.dirichlet(np.ones(ROUNDS), size=STEPS)
    problem = make_problem(True)
    t_fast, fast = timed(lambda: slack_fast(problem, shares), repeat=5)
    t_ref, ref = timed(lambda: slack_reference(problem, shares))
    assert np.allclose(fast, ref)  # type: ignore[arg-type]
    rows = [
        ("constraint rows, vectorised", t_fast, f"{t_ref / t_fast:.0f}x faster than loops"),
        ("constraint rows, loop reference", t_ref, "1x"),
    ]
    for divisible in (True, False):
        label = "divisible (LP)" if divisible else "indivisible (MILP)"
        p = make_problem(divisible)
        t_feas, ok = timed(lambda p=p: feasible_within(p))
        t_all, result = timed(lambda p=p: find_schedule(p))
        rounds = getattr(result, "rounds", None)
        rows.append((f"{label}: one feasibility solve", t_feas, f"feasible={ok}"))
        rows.append((f"{label}: fewest rounds + max slack", t_all, f"T*={rounds}"))
    from dataclasses import replace

    seq = replace(make_problem(True), within_round="sequential", snapback="credible")
    t_feas, ok = timed(lambda: feasible_within(seq))
    t_all, result = timed(lambda: find_schedule(seq))
    rows.append(("sequential LP: feasibility at 50 rounds", t_feas, f"feasible={ok}"))
    rows.append(("sequential LP: fewest rounds + max slack", t_all, f"T*={result.rounds}"))
    bayes = make_bayesian()
    t_all, result = timed(lambda: find_schedule(bayes))
    rows.append(("Bayesian 10 x 20: fewest rounds + fixed point", t_all, f"T*={result.rounds}"))
    print(f"sequencing: {STEPS} steps x {ROUNDS} rounds (seed {SEED})")
    print(f"{'task':<44} {'seconds':>10}  note")
    for name, seconds, note in rows:
        print(f"{name:<44} {seconds:>10.4f}  {note}")


if __name__ == "__main__":
    main()
