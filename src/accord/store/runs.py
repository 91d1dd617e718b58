"""Results of sweeps on disk: checked Parquet parts, per-run manifests, and a DuckDB catalogue.

Layout (default root ``./accord-runs/``)::

    accord-runs/
      catalogue.duckdb            one row per sweep: settings, status (an index; rebuildable)
      <sweep-id>/
        manifest.json             the sweep's settings (what it would take to redo it)
        run.json                  its status, created/updated times, and the pid and host running it
        .lock                     held (flock) by the process running the sweep
        part-000000.parquet       rows of batch 0 (one row per sample)
        part-000001.parquet       ...
        quarantine/               parts that failed their check, moved aside

**Parts.** A part is written to a hidden temporary name in the same folder, flushed and fsynced,
then renamed to ``part-NNNNNN.parquet`` (``os.replace`` is atomic on POSIX), and the folder is
fsynced. So a process killed at any moment leaves either a whole part or none; temporary files are
never read (readers only match ``part-*.parquet``) and are removed when the sweep resumes. Parts
carry Parquet page checksums (CRC-32) and name their sweep, batch and first/last sample in the
file's metadata. A part counts as done only if it reads whole with every page checksum verified,
has its batch's row count, names this sweep and this batch, and holds exactly the sample ids of
its batch in order. A part that fails is named in a message and moved to ``quarantine/``; a resume
runs its batch again, and readers (show, export) refuse it with the same message.

**Catalogue.** The DuckDB file is an index over the run folders, which hold the truth
(``manifest.json`` and ``run.json``). A writer that finds it locked by another process retries
with backoff for up to :data:`CATALOGUE_WAIT_S`; ``list``, ``show`` and ``export`` open it
read-only. A catalogue that is missing or damaged is rebuilt from the run folders by the next
writer (the damaged file is kept beside it), and readers list from the run folders meanwhile, so
a read-only or damaged store can still be listed, shown and exported.

**Status.** A sweep in progress holds ``.lock`` (an exclusive ``flock``; the kernel drops it when
the process dies, however it dies). A sweep recorded as ``running`` whose lock nobody holds was
killed: it reads ``interrupted``. Where ``flock`` is missing (Windows) the pid and host in
``run.json`` decide.

**Environment failures** (disk full, read-only or foreign folder, I/O errors) raise
:class:`StoreError` with the way out, never a traceback.

Example::

    >>> import tempfile, numpy as np
    >>> store = RunStore(tempfile.mkdtemp())
    >>> store.write_part("demo", 0, {"sample": np.arange(3), "x": np.ones(3)})
    >>> sorted(store.verify_parts("demo", lambda k: range(3 * k, 3 * k + 3), 1).done)
    [0]
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import AccordError

try:  # POSIX advisory locks; absent on Windows (the pid in run.json is the fallback)
    import fcntl
except ImportError:  # pragma: no cover - exercised on Windows only
    fcntl = None  # type: ignore[assignment]

DEFAULT_STORE = Path("accord-runs")
CATALOGUE = "catalogue.duckdb"
MANIFEST = "manifest.json"
RUN_FILE = "run.json"
LOCK_FILE = ".lock"
QUARANTINE = "quarantine"
PART_RE = re.compile(r"^part-(\d{6})\.parquet$")

CATALOGUE_WAIT_S = 10.0
"""How long a writer waits for another process's lock on the catalogue before giving up."""

META_SWEEP, META_BATCH, META_FIRST, META_LAST = (
    b"accord.sweep", b"accord.batch", b"accord.first", b"accord.last"
)  # fmt: skip

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
_COLUMNS = (
    "id", "scenario", "engine", "samples", "seed", "sampler", "batch_size", "parameters",
    "status", "created", "updated", "path",
)  # fmt: skip

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


class StoreError(AccordError):
    """A problem with the results store itself (disk, permissions, damaged files): the message
    says what happened and the way out; the CLI exits 2."""


class _CatalogueLocked(StoreError):
    """Another process held the catalogue's lock for longer than :data:`CATALOGUE_WAIT_S`."""


class _CatalogueDamaged(Exception):
    """The DuckDB catalogue cannot be opened or read for a reason other than a lock."""


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


@dataclass(frozen=True)
class BadPart:
    """A part that failed its check: where it was, why, and where it was moved (None: left)."""

    sweep_id: str
    batch: int
    path: Path
    reason: str
    moved_to: Path | None

    def message(self) -> str:
        where = (
            f"moved to {self.moved_to}"
            if self.moved_to is not None
            else "left in place (the store is read-only)"
        )
        return f"part {self.path} of sweep '{self.sweep_id}' {self.reason}; {where}"


@dataclass(frozen=True)
class PartCheck:
    """The outcome of checking a sweep's parts: the batches done, and the parts set aside."""

    done: frozenset[int]
    bad: tuple[BadPart, ...]


@dataclass(frozen=True)
class ExportResult:
    """An export: the file written, the rows in it and the samples the sweep has in all."""

    path: Path
    rows: int
    samples: int

    @property
    def lacking(self) -> int:
        return max(0, self.samples - self.rows)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_parquet(table: Any, where: Any) -> None:
    """Write a pyarrow table as Parquet with page checksums (the one writer of parts)."""
    import pyarrow.parquet as pq

    pq.write_table(table, where, write_page_checksum=True)


def resume_command(manifest: Mapping[str, Any], root: Path) -> str:
    """The ``accord sweep`` command that finishes the sweep of ``manifest`` in ``root``."""
    opts = "".join(
        f" --option {k}={v}"
        for k, v in sorted(dict(manifest.get("options") or {}).items())
        if isinstance(v, int | float | str)
    )
    return (
        f"accord sweep {manifest.get('scenario', 'SCENARIO')} --engine {manifest.get('engine')} "
        f"--samples {manifest.get('samples')} --seed {manifest.get('seed')} "
        f"--sampler {manifest.get('sampler')} --batch-size {manifest.get('batch_size')}{opts} "
        f"--store {root} --resume"
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    except OSError:
        return False
    return True


class RunStore:
    """A results store rooted at a folder (created on first write).

    ``notes`` collects what a reader should be told but that is not an error (a damaged
    catalogue listed around, a part set aside); the CLI prints them.
    """

    def __init__(self, root: str | os.PathLike[str] = DEFAULT_STORE) -> None:
        self.root = Path(root)
        self.notes: list[str] = []

    # --- environment errors -----------------------------------------------------------------
    def _resume_hint(self, sweep_id: str | None) -> str:
        if sweep_id is not None:
            with contextlib.suppress(OSError, ValueError, AccordError):
                return f"run `{resume_command(self.manifest(sweep_id), self.root)}`"
        return "run the same `accord sweep` command again with --resume"

    def environment_error(
        self, exc: BaseException, doing: str, sweep_id: str | None = None
    ) -> StoreError | None:
        """The clear error for an OS or DuckDB failure caused by the machine, or None."""
        code = getattr(exc, "errno", None)
        text = str(exc).lower()
        where = getattr(exc, "filename", None) or self.root
        if code in _FULL or "no space left" in text or "disk quota" in text:
            return StoreError(
                f"the disk is full ({doing}, {where}): free some space, then "
                f"{self._resume_hint(sweep_id)}; the batches already written are kept"
            )
        if code in _READ_ONLY or "read-only file system" in text or "permission denied" in text:
            return StoreError(
                f"cannot write to the results store {self.root} ({doing}, {where}: it is "
                "read-only or not yours): pass --store with a writable folder, or fix its "
                f"permissions; to finish a sweep then, {self._resume_hint(sweep_id)}"
            )
        if code == errno.EIO or "input/output error" in text:
            return StoreError(
                f"the disk reported an input/output error ({doing}, {where}): check the disk, "
                f"then {self._resume_hint(sweep_id)}"
            )
        return None

    @contextlib.contextmanager
    def _guard(self, doing: str, sweep_id: str | None = None) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except OSError as exc:
            err = self.environment_error(exc, doing, sweep_id)
            if err is None:
                raise
            raise err from exc

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
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)

    def write_manifest(self, sweep_id: str, manifest: Mapping[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, sort_keys=True, allow_nan=True)
        with self._guard("writing the manifest", None):
            self._atomic_write_bytes(self.sweep_dir(sweep_id) / MANIFEST, text.encode())

    def manifest(self, sweep_id: str) -> dict[str, Any]:
        path = self.sweep_dir(sweep_id) / MANIFEST
        if not path.is_file():
            raise AccordError(
                f"no sweep '{sweep_id}' in {self.root}; see 'accord runs list --store {self.root}'"
            )
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"the manifest {path} cannot be read ({exc}); restore it, or start the sweep "
                "again with --overwrite"
            ) from None
        return data

    def run_info(self, sweep_id: str) -> dict[str, Any]:
        """The sweep's ``run.json`` (status, times, pid, host), or {} if it has none."""
        path = self.sweep_dir(sweep_id) / RUN_FILE
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def reset(self, sweep_id: str) -> None:
        """Remove a sweep's parts, manifest and status (to start it again)."""
        folder = self.sweep_dir(sweep_id)
        with self._guard("removing the old sweep", None):
            if folder.is_dir():
                for f in folder.iterdir():
                    if f.is_file() and (PART_RE.match(f.name) or f.name.startswith(".tmp-")):
                        f.unlink()
                (folder / MANIFEST).unlink(missing_ok=True)
                (folder / RUN_FILE).unlink(missing_ok=True)

    # --- liveness -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def running(self, sweep_id: str) -> Iterator[None]:
        """Hold the sweep's lock while it runs; another live process holding it is an error."""
        folder = self.sweep_dir(sweep_id)
        with self._guard("creating the sweep's folder", None):
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self._busy(sweep_id)
            elif self.is_running(sweep_id):  # pragma: no cover - Windows
                self._busy(sweep_id)
            yield
        finally:
            os.close(fd)  # closing drops the flock

    def _busy(self, sweep_id: str) -> None:
        info = self.run_info(sweep_id)
        who = f"process {info['pid']} on {info.get('host', '?')}" if "pid" in info else "another"
        raise StoreError(
            f"the sweep '{sweep_id}' is being run by {who} right now; wait for it to finish "
            "(see 'accord runs list'), or stop that process and pass --resume"
        )

    def is_running(self, sweep_id: str) -> bool:
        """Whether a live process is running the sweep (its lock is held)."""
        lock = self.sweep_dir(sweep_id) / LOCK_FILE
        if fcntl is not None and lock.is_file():
            try:
                fd = os.open(lock, os.O_RDONLY)
            except OSError:
                fd = -1
            if fd >= 0:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                except OSError:
                    pass  # flock unsupported here (some network filesystems): ask the pid
                else:
                    return False
                finally:
                    os.close(fd)
        info = self.run_info(sweep_id)
        pid = info.get("pid")
        return isinstance(pid, int) and info.get("host") == socket.gethostname() and _pid_alive(pid)

    def _effective_status(self, sweep_id: str, stored: str) -> str:
        if stored == "running" and not self.is_running(sweep_id):
            return "interrupted"
        return stored

    # --- parts --------------------------------------------------------------------------------
    def part_path(self, sweep_id: str, batch: int) -> Path:
        return self.sweep_dir(sweep_id) / f"part-{batch:06d}.parquet"

    def write_part(self, sweep_id: str, batch: int, columns: Mapping[str, np.ndarray]) -> None:
        """Write one batch's rows atomically (temporary name, fsync, rename, fsync folder), with
        page checksums and the sweep, batch and first/last sample in the file's metadata."""
        import pyarrow as pa

        table = pa.table({k: np.asarray(v) for k, v in columns.items()})
        meta = {META_SWEEP: sweep_id.encode(), META_BATCH: str(batch).encode()}
        if "sample" in table.column_names and table.num_rows:
            s = table.column("sample").to_numpy()
            meta[META_FIRST], meta[META_LAST] = str(int(s[0])).encode(), str(int(s[-1])).encode()
        table = table.replace_schema_metadata(meta)
        target = self.part_path(sweep_id, batch)
        with self._guard(f"writing {target.name}", sweep_id):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            try:
                with open(tmp, "wb") as fh:
                    write_parquet(table, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
                raise
            _fsync_dir(target.parent)

    def check_part(
        self, sweep_id: str, batch: int, path: Path, rows: range | None, columns: Any = None
    ) -> tuple[Any, str | None]:
        """Read a part with every page checksum verified and check it belongs where it lies.

        Returns ``(table, None)`` for a good part and ``(None, reason)`` for a bad one; ``rows``
        None means the batch is beyond the sweep.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if rows is None:
            return None, f"is batch {batch}, beyond the sweep's last batch"
        try:
            table = pq.read_table(path, columns=columns, page_checksum_verification=True)
        except (pa.ArrowException, OSError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                err = self.environment_error(exc, f"reading {path.name}", sweep_id)
                if err is not None:
                    raise err from exc
            return None, f"is unreadable or fails its checksums ({exc})"
        if table.num_rows != len(rows):
            return None, f"has {table.num_rows} rows where batch {batch} has {len(rows)}"
        meta = table.schema.metadata or {}
        if columns is None or "sample" in columns:
            if "sample" not in table.column_names:
                return None, "has no 'sample' column"
            got = np.asarray(table.column("sample").to_numpy())
            if not np.array_equal(got, np.arange(rows.start, rows.stop)):
                span = f"{int(got.min())}..{int(got.max())}" if got.size else "none"
                return None, (
                    f"holds samples {span} where batch {batch} is samples "
                    f"{rows.start}..{rows.stop - 1} in order"
                )
        for key, want, word in (
            (META_FIRST, rows.start, "first"),
            (META_LAST, rows.stop - 1, "last"),
        ):
            if key in meta and meta[key] != str(want).encode():
                got_text = meta[key].decode(errors="replace")
                return None, f"names sample {got_text} as its {word} where batch {batch} has {want}"
        if META_SWEEP in meta and meta[META_SWEEP].decode(errors="replace") != sweep_id:
            other = meta[META_SWEEP].decode(errors="replace")
            return None, f"belongs to another sweep ('{other}')"
        if META_BATCH in meta and meta[META_BATCH] != str(batch).encode():
            return None, f"was written for batch {meta[META_BATCH].decode(errors='replace')}"
        return table, None

    def quarantine(self, sweep_id: str, path: Path) -> Path | None:
        """Move a bad part to ``<run>/quarantine/`` (None if the store cannot be written)."""
        folder = self.sweep_dir(sweep_id) / QUARANTINE
        try:
            folder.mkdir(exist_ok=True)
            target = folder / path.name
            if target.exists():
                target = folder / f"{path.stem}-{uuid.uuid4().hex[:8]}{path.suffix}"
            os.replace(path, target)
        except OSError:
            return None
        _fsync_dir(path.parent)
        return target

    def verify_parts(
        self, sweep_id: str, batch_rows: Callable[[int], range], n_batches: int
    ) -> PartCheck:
        """Check every part of a sweep (:meth:`check_part`); move bad ones to quarantine.

        Leftover temporary files of an interrupted writer are deleted. Memory is one part.
        """
        folder = self.sweep_dir(sweep_id)
        done: set[int] = set()
        bad: list[BadPart] = []
        if not folder.is_dir():
            return PartCheck(frozenset(), ())
        with self._guard("checking the parts", sweep_id):
            for f in sorted(folder.iterdir()):
                if f.name.startswith(".tmp-"):
                    f.unlink(missing_ok=True)
                    continue
                m = PART_RE.match(f.name)
                if not m:
                    continue
                batch = int(m.group(1))
                rows = batch_rows(batch) if batch < n_batches else None
                table, reason = self.check_part(sweep_id, batch, f, rows)
                del table
                if reason is None:
                    done.add(batch)
                else:
                    bad.append(BadPart(sweep_id, batch, f, reason, self.quarantine(sweep_id, f)))
        return PartCheck(frozenset(done), tuple(bad))

    def part_files(self, sweep_id: str) -> list[Path]:
        folder = self.sweep_dir(sweep_id)
        if not folder.is_dir():
            return []
        return sorted(f for f in folder.iterdir() if PART_RE.match(f.name))

    def _layout(self, sweep_id: str) -> tuple[int, int]:
        m = self.manifest(sweep_id)
        return int(m["samples"]), int(m["batch_size"])

    def iter_parts(self, sweep_id: str, columns: Any = None) -> Iterator[Any]:
        """Each checked part's table in sample order; a bad part is an error naming it."""
        samples, batch_size = self._layout(sweep_id)
        n_batches = -(-samples // batch_size)
        files = self.part_files(sweep_id)
        if not files:
            raise AccordError(
                f"sweep '{sweep_id}' has no results yet; finish it with "
                f"`{resume_command(self.manifest(sweep_id), self.root)}`"
            )
        for f in files:
            batch = int(PART_RE.match(f.name).group(1))  # type: ignore[union-attr]
            start = batch * batch_size
            rows = range(start, min(samples, start + batch_size)) if batch < n_batches else None
            table, reason = self.check_part(sweep_id, batch, f, rows, columns)
            if reason is not None:
                bad = BadPart(sweep_id, batch, f, reason, self.quarantine(sweep_id, f))
                raise StoreError(
                    f"{bad.message()}. Redo its batch with "
                    f"`{resume_command(self.manifest(sweep_id), self.root)}`"
                )
            yield table

    def read(self, sweep_id: str) -> Any:
        """All rows of a sweep as a pyarrow Table ordered by sample (complete parts only)."""
        import pyarrow as pa

        tables = list(self.iter_parts(sweep_id))
        return pa.concat_tables(tables, promote_options="default").replace_schema_metadata(None)

    def column(self, sweep_id: str, name: str) -> np.ndarray:
        """One column of every part, in sample order (memory: that column only)."""
        arrays = [
            np.asarray(t.column(name).to_numpy(), dtype=np.float64)
            for t in self.iter_parts(sweep_id, columns=[name])
        ]
        return np.concatenate(arrays) if arrays else np.empty(0)

    def _schemas(self, sweep_id: str) -> list[Any]:
        """The schemas of the parts whose footers read (a damaged one is reported by readers)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        out = []
        for f in self.part_files(sweep_id):
            with contextlib.suppress(pa.ArrowException, OSError, ValueError):
                out.append(pq.read_schema(f).remove_metadata())
        return out

    def column_names(self, sweep_id: str) -> list[str]:
        """The columns of a sweep's parts (from the Parquet footers)."""
        names: dict[str, None] = {}
        for schema in self._schemas(sweep_id):
            names.update(dict.fromkeys(schema.names))
        return list(names)

    def export(self, sweep_id: str, output: Path) -> ExportResult:
        """Write a sweep's rows to CSV or Parquet (by the output's suffix), one part at a time.

        A sweep that is not finished exports the samples it has; ``lacking`` says how many of
        its samples are missing.
        """
        import pyarrow as pa
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        suffix = output.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise AccordError(f"cannot export to '{output.name}'; name a .csv or .parquet file")
        samples, _ = self._layout(sweep_id)
        schema = pa.unify_schemas(self._schemas(sweep_id) or [pa.schema([])])
        rows = 0
        tmp = output.parent / f".tmp-{output.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            with self._guard(f"writing {output}", None):
                output.parent.mkdir(parents=True, exist_ok=True)
                writer: Any = None
                try:
                    for table in self.iter_parts(sweep_id):
                        table = _conform(table, schema)
                        if writer is None:
                            writer = (
                                pcsv.CSVWriter(tmp, schema)
                                if suffix == ".csv"
                                else pq.ParquetWriter(tmp, schema, write_page_checksum=True)
                            )
                        writer.write_table(table)
                        rows += table.num_rows
                finally:
                    if writer is not None:
                        writer.close()
                os.replace(tmp, output)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        return ExportResult(output, rows, samples)

    # --- catalogue ----------------------------------------------------------------------------
    def _open_catalogue(self, read_only: bool) -> Any:
        """Connect, retrying with backoff while another process holds the lock."""
        import duckdb

        path = self.root / CATALOGUE
        deadline = time.monotonic() + CATALOGUE_WAIT_S
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                if not read_only:
                    con.execute(_SCHEMA)
                return con
            except duckdb.Error as exc:
                text = str(exc).lower()
                if "could not set lock" in text or "conflicting lock" in text:
                    left = deadline - time.monotonic()
                    if left > 0:
                        time.sleep(min(left, delay * (0.5 + random.random())))
                        delay = min(delay * 2, 0.25)
                        continue
                    raise _CatalogueLocked(
                        f"the catalogue {path} stayed locked by another process for "
                        f"{CATALOGUE_WAIT_S:g} s; try again when it has finished ({exc})"
                    ) from None
                err = self.environment_error(exc, "opening the catalogue")
                if err is not None and not read_only:
                    raise err from None
                raise _CatalogueDamaged(str(exc)) from None

    def _set_aside_catalogue(self, why: str) -> None:
        path = self.root / CATALOGUE
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = path.with_name(f"{CATALOGUE}.damaged-{stamp}-{uuid.uuid4().hex[:6]}")
        with self._guard("setting the damaged catalogue aside"):
            os.replace(path, aside)
            wal = path.with_name(CATALOGUE + ".wal")
            if wal.exists():
                os.replace(wal, aside.with_name(aside.name + ".wal"))
        self.notes.append(
            f"the catalogue {path} was damaged ({why}); it was moved to {aside.name} and rebuilt "
            "from the run folders"
        )

    def _writable_catalogue(self) -> Any:
        path = self.root / CATALOGUE
        with self._guard("creating the store"):
            self.root.mkdir(parents=True, exist_ok=True)
        fresh = not path.exists()
        try:
            con = self._open_catalogue(read_only=False)
        except _CatalogueDamaged as exc:
            self._set_aside_catalogue(str(exc))
            con, fresh = self._open_catalogue(read_only=False), True
        if fresh:  # a lost or damaged catalogue: every run folder is the truth
            for row in self._folder_rows():
                con.execute("DELETE FROM sweeps WHERE id = ?", [row[0]])
                con.execute(f"INSERT INTO sweeps VALUES ({', '.join('?' * len(row))})", row)
        return con

    def _folder_rows(self) -> list[list[Any]]:
        """Catalogue rows rebuilt from each run folder's manifest and run.json."""
        rows: list[list[Any]] = []
        if not self.root.is_dir():
            return rows
        for folder in sorted(p for p in self.root.iterdir() if (p / MANIFEST).is_file()):
            try:
                m = json.loads((folder / MANIFEST).read_text())
                info = self.run_info(folder.name)
                mtime = datetime.fromtimestamp((folder / MANIFEST).stat().st_mtime, UTC)
                stamp = mtime.isoformat(timespec="seconds")
                status = info.get("status") or (
                    "complete"
                    if self._done_samples(folder.name) >= int(m["samples"])
                    else "running"
                )
                rows.append(
                    [
                        folder.name, m["scenario"], m["engine"], int(m["samples"]), int(m["seed"]),
                        m["sampler"], int(m["batch_size"]), len(m["parameters"]), status,
                        info.get("created", stamp), info.get("updated", stamp), str(folder),
                    ]
                )  # fmt: skip
            except (OSError, ValueError, KeyError, TypeError, AccordError) as exc:
                self.notes.append(f"skipped {folder}: its manifest cannot be read ({exc})")
        return rows

    def set_status(self, sweep_id: str, manifest: Mapping[str, Any], status: str) -> None:
        """Record the sweep's status in its run.json and in the catalogue.

        run.json is the truth (readers prefer it), so a catalogue that stays locked past
        :data:`CATALOGUE_WAIT_S` does not fail the sweep: it is noted, and the row is brought up
        to date by the sweep's next status change.
        """
        info = self.run_info(sweep_id)
        now = _now()
        info.update(
            id=sweep_id, status=status, updated=now, pid=os.getpid(), host=socket.gethostname()
        )
        info.setdefault("created", now)
        with self._guard("recording the sweep's status", sweep_id):
            self._atomic_write_bytes(
                self.sweep_dir(sweep_id) / RUN_FILE, json.dumps(info, indent=2).encode()
            )
        try:
            self.record(sweep_id, manifest, status)
        except _CatalogueLocked as exc:
            self.notes.append(f"{exc}; the sweep's own folder records its status ({status})")

    def record(self, sweep_id: str, manifest: Mapping[str, Any], status: str) -> None:
        """Insert or update the sweep's catalogue row."""
        import duckdb

        con = self._writable_catalogue()
        try:
            row = con.execute("SELECT created FROM sweeps WHERE id = ?", [sweep_id]).fetchone()
            created = row[0] if row else self.run_info(sweep_id).get("created", _now())
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
        except duckdb.Error as exc:
            err = self.environment_error(exc, "updating the catalogue", sweep_id)
            if err is None:
                raise
            raise err from None
        finally:
            con.close()

    def _done_samples(self, sweep_id: str) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        total = 0
        for f in self.part_files(sweep_id):
            with contextlib.suppress(pa.ArrowException, OSError, ValueError):  # damaged: no rows
                total += pq.read_metadata(f).num_rows
        return total

    def _catalogue_rows(self) -> list[tuple[Any, ...]]:
        import duckdb

        path = self.root / CATALOGUE
        if not path.is_file():
            return []
        try:
            con = self._open_catalogue(read_only=True)
        except _CatalogueLocked:
            self.notes.append(
                f"the catalogue {path} is locked by another process; listing the run folders "
                "instead"
            )
            return []
        except _CatalogueDamaged as exc:
            self.notes.append(
                f"the catalogue {path} cannot be read ({exc}); listing the run folders instead "
                "(the next sweep rebuilds it)"
            )
            return []
        try:
            rows: list[tuple[Any, ...]] = con.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM sweeps ORDER BY updated DESC, id"
            ).fetchall()
        except duckdb.Error as exc:  # a damaged table inside a readable file: list the folders
            self.notes.append(f"the catalogue {path} cannot be read ({exc}); listing the folders")
            return []
        finally:
            con.close()
        return rows

    def list(self) -> list[SweepRecord]:
        """Every sweep, newest first, with its samples on disk counted afresh (read-only).

        The catalogue's rows, plus any run folder it lacks; a run's ``run.json`` status wins,
        and a ``running`` sweep whose process is gone reads ``interrupted``.
        """
        rows = {r[0]: list(r) for r in self._catalogue_rows()}
        for row in self._folder_rows():
            if row[0] not in rows:
                rows[row[0]] = row
            else:
                info = self.run_info(row[0])
                if "status" in info:
                    rows[row[0]][8] = info["status"]
                    rows[row[0]][10] = info.get("updated", rows[row[0]][10])
        out = []
        for r in rows.values():
            fields = dict(zip(_COLUMNS, r, strict=True))
            fields["status"] = self._effective_status(r[0], str(fields["status"]))
            out.append(SweepRecord(**fields, done=self._done_samples(r[0])))
        out.sort(key=lambda rec: rec.id)
        out.sort(key=lambda rec: rec.updated, reverse=True)
        return out

    def get(self, sweep_id: str) -> SweepRecord:
        for rec in self.list():
            if rec.id == sweep_id:
                return rec
        raise AccordError(
            f"no sweep '{sweep_id}' in {self.root}; see 'accord runs list --store {self.root}'"
        )


def _conform(table: Any, schema: Any) -> Any:
    """``table`` with the columns of ``schema`` in its order (missing ones as nulls)."""
    import pyarrow as pa

    table = table.replace_schema_metadata(None)
    cols = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(cols, schema=schema)
