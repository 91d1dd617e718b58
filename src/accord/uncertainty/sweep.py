"""Sweeps: run an engine on N sampled parameter sets, in batches, into the results store.

A sweep is fixed by its plan (:class:`SweepPlan`): the scenario, the engine and its options, the
uncertain parameters it samples (those that matter to the engine), N, the seed, the sampler and
the batch size. The sample matrix is a pure function of (seed, sampler, N, parameters)
(:mod:`accord.uncertainty.samplers`); batch ``k`` holds samples ``k*B .. (k+1)*B - 1``, and sample
``i`` draws any random numbers from its own stream. A batch's rows are therefore a pure function
of the plan and ``k``: any executor, any number of workers, any interruption and resume give the
same table. Finished batches are written as Parquet parts (:mod:`accord.store.runs`); ``resume``
checks the parts already on disk (checksums, row count, sample ids), sets bad ones aside and
runs their batches again.

Memory is O(batch): each batch's rows of the sample matrix are generated when the batch is handed
to a worker (:class:`~accord.uncertainty.samplers.SampleStream`), at most two batches per worker
are in flight, and the rows of a large sweep stay on disk (:attr:`SweepResult.table` is read on
first use; the summary reads one output column at a time).

Before anything is written, :func:`plan_sweep` resolves the engine's settings and prepares it on
the scenario's point values, so a sweep refuses exactly what ``accord run`` and the engine's own
command refuse (for ``simulate``: the outcome limit of :mod:`accord.simulation.from_scenario` and
the deadline and runs limits of its settings), with the same message.

Rows: ``sample``, one ``param:<path>`` column per sampled parameter, then the engine's headline
outputs (:mod:`accord.uncertainty.registry`).

Example::

    >>> import tempfile
    >>> from accord.io.scenario_file import load_scenario
    >>> plan = plan_sweep(load_scenario("hanoi-2019"), "analyse", samples=64, seed=7)
    >>> result = run_sweep(plan, tempfile.mkdtemp())
    >>> result.table.num_rows
    64
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from accord import __version__
from accord.errors import AccordError, EngineInputError
from accord.scenario.model import Scenario
from accord.store.runs import BadPart, RunStore
from accord.uncertainty.parameters import UncertainParam, substitute, uncertain_params
from accord.uncertainty.registry import SWEEP_DEFAULTS, EngineEntry, get_engine
from accord.uncertainty.samplers import (
    SAMPLERS,
    SampleStream,
    check_seed,
    sample_rows,
    sample_seed,
)

MAX_SAMPLES = 100_000_000
EAGER_ROWS = 1_000_000
"""A finished sweep of at most this many samples is read into memory at once (beyond it, on use)."""
DEFAULT_BATCH = {"analyse": 2_000, "simulate": 50}
"""Samples per batch: large for vectorised engines, small where a sample is expensive."""


@dataclass(frozen=True)
class SweepPlan:
    """Everything that determines a sweep's results (hashed into its id)."""

    scenario: Scenario
    engine: str
    params: tuple[UncertainParam, ...]
    samples: int
    seed: int
    sampler: str
    batch_size: int
    options: tuple[tuple[str, Any], ...] = ()
    fast: bool = True

    @property
    def n_batches(self) -> int:
        return math.ceil(self.samples / self.batch_size)

    def batch_range(self, batch: int) -> range:
        start = batch * self.batch_size
        return range(start, min(self.samples, start + self.batch_size))

    def manifest(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "engine": self.engine,
            "options": dict(self.options),
            "samples": self.samples,
            "seed": self.seed,
            "sampler": self.sampler,
            "batch_size": self.batch_size,
            "parameters": [
                {
                    "path": p.name,
                    "label": p.label,
                    "point": p.point,
                    "distribution": None if p.dist is None else p.dist.to_yaml(),
                }
                for p in self.params
            ],
            "accord_version": __version__,
            "scenario_digest": hashlib.sha256(
                json.dumps(self.scenario.model_dump(mode="json"), sort_keys=True).encode()
            ).hexdigest(),
        }

    @property
    def sweep_id(self) -> str:
        m = self.manifest()
        m.pop("accord_version")
        digest = hashlib.sha256(json.dumps(m, sort_keys=True).encode()).hexdigest()[:10]
        return f"{self.scenario.id}-{self.engine}-{digest}"


def plan_sweep(
    scenario: Scenario,
    engine: str,
    *,
    samples: int,
    seed: int = 0,
    sampler: str = "lhs",
    batch_size: int | None = None,
    options: Mapping[str, Any] | None = None,
    params: Sequence[UncertainParam] | None = None,
    fast: bool = True,
) -> SweepPlan:
    """Check the settings and build a plan; raises AccordError/EngineInputError with the fix."""
    entry = get_engine(engine)
    if not 1 <= samples <= MAX_SAMPLES:
        raise AccordError(f"--samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
    if sampler not in SAMPLERS:
        raise AccordError(f"unknown sampler '{sampler}'; use one of: {', '.join(SAMPLERS)}")
    if batch_size is not None and batch_size < 1:
        raise AccordError(f"--batch-size must be at least 1, got {batch_size}")
    chosen = tuple(
        params
        if params is not None
        else [p for p in uncertain_params(scenario) if entry.relevant(p)]
    )
    if not chosen:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no uncertain parameters that the {engine} engine uses; "
            f"give some a distribution in its '{entry.section}:' section, for example "
            "reservation: {triangular: [0.4, 0.5, 0.6]}"
        )
    check_engine(scenario, engine, options or {})
    return SweepPlan(
        scenario=scenario,
        engine=engine,
        params=chosen,
        samples=int(samples),
        seed=check_seed(seed),
        sampler=sampler,
        batch_size=int(batch_size or DEFAULT_BATCH.get(engine, 20)),
        options=tuple(sorted((options or {}).items())),
        fast=fast,
    )


def check_engine(scenario: Scenario, engine: str, options: Mapping[str, Any]) -> None:
    """Resolve the engine's settings and prepare it on the scenario's point values.

    This applies the limits the engine's own command applies (settings bounds, and whatever
    ``prepare`` refuses, such as the simulation's outcome limit) before a sweep writes anything.
    """
    from accord.app.registry import Absent, get_spec, resolve_settings

    spec = get_spec(engine)
    settings = resolve_settings(spec, scenario, {**SWEEP_DEFAULTS.get(engine, {}), **options})
    try:
        spec.prepare(scenario, settings.values)
    except Absent as exc:
        raise EngineInputError(
            f"the {engine} engine cannot run on scenario '{scenario.id}': {exc}"
        ) from None


def evaluate_samples(
    entry: EngineEntry,
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: np.ndarray,
    *,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
    first_index: int = 0,
    fast: bool = True,
) -> dict[str, np.ndarray]:
    """Headline outputs of each row of ``values`` (n, d): the fast path where there is one."""
    opts = dict(options or {})
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    if fast and entry.batch is not None and entry.fast_path_applies(params):
        out = entry.batch(scenario, params, values, opts)
        if out is not None:
            return out
    rows = []
    for i, row in enumerate(values):
        rng = np.random.default_rng(sample_seed(seed, first_index + i))
        rows.append(entry.evaluate(substitute(scenario, params, row), opts, rng))
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return {k: np.array([r.get(k, np.nan) for r in rows], dtype=np.float64) for k in keys}


@dataclass(frozen=True)
class BatchTask:
    """What a worker needs to run one batch (picklable)."""

    plan: SweepPlan
    batch: int
    values: np.ndarray


def run_batch(task: BatchTask) -> dict[str, np.ndarray]:
    """The rows of one batch: sample index, inputs, outputs (a pure function of the task)."""
    plan = task.plan
    rows = plan.batch_range(task.batch)
    outputs = evaluate_samples(
        get_engine(plan.engine), plan.scenario, plan.params, task.values,
        options=dict(plan.options), seed=plan.seed, first_index=rows.start, fast=plan.fast,
    )  # fmt: skip
    columns: dict[str, np.ndarray] = {"sample": np.arange(rows.start, rows.stop, dtype=np.int64)}
    for j, p in enumerate(plan.params):
        columns[f"param:{p.name}"] = task.values[:, j]
    columns.update(outputs)
    return columns


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: its id, plan, rows and summary statistics of each output.

    ``table`` (a pyarrow Table ordered by sample) is read from the store on first use unless the
    sweep was small enough to read at once (:data:`EAGER_ROWS`); ``column`` and ``summary`` read
    one column at a time. ``repaired`` names the parts that failed their check and were redone.
    """

    sweep_id: str
    plan: SweepPlan
    store: RunStore = field(repr=False)
    resumed_batches: int = 0
    repaired: tuple[BadPart, ...] = ()

    @cached_property
    def table(self) -> Any:
        return self.store.read(self.sweep_id)

    def column(self, name: str) -> np.ndarray:
        if "table" in self.__dict__:
            return np.asarray(self.table.column(name).to_numpy(), dtype=np.float64)
        return self.store.column(self.sweep_id, name)

    @property
    def outputs(self) -> list[str]:
        names = (
            self.table.column_names
            if "table" in self.__dict__
            else self.store.column_names(self.sweep_id)
        )
        return [c for c in names if c != "sample" and not c.startswith("param:")]

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for name in self.outputs:
            x = self.column(name)
            x = x[np.isfinite(x)]
            out[name] = {
                "mean": float(x.mean()) if x.size else float("nan"),
                "p05": float(np.quantile(x, 0.05)) if x.size else float("nan"),
                "p50": float(np.quantile(x, 0.5)) if x.size else float("nan"),
                "p95": float(np.quantile(x, 0.95)) if x.size else float("nan"),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "sweep_id": self.sweep_id,
            **self.plan.manifest(),
            "resumed_batches": self.resumed_batches,
            "repaired_parts": [bad.message() for bad in self.repaired],
            "summary": self.summary(),
        }


def run_sweep(
    plan: SweepPlan,
    store: RunStore | str | os.PathLike[str],
    *,
    resume: bool = False,
    overwrite: bool = False,
    executor: str = "serial",
    workers: int | None = None,
    dask: Any = None,
    progress: Callable[[int, int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep into the store and return its rows.

    ``progress(done_samples, total_samples)`` is called after each finished batch, ``notify``
    with a message for each part that failed its check (moved to quarantine and redone). A sweep
    with the same plan already in the store is an error unless ``resume`` (finish it; a finished
    one is simply read back) or ``overwrite`` (start again). While it runs the sweep holds its
    lock in the store: the same sweep started twice is an error, and a sweep whose process dies
    reads ``interrupted``.
    """
    from accord.uncertainty.executors import run_tasks

    store = store if isinstance(store, RunStore) else RunStore(store)
    sweep_id = plan.sweep_id
    manifest = plan.manifest()
    with store.running(sweep_id):
        if store.exists(sweep_id):
            if overwrite:
                store.reset(sweep_id)
            elif not resume:
                n_parts = len(store.part_files(sweep_id))
                raise AccordError(
                    f"the sweep '{sweep_id}' with these settings is already in {store.root} "
                    f"({n_parts} of {plan.n_batches} batches on disk); pass --resume to finish or "
                    "reuse it, or --overwrite to start again"
                )
        store.write_manifest(sweep_id, manifest)
        store.set_status(sweep_id, manifest, "running")
        finished_ok = False
        try:
            check = store.verify_parts(sweep_id, plan.batch_range, plan.n_batches)
            for bad in check.bad:
                if notify is not None:
                    notify(f"{bad.message()}; its batch is run again")
            done = check.done
            finished = sum(len(plan.batch_range(k)) for k in done)
            if progress is not None:
                progress(finished, plan.samples)
            stream = SampleStream(plan.sampler, plan.samples, len(plan.params), plan.seed)

            def tasks() -> Iterator[BatchTask]:
                # One batch's rows at a time: the whole sample matrix is never built.
                for k in range(plan.n_batches):
                    if k not in done:
                        r = plan.batch_range(k)
                        yield BatchTask(plan, k, sample_rows(plan.params, stream, r.start, r.stop))

            def on_result(task: BatchTask, columns: dict[str, np.ndarray]) -> None:
                nonlocal finished
                store.write_part(sweep_id, task.batch, columns)
                finished += len(task.values)
                if progress is not None:
                    progress(finished, plan.samples)

            run_tasks(run_batch, tasks(), on_result, executor=executor, workers=workers, dask=dask)
            store.set_status(sweep_id, manifest, "complete")
            finished_ok = True
        finally:
            if not finished_ok:
                # Best effort (the disk may be full): a dead process reads "interrupted" anyway.
                with contextlib.suppress(AccordError, OSError):
                    store.set_status(sweep_id, manifest, "interrupted")
    result = SweepResult(sweep_id, plan, store, resumed_batches=len(done), repaired=check.bad)
    if plan.samples <= EAGER_ROWS:
        _ = result.table  # small: in memory now, as before (the folder may be temporary)
    return result
