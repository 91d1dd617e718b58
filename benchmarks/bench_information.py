"""Incomplete-information benchmark (issue 12, item 8).

Times, in one run: the Hanoi scenario (240 packages, beliefs on a 200-point type grid, 3 rounds
of screening, all four regimes; target under 50 ms) and a synthetic 10^5-package scenario with 3
rounds (target under 2 s); plus the vectorised screening recursion against its plain-loop
reference on a small problem (with their ratio). Synthetic utilities come from a seeded generator.
"""

from __future__ import annotations

import time

import numpy as np

from accord.information import Belief, problem_from_scenario, solve
from accord.information.protocols import _solve, screening, screening_reference
from accord.io.scenario_file import load_scenario
from accord.scenario.base import Param

SEED = 20190228


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    fn()  # warm up (imports, SciPy's first calls)
    start = time.perf_counter()
    out = None
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - start) / repeat, out


def main() -> None:
    hanoi = load_scenario("hanoi-2019")
    rows = []
    for protocol in ("ultimatum", "screening"):
        pb = problem_from_scenario(hanoi, protocol=protocol, rounds=3, grid=200)
        t, _ = timed(lambda pb=pb: solve(pb), repeat=10)
        note = f"{len(pb.u_p)} packages, grid 200" + (
            ", 3 rounds" if protocol == "screening" else ""
        )
        rows.append((f"Hanoi {protocol}, all regimes", t, note + ", target < 0.05 s"))
    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    n = 100_000
    u_p, u_r = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    belief = Belief.from_param(Param.model_validate({"triangular": [0.2, 0.5, 0.8]}))
    t_big, _ = timed(lambda: screening(u_p, u_r, 0.3, belief, 3, 0.95, 0.9, grid=200))
    rows.append(("10^5 packages, screening 3 rounds", t_big, "grid 200, target < 2 s"))
    small_p, small_r = u_p[:40], u_r[:40]
    types, mass, _ = belief.grid(25)
    t_fast, _ = timed(lambda: _solve(small_p, small_r, 0.3, types, mass, 3, 0.95, 0.9), repeat=5)
    t_ref, _ = timed(lambda: screening_reference(small_p, small_r, 0.3, types, mass, 3, 0.95, 0.9))
    rows.append(
        ("screening 40 x 25, vectorised", t_fast, f"{t_ref / t_fast:.0f}x faster than loops")
    )
    rows.append(("screening 40 x 25, loop reference", t_ref, "1x"))
    print(f"information (seed {SEED})")
    print(f"{'task':<40} {'seconds':>10}  note")
    for name, seconds, note in rows:
        print(f"{name:<40} {seconds:>10.4f}  {note}")


if __name__ == "__main__":
    main()
