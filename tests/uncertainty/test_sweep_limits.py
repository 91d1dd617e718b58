"""Sweeps at their limits (issue 19): batch-wise sampling, memory O(batch), the engine's limits.

* The rows a sweep generates batch by batch equal the whole-matrix designs of NumPy and SciPy
  (computed here directly, as Accord computed them before batch-wise generation), for every batch
  size and in any order; beyond ``LHS_BLOCK`` samples the Latin hypercube is a sequence of
  blocks, each one stratified.
* A sweep of 10^8 samples (the documented maximum) starts without building its sample matrix.
* ``accord sweep --engine simulate`` refuses what ``accord simulate`` refuses, with the same
  message, before it writes anything.
"""

from __future__ import annotations

import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from scipy.stats import qmc
from typer.testing import CliRunner

import accord.simulation.from_scenario as from_scenario
import accord.uncertainty.samplers as samplers
from accord.app.engines.simulate import SimulateSettings
from accord.cli.main import app
from accord.cli.sweep import _count
from accord.io.scenario_file import load_scenario
from accord.store import RunStore
from accord.uncertainty import plan_sweep, run_sweep
from accord.uncertainty.executors import run_tasks
from accord.uncertainty.samplers import SampleStream, unit_samples
from accord.uncertainty.sweep import MAX_SAMPLES

runner = CliRunner()


def _text(res: Any) -> str:
    return " ".join((res.output + (res.stderr if res.stderr_bytes is not None else "")).split())


def _reference(sampler: str, n: int, d: int, seed: int) -> np.ndarray:
    """The whole (n, d) design, drawn in one call as Accord drew it before batch-wise sampling."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    if sampler == "random":
        return rng.random((n, d))
    if sampler == "lhs":
        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return qmc.Sobol(d=d, scramble=True, seed=rng).random(n)


def _batchwise(sampler: str, n: int, d: int, seed: int, batch: int, order: Any = None) -> Any:
    stream = SampleStream(sampler, n, d, seed)
    starts = list(range(0, n, batch))
    out = np.full((n, d), np.nan)
    for start in starts if order is None else order(starts):
        out[start : start + batch] = stream.unit_rows(start, min(n, start + batch))
    return out


@pytest.mark.parametrize("sampler", ["random", "sobol", "lhs"])
@pytest.mark.parametrize("batch", [1, 7, 64, 1000])
def test_batchwise_rows_equal_the_whole_matrix(sampler: str, batch: int) -> None:
    n, d, seed = 1000, 3, 17
    ref = _reference(sampler, n, d, seed)
    assert np.array_equal(_batchwise(sampler, n, d, seed, batch), ref)
    # Resumed sweeps ask for batches out of order: the rows do not change.
    backwards = _batchwise(sampler, n, d, seed, batch, order=lambda s: s[::-1])
    assert np.array_equal(backwards, ref)
    assert np.array_equal(unit_samples(sampler, n, d, seed), ref)


def _is_latin(block: np.ndarray) -> bool:
    m = block.shape[0]
    return all(
        np.array_equal(np.sort(np.floor(block[:, j] * m).astype(int)), np.arange(m))
        for j in range(block.shape[1])
    )


def test_lhs_beyond_one_block_is_stratified_block_by_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(samplers, "LHS_BLOCK", 50)
    n, d, seed = 173, 4, 5
    whole = unit_samples("lhs", n, d, seed)
    for batch in (1, 13, 50, 173):
        assert np.array_equal(_batchwise("lhs", n, d, seed, batch), whole)
    blocks = [whole[k : k + 50] for k in range(0, n, 50)]
    assert [len(b) for b in blocks] == [50, 50, 50, 23]
    assert all(_is_latin(b) for b in blocks)
    assert not _is_latin(whole[25:75])  # straddling two blocks: not one hypercube
    assert np.array_equal(blocks[0], _reference("lhs", 50, d, seed))  # block 0: as before


def test_a_sweep_of_the_documented_maximum_starts_in_memory_o_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    real = SampleStream.unit_rows

    def spy(self: SampleStream, start: int, stop: int) -> np.ndarray:
        asked.append(stop - start)
        return real(self, start, stop)

    monkeypatch.setattr(SampleStream, "unit_rows", spy)
    plan = plan_sweep(load_scenario("hanoi-2019"), "analyse", samples=MAX_SAMPLES, seed=1)
    assert plan.samples == 10**8 and plan.n_batches == MAX_SAMPLES // plan.batch_size

    class Enough(Exception):
        pass

    def stop_after_first(done: int, total: int) -> None:
        if done > 0:
            raise Enough

    store = RunStore(tmp_path / "huge")
    tracemalloc.start()
    try:
        with pytest.raises(Enough):
            run_sweep(plan, store, progress=stop_after_first)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The whole matrix alone would be samples x parameters x 8 bytes (several GB).
    whole = plan.samples * len(plan.params) * 8
    assert peak < 64 * 2**20 < whole
    assert asked and max(asked) <= plan.batch_size
    assert len(store.part_files(plan.sweep_id)) == 1
    assert store.get(plan.sweep_id).status == "interrupted"


def test_process_executor_pulls_tasks_as_workers_free_up() -> None:
    pulled = 0

    def tasks() -> Any:
        nonlocal pulled
        for k in range(12):
            pulled += 1
            yield -k

    seen: list[int] = []
    run_tasks(abs, tasks(), lambda t, r: seen.append(pulled), executor="processes", workers=1)
    assert len(seen) == 12
    assert seen[0] <= 2  # two in flight per worker, never the whole list


# --- the engine's own limits ------------------------------------------------------------------


def test_sweep_simulate_applies_the_outcome_limit_of_accord_simulate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = from_scenario.scenario_setup(load_scenario("hanoi-2019")).space.n
    monkeypatch.setattr(from_scenario, "MAX_OUTCOMES", n - 1)  # the one limit, lowered
    simulate = runner.invoke(app, ["simulate", "hanoi-2019", "--runs", "1"])
    store = tmp_path / "store"
    sweep = runner.invoke(
        app,
        ["sweep", "hanoi-2019", "--engine", "simulate", "--samples", "3", "--store", str(store)],
    )
    assert simulate.exit_code == 2 and sweep.exit_code == 2
    message = f"simulation supports up to {n - 1:,}"
    assert message in _text(simulate) and message in _text(sweep)
    assert not store.exists()  # refused before anything was written


@pytest.mark.parametrize("setting", ["deadline", "runs"])
def test_sweep_simulate_applies_the_settings_bounds(tmp_path: Path, setting: str) -> None:
    bounds = [m.le for m in SimulateSettings.model_fields[setting].metadata if hasattr(m, "le")]
    assert bounds
    too_many = int(bounds[0]) + 1
    store = tmp_path / "store"
    res = runner.invoke(
        app,
        ["sweep", "hanoi-2019", "--engine", "simulate", "--samples", "3", "--store", str(store),
         "--option", f"{setting}={too_many}"],
    )  # fmt: skip
    assert res.exit_code == 2, _text(res)
    assert f"setting '{setting}' of 'simulate'" in _text(res)
    assert "This is a bug" not in _text(res)
    assert not store.exists()


def test_samples_take_scientific_notation_up_to_the_maximum(tmp_path: Path) -> None:
    assert _count("1e8") == MAX_SAMPLES
    assert _count("10_000") == _count("10,000") == 10_000
    with pytest.raises(typer.BadParameter):
        _count("1.5")
    store = ["--store", str(tmp_path)]
    res = runner.invoke(app, ["sweep", "hanoi-2019", "--samples", "2e8", *store])
    assert res.exit_code == 2 and f"between 1 and {MAX_SAMPLES:,}" in _text(res)
    res = runner.invoke(app, ["sweep", "hanoi-2019", "--samples", "2.5", *store])
    assert res.exit_code == 2 and "not a whole number" in _text(res)
