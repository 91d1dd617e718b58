"""The results store under damage, locks, kills and a hostile environment (issue 19).

Each test builds a small store in ``tmp_path`` (hanoi-2019, the analyse engine, a few batches) and
then does to it what a red team did: flips bytes inside a part, plants a foreign part, holds the
catalogue's lock from another process, makes the store read-only, damages or deletes the
catalogue, kills a sweep with SIGKILL, fills the disk. The store must name what is wrong, keep
going where it can, and redo exactly the damaged batches.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

import accord.store.runs as runs
from accord.cli.sweep import register
from accord.io.scenario_file import load_scenario
from accord.store import RunStore, StoreError
from accord.uncertainty import plan_sweep, run_sweep

SAMPLES, BATCH, SEED = 60, 6, 11
N_BATCHES = SAMPLES // BATCH

app = typer.Typer()


@app.callback()
def _root() -> None:
    """Test app."""


register(app)
runner = CliRunner()


def _plan(seed: int = SEED) -> Any:
    return plan_sweep(
        load_scenario("hanoi-2019"), "analyse", samples=SAMPLES, seed=seed, batch_size=BATCH
    )


def _text(res: Any) -> str:
    return " ".join((res.output + (res.stderr if res.stderr_bytes is not None else "")).split())


@pytest.fixture
def swept(tmp_path: Path) -> tuple[RunStore, Any, Any]:
    store = RunStore(tmp_path / "store")
    plan = _plan()
    return store, plan, run_sweep(plan, store)


def _flip_data_bytes(part: Path) -> None:
    """Corrupt the last bytes of the second column's first page; the footer stays intact."""
    md = pq.read_metadata(part)
    col = md.row_group(0).column(1)
    first_page_end = (
        col.data_page_offset
        if col.has_dictionary_page
        else (col.data_page_offset + col.total_compressed_size)
    )
    data = bytearray(part.read_bytes())
    for k in (first_page_end - 3, first_page_end - 4):
        data[k] ^= 0xFF
    part.write_bytes(bytes(data))


# --- 1. parts: checksums, ranges, ids ---------------------------------------------------------


def _raise_reason(store: RunStore, sweep_id: str, name: str) -> None:
    _table, reason = store.check_part(
        sweep_id, 3, store.sweep_dir(sweep_id) / "quarantine" / name, range(18, 24)
    )
    if reason is not None:
        raise StoreError(reason)


def test_damaged_data_with_intact_footer_is_named_set_aside_and_redone(
    swept: tuple[RunStore, Any, Any],
) -> None:
    store, plan, first = swept
    part = store.part_path(first.sweep_id, 3)
    _flip_data_bytes(part)
    assert pq.read_metadata(part).num_rows == BATCH  # the footer check of old passes

    # Export refuses the sweep and names the part (moving it aside), with the command to redo it.
    out = store.root.parent / "out.csv"
    args = ["runs", "export", first.sweep_id, "-o", str(out), "--store", str(store.root)]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, _text(res)
    assert "part-000003.parquet" in _text(res) and "checksum" in _text(res)
    assert "--resume" in _text(res) and "This is a bug" not in _text(res)
    assert not out.exists()
    assert (store.sweep_dir(first.sweep_id) / "quarantine" / "part-000003.parquet").is_file()
    assert not part.exists()
    # With the part set aside, export writes what is left and says what it lacks.
    res = runner.invoke(app, args)
    assert res.exit_code == 0, _text(res)
    assert pcsv.read_csv(out).num_rows == SAMPLES - BATCH
    assert f"lacks {BATCH:,} of its {SAMPLES:,} samples" in _text(res)
    with pytest.raises(StoreError, match="checksum"):  # the quarantined file is really damaged
        _raise_reason(store, first.sweep_id, part.name)

    notes: list[str] = []
    again = run_sweep(plan, store, resume=True, notify=notes.append)
    assert again.resumed_batches == N_BATCHES - 1
    assert again.table.equals(first.table)
    assert again.table.column("sample").to_pylist() == list(range(SAMPLES))


def test_resume_names_and_redoes_a_checksum_failure(swept: tuple[RunStore, Any, Any]) -> None:
    store, plan, first = swept
    _flip_data_bytes(store.part_path(first.sweep_id, 7))
    notes: list[str] = []
    again = run_sweep(plan, store, resume=True, notify=notes.append)
    assert len(notes) == 1 and "part-000007.parquet" in notes[0] and "quarantine" in notes[0]
    assert [b.batch for b in again.repaired] == [7]
    assert again.resumed_batches == N_BATCHES - 1
    assert again.table.equals(first.table)


def test_foreign_part_with_the_right_row_count_is_caught(
    swept: tuple[RunStore, Any, Any], tmp_path: Path
) -> None:
    store, plan, first = swept
    sid = first.sweep_id
    # Batch 2's part copied over batch 5 (same row count: the old check accepted it, leaving
    # samples 12..17 twice and 30..35 missing).
    shutil.copyfile(store.part_path(sid, 2), store.part_path(sid, 5))
    # A part of another sweep (another seed), same batch index, same sample ids.
    other = run_sweep(_plan(seed=SEED + 1), tmp_path / "other")
    shutil.copyfile(
        RunStore(tmp_path / "other").part_path(other.sweep_id, 8), store.part_path(sid, 8)
    )

    notes: list[str] = []
    again = run_sweep(plan, store, resume=True, notify=notes.append)
    reasons = {b.batch: b.reason for b in again.repaired}
    assert set(reasons) == {5, 8}
    assert "samples 12..17" in reasons[5] and "30..35" in reasons[5]
    assert "another sweep" in reasons[8]
    samples = again.table.column("sample").to_pylist()
    assert samples == list(range(SAMPLES))  # each sample exactly once
    assert again.table.equals(first.table)


def test_part_with_wrong_ids_but_right_count_and_metadata_is_caught(
    swept: tuple[RunStore, Any, Any],
) -> None:
    import pyarrow as pa

    store, plan, first = swept
    part = store.part_path(first.sweep_id, 4)
    table = pq.read_table(part)
    ids = table.column("sample").to_pylist()
    ids[2], ids[3] = ids[3], ids[2]  # two samples swapped: first and last still right
    table = table.set_column(0, "sample", pa.array(ids, type=pa.int64()))
    runs.write_parquet(table, str(part))
    again = run_sweep(plan, store, resume=True)
    assert [b.batch for b in again.repaired] == [4]
    assert "in order" in again.repaired[0].reason
    assert again.table.equals(first.table)


# --- 2. catalogue: lock, read-only, damage ----------------------------------------------------

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@contextlib.contextmanager
def _hold_catalogue(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_catalogue_lock_held_by_another_process_is_waited_for(
    swept: tuple[RunStore, Any, Any],
) -> None:
    store, plan, first = swept
    with _hold_catalogue(store.root / runs.CATALOGUE, 1.5) as holder:
        assert holder.poll() is None  # the lock is held while the sweep records its status
        again = run_sweep(plan, store, resume=True)  # writes the catalogue twice
        listed = RunStore(store.root).list()  # and a reader
    assert again.table.equals(first.table)
    assert [(r.id, r.status) for r in listed] == [(first.sweep_id, "complete")]


def test_catalogue_lock_that_never_ends_is_a_clear_error(
    swept: tuple[RunStore, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, plan, first = swept
    monkeypatch.setattr(runs, "CATALOGUE_WAIT_S", 0.3)
    with _hold_catalogue(store.root / runs.CATALOGUE, 60):
        with pytest.raises(StoreError, match="stayed locked by another process"):
            store.record(first.sweep_id, plan.manifest(), "complete")
        # A sweep does not fail for it: its folder records the status, and the store says so.
        writer = RunStore(store.root)
        again = run_sweep(plan, writer, resume=True)
        assert again.table.equals(first.table)
        assert any("stayed locked" in n for n in writer.notes)
        # A reader does not give up either: it lists the run folders instead.
        reader = RunStore(store.root)
        assert [(r.id, r.status) for r in reader.list()] == [(first.sweep_id, "complete")]
        assert any("listing the run folders" in n for n in reader.notes)


CONCURRENT = """
import sys
from accord.store import RunStore
store, name = RunStore(sys.argv[1]), sys.argv[2]
manifest = {"scenario": "s", "engine": "analyse", "samples": 10, "seed": 0, "sampler": "lhs",
            "batch_size": 5, "parameters": [{"path": "p"}]}
store.write_manifest(name, manifest)
for status in ("running", "running", "complete"):  # as a sweep does: start, resume, end
    store.set_status(name, manifest, status)
assert not store.notes, store.notes  # no write had to give up on the catalogue
"""


def test_concurrent_writers_of_one_catalogue_all_finish(tmp_path: Path) -> None:
    store = tmp_path / "shared"
    names = [f"sweep-{k}" for k in range(8)]
    procs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT, str(store), n], stderr=subprocess.PIPE)
        for n in names
    ]
    errors = [p.communicate(timeout=240)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * len(names), errors
    import duckdb

    con = duckdb.connect(str(store / runs.CATALOGUE), read_only=True)
    rows = dict(con.execute("SELECT id, status FROM sweeps").fetchall())
    con.close()
    assert rows == dict.fromkeys(names, "complete")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_list_show_export_write_nothing_to_the_store(
    swept: tuple[RunStore, Any, Any], tmp_path: Path
) -> None:
    store, _, first = swept
    before = _tree(store.root)
    s = str(store.root)
    assert runner.invoke(app, ["runs", "list", "--store", s]).exit_code == 0
    assert runner.invoke(app, ["runs", "show", first.sweep_id, "--store", s]).exit_code == 0
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["runs", "export", first.sweep_id, "-o", str(out), "--store", s])
    assert res.exit_code == 0, res.output
    assert _tree(store.root) == before


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only: by permissions, or (as root) by a read-only bind mount."""
    if os.geteuid() != 0:
        paths = [folder, *folder.rglob("*")]
        modes = {p: p.stat().st_mode for p in paths}
        for p in reversed(paths):
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, m in modes.items():
                p.chmod(m)
        return
    target = folder.with_name(folder.name + "-ro")
    target.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(target)], capture_output=True)
    if mounted.returncode != 0:
        target.rmdir()
        pytest.skip("running as root without mount rights: cannot make a read-only folder")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True)
        if ro.returncode != 0:
            pytest.skip("running as root without mount rights: cannot make a read-only folder")
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=False)
        target.rmdir()


def test_a_read_only_store_can_be_listed_shown_and_exported(
    swept: tuple[RunStore, Any, Any], tmp_path: Path
) -> None:
    store, _, first = swept
    with _read_only(store.root) as ro:
        with pytest.raises(OSError):
            (ro / "probe").write_text("x")
        s = str(ro)
        listed = runner.invoke(app, ["runs", "list", "--store", s, "--json"])
        assert listed.exit_code == 0, _text(listed)
        rows = json.loads(listed.stdout)["sweeps"]
        assert [(r["id"], r["done"], r["status"]) for r in rows] == [
            (first.sweep_id, SAMPLES, "complete")
        ]
        shown = runner.invoke(app, ["runs", "show", first.sweep_id, "--store", s, "--json"])
        assert shown.exit_code == 0, _text(shown)
        assert json.loads(shown.stdout)["summary"]["deal_possible"]["rows"] == SAMPLES
        out = tmp_path / "ro.csv"
        res = runner.invoke(app, ["runs", "export", first.sweep_id, "-o", str(out), "--store", s])
        assert res.exit_code == 0, _text(res)
        assert pcsv.read_csv(out).num_rows == SAMPLES
        # Writing into it is an environment error with the way out, not a bug.
        res = runner.invoke(
            app,
            ["sweep", "hanoi-2019", "--samples", "12", "--executor", "serial", "--store", s],
        )
        assert res.exit_code == 2, _text(res)
        assert "read-only" in _text(res) and "This is a bug" not in _text(res)


def test_a_damaged_catalogue_blocks_nothing_and_is_rebuilt(
    swept: tuple[RunStore, Any, Any],
) -> None:
    store, _, first = swept
    cat = store.root / runs.CATALOGUE
    cat.write_bytes(b"this is not a DuckDB file" * 400)
    res = runner.invoke(app, ["runs", "list", "--store", str(store.root), "--json"])
    assert res.exit_code == 0, _text(res)
    assert [r["id"] for r in json.loads(res.stdout)["sweeps"]] == [first.sweep_id]
    assert "cannot be read" in _text(res)
    shown = runner.invoke(app, ["runs", "show", first.sweep_id, "--store", str(store.root)])
    assert shown.exit_code == 0, _text(shown)

    # The next writer sets the damaged file aside and rebuilds the catalogue from the folders.
    second = run_sweep(_plan(seed=SEED + 2), store)
    assert list(store.root.glob(f"{runs.CATALOGUE}.damaged-*"))
    import duckdb

    con = duckdb.connect(str(cat), read_only=True)
    ids = sorted(r[0] for r in con.execute("SELECT id FROM sweeps").fetchall())
    con.close()
    assert ids == sorted([first.sweep_id, second.sweep_id])


def test_a_lost_catalogue_is_rebuilt_from_the_manifests(swept: tuple[RunStore, Any, Any]) -> None:
    store, _, first = swept
    (store.root / runs.CATALOGUE).unlink()
    assert [(r.id, r.status) for r in RunStore(store.root).list()] == [(first.sweep_id, "complete")]
    second = run_sweep(_plan(seed=SEED + 3), store)
    import duckdb

    con = duckdb.connect(str(store.root / runs.CATALOGUE), read_only=True)
    rows = dict(con.execute("SELECT id, status FROM sweeps").fetchall())
    con.close()
    assert rows == {first.sweep_id: "complete", second.sweep_id: "complete"}


# --- 3. a killed sweep ------------------------------------------------------------------------

SLOW = f"""
import sys, time
from accord.io.scenario_file import load_scenario
from accord.uncertainty import plan_sweep, run_sweep
plan = plan_sweep(load_scenario("hanoi-2019"), "analyse", samples={SAMPLES}, seed={SEED},
                  batch_size={BATCH})
run_sweep(plan, sys.argv[1], progress=lambda done, total: time.sleep(0.3))
"""


def test_a_killed_sweep_reads_interrupted_and_a_partial_export_says_what_it_lacks(
    tmp_path: Path,
) -> None:
    root = tmp_path / "killed"
    plan = _plan()
    folder = root / plan.sweep_id
    proc = subprocess.Popen([sys.executable, "-c", SLOW, str(root)])
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(folder.glob("part-*.parquet"))) < 2:
            time.sleep(0.02)
        assert RunStore(root).get(plan.sweep_id).status == "running"
        # The same sweep cannot be started twice at once.
        with pytest.raises(StoreError, match="being run by process"):
            run_sweep(plan, RunStore(root), resume=True)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    record = RunStore(root).get(plan.sweep_id)
    assert record.status == "interrupted"
    assert 2 <= record.done < SAMPLES
    out = tmp_path / "partial.parquet"
    res = runner.invoke(
        app, ["runs", "export", plan.sweep_id, "-o", str(out), "--store", str(root)]
    )
    assert res.exit_code == 0, _text(res)
    rows = pq.read_table(out).num_rows
    assert rows == record.done
    assert f"lacks {SAMPLES - rows:,} of its {SAMPLES:,} samples" in _text(res)
    assert "--resume" in _text(res)
    finished = run_sweep(plan, RunStore(root), resume=True)
    assert RunStore(root).get(plan.sweep_id).status == "complete"
    assert finished.table.column("sample").to_pylist() == list(range(SAMPLES))


# --- 4. orphan workers ------------------------------------------------------------------------

WORKERS = """
import os, sys, time
import accord.uncertainty.executors as ex

if os.environ.get("ACCORD_TEST_NO_PDEATHSIG"):
    ex._die_with_parent_linux = lambda: None  # the portable watchdog alone


def work(x):
    with open(os.path.join(sys.argv[1], f"pid-{os.getpid()}"), "w"):
        pass
    time.sleep(120)
    return x


if __name__ == "__main__":
    ex.run_tasks(work, range(4), lambda t, r: None, executor="processes", workers=2)
"""


def _alive(pid: int) -> bool:
    if Path("/proc").is_dir():  # Linux: a zombie (exited, not yet reaped) counts as dead
        try:
            return "\nState:\tZ" not in "\n" + Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_exit_when_the_sweep_is_killed(tmp_path: Path) -> None:
    # Two sweeps at once: one with both safeguards, one with the portable watchdog alone.
    script = tmp_path / "workers.py"
    script.write_text(textwrap.dedent(WORKERS))
    folders = {"pdeathsig": tmp_path / "a", "watchdog": tmp_path / "b"}
    procs = {}
    for name, folder in folders.items():
        folder.mkdir()
        env = dict(os.environ)
        if name == "watchdog":
            env["ACCORD_TEST_NO_PDEATHSIG"] = "1"
        procs[name] = subprocess.Popen([sys.executable, str(script), str(folder)], env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(
            len(list(f.glob("pid-*"))) < 2 for f in folders.values()
        ):
            time.sleep(0.05)
    finally:
        for proc in procs.values():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    pids = {
        name: [int(p.name.split("-")[1]) for p in f.glob("pid-*")] for name, f in folders.items()
    }
    assert {name: len(p) for name, p in pids.items()} == {"pdeathsig": 2, "watchdog": 2}
    everyone = [p for group in pids.values() for p in group]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in everyone):
        time.sleep(0.1)
    survivors = {name: [p for p in group if _alive(p)] for name, group in pids.items()}
    for p in (p for group in survivors.values() for p in group):  # never leave them behind
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)
    assert survivors == {"pdeathsig": [], "watchdog": []}


# --- 5. a hostile environment -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "read-only")],
)
def test_environment_failures_are_clear_errors_with_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    store = str(tmp_path / "env")
    args = ["sweep", "hanoi-2019", "--samples", "30", "--batch-size", "5", "--seed", "4",
            "--executor", "serial", "--store", store]  # fmt: skip
    real = runs.write_parquet
    calls = {"n": 0}

    def failing(table: Any, where: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 2:  # two parts get written, then the disk fills up
            raise OSError(code, os.strerror(code))
        real(table, where)

    monkeypatch.setattr(runs, "write_parquet", failing)
    res = runner.invoke(app, args)
    text = _text(res)
    assert res.exit_code == 2, text
    assert words in text and "--resume" in text and "This is a bug" not in text
    assert not list((tmp_path / "env").rglob(".tmp-*"))  # no half-written part left behind
    listed = RunStore(store).list()
    assert [(r.status, r.done) for r in listed] == [("interrupted", 10)]

    monkeypatch.setattr(runs, "write_parquet", real)
    res = runner.invoke(app, [*args, "--resume", "--json"])
    assert res.exit_code == 0, _text(res)
    assert json.loads(res.stdout)["resumed_batches"] == 2
    assert [(r.status, r.done) for r in RunStore(store).list()] == [("complete", 30)]
