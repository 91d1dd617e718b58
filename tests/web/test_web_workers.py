"""The web app's worker processes (accord.web.workers): results, errors, deadline, cancellation,
the queue, and workers that die with their parent. Real processes throughout.

The jobs are standard-library callables (the test module itself is not importable by name in a
worker under pytest's importlib mode), so each expected value has an independent reference.
"""

from __future__ import annotations

import asyncio
import json
import math
import operator
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from accord.web.workers import Busy, Cancelled, ProcessLane, TimedOut, WorkFailed

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for process states")


def gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie awaiting its reaper counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_gone(pids: list[int], seconds: float = 10.0) -> list[int]:
    """The pids still running after waiting up to ``seconds`` for all to exit."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        alive = [p for p in pids if not gone(p)]
        if not alive:
            return []
        time.sleep(0.05)
    return [p for p in pids if not gone(p)]


@pytest.fixture
def lanes() -> Iterator[list[ProcessLane]]:
    made: list[ProcessLane] = []
    yield made
    for lane in made:
        lane.close()


def make(lanes: list[ProcessLane], **kw: Any) -> ProcessLane:
    args: dict[str, Any] = {"name": "test", "workers": 1, "seconds": 30.0, **kw}
    lane = ProcessLane(**args)
    lanes.append(lane)
    return lane


async def until(cond: Any, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < end, "condition not reached"
        await asyncio.sleep(0.02)


def test_a_job_returns_its_value_from_another_process(lanes: list[ProcessLane]) -> None:
    lane = make(lanes, workers=2)

    async def main() -> tuple[int, int, list[int]]:
        a, b = await asyncio.gather(lane.call(math.comb, 10, 3), lane.call(os.getpid))
        return a, b, lane.pids()

    value, pid, pids = asyncio.run(main())
    assert value == 120  # C(10, 3) = 10·9·8 / 3!
    assert pid != os.getpid() and pid in pids
    assert lane.stats() == {"running": 0, "queued": 0, "workers": 2, "restarts": 0, "alive": 2}


def test_expected_errors_come_back_as_work_failed(lanes: list[ProcessLane]) -> None:
    from accord.errors import ScenarioError
    from accord.io.scenario_file import parse_scenario

    bad_yaml = "id: [\n"
    with pytest.raises(ScenarioError) as here:  # the same call in this process: the reference
        parse_scenario(bad_yaml, file="bad.yaml", fmt="yaml")
    with pytest.raises(ValueError) as int_here:
        int("x")
    lane = make(lanes)

    async def failure(func: Any, *args: Any) -> WorkFailed:
        with pytest.raises(WorkFailed) as info:
            await lane.call(func, *args)
        return info.value

    async def main() -> tuple[WorkFailed, WorkFailed, WorkFailed, int]:
        scenario = await failure(partial(parse_scenario, file="bad.yaml", fmt="yaml"), bad_yaml)
        value = await failure(int, "x")
        pid = await lane.call(os.getpid)
        memory = await failure(bytearray, 2**50)  # a pebibyte: the allocation fails
        return scenario, value, memory, pid

    scenario, value, memory, pid = asyncio.run(main())
    assert (scenario.kind, scenario.message) == ("input", str(here.value))
    assert "bad.yaml" in scenario.message
    assert (value.kind, value.message) == ("input", str(int_here.value))
    assert memory.kind == "memory"
    # Refused input leaves the worker in service; after a MemoryError it is replaced.
    assert lane.stats()["restarts"] == 1
    assert wait_gone([pid]) == [] and lane.pids() == []


def test_a_bug_in_a_job_is_a_runtime_error_with_the_worker_traceback(
    lanes: list[ProcessLane],
) -> None:
    lane = make(lanes)

    async def main() -> tuple[str, int, int, int]:
        first = await lane.call(os.getpid)
        with pytest.raises(RuntimeError) as info:
            await lane.call(operator.getitem, [], 1)
        after = await lane.call(os.getpid)
        return str(info.value), first, after, await lane.call(operator.add, 2, 3)

    message, first, after, five = asyncio.run(main())
    assert "Traceback" in message and "IndexError: list index out of range" in message
    assert "getitem" in message
    assert first == after and five == 5  # the same worker carries on
    assert lane.stats()["restarts"] == 0


def test_past_the_deadline_the_worker_is_killed_and_replaced(lanes: list[ProcessLane]) -> None:
    lane = make(lanes, seconds=0.5)

    async def main() -> tuple[int, float, float, int, str]:
        old = await lane.call(os.getpid)  # warm: the deadline then counts the job alone
        start = time.monotonic()
        with pytest.raises(TimedOut) as info:
            await lane.call(time.sleep, 30)
        timed_out = time.monotonic()
        new = await lane.call(os.getpid)
        freed = time.monotonic()
        return old, timed_out - start, freed - (start + lane.seconds), new, str(info.value)

    old, waited, to_free, new, message = asyncio.run(main())
    print(
        f"timed out after {waited:.3f} s; a new call succeeded {to_free:.3f} s after the deadline"
    )
    assert "0.5 s" in message
    assert waited < 30  # the 30 s job was stopped, not waited for
    assert new != old and wait_gone([old]) == []
    assert lane.stats()["restarts"] == 1 and lane.pids() == [new]


def test_cancelling_the_awaiting_task_kills_the_running_worker(lanes: list[ProcessLane]) -> None:
    lane = make(lanes)

    async def main() -> tuple[int, dict[str, int], int]:
        old = await lane.call(os.getpid)
        running = asyncio.create_task(lane.call(time.sleep, 30))
        queued = asyncio.create_task(lane.call(os.getpid))
        await until(lambda: lane.stats()["queued"] == 1)
        queued.cancel()  # a waiting call just leaves the queue
        with pytest.raises(asyncio.CancelledError):
            await queued
        after_queue_cancel = lane.stats()
        await asyncio.sleep(0.2)  # the job is in the worker
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        return old, after_queue_cancel, await lane.call(os.getpid)

    old, mid, new = asyncio.run(main())
    assert mid["queued"] == 0 and mid["running"] == 1 and mid["restarts"] == 0
    assert wait_gone([old]) == []  # the worker running the 30 s job was killed
    assert new != old and lane.stats()["restarts"] == 1


def test_a_newer_call_with_the_same_key_cancels_the_queued_ones(lanes: list[ProcessLane]) -> None:
    lane = make(lanes)

    async def main() -> tuple[list[Any], bool, dict[str, int], bool]:
        first = await lane.call(os.getpid)
        running = asyncio.create_task(lane.call(time.sleep, 30, key="sliders"))
        await until(lambda: lane.stats()["running"] == 1)
        older = asyncio.create_task(lane.call(math.comb, 4, 2, key="sliders"))
        other = asyncio.create_task(lane.call(math.comb, 6, 3, key="other"))
        await until(lambda: lane.stats()["queued"] == 2)
        newest = asyncio.create_task(lane.call(math.comb, 5, 2, key="sliders"))
        with pytest.raises(Cancelled):
            await older
        await asyncio.sleep(0.3)  # time enough for a kill to show, were there one
        still_running = not running.done()  # superseding does not touch the running call
        stats, pids = lane.stats(), lane.pids()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        return list(await asyncio.gather(other, newest)), still_running, stats, pids == [first]

    results, still_running, stats, same_worker = asyncio.run(main())
    assert still_running and same_worker and stats["restarts"] == 0
    assert stats["queued"] == 2  # "other" and the newest "sliders"; the older one is gone
    assert results == [20, 10]  # C(6, 3) = 20, C(5, 2) = 10


def test_a_full_queue_refuses_with_busy(lanes: list[ProcessLane]) -> None:
    lane = make(lanes, queue=2)

    async def main() -> dict[str, int]:
        tasks = [asyncio.create_task(lane.call(time.sleep, 30))]
        await until(lambda: lane.stats()["running"] == 1)
        tasks += [asyncio.create_task(lane.call(os.getpid)) for _ in range(2)]
        await until(lambda: lane.stats()["queued"] == 2)
        with pytest.raises(Busy):
            await lane.call(os.getpid)
        stats = lane.stats()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return stats

    assert asyncio.run(main()) == {
        "running": 1,
        "queued": 2,
        "workers": 1,
        "restarts": 0,
        "alive": 1,
    }


def test_a_worker_killed_from_outside_is_replaced(lanes: list[ProcessLane]) -> None:
    lane = make(lanes)

    async def main() -> tuple[int, str, int]:
        idle = await lane.call(os.getpid)
        os.kill(idle, signal.SIGKILL)  # dies while idle: the next call gets a fresh worker
        # Reaped, not only a zombie: the zombie leader of a threaded process may still hold its
        # files for a moment, and a job sent then is lost with the worker.
        await until(lambda: not os.path.exists(f"/proc/{idle}"))
        busy = await lane.call(os.getpid)
        job = asyncio.create_task(lane.call(time.sleep, 30))
        await asyncio.sleep(0.2)
        os.kill(busy, signal.SIGKILL)  # dies while running: the call reports it
        with pytest.raises(RuntimeError) as info:
            await job
        return idle, str(info.value), busy

    idle, message, busy = asyncio.run(main())
    assert busy != idle and "died" in message
    assert lane.stats()["restarts"] == 2


def test_close_kills_the_workers_and_refuses_new_calls(lanes: list[ProcessLane]) -> None:
    lane = make(lanes, workers=2)

    async def main() -> list[int]:
        await lane.start()
        pids = lane.pids()
        lane.close()
        lane.close()  # idempotent
        with pytest.raises(Cancelled):
            await lane.call(os.getpid)
        return pids

    pids = asyncio.run(main())
    assert len(pids) == 2
    assert wait_gone(pids) == []
    assert lane.pids() == []


PARENT = """
import asyncio, json, time
import multiprocessing.forkserver as forkserver
from accord.web.workers import ProcessLane

async def main():
    lane = ProcessLane("orphans", workers=2, seconds=60)
    await lane.start()
    job = asyncio.create_task(lane.call(time.sleep, 60))  # one busy worker, one idle
    while lane.stats()["running"] == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    print(json.dumps({"workers": lane.pids(), "server": forkserver._forkserver._forkserver_pid}),
          flush=True)
    await job

asyncio.run(main())
"""


def test_workers_exit_when_the_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        ready, _, _ = select.select([parent.stdout], [], [], 60)
        assert ready, "the parent did not start its workers"
        info = json.loads(parent.stdout.readline())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    pids = [*info["workers"], info["server"]]
    assert len(info["workers"]) == 2
    assert wait_gone(pids) == [], "worker processes outlived their parent"
