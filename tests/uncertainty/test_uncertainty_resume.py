"""Resume after kill -9: every sample exactly once, identical to an uninterrupted sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.errors import AccordError
from accord.io.scenario_file import load_scenario
from accord.store import RunStore
from accord.uncertainty import plan_sweep, run_sweep

SAMPLES, BATCH, SEED = 240, 6, 5

CHILD = f"""
import sys, time
from accord.io.scenario_file import load_scenario
from accord.uncertainty import plan_sweep, run_sweep
plan = plan_sweep(load_scenario("hanoi-2019"), "analyse", samples={SAMPLES}, seed={SEED},
                  batch_size={BATCH}, fast=False)
# Slow each batch down so that the parent can kill the sweep in the middle.
run_sweep(plan, sys.argv[1], progress=lambda done, total: time.sleep(0.2))
"""


def _plan() -> object:
    return plan_sweep(
        load_scenario("hanoi-2019"), "analyse", samples=SAMPLES, seed=SEED, batch_size=BATCH,
        fast=False,
    )  # fmt: skip


def test_resume_after_sigkill_matches_uninterrupted_run(tmp_path: Path) -> None:
    store = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(store)])
    plan = _plan()
    folder = store / plan.sweep_id  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = list(folder.glob("part-*.parquet")) if folder.is_dir() else []
        if len(parts) >= 4:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    n_parts = len(list(folder.glob("part-*.parquet")))
    assert 4 <= n_parts < SAMPLES // BATCH, "the kill must land mid-sweep"
    # A writer killed inside a part leaves only a hidden temporary file; plant one to be sure.
    (folder / ".tmp-part-000039.parquet-1-dead").write_bytes(b"PAR1 half-written")

    with pytest.raises(AccordError, match="pass --resume"):
        run_sweep(plan, str(store))  # type: ignore[arg-type]
    resumed = run_sweep(plan, str(store), resume=True)  # type: ignore[arg-type]
    assert resumed.resumed_batches >= n_parts - 1  # a part may land between count and kill
    fresh = run_sweep(plan, str(tmp_path / "fresh"))  # type: ignore[arg-type]
    samples = resumed.table.column("sample").to_pylist()
    assert samples == list(range(SAMPLES))  # every sample exactly once
    assert resumed.table.equals(fresh.table)
    assert not list(folder.glob(".tmp-*"))
    # Resuming a finished sweep reads it back unchanged.
    again = run_sweep(plan, str(store), resume=True)  # type: ignore[arg-type]
    assert again.table.equals(fresh.table) and again.resumed_batches == SAMPLES // BATCH


def test_damaged_part_is_rerun_not_read(tmp_path: Path) -> None:
    plan = _plan()
    store = RunStore(tmp_path)
    first = run_sweep(plan, store)  # type: ignore[arg-type]
    part = store.part_path(first.sweep_id, 3)
    part.write_bytes(part.read_bytes()[:100])  # truncated: footer gone
    with pytest.raises(pa.ArrowInvalid):
        pq.read_metadata(part)
    again = run_sweep(plan, store, resume=True)  # type: ignore[arg-type]
    assert again.resumed_batches == SAMPLES // BATCH - 1
    assert again.table.equals(first.table)
    assert [r.status for r in store.list()] == ["complete"]
