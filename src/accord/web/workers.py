"""Computations of the web app in worker processes that are killed at their deadline.

A :class:`ProcessLane` owns a few long-lived worker processes and runs one job at a time on each.
A caller awaits :meth:`ProcessLane.call`; the event loop never blocks on a computation:

* **Queue.** A call waits, first in first out, for a free worker; at most ``queue`` calls wait,
  a further one is refused at once with :class:`Busy` (the app answers 503).
* **Latest wins.** Calls may carry a ``key``; a new call with a key ends every *waiting* call with
  the same key with :class:`Cancelled` (a slider moved again: the older answer is not wanted).
  A call already running continues.
* **Deadline.** A job that runs longer than ``seconds`` is stopped by killing its process
  (SIGTERM, then SIGKILL after :data:`TERM_GRACE`); the call raises :class:`TimedOut` and the
  worker is replaced. A thread cannot be stopped, a process can: this is why the work runs in
  processes.
* **Cancellation.** When the awaiting task is cancelled (the client went away), a waiting call
  leaves the queue and a running one has its process killed and replaced.
* **Errors.** Inside the worker, :class:`accord.errors.AccordError` and :class:`ValueError` are
  refused input and :class:`MemoryError` a scenario too large: both come back as
  :class:`WorkFailed` (the app answers 422). Any other exception is a bug: it comes back as
  :class:`RuntimeError` whose message holds the worker's traceback (the app answers 500).

Workers are started from the ``forkserver`` (``spawn`` where there is none), never by a plain
``fork`` of the threaded server, and import the ``preload`` modules once, so a call costs a
round trip through a pipe rather than an import. They start on first use, or with
:meth:`ProcessLane.start`. A worker exits by itself when the parent process dies: a thread in it
waits on a pipe whose only writer is the parent. The forkserver is one per parent process, so
its preload is the union of the modules every lane asked for before it started. As with any
program using multiprocessing's ``spawn`` or ``forkserver``, a script that creates a lane must
keep its top-level work under ``if __name__ == "__main__":`` (workers import the script again).

Example::

    >>> import asyncio, operator
    >>> lane = ProcessLane("doc", workers=1, seconds=5.0)
    >>> asyncio.run(lane.call(operator.add, 2, 3))
    5
    >>> lane.close()
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import importlib
import multiprocessing
import multiprocessing.util
import os
import pickle
import signal
import sys
import threading
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from accord.errors import AccordError

T = TypeVar("T")

TERM_GRACE = 0.2
"""Seconds a killed worker is given to exit after SIGTERM before it gets SIGKILL."""
START_SECONDS = 120.0
"""Longest a worker may take to start (the first start includes the forkserver's imports)."""


class Busy(Exception):
    """Every worker is busy and the queue is full: the app answers 503."""


class TimedOut(Exception):
    """The job ran past the lane's deadline; its worker process was killed (the app: 504)."""


class Cancelled(Exception):
    """The call was superseded by a newer one with the same key, or the lane was closed."""


class WorkFailed(Exception):
    """The job raised an expected error inside the worker.

    ``kind`` is ``"input"`` (an :class:`~accord.errors.AccordError` or :class:`ValueError`: the
    input was refused) or ``"memory"`` (:class:`MemoryError`: the input is too large);
    ``message`` is the error's text, which names the problem and the fix.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# ---------------------------------------------------------------------------------------------
# The worker process


def _exit_with_parent(alive: Connection) -> None:
    """Block until the parent's end of ``alive`` closes (it dies or retires us), then exit."""
    while True:
        try:
            alive.recv_bytes()
        except (EOFError, OSError):
            os._exit(0)


def _answer(data: bytes) -> bytes:
    """Run one pickled ``(func, args)`` job; the pickled ``(kind, value)`` reply."""
    try:
        func, args = pickle.loads(data)
    except BaseException:  # a job that cannot be read is a bug, reported as such
        return pickle.dumps(("bug", traceback.format_exc()))
    try:
        reply: tuple[str, Any] = ("ok", func(*args))
    except (AccordError, ValueError) as exc:
        reply = ("input", str(exc))
    except MemoryError as exc:
        reply = ("memory", str(exc) or "the computation ran out of memory")
    except BaseException:  # anything else is a bug; the parent re-raises it
        reply = ("bug", traceback.format_exc())
    try:
        return pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # an unpicklable result is a bug in the job
        return pickle.dumps(("bug", traceback.format_exc()))


def _worker_main(conn: Connection, alive: Connection, preload: tuple[str, ...]) -> None:
    """The worker's loop: import ``preload``, say ready, then answer jobs until the pipe closes."""
    # Ctrl-C in the terminal of `accord serve` reaches the whole process group; the server
    # shuts its workers down itself, so a worker must not die mid-job with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_exit_with_parent, args=(alive,), name="accord-parent-watch", daemon=True
    ).start()
    try:
        for name in preload:
            importlib.import_module(name)
    except BaseException:  # reported to the parent, which raises it
        conn.send(("bug", traceback.format_exc()))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            os._exit(0)
        reply = _answer(data)
        try:
            conn.send_bytes(reply)
        except OSError:
            os._exit(0)


# ---------------------------------------------------------------------------------------------
# The parent side


@dataclass
class _Worker:
    process: Any  # multiprocessing.process.BaseProcess (the context's Process class)
    conn: Connection
    alive: Connection  # the write end the worker watches; closing it tells the worker to go

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def close_pipes(self) -> None:
        for c in (self.conn, self.alive):
            with contextlib.suppress(OSError):
                c.close()


@dataclass
class _Waiter:
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[int]
    key: str | None
    slot: int | None = None  # set (under the lock) when a worker is handed to this call


@dataclass
class _State:
    """What the exit finalizer needs (it must not hold the lane itself)."""

    workers: list[_Worker | None]
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def _kill_now(worker: _Worker) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        worker.process.kill()


def _shutdown(state: _State) -> None:
    """Kill every worker at once (lane closed, garbage-collected, or the interpreter exiting)."""
    with state.lock:
        state.closed = True
        workers = [w for w in state.workers if w is not None]
        state.workers[:] = [None] * len(state.workers)
    for w in workers:
        _kill_now(w)
    for w in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            w.process.join(1.0)
        w.close_pipes()


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _receive(conn: Connection) -> tuple[str, Any]:
    try:
        reply: tuple[str, Any] = conn.recv()
    except (EOFError, OSError):
        return ("died", None)
    return reply


_PRELOAD: set[str] = {__name__}
_START_LOCK = threading.Lock()  # Process.start() is not documented as thread-safe


def _main_imports() -> set[str]:
    """The modules the main script imported at its top level (all already loaded here).

    multiprocessing runs the main script again, as ``__mp_main__``, in every new worker when the
    program was started as a script (``accord serve`` is one: a console script importing
    :mod:`accord.cli.main`). Preloading what it imports makes that re-run cheap; a program run
    with ``python -m`` or ``-c`` is not re-run.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        return set()
    if not getattr(main, "__file__", None):
        return set()
    names = set()
    for value in vars(main).values():
        if isinstance(value, types.ModuleType):
            name = value.__name__
        else:
            name = str(getattr(value, "__module__", None) or "")
        if isinstance(name, str) and name in sys.modules and not name.startswith("_"):
            names.add(name)
    return names


def _context(preload: tuple[str, ...]) -> Any:
    """The multiprocessing context: the forkserver (preloading every lane's modules) or spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    with _START_LOCK:
        _PRELOAD.update(preload)
        _PRELOAD.update(_main_imports())
        # Takes effect only if the forkserver has not started yet; the worker imports `preload`
        # itself anyway, so this is about speed, never correctness.
        ctx.set_forkserver_preload(sorted(_PRELOAD))
    return ctx


def _name_of(func: Callable[..., Any]) -> str:
    return str(getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or func)


class ProcessLane:
    """A fixed number of worker processes with a FIFO queue, a deadline and cancellation.

    ``name`` labels messages and process names; ``workers`` processes run at most that many jobs
    at once; a job running longer than ``seconds`` is killed; at most ``queue`` calls wait;
    ``preload`` modules are imported by each worker before its first job.
    """

    def __init__(
        self,
        name: str,
        workers: int,
        seconds: float,
        queue: int = 32,
        preload: tuple[str, ...] = (),
    ) -> None:
        if workers < 1:
            raise ValueError(f"a lane needs at least one worker, not {workers}")
        if seconds <= 0:
            raise ValueError(f"the deadline must be positive, not {seconds}")
        if queue < 0:
            raise ValueError(f"the queue length cannot be negative ({queue})")
        self.name = name
        self.workers = workers
        self.seconds = float(seconds)
        self.queue = queue
        self.preload = tuple(dict.fromkeys((__name__, *preload)))
        self._ctx = _context(self.preload)
        self._state = _State(workers=[None] * workers)
        self._lock = self._state.lock
        self._free: list[int] = list(range(workers - 1, -1, -1))  # pop() hands out slot 0 first
        self._queue: collections.deque[_Waiter] = collections.deque()
        self._restarts = 0
        # Runs on close(), when the lane is collected, and at interpreter exit before
        # multiprocessing joins its children (exitpriority >= 0 runs first).
        self._finalizer = multiprocessing.util.Finalize(
            self, _shutdown, args=(self._state,), exitpriority=10
        )

    # -- public ---------------------------------------------------------------------------

    async def call(self, func: Callable[..., T], *args: Any, key: str | None = None) -> T:
        """``func(*args)`` in a worker process, its result; see the module docstring.

        ``func`` must be a module-level function (pickled by reference) and the arguments and
        result picklable. Raises :class:`Busy`, :class:`TimedOut`, :class:`Cancelled`,
        :class:`WorkFailed`, or :class:`RuntimeError` for a bug in the job.
        """
        slot = await self._acquire(key)
        result: T = await self._run(slot, func, args)
        return result

    async def start(self) -> None:
        """Start every worker now (optional: they otherwise start on first use)."""
        await asyncio.gather(*(asyncio.to_thread(self._warm, i) for i in range(self.workers)))

    def stats(self) -> dict[str, int]:
        """``running`` (workers held by calls), ``queued``, ``workers``, ``restarts`` (workers
        killed and replaced) and ``alive`` (worker processes started and not retired)."""
        with self._lock:
            return {
                "running": self.workers - len(self._free),
                "queued": len(self._queue),
                "workers": self.workers,
                "restarts": self._restarts,
                "alive": sum(w is not None for w in self._state.workers),
            }

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and diagnostics)."""
        with self._lock:
            return [w.pid for w in self._state.workers if w is not None]

    def close(self) -> None:
        """Kill every worker and end every waiting call with :class:`Cancelled` (idempotent)."""
        with self._lock:
            waiting = list(self._queue)
            self._queue.clear()
        for w in waiting:
            self._post(w, _fail, Cancelled(f"the {self.name} lane was closed"))
        self._finalizer()

    # -- the queue ------------------------------------------------------------------------

    @staticmethod
    def _post(waiter: _Waiter, how: Callable[..., None], value: Any) -> bool:
        try:
            waiter.loop.call_soon_threadsafe(how, waiter.future, value)
        except RuntimeError:  # that caller's event loop is closed: it is gone
            return False
        return True

    async def _acquire(self, key: str | None) -> int:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._state.closed:
                raise Cancelled(f"the {self.name} lane is closed")
            if key is not None:
                stale = [w for w in self._queue if w.key == key]
                for w in stale:
                    self._queue.remove(w)
                    self._post(w, _fail, Cancelled("superseded by a newer request"))
            if self._free and not self._queue:
                return self._free.pop()
            if len(self._queue) >= self.queue:
                raise Busy(f"the {self.name} workers are busy and {len(self._queue)} calls wait")
            waiter = _Waiter(loop, loop.create_future(), key)
            self._queue.append(waiter)
        try:
            return await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                slot = waiter.slot
                if slot is None and waiter in self._queue:
                    self._queue.remove(waiter)
            if slot is not None:  # a worker was handed over just as the caller went away
                self._release(slot)
            raise

    def _release(self, slot: int) -> None:
        """Hand ``slot`` to the first waiting call, or mark it free (any thread)."""
        with self._lock:
            if self._state.closed:
                return
            while self._queue:
                waiter = self._queue.popleft()
                waiter.slot = slot
                if self._post(waiter, _settle, slot):
                    return
                waiter.slot = None
            self._free.append(slot)

    # -- the workers ----------------------------------------------------------------------

    def _start_worker(self, slot: int) -> _Worker:
        """Start the worker of ``slot`` and wait until it has imported ``preload`` (blocking)."""
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        alive_r, alive_w = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, alive_r, self.preload),
            name=f"accord-{self.name}-{slot}",
        )
        with _START_LOCK:
            process.start()
        child_conn.close()
        alive_r.close()
        worker = _Worker(process, parent_conn, alive_w)
        try:
            reply = parent_conn.recv() if parent_conn.poll(START_SECONDS) else ("slow", None)
        except (EOFError, OSError):
            reply = ("died", None)
        if reply[0] != "ready":
            _kill_now(worker)
            process.join(1.0)
            worker.close_pipes()
            why = {
                "slow": f"did not start within {START_SECONDS:g} s",
                "died": "exited while starting",
            }.get(reply[0], f"failed to start:\n{reply[1]}")
            raise RuntimeError(f"the {self.name} worker process {why}")
        with self._lock:
            closed = self._state.closed
            if not closed:
                self._state.workers[slot] = worker
        if closed:
            _kill_now(worker)
            worker.close_pipes()
            raise Cancelled(f"the {self.name} lane was closed")
        return worker

    def _warm(self, slot: int) -> None:
        with self._lock:
            if slot not in self._free or self._state.workers[slot] is not None:
                return  # in use (its call starts it) or already started
            self._free.remove(slot)
        try:
            self._start_worker(slot)
        finally:
            self._release(slot)

    def _retire(self, slot: int, worker: _Worker, *, release: bool = True) -> None:
        """Kill ``worker`` (SIGTERM, then SIGKILL) and free ``slot`` once it is dead (unless
        ``release`` is false: the caller keeps the slot and starts a replacement)."""
        with self._lock:
            if self._state.workers[slot] is worker:
                self._state.workers[slot] = None
                self._restarts += 1
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.process.terminate()
        # Reaped in a thread: a cancelled task must not await, and the loop must not block.
        threading.Thread(
            target=self._reap,
            args=(slot, worker, release),
            name=f"accord-{self.name}-reap",
            daemon=True,
        ).start()

    def _reap(self, slot: int, worker: _Worker, release: bool) -> None:
        try:
            worker.process.join(TERM_GRACE)
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join(1.0)
        except (OSError, ValueError, AssertionError):
            pass
        finally:
            worker.close_pipes()
            if release:
                self._release(slot)

    def _after_read(
        self, slot: int, worker: _Worker, task: asyncio.Future[tuple[str, Any]]
    ) -> None:
        healthy = not task.cancelled() and task.exception() is None
        if healthy and task.result()[0] not in ("died", "memory"):
            self._release(slot)
        else:  # dead, out of memory (its heap may stay huge), or a reply we could not read
            self._retire(slot, worker)

    async def _run(self, slot: int, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        handed_off = False  # True once a callback or thread has taken over freeing the slot
        try:
            worker = self._state.workers[slot]
            for attempt in (1, 2):
                # An idle worker has nothing to say: data or end of file means it died.
                if worker is not None and (worker.conn.poll(0) or not worker.process.is_alive()):
                    self._retire(slot, worker, release=False)
                    worker = None
                if worker is None:
                    starting = asyncio.ensure_future(asyncio.to_thread(self._start_worker, slot))
                    try:
                        worker = await asyncio.shield(starting)
                    except asyncio.CancelledError:
                        if not starting.done():
                            starting.add_done_callback(lambda _t: self._release(slot))
                            handed_off = True
                        raise
                try:
                    worker.conn.send((func, args))  # pickled before a byte is written
                    break
                except OSError:  # it died while idle, and is_alive() had not noticed yet
                    self._retire(slot, worker, release=False)
                    worker = None
                    if attempt == 2:
                        raise RuntimeError(
                            f"the {self.name} worker process died before the job"
                        ) from None
            assert worker is not None
            loop = asyncio.get_running_loop()
            try:
                await asyncio.wait_for(self._readable(loop, worker.conn), self.seconds)
            except TimeoutError:
                self._retire(slot, worker)
                handed_off = True
                raise TimedOut(
                    f"the computation took longer than {self.seconds:g} s and was stopped"
                ) from None
            except BaseException:  # cancelled (the client went away): stop the job now
                self._retire(slot, worker)
                handed_off = True
                raise
            # The reply is arriving; read and unpickle it off the loop. A cancellation now lets
            # the read finish, and the slot is freed when it has.
            reading = asyncio.ensure_future(asyncio.to_thread(_receive, worker.conn))
            reading.add_done_callback(functools.partial(self._after_read, slot, worker))
            handed_off = True
            kind, value = await asyncio.shield(reading)
        finally:
            if not handed_off:
                self._release(slot)
        if kind == "ok":
            return value
        if kind in ("input", "memory"):
            raise WorkFailed(kind, str(value))
        if self._state.closed:
            raise Cancelled(f"the {self.name} lane was closed")
        if kind == "died":
            raise RuntimeError(
                f"the {self.name} worker process died while running {_name_of(func)} "
                "(killed from outside or crashed)"
            )
        raise RuntimeError(f"{_name_of(func)} failed in the {self.name} worker:\n{value}")

    @staticmethod
    async def _readable(loop: asyncio.AbstractEventLoop, conn: Connection) -> None:
        """Until ``conn`` has data (a reply, or end of file when the worker died)."""
        fd = conn.fileno()
        ready: asyncio.Future[None] = loop.create_future()
        try:
            loop.add_reader(fd, _settle, ready, None)
        except NotImplementedError:  # an event loop without add_reader (Windows' proactor)
            while not await asyncio.to_thread(conn.poll, 0.05):
                pass
            return
        try:
            await ready
        finally:
            loop.remove_reader(fd)
