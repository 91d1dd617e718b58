"""The same seed gives identical sweeps on every executor, worker count and batch size."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.io.scenario_file import load_scenario
from accord.uncertainty import plan_sweep, run_sweep


def _table(tmp: Path, name: str, **kw: object) -> object:
    plan = plan_sweep(
        load_scenario("hanoi-2019"), "analyse", samples=300, seed=42, sampler="sobol",
        batch_size=int(kw.pop("batch_size", 64)),  # type: ignore[call-overload]
    )  # fmt: skip
    return run_sweep(plan, str(tmp / name), **kw).table  # type: ignore[arg-type]


def test_serial_processes_and_dask_give_identical_tables(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    serial = _table(tmp_path, "serial")
    procs = _table(tmp_path, "procs", executor="processes", workers=2)
    assert procs.equals(serial)  # type: ignore[attr-defined]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = _table(tmp_path, "dask", dask=client)
    assert on_dask.equals(serial)  # type: ignore[attr-defined]


def test_batch_size_does_not_change_results(tmp_path: Path) -> None:
    a = _table(tmp_path, "a", batch_size=7)
    b = _table(tmp_path, "b", batch_size=300)
    assert a.equals(b)  # type: ignore[attr-defined]
    assert a.num_rows == 300  # type: ignore[attr-defined]
    assert a.column("sample").to_pylist() == list(range(300))  # type: ignore[attr-defined]


def test_stochastic_engine_is_identical_across_executors(tmp_path: Path) -> None:
    # Random strategies draw from each sample's own stream: the slow path with real randomness.
    s = load_scenario("hanoi-2019")
    opts = {"runs": 3, "deadline": 10, "strategies": {"usa": "random", "dprk": "random"}}
    tables = []
    for name, kw in (("s", {}), ("p", {"executor": "processes", "workers": 2})):
        plan = plan_sweep(s, "simulate", samples=12, seed=3, batch_size=5, options=opts)
        tables.append(run_sweep(plan, str(tmp_path / name), **kw).table)  # type: ignore[arg-type]
    assert tables[0].equals(tables[1])
