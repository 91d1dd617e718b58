"""Benchmark: memory of a sweep's sample matrix, whole versus batch by batch (issue 19).

For each sampler and N, the peak traced memory (``tracemalloc``, which sees NumPy's buffers) of
drawing the (N, d) unit-cube design in one call, and of drawing it batch by batch through
:class:`accord.uncertainty.samplers.SampleStream` as a sweep does, with the seconds each took.
Then the first batch of a sweep of the documented maximum, 10^8 samples, of hanoi-2019: its
peak memory and the time until its first part is on disk.
Run: ``python benchmarks/bench_sweep_memory.py``.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from accord.io.scenario_file import load_scenario
from accord.store import RunStore
from accord.uncertainty import plan_sweep, run_sweep
from accord.uncertainty.samplers import SampleStream, unit_samples
from accord.uncertainty.sweep import MAX_SAMPLES

D, BATCH = 6, 2_000
SIZES = (100_000, 1_000_000, 4_000_000)


def _peak(fn: Callable[[], Any]) -> tuple[float, float]:
    """(peak MiB, seconds) of ``fn()``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        fn()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 2**20, seconds


def _batchwise(sampler: str, n: int) -> None:
    stream = SampleStream(sampler, n, D, seed=0)
    for start in range(0, n, BATCH):
        stream.unit_rows(start, min(n, start + BATCH))


class _Stop(Exception):
    pass


def _first_batch_of_max() -> None:
    plan = plan_sweep(load_scenario("hanoi-2019"), "analyse", samples=MAX_SAMPLES, seed=0)

    def stop(done: int, total: int) -> None:
        if done:
            raise _Stop

    with tempfile.TemporaryDirectory() as root, contextlib.suppress(_Stop):
        run_sweep(plan, RunStore(root), progress=stop)


def main() -> None:
    print(f"{'sampler':<8} {'N':>10} {'whole MiB':>10} {'whole s':>8} "
          f"{'batched MiB':>12} {'batched s':>10}")  # fmt: skip
    for sampler in ("random", "sobol", "lhs"):
        for n in SIZES:
            whole = _peak(lambda s=sampler, n=n: unit_samples(s, n, D, seed=0))  # type: ignore[misc]
            batched = _peak(lambda s=sampler, n=n: _batchwise(s, n))  # type: ignore[misc]
            print(f"{sampler:<8} {n:>10,} {whole[0]:>10.1f} {whole[1]:>8.2f} "
                  f"{batched[0]:>12.2f} {batched[1]:>10.2f}")  # fmt: skip
    mib, seconds = _peak(_first_batch_of_max)
    print(f"\nsweep of {MAX_SAMPLES:,} samples (hanoi-2019 analyse): first part on disk after "
          f"{seconds:.2f} s, peak {mib:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
