"""Benchmark: the expected-utility forecast (Scholz variant), batch engine against loops.

* 10,000 Monte Carlo runs of the 10-actor EC emission-standards case (Bueno de Mesquita 1994,
  p. 78), 10 rounds each, inputs perturbed per run, all runs advanced together by the batch engine;
* the same runs one at a time through the same engine (a sample, per-run rate);
* the plain-loop reference implementation (one run), the readable oracle;
* one 100-actor, 10-round forecast.

Ratios are measured side by side in this one run. Usage: ``python benchmarks/bench_forecast.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from accord.forecast import StakeholderArrays, monte_carlo_forecast, perturbed_inputs
from accord.forecast.engine import forecast_dimension
from accord.forecast.expected_utility import SCHOLZ, eu_round
from accord.forecast.reference import reference_round

EC = StakeholderArrays(
    "emission-standards",
    ("NL", "BE", "LU", "DE", "FR", "IT", "UK", "IE", "DK", "GR"),
    np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]),
    np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7], dtype=float),
    np.array([0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]),
    (0.0, 20.0),
)
RUNS = 10_000
ROUNDS = 10
SEED = 2019
T = TypeVar("T")
FloatArray = NDArray[np.float64]


def _timed(fn: Callable[..., T], *args: Any) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def _one_at_a_time(cap: FloatArray, pos: FloatArray, sal: FloatArray) -> None:
    for b in range(len(pos)):
        x = pos[b : b + 1]
        span = np.array([np.ptp(x) or 1.0])
        for _ in range(ROUNDS):
            x = eu_round(x, cap[b : b + 1], sal[b : b + 1], span, SCHOLZ).positions


def _reference_run(cap: FloatArray, pos: FloatArray, sal: FloatArray) -> None:
    x = list(pos)
    span = float(np.ptp(pos)) or 1.0
    for _ in range(ROUNDS):
        x = list(reference_round(x, list(cap), list(sal), span, "scholz").positions)


def main() -> None:
    batch_s, result = _timed(monte_carlo_forecast, EC, RUNS, SEED, "scholz", ROUNDS)
    cap, pos, sal = perturbed_inputs(EC, 200, SEED)
    single_s, _ = _timed(_one_at_a_time, cap, pos, sal)
    ref_s, _ = _timed(_reference_run, cap[0], pos[0], sal[0])

    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    n = 100
    big = StakeholderArrays(
        "big",
        tuple(f"a{k}" for k in range(n)),
        rng.uniform(0.1, 1.0, n),
        rng.uniform(0.0, 100.0, n),
        rng.uniform(0.0, 1.0, n),
    )
    big_s, big_result = _timed(forecast_dimension, big, "scholz", ROUNDS)

    batch_rate = RUNS / batch_s
    single_rate = 200 / single_s
    ref_rate = 1 / ref_s
    summary = result.to_dict()
    print(f"Expected-utility forecast (scholz), {ROUNDS} rounds, seed {SEED}")
    print(f"{'case':<48}{'runs':>8}{'seconds':>10}{'runs/s':>12}{'vs loops':>10}")
    rows = [
        ("10 actors, batch engine, all runs at once", RUNS, batch_s, batch_rate),
        ("10 actors, same engine, one run at a time", 200, single_s, single_rate),
        ("10 actors, plain-loop reference", 1, ref_s, ref_rate),
        ("100 actors, one run", 1, big_s, 1 / big_s),
    ]
    for name, runs, secs, rate in rows:
        ratio = f"{rate / ref_rate:>9.0f}x" if name.startswith("10 ") else f"{'-':>10}"
        print(f"{name:<48}{runs:>8}{secs:>10.3f}{rate:>12.1f}{ratio}")
    print(
        f"batch vs one-at-a-time: {batch_rate / single_rate:.1f}x; "
        f"forecast 5-95%: {summary['q05']:.3f}-{summary['q95']:.3f} "
        f"(median {summary['median']:.3f}); "
        f"100-actor rounds played: {len(big_result.rounds) - 1}"
    )


if __name__ == "__main__":
    main()
