"""Benchmark: sweeps of the hanoi-2019 analysis and simulation on serial, process and Dask.

Measures samples per second of the whole sweep (sampling, engine, atomic Parquet parts and the
DuckDB catalogue) and each executor's time relative to serial, all in one run on this machine
(2 workers for processes and the local Dask cluster).
Run: ``python benchmarks/bench_uncertainty.py``.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from accord.io.scenario_file import load_scenario
from accord.uncertainty import plan_sweep, run_sweep

WORKERS = 2
CASES: tuple[tuple[str, str, int, dict[str, Any], int], ...] = (
    ("hanoi-2019 analyse", "analyse", 100_000, {}, 5_000),
    ("hanoi-2019 simulate x100", "simulate", 10_000, {"runs": 100, "deadline": 50}, 500),
)


def _time(plan: Any, **kw: Any) -> float:
    with tempfile.TemporaryDirectory() as store:
        start = time.perf_counter()
        run_sweep(plan, store, **kw)
        return time.perf_counter() - start


def main() -> None:
    scenario = load_scenario("hanoi-2019")
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # the dask extra is optional
        Client = LocalCluster = None  # type: ignore[assignment,misc]
    cluster = client = None
    if LocalCluster is not None:
        cluster = LocalCluster(
            n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    print(f"{'case':<26} {'executor':<12} {'samples':>9} {'seconds':>8} {'samples/s':>10} "
          f"{'vs serial':>9}")  # fmt: skip
    try:
        for name, engine, samples, options, batch in CASES:
            plan = plan_sweep(
                scenario, engine, samples=samples, seed=0, batch_size=batch, options=options
            )
            runs: list[tuple[str, dict[str, Any]]] = [
                ("serial", {}),
                (f"processes/{WORKERS}", {"executor": "processes", "workers": WORKERS}),
            ]
            if client is not None:
                runs.append((f"dask/{WORKERS}", {"dask": client}))
            serial = None
            for label, kw in runs:
                seconds = _time(plan, **kw)
                serial = serial or seconds
                print(f"{name:<26} {label:<12} {samples:>9,} {seconds:>8.2f} "
                      f"{samples / seconds:>10,.0f} {seconds / serial:>8.2f}x")  # fmt: skip
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
