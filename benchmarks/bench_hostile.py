"""Benchmark: the pathological inputs of issue 19 (items 2, 4 and 6), each through the ``accord``
command in a fresh process: wall time (including the command's start-up, about 0.4 s) and peak
resident memory, under the corpus's 2 GiB address-space cap. Issue 19 asks that each completes
in under 2 s.

The cases come from the hostile corpus, ``tests/hostile/generate.py``: every case marked
``large`` (the generated ones) plus the refused cases that used to cost the most. Run
``python benchmarks/bench_hostile.py [NAME ...]``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRA = (
    "alias-bytes-long-string",
    "alias-bytes-evidence",
    "alias-bytes-nested",
    "alias-billion-laughs",
    "json-deep-arrays",
    "json-int-50000-digits",
    "statement-parens-100k",
    "statement-and-chain-100k",
    "statement-implication-chain-5000",
    "genius-int-bounds-1e308",
    "genius-deep-xml",
)
ACCORD = [sys.executable, "-c", "from accord.cli.main import main; main()"]
MEMORY_CAP = 2 * 1024**3
"""The address-space cap the corpus runs under (tests/hostile/test_hostile.py): the memory
budget follows it, so the memory-class cases are refused here as they are there."""


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _generator():  # type: ignore[no-untyped-def]
    path = ROOT / "tests" / "hostile" / "generate.py"
    spec = importlib.util.spec_from_file_location("hostile_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_generate"] = module
    spec.loader.exec_module(module)
    return module


def run_one(gen, c, folder: Path) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    """(exit code, wall seconds, peak resident MiB) of one case in a fresh process."""
    root = gen.write_case(c, folder)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*ACCORD, *gen.command_for(c, root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=root,
        preexec_fn=_limit,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    gen = _generator()
    chosen = [c for c in gen.CASES if (c.name in argv if argv else c.large or c.name in EXTRA)]
    print(f"{'case':40} {'class':10} {'exit':>4} {'wall s':>7} {'peak MiB':>9}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for c in chosen:
            code, wall, peak = run_one(gen, c, Path(tmp))
            worst = max(worst, wall)
            flag = "" if code == c.exit else f"  (expected exit {c.exit})"
            print(f"{c.name:40} {c.cls:10} {code:>4} {wall:>7.2f} {peak:>9.0f}{flag}", flush=True)
    print(f"slowest: {worst:.2f} s (issue 19 asks < 2 s per case)")


if __name__ == "__main__":
    main()
