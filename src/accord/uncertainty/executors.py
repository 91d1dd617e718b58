"""Run independent tasks serially, on local processes, or on a Dask cluster.

Every executor calls the same pure function on the same task objects and hands each result back
to the caller in the coordinating process (which writes it to the store), so results cannot depend
on the executor or the number of workers. Only the completion order differs.

* ``serial``: in this process, in order.
* ``processes``: :class:`concurrent.futures.ProcessPoolExecutor` (default: all cores; "spawn"
  start method), with at most two tasks in flight per worker so memory stays bounded.
* Dask: ``dask="tcp://host:8786"`` connects to a running scheduler; ``dask="local"`` starts a
  :class:`distributed.LocalCluster`. Dask is an optional extra, imported only here and only then.

Example::

    >>> got = []
    >>> run_tasks(abs, [-1, -2], lambda t, r: got.append(r), executor="serial")
    >>> got
    [1, 2]
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from accord.errors import AccordError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("serial", "processes", "dask")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_tasks(
    func: Callable[[T], R],
    tasks: Sequence[T],
    on_result: Callable[[T, R], None],
    *,
    executor: str = "serial",
    workers: int | None = None,
    dask: str | None = None,
) -> None:
    """Call ``func`` on every task and ``on_result(task, result)`` here as each finishes."""
    if workers is not None and workers < 1:
        raise AccordError(f"--workers must be at least 1, got {workers}")
    if dask is not None:
        _run_dask(func, tasks, on_result, dask, workers)
    elif executor == "serial":
        for task in tasks:
            on_result(task, func(task))
    elif executor == "processes":
        _run_processes(func, tasks, on_result, workers or default_workers())
    else:
        raise AccordError(f"unknown executor '{executor}'; use one of: {', '.join(EXECUTORS)}")


def _run_processes(
    func: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[T, R], None], workers: int
) -> None:
    # "spawn": forking a process that has started Numba's OpenMP threads can abort the child.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    pending: dict[Future[R], T] = {}
    queue = list(tasks)[::-1]
    try:
        while queue or pending:
            while queue and len(pending) < 2 * workers:
                task = queue.pop()
                pending[pool.submit(func, task)] = task
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                task = pending.pop(fut)
                on_result(task, fut.result())
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _dask_client(address: str, workers: int | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise AccordError(
            "Dask is not installed; install the extra with: pip install 'accord[dask]' "
            "(or pip install 'dask[distributed]')"
        ) from None
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster
    if not address.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://")):
        raise AccordError(
            f"--dask takes a scheduler address such as tcp://host:8786 or 'local', got '{address}'"
        )
    try:
        return Client(address, timeout="20s"), None
    except OSError as exc:
        raise AccordError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _run_dask(
    func: Callable[[T], R],
    tasks: Sequence[T],
    on_result: Callable[[T, R], None],
    address: str | Any,
    workers: int | None,
) -> None:
    from distributed import Client, as_completed

    if isinstance(address, Client):  # an existing client (tests, notebooks)
        client, cluster, own = address, None, False
    else:
        client, cluster = _dask_client(str(address), workers)
        own = True
    try:
        futures = {client.submit(func, t, pure=False): t for t in tasks}
        for fut in as_completed(futures):
            on_result(futures[fut], fut.result())
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
