"""Benchmark: two-party bargaining analysis at the array level, 1e3 … 1e7 outcomes.

Each case runs in its own subprocess, so that its peak resident memory (``ru_maxrss``) is its
own. Timed work: Pareto frontier + zone of possible agreement + the four bargaining solutions +
each party's best and worst outcome (``analyse_arrays`` below), on a seeded random utility matrix
and on the worst case where every outcome is Pareto-optimal (one issue, u2 = 1 − u1, shuffled).
Side by side in the same subprocess: the plain O(n log n) sort without the staircase pre-filter
(the ratio column). When the ``compare`` extra is installed, NegMAS's ``pareto_frontier`` runs on
the same utilities in the same benchmark run, each case in a subprocess of its own with a 60 s
limit (random 1e3 … 1e6, all-Pareto 1e4 … 1e5; larger cases are not run for NegMAS, and a case
bigger than one that ran out of time is skipped); its frontier size is checked against Accord's.
Without NegMAS the column says "not installed".

Run: ``python benchmarks/bench_bargaining.py`` (about a minute on two cores).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import numpy as np

SEED = 20190228
RANDOM_SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
ALL_PARETO_SIZES = (10_000, 100_000, 1_000_000)
NEGMAS_MAX = {"random": 1_000_000, "all-pareto": 100_000}
"""Largest case NegMAS runs (issue 2: 66 s and 3 GB at 1e7 random, 49 s at 3e4 all-Pareto)."""
NEGMAS_TIMEOUT_S = 60.0


def make_utilities(case: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence(SEED).spawn(1)[0])
    if case == "random":
        return rng.random((n, 2))
    x = rng.permutation(np.linspace(0.0, 1.0, n))
    return np.stack([x, 1.0 - x], axis=1)


def analyse_arrays(u: np.ndarray, r: np.ndarray) -> dict[str, Any]:
    from accord.bargaining import (
        best_outcomes,
        pareto_mask,
        solve_all,
        worst_outcomes,
        zopa_mask,
    )

    front = pareto_mask(u)
    zone_size = int(np.count_nonzero(zopa_mask(u, r)))
    solutions = solve_all(u, r, pareto=front)
    return {
        "pareto": int(front.sum()),
        "zone": zone_size,
        "solutions": solutions,
        "best": best_outcomes(u, pareto=front),
        "worst": worst_outcomes(u),
    }


def run_case(case: str, n: int) -> dict[str, Any]:
    """One measurement (inside the subprocess)."""
    from accord.bargaining.frontier import _sorted_frontier_2d

    r = np.array([0.2, 0.2])
    analyse_arrays(make_utilities("random", 50_000), r)  # load the compiled kernel first
    u = make_utilities(case, n)
    start = time.perf_counter()
    found = analyse_arrays(u, r)
    seconds = time.perf_counter() - start
    # Memory in a second, separately traced run, so tracing does not slow the timed one.
    tracemalloc.start()
    analyse_arrays(u, r)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB

    start = time.perf_counter()
    plain = _sorted_frontier_2d(u[:, 0], u[:, 1])
    plain_seconds = time.perf_counter() - start
    if int(plain.sum()) != found["pareto"]:
        raise AssertionError(f"plain sort and pre-filtered frontier disagree at n={n}")
    return {
        "case": case,
        "n": n,
        "seconds": seconds,
        "traced_peak": traced_peak,
        "peak_rss": peak_rss,
        "pareto": found["pareto"],
        "plain_seconds": plain_seconds,
    }


def run_negmas_case(case: str, n: int) -> dict[str, Any]:
    """NegMAS's ``pareto_frontier`` on the same utilities (inside its own subprocess).

    Optional: the ``compare`` extra. NegMAS takes utility functions and outcomes, so it gets table
    lookups of the same numbers; building them is not timed, only ``pareto_frontier``.
    """
    from negmas.preferences import MappingUtilityFunction, pareto_frontier

    u = make_utilities(case, n)
    outcomes = [(i,) for i in range(n)]
    ufuns = [
        MappingUtilityFunction(dict(zip(outcomes, u[:, p].tolist(), strict=True))) for p in range(2)
    ]
    start = time.perf_counter()
    front, _ = pareto_frontier(ufuns, outcomes=outcomes)
    return {"seconds": time.perf_counter() - start, "frontier": len(front)}


def _subprocess_json(args: list[str], timeout: float) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _measure(case: str, n: int) -> dict[str, Any]:
    return _subprocess_json(["--case", case, str(n)], timeout=300)


def _negmas_installed() -> bool:
    return importlib.util.find_spec("negmas") is not None


def _measure_negmas(rows: list[dict[str, Any]]) -> None:
    """Add NegMAS's time to each row (or why there is none), largest cases skipped."""
    installed = _negmas_installed()
    timed_out: set[str] = set()
    for r in rows:
        r["negmas_seconds"] = None
        if not installed:
            r["negmas_note"] = "not installed"
        elif r["n"] > NEGMAS_MAX[r["case"]]:
            r["negmas_note"] = "not run"
        elif r["case"] in timed_out:
            r["negmas_note"] = "skipped (>60 s)"  # a smaller case of this kind already was
        else:
            try:
                found = _subprocess_json(
                    ["--negmas", r["case"], str(r["n"])], timeout=NEGMAS_TIMEOUT_S
                )
            except subprocess.TimeoutExpired:
                timed_out.add(r["case"])
                r["negmas_note"] = "skipped (>60 s)"
                continue
            except Exception as exc:  # an API change in NegMAS must not sink the benchmark
                r["negmas_note"] = f"failed: {type(exc).__name__}"
                continue
            r["negmas_seconds"] = found["seconds"]
            # A frontier of another size would make the timing comparison meaningless.
            r["negmas_note"] = "" if found["frontier"] == r["pareto"] else "differs"


def main() -> None:
    rows = [_measure("random", n) for n in RANDOM_SIZES]
    rows += [_measure("all-pareto", n) for n in ALL_PARETO_SIZES]
    _measure_negmas(rows)
    header = (
        f"{'case':<11} {'outcomes':>11} {'frontier':>9} {'accord s':>9} {'traced MB':>10} "
        f"{'peak RSS MB':>12} {'plain sort s':>13} {'sort/accord':>12} {'negmas s':>16} "
        f"{'negmas/accord':>14}"
    )
    print("Two-party bargaining analysis (frontier + zone + 4 solutions + best/worst)")
    print(header)
    print("-" * len(header))
    for r in rows:
        if r["negmas_seconds"] is not None:
            negmas_cell = f"{r['negmas_seconds']:.3f} {r['negmas_note']}".rstrip()
            ratio = f"{r['negmas_seconds'] / r['seconds']:.1f}"
        else:
            negmas_cell, ratio = r["negmas_note"], "-"
        print(
            f"{r['case']:<11} {r['n']:>11,} {r['pareto']:>9,} {r['seconds']:>9.3f} "
            f"{r['traced_peak'] / 1e6:>10.1f} {r['peak_rss'] / 1e6:>12.1f} "
            f"{r['plain_seconds']:>13.3f} {r['plain_seconds'] / r['seconds']:>12.1f} "
            f"{negmas_cell:>16} {ratio:>14}"
        )
    print(
        "accord s: array-level analysis; traced MB: NumPy/Python allocations during it "
        "(tracemalloc, input excluded); peak RSS: the whole subprocess, input and interpreter "
        "included; plain sort: the same frontier by lexsort + running maximum alone "
        "(frontier only, so sort/accord compares it with the whole analysis); negmas s: "
        "NegMAS's pareto_frontier alone on the same utilities (frontier only, like plain sort; "
        "'differs' if its frontier size is not Accord's), negmas/accord its time over Accord's "
        "whole analysis."
    )
    if not _negmas_installed():
        print("negmas: not importable here; install the 'compare' extra to add its column.")
    else:
        from importlib.metadata import version

        print(f"negmas {version('negmas')}: each case in its own subprocess, limit 60 s")
    print(f"seed {SEED}; python {sys.version.split()[0]}; numpy {np.__version__}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], int(sys.argv[3]))))
    elif len(sys.argv) == 4 and sys.argv[1] == "--negmas":
        print(json.dumps(run_negmas_case(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
