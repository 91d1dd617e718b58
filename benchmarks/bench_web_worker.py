"""Benchmark: the web app's worker processes (``accord.web.workers.ProcessLane``).

Measures what a request pays for running its computation in a worker process instead of a
thread: the first call (worker start, with and without the app's imports preloaded), the
round trip of a trivial call and of a call carrying a 512 KiB scenario text, and how soon a
worker is free again after a job is killed at its deadline or its caller goes away (issue 19
asks for under 1 s). Run ``python benchmarks/bench_web_worker.py``.
"""

from __future__ import annotations

import asyncio
import operator
import os
import statistics
import time

from accord.web.workers import ProcessLane, TimedOut

APP_PRELOAD = ("accord.io.scenario_file", "accord.app.run", "accord.report")
"""What the app's compute lane would preload (the modules its jobs import)."""


async def _first_call(preload: tuple[str, ...]) -> float:
    start = time.perf_counter()
    lane = ProcessLane("bench-cold", workers=1, seconds=60, preload=preload)
    try:
        await lane.call(os.getpid)
        return time.perf_counter() - start
    finally:
        lane.close()


async def _round_trips(lane: ProcessLane, n: int, *args: object) -> float:
    """Milliseconds per sequential call of ``len`` or ``operator.add``."""
    func = len if args else operator.add
    call_args = args or (2, 3)
    await lane.call(func, *call_args)
    start = time.perf_counter()
    for _ in range(n):
        await lane.call(func, *call_args)
    return (time.perf_counter() - start) / n * 1000


async def _after_timeout(repeats: int) -> tuple[list[float], list[float]]:
    """Seconds from the deadline to TimedOut, and to the next call's answer."""
    lane = ProcessLane("bench-deadline", workers=1, seconds=0.3)
    raised, freed = [], []
    try:
        await lane.call(os.getpid)
        for _ in range(repeats):
            start = time.perf_counter()
            try:
                await lane.call(time.sleep, 30)
            except TimedOut:
                raised.append(time.perf_counter() - start - lane.seconds)
            await lane.call(os.getpid)
            freed.append(time.perf_counter() - start - lane.seconds)
    finally:
        lane.close()
    return raised, freed


async def _after_cancel(repeats: int) -> list[float]:
    """Seconds from cancelling a running call to the next call's answer."""
    lane = ProcessLane("bench-cancel", workers=1, seconds=60)
    out = []
    try:
        await lane.call(os.getpid)
        for _ in range(repeats):
            task = asyncio.create_task(lane.call(time.sleep, 30))
            await asyncio.sleep(0.2)
            start = time.perf_counter()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await lane.call(os.getpid)
            out.append(time.perf_counter() - start)
    finally:
        lane.close()
    return out


async def _run() -> list[tuple[str, str]]:
    rows = []
    # The forkserver is one per process: the first lane starts it with its preload.
    cold_app = await _first_call(APP_PRELOAD)
    rows.append(("first call, forkserver start with the app's imports", f"{cold_app:.2f} s"))
    warm = await _first_call(())
    rows.append(("first call of a new lane (forkserver running)", f"{warm * 1000:.0f} ms"))
    lane = ProcessLane("bench-calls", workers=2, seconds=60, queue=2000)
    try:
        trivial = await _round_trips(lane, 2000)
        rows.append(("trivial call, round trip", f"{trivial:.3f} ms"))
        text = "x" * (512 * 1024)
        big = await _round_trips(lane, 200, text)
        rows.append(("call with a 512 KiB text argument", f"{big:.3f} ms"))
        start = time.perf_counter()
        await asyncio.gather(*(lane.call(operator.add, 2, 3) for _ in range(2000)))
        both = (time.perf_counter() - start) / 2000 * 1000
        rows.append(("2000 concurrent trivial calls, 2 workers, per call", f"{both:.3f} ms"))
    finally:
        lane.close()
    raised, freed = await _after_timeout(10)
    rows.append(
        (
            "deadline -> TimedOut raised (median / max of 10)",
            f"{statistics.median(raised) * 1000:.0f} / {max(raised) * 1000:.0f} ms",
        )
    )
    rows.append(
        (
            "deadline -> next call answered (median / max of 10)",
            f"{statistics.median(freed) * 1000:.0f} / {max(freed) * 1000:.0f} ms",
        )
    )
    cancelled = await _after_cancel(10)
    rows.append(
        (
            "cancel -> next call answered (median / max of 10)",
            f"{statistics.median(cancelled) * 1000:.0f} / {max(cancelled) * 1000:.0f} ms",
        )
    )
    return rows


def main() -> None:
    rows = asyncio.run(_run())
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
