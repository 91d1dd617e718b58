"""Web app latency as an analyst feels it: Playwright drives Chromium against ``accord serve``.

For hanoi-2019, each slider is moved 20 times (a new value each time, waiting for the answer);
the page records, for every move, the time from the input event to the first updated panel and
to the last one (``window.accordTimings``, measured in the browser). The issue's targets are a
p95 of 150 ms to the first panel and 1 s to every panel, on 2 cores. Values are new each time, so
the server's cache holds only the engines the slider does not touch. "First panel" is the first
panel confirmed current (often one the slider does not touch, answered from the cache);
"first recomputed" is the first panel whose engine ran again for the new value.

Run alone: ``python benchmarks/bench_web_latency.py [moves]``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
FIRST_TARGET_MS = 150.0
ALL_TARGET_MS = 1000.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def measure(moves: int = 20) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    cmd = [sys.executable, "-c", "from accord.cli.main import main; main()", "serve"]
    proc = subprocess.Popen([*cmd, "--port", str(port)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, dict[str, float]] = {}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/scenarios", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        exe = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/")
            page.wait_for_function("() => window.accordTimings.length >= 1", timeout=120_000)
            sliders = {
                "weight (DPRK, security assurance)": "#w-dprk-security-assurance",
                "reservation (United States)": "#r-usa",
                "trust (United States)": "#t-usa",
            }
            rng = np.random.default_rng(0)
            for label, selector in sliders.items():
                first, computed, every = [], [], []
                lo, hi = (0.05, 0.6) if selector.startswith("#w") else (0.2, 0.7)
                values = np.round(rng.uniform(lo, hi, moves), 3)
                for v in values:
                    n = page.evaluate("() => window.accordTimings.length")
                    page.locator(selector).evaluate(
                        "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input')); }",
                        float(v),
                    )
                    page.wait_for_function(
                        f"() => window.accordTimings.length > {n}", timeout=120_000
                    )
                    t = page.evaluate("() => window.accordTimings[window.accordTimings.length-1]")
                    if t["first"] is not None:
                        first.append(t["first"])
                    if t.get("firstComputed") is not None:
                        computed.append(t["firstComputed"])
                    every.append(t["all"])
                out[label] = {
                    "first_p50": _pct(first, 50),
                    "first_p95": _pct(first, 95),
                    "computed_p50": _pct(computed, 50) if computed else float("nan"),
                    "computed_p95": _pct(computed, 95) if computed else float("nan"),
                    "all_p50": _pct(every, 50),
                    "all_p95": _pct(every, 95),
                }
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return out


def main(moves: int = 20) -> None:
    if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
        print("skipped: Debian's Chromium is not installed (apt-get install -y chromium)")
        return
    results = measure(moves)
    print(f"hanoi-2019, {moves} moves per slider, ms from the input event (p50 / p95)")
    print(f"{'slider':34} {'first panel':>13} {'first recomputed':>17} {'every panel':>13}")
    for label, r in results.items():
        print(
            f"{label:34} {r['first_p50']:5.0f} / {r['first_p95']:5.0f} "
            f"{r['computed_p50']:8.0f} / {r['computed_p95']:5.0f} "
            f"{r['all_p50']:5.0f} / {r['all_p95']:5.0f}"
        )
    print(f"targets (p95): first panel {FIRST_TARGET_MS:.0f} ms, all {ALL_TARGET_MS:.0f} ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
