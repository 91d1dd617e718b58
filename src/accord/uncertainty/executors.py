"""Run independent tasks serially, on local processes, or on a Dask cluster.

Every executor calls the same pure function on the same task objects and hands each result back
to the caller in the coordinating process (which writes it to the store), so results cannot depend
on the executor or the number of workers. Only the completion order differs.

Tasks are pulled from an iterable as workers free up, never all at once: a sweep of 10^8 samples
holds only the batches in flight (memory O(batch), :mod:`accord.uncertainty.sweep`).

* ``serial``: in this process, in order.
* ``processes``: :class:`concurrent.futures.ProcessPoolExecutor` (default: all cores; "spawn"
  start method), with at most two tasks in flight per worker so memory stays bounded. A worker
  exits when the coordinating process dies (killed, crashed): on Linux the kernel sends it SIGKILL
  (``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread exits it as soon as its parent
  process id changes (:func:`_watch_parent`), so a killed sweep leaves no orphan workers.
* Dask: ``dask="tcp://host:8786"`` connects to a running scheduler; ``dask="local"`` starts a
  :class:`distributed.LocalCluster`. Dask is an optional extra, imported only here and only then.

Example::

    >>> got = []
    >>> run_tasks(abs, [-1, -2], lambda t, r: got.append(r), executor="serial")
    >>> got
    [1, 2]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from accord.errors import AccordError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("serial", "processes", "dask")

PARENT_POLL_S = 0.5
"""How often a worker's watchdog checks that its parent is alive."""

ORPHAN_EXIT = 70
"""Exit status of a worker whose coordinating process has died."""


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_tasks(
    func: Callable[[T], R],
    tasks: Iterable[T],
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


def _die_with_parent_linux() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)


def _watch_parent(parent_pid: int, poll: float = PARENT_POLL_S) -> None:
    """Exit this process as soon as its parent is no longer ``parent_pid`` (portable)."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(ORPHAN_EXIT)
        time.sleep(poll)


def worker_init(parent_pid: int) -> None:
    """Initializer of every worker process: tie its life to the coordinating process."""
    if sys.platform.startswith("linux"):
        _die_with_parent_linux()
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(ORPHAN_EXIT)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="accord-parent-watchdog", daemon=True
    ).start()


def _run_processes(
    func: Callable[[T], R], tasks: Iterable[T], on_result: Callable[[T, R], None], workers: int
) -> None:
    # "spawn": forking a process that has started Numba's OpenMP threads can abort the child.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker_init,
        initargs=(os.getpid(),),
    )
    pending: dict[Future[R], T] = {}
    queue: Iterator[T] = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < 2 * workers:
                try:
                    task = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                pending[pool.submit(func, task)] = task
            if not pending:
                break
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
    tasks: Iterable[T],
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
        # Keep a bounded number of tasks on the cluster (two per worker thread), as above.
        n_threads = sum(client.nthreads().values()) or 1
        limit = 2 * max(n_threads, workers or 1)
        queue = iter(tasks)
        futures: dict[Any, T] = {}
        for task in queue:
            futures[client.submit(func, task, pure=False)] = task
            if len(futures) >= limit:
                break
        done = as_completed(list(futures))
        for fut in done:
            task = futures.pop(fut)
            result = fut.result()
            for nxt in queue:  # at most one more, to replace the one that finished
                new = client.submit(func, nxt, pure=False)
                futures[new] = nxt
                done.add(new)
                break
            on_result(task, result)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
