"""Results of sweeps on disk: Parquet parts written atomically, and a DuckDB catalogue.

Layout (default root ``./accord-runs/``)::

    accord-runs/
      catalogue.duckdb            one row per sweep: settings, status, progress
      <sweep-id>/
        manifest.json             the sweep's settings (what it would take to redo it)
        part-000000.parquet       rows of batch 0 (one row per sample)
        part-000001.parquet       ...

A part is written to a hidden temporary name in the same folder, flushed and fsynced, then renamed
to ``part-NNNNNN.parquet`` (``os.replace`` is atomic on POSIX), and the folder is fsynced. So a
process killed at any moment leaves either a whole part or none; temporary files are never read
(readers only match ``part-*.parquet``) and are removed when the sweep resumes. A part is also
checked (Parquet footer and row count) before it counts as done.

Example::

    >>> import tempfile, numpy as np
    >>> store = RunStore(tempfile.mkdtemp())
    >>> store.write_part("demo", 0, {"sample": np.arange(3), "x": np.ones(3)})
    >>> store.completed_batches("demo", {0: 3})
    {0}
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import AccordError

DEFAULT_STORE = Path("accord-runs")
CATALOGUE = "catalogue.duckdb"
MANIFEST = "manifest.json"
PART_RE = re.compile(r"^part-(\d{6})\.parquet$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sweeps (
    id VARCHAR PRIMARY KEY,
    scenario VARCHAR,
    engine VARCHAR,
    samples BIGINT,
    seed BIGINT,
    sampler VARCHAR,
    batch_size BIGINT,
    parameters BIGINT,
    status VARCHAR,
    created VARCHAR,
    updated VARCHAR,
    path VARCHAR
)
"""


@dataclass(frozen=True)
class SweepRecord:
    """One row of the catalogue, with the number of samples whose parts are on disk."""

    id: str
    scenario: str
    engine: str
    samples: int
    seed: int
    sampler: str
    batch_size: int
    parameters: int
    status: str
    created: str
    updated: str
    path: str
    done: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunStore:
    """A results store rooted at a folder (created on first write)."""

    def __init__(self, root: str | os.PathLike[str] = DEFAULT_STORE) -> None:
        self.root = Path(root)

    # --- folders and manifests --------------------------------------------------------------
    def sweep_dir(self, sweep_id: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", sweep_id):
            raise AccordError(f"'{sweep_id}' is not a sweep id; see 'accord runs list'")
        return self.root / sweep_id

    def exists(self, sweep_id: str) -> bool:
        return (self.sweep_dir(sweep_id) / MANIFEST).is_file()

    def _atomic_write_bytes(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)

    def write_manifest(self, sweep_id: str, manifest: Mapping[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, sort_keys=True, allow_nan=True)
        self._atomic_write_bytes(self.sweep_dir(sweep_id) / MANIFEST, text.encode())

    def manifest(self, sweep_id: str) -> dict[str, Any]:
        path = self.sweep_dir(sweep_id) / MANIFEST
        if not path.is_file():
            raise AccordError(
                f"no sweep '{sweep_id}' in {self.root}; see 'accord runs list --store {self.root}'"
            )
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    def reset(self, sweep_id: str) -> None:
        """Remove a sweep's parts and manifest (to start it again)."""
        folder = self.sweep_dir(sweep_id)
        if folder.is_dir():
            for f in folder.iterdir():
                if f.is_file() and (PART_RE.match(f.name) or f.name.startswith(".tmp-")):
                    f.unlink()
            (folder / MANIFEST).unlink(missing_ok=True)

    # --- parts --------------------------------------------------------------------------------
    def part_path(self, sweep_id: str, batch: int) -> Path:
        return self.sweep_dir(sweep_id) / f"part-{batch:06d}.parquet"

    def write_part(self, sweep_id: str, batch: int, columns: Mapping[str, np.ndarray]) -> None:
        """Write one batch's rows atomically (temporary name, fsync, rename, fsync folder)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({k: np.asarray(v) for k, v in columns.items()})
        target = self.part_path(sweep_id, batch)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        with open(tmp, "wb") as fh:
            pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)

    def completed_batches(self, sweep_id: str, expected_rows: Mapping[int, int]) -> set[int]:
        """Batches whose part is whole (readable footer, expected row count).

        Leftover temporary files of an interrupted writer are deleted; a part that fails the check
        is deleted too, so that its batch is run again.
        """
        import pyarrow.parquet as pq

        folder = self.sweep_dir(sweep_id)
        done: set[int] = set()
        if not folder.is_dir():
            return done
        for f in sorted(folder.iterdir()):
            if f.name.startswith(".tmp-"):
                f.unlink(missing_ok=True)
                continue
            m = PART_RE.match(f.name)
            if not m:
                continue
            batch = int(m.group(1))
            try:
                rows = pq.read_metadata(f).num_rows
            except Exception:  # a damaged file: not data
                rows = -1
            if batch in expected_rows and rows == expected_rows[batch]:
                done.add(batch)
            else:
                f.unlink(missing_ok=True)
        return done

    def part_files(self, sweep_id: str) -> list[Path]:
        folder = self.sweep_dir(sweep_id)
        if not folder.is_dir():
            return []
        return sorted(f for f in folder.iterdir() if PART_RE.match(f.name))

    def read(self, sweep_id: str) -> Any:
        """All rows of a sweep as a pyarrow Table ordered by sample (complete parts only)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        files = self.part_files(sweep_id)
        if not files:
            self.manifest(sweep_id)  # a clear error if the sweep does not exist
            raise AccordError(f"sweep '{sweep_id}' has no results yet; run it with --resume")
        table = pa.concat_tables([pq.read_table(f) for f in files])
        return table.sort_by("sample")

    def export(self, sweep_id: str, output: Path) -> Path:
        """Write a sweep's rows to CSV or Parquet (by the output's suffix)."""
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        table = self.read(sweep_id)
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise AccordError(f"cannot export to '{output.name}'; name a .csv or .parquet file")
        output.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            pcsv.write_csv(table, output)
        else:
            pq.write_table(table, output)
        return output

    # --- catalogue ----------------------------------------------------------------------------
    def _connect(self) -> Any:
        import duckdb

        self.root.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.root / CATALOGUE))
        con.execute(_SCHEMA)
        return con

    def record(self, sweep_id: str, manifest: Mapping[str, Any], status: str) -> None:
        """Insert or update the sweep's catalogue row."""
        con = self._connect()
        try:
            row = con.execute("SELECT created FROM sweeps WHERE id = ?", [sweep_id]).fetchone()
            created = row[0] if row else _now()
            con.execute("DELETE FROM sweeps WHERE id = ?", [sweep_id])
            con.execute(
                "INSERT INTO sweeps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    sweep_id, manifest["scenario"], manifest["engine"], manifest["samples"],
                    manifest["seed"], manifest["sampler"], manifest["batch_size"],
                    len(manifest["parameters"]), status, created, _now(),
                    str(self.sweep_dir(sweep_id)),
                ],
            )  # fmt: skip
        finally:
            con.close()

    def _done_samples(self, sweep_id: str) -> int:
        import pyarrow.parquet as pq

        total = 0
        for f in self.part_files(sweep_id):
            with contextlib.suppress(Exception):
                total += pq.read_metadata(f).num_rows
        return total

    def list(self) -> list[SweepRecord]:
        """Every catalogued sweep, newest first, with its samples on disk counted afresh."""
        if not (self.root / CATALOGUE).is_file():
            return []
        con = self._connect()
        try:
            rows = con.execute(
                "SELECT id, scenario, engine, samples, seed, sampler, batch_size, parameters, "
                "status, created, updated, path FROM sweeps ORDER BY updated DESC, id"
            ).fetchall()
        finally:
            con.close()
        names = [f for f in SweepRecord.__dataclass_fields__ if f != "done"]
        return [
            SweepRecord(**dict(zip(names, r, strict=True)), done=self._done_samples(r[0]))
            for r in rows
        ]

    def get(self, sweep_id: str) -> SweepRecord:
        for rec in self.list():
            if rec.id == sweep_id:
                return rec
        raise AccordError(
            f"no sweep '{sweep_id}' in {self.root}; see 'accord runs list --store {self.root}'"
        )
