"""Simulation throughput: batch vs scalar engine, measured side by side in one run (issue 3 §7).

Domain: 3 issues × 10 values (1,000 outcomes), fresh random linear-additive preferences for every
negotiation (Dirichlet weights, uniform value tables scaled to a maximum of 1), deadline 100 rounds,
two Boulware agents (e = 0.2), no reservation value, no discounting. The batch engine runs in
chunks of 5,000 negotiations; the time includes generating the preferences into a reused buffer
(but not Numba's one-off compilation, which a warm-up run pays). The scalar engine plays fewer
negotiations and is reported per second. When NegMAS is importable (the ``compare`` extra), the
same run plays as many NegMAS negotiations as fit in ~30 s: two ``AspirationNegotiator`` agents
with the Boulware curve of e = 0.2 (NegMAS exponent 1/e = 5) in an ``SAOMechanism`` of 100 offers
(``one_offer_per_step=True``), on the same kind of fresh random preferences, timed including the
construction of each negotiation's utility functions and mechanism (NegMAS needs both to run one).
Without NegMAS the ratio column uses its published figure (issue 3: 27 negotiations/s on a 2-core
machine), marked as such.

The second table (issue 18) times the whole ``simulate`` engine on the built-in Hanoi scenario
as the web app runs it on every slider move (``run_all(s, {"simulate": {}}, only=("simulate",),
seed=0)``: the scenario strategies, the strategy matrix, the exponent grid, and both
comparisons), old path against new in one process, median of warm runs, with all Numba threads
and with one. The old path is the engine as it was, rebuilt from today's parts: the stochastic
strategies' draws from one NumPy generator per negotiation
(:func:`accord.simulation.streams.reference_uniforms`, the reference), every batch on the parallel
kernel, and each negotiation's ranking built afresh. Both must give the identical result. A third
table times the draws alone.

Run: ``python benchmarks/bench_simulation.py`` (``hanoi``: only the issue 18 tables).
"""

from __future__ import annotations

import contextlib
import dataclasses
import statistics
import sys
import time
from collections.abc import Iterator

import numba
import numpy as np
from numba import njit, prange

from accord.simulation import (
    NegotiationSetup,
    negotiate,
    parse_strategy,
    simulate_batch_arrays,
)

SIZES = (10, 10, 10)
DEADLINE = 100
CHUNK = 5_000
NEGMAS_PUBLISHED = 27.0  # negotiations/s, from issue 3 (NegMAS 0.16 on 2 cores)
NEGMAS_BUDGET_S = 30.0
BOULWARE_E = 0.2


@njit(parallel=True, cache=True)
def _additive(weights: np.ndarray, tables: np.ndarray, out: np.ndarray) -> None:
    """out[r, o, p] = Σ_k weights[r, p, k] · tables[r, p, k, value of issue k in outcome o]."""
    runs, n_parties, _, size = tables.shape
    for r in prange(runs):
        for a in range(size):
            for b in range(size):
                for c in range(size):
                    o = (a * size + b) * size + c
                    for p in range(n_parties):
                        out[r, o, p] = (
                            weights[r, p, 0] * tables[r, p, 0, a]
                            + weights[r, p, 1] * tables[r, p, 1, b]
                            + weights[r, p, 2] * tables[r, p, 2, c]
                        )


def random_preferences(
    rng: np.random.Generator, runs: int, out: np.ndarray | None = None
) -> np.ndarray:
    """(runs, 1000, 2) utilities: u = Σ_k w_k v_k(x_k) per party, fresh for every negotiation.

    ``out`` is reused across chunks so that the benchmark does not time page faults.
    """
    n_issues = len(SIZES)
    weights = rng.dirichlet(np.ones(n_issues), size=(runs, 2))  # (runs, 2, 3)
    tables = rng.random((runs, 2, n_issues, SIZES[0]))
    tables /= tables.max(axis=3, keepdims=True)
    if out is None:
        out = np.empty((runs, SIZES[0] ** n_issues, 2))
    out = out[:runs]
    _additive(weights, tables, out)
    return out


def run_batch(runs: int, seed: int) -> tuple[float, float]:
    """Seconds and agreement rate for `runs` negotiations on the batch engine."""
    specs = [parse_strategy("boulware:e=0.2"), parse_strategy("boulware:e=0.2")]
    rng = np.random.default_rng(seed)
    buffer = np.empty((CHUNK, SIZES[0] ** len(SIZES), 2))
    buffer.fill(0.0)  # touch the pages before timing
    agreed = 0
    start = time.perf_counter()
    for first in range(0, runs, CHUNK):
        n = min(CHUNK, runs - first)
        u = random_preferences(rng, n, buffer)
        result = simulate_batch_arrays(u, np.zeros((n, 2)), np.ones((n, 2)), DEADLINE, specs, seed)
        agreed += int((result.agreement >= 0).sum())
    return time.perf_counter() - start, agreed / runs


def run_scalar(runs: int, seed: int) -> tuple[float, float]:
    specs = [parse_strategy("boulware:e=0.2"), parse_strategy("boulware:e=0.2")]
    rng = np.random.default_rng(seed)
    u = random_preferences(rng, runs)
    agreed = 0
    start = time.perf_counter()
    for k in range(runs):
        setup = NegotiationSetup.create(u[k], deadline=DEADLINE)
        agreed += negotiate(setup, specs).agreement >= 0
    return time.perf_counter() - start, agreed / runs


def run_negmas(budget_s: float, seed: int) -> tuple[int, float, float] | None:
    """(runs, seconds, agreement rate) of NegMAS negotiations played within ``budget_s``.

    None when NegMAS is not importable (it is an optional extra, never a requirement).
    """
    try:
        from negmas import AspirationNegotiator, SAOMechanism, make_issue
        from negmas.outcomes import make_os
        from negmas.preferences import LinearAdditiveUtilityFunction
        from negmas.preferences.value_fun import TableFun
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    outcome_space = make_os([make_issue(size, f"issue{k}") for k, size in enumerate(SIZES)])
    runs = agreed = 0
    start = time.perf_counter()
    while time.perf_counter() - start < budget_s:
        # The same preference model as random_preferences: Dirichlet weights, tables max 1.
        weights = rng.dirichlet(np.ones(len(SIZES)), size=2)
        tables = rng.random((2, len(SIZES), SIZES[0]))
        tables /= tables.max(axis=2, keepdims=True)
        mechanism = SAOMechanism(
            outcome_space=outcome_space, n_steps=DEADLINE, one_offer_per_step=True
        )
        for p in range(2):
            ufun = LinearAdditiveUtilityFunction(
                values=[TableFun(dict(enumerate(tables[p, k].tolist()))) for k in range(3)],
                weights=weights[p].tolist(),
                outcome_space=outcome_space,
                reserved_value=0.0,
            )
            negotiator = AspirationNegotiator(aspiration_type=1.0 / BOULWARE_E, name=f"p{p}")
            mechanism.add(negotiator, ufun=ufun)
        mechanism.run()
        runs += 1
        agreed += mechanism.state.agreement is not None
    return runs, time.perf_counter() - start, agreed / runs


@contextlib.contextmanager
def old_path() -> Iterator[None]:
    """The engine before issue 18, from today's parts.

    The draws from one NumPy generator per negotiation (the reference), every batch on the
    parallel kernel, and a ranking rebuilt for every negotiation (a second, equal row of
    utilities makes the kernel see them as not shared).
    """
    import accord.simulation.batch as batch
    from accord.simulation.kernel import play_batch
    from accord.simulation.streams import reference_uniforms

    def numpy_draws(seed, start, stop, p, deadline, out=None):
        return reference_uniforms(seed, start, stop, p, deadline)

    play = batch._KernelInputs.play

    def unshared_play(self, draws, out):
        if self.u3.shape[0] == 1:
            self = dataclasses.replace(self, u3=np.concatenate([self.u3, self.u3]))
        play(self, draws, out)

    saved = batch.stream_uniforms, batch.play_serial, batch.PARALLEL_MIN_ROUNDS
    batch.stream_uniforms, batch.play_serial, batch.PARALLEL_MIN_ROUNDS = numpy_draws, play_batch, 0
    batch._KernelInputs.play = unshared_play
    try:
        yield
    finally:
        batch.stream_uniforms, batch.play_serial, batch.PARALLEL_MIN_ROUNDS = saved
        batch._KernelInputs.play = play


def _hanoi_seconds(repeats: int) -> tuple[float, float, dict]:
    """Median and 95th percentile of warm engine seconds, and the result's JSON."""
    from accord.app.run import run_all
    from accord.io.scenario_file import load_scenario

    s = load_scenario("hanoi-2019")
    run_all(s, {"simulate": {}}, only=("simulate",), seed=0)  # warm-up (Numba cache, imports)
    times = []
    for _ in range(repeats):
        r = run_all(s, {"simulate": {}}, only=("simulate",), seed=0, uncertainty=False)
        times.append(r.seconds["simulate"])
    result = r.engines["simulate"].result.to_dict()
    return statistics.median(times), float(np.percentile(times, 95)), result


def hanoi_engine(repeats: int = 11) -> None:
    """Issue 18: the simulate engine on Hanoi, old path against new, side by side."""
    threads = numba.get_num_threads()
    print(
        f"{'simulate on hanoi-2019':<24} {'threads':>7} {'median s':>9} {'p95 s':>7} {'× old':>7}"
    )
    for n_threads in sorted({threads, 1}, reverse=True):
        numba.set_num_threads(n_threads)
        with old_path():
            old_median, old_p95, old_result = _hanoi_seconds(repeats)
        new_median, new_p95, new_result = _hanoi_seconds(repeats)
        same = "identical" if old_result == new_result else "DIFFERENT"
        print(f"{'old (reference path)':<24} {n_threads:>7} {old_median:>9.3f} {old_p95:>7.3f}")
        print(
            f"{'new':<24} {n_threads:>7} {new_median:>9.3f} {new_p95:>7.3f} "
            f"{old_median / new_median:>7.1f}   results {same}"
        )
    numba.set_num_threads(threads)
    from accord.simulation.streams import reference_uniforms, stream_uniforms

    print(f"\n{'draws (runs × 2 × T)':<24} {'reference s':>11} {'compiled s':>11} {'ratio':>7}")
    for runs, deadline in ((1_000, 12), (8_192, 100)):
        start = time.perf_counter()
        ref = reference_uniforms(0, 0, runs, 2, deadline)
        ref_s = time.perf_counter() - start
        start = time.perf_counter()
        fast = stream_uniforms(0, 0, runs, 2, deadline)
        fast_s = time.perf_counter() - start
        assert np.array_equal(ref, fast)
        label = f"{runs:,} × 2 × {deadline}"
        print(f"{label:<24} {ref_s:>11.4f} {fast_s:>11.4f} {ref_s / fast_s:>7.0f}")


def main() -> None:
    hanoi_engine()
    if sys.argv[1:] == ["hanoi"]:
        return
    print()
    run_batch(100, seed=0)  # warm-up: Numba compiles (or loads its cache) here
    rows = []
    scalar_s, scalar_rate = run_scalar(200, seed=1)
    scalar_rate_per_s = 200 / scalar_s
    rows.append(("scalar", 200, scalar_s, scalar_rate_per_s, scalar_rate))
    for runs in (1_000, 100_000):
        seconds, rate = run_batch(runs, seed=1)
        rows.append(("batch", runs, seconds, runs / seconds, rate))
    negmas = run_negmas(NEGMAS_BUDGET_S, seed=1)
    if negmas is None:
        negmas_per_s, mark = NEGMAS_PUBLISHED, "*"
    else:
        negmas_runs, negmas_s, negmas_rate = negmas
        negmas_per_s, mark = negmas_runs / negmas_s, ""
        rows.append(("negmas", negmas_runs, negmas_s, negmas_per_s, negmas_rate))
    print(
        f"{'engine':<8} {'runs':>8} {'seconds':>9} {'negotiations/s':>15} {'agreement':>10} "
        f"{'× scalar':>9} {'× NegMAS' + mark:>10}"
    )
    for engine, runs, seconds, per_s, rate in rows:
        print(
            f"{engine:<8} {runs:>8} {seconds:>9.3f} {per_s:>15,.1f} {rate:>10.3f} "
            f"{per_s / scalar_rate_per_s:>9.3f} {per_s / negmas_per_s:>10.1f}"
        )
    if negmas is None:
        print("negmas: not installed; * ratio against its published 27 negotiations/s (issue 3).")
    else:
        print(
            f"negmas: measured in this run ({negmas[0]} negotiations in ~{NEGMAS_BUDGET_S:.0f} s, "
            "AspirationNegotiator exponent 5 = Boulware e 0.2, 100 offers)."
        )


if __name__ == "__main__":
    main()
