"""Benchmark: the two-level analysis (``accord ratify``) on 10^6 packages, 3 ratifiers per side.

Issue 14 asks for 10^6 packages with three ratifiers per side in under 2 s and under 1 GB. The
scenario has six discrete issues of ten options each (10^6 packages), two leaders and three
ratifiers per side with seeded random values; one case leaves the two-level zone non-empty, the
other empties it (so the search for the smallest opening change runs too). Each case runs in its
own subprocess so that its peak resident memory (``ru_maxrss``) is its own; the traced peak
(``tracemalloc``, which sees NumPy's buffers) is what the analysis itself allocates.

Run: ``python benchmarks/bench_ratify.py`` (about half a minute on two cores).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import numpy as np

SEED = 20190228
ISSUES = 6
OPTIONS = 10
LIMIT_S = 2.0
LIMIT_MB = 1024.0


def make_scenario(strict: bool) -> Any:
    from accord.scenario.model import Scenario

    rng = np.random.default_rng(np.random.SeedSequence(SEED).spawn(1)[0])
    issues = [{"id": f"i{j}", "options": [f"o{k}" for k in range(OPTIONS)]} for j in range(ISSUES)]

    def prefs(increasing: bool) -> dict[str, Any]:
        weights = {f"i{j}": float(w) for j, w in enumerate(rng.uniform(0.5, 1.5, ISSUES))}
        values = {}
        for j in range(ISSUES):
            ramp = np.linspace(0.0, 1.0, OPTIONS) if increasing else np.linspace(1.0, 0.0, OPTIONS)
            noisy = np.clip(ramp + rng.normal(0, 0.05, OPTIONS), 0, 1)
            values[f"i{j}"] = {f"o{k}": float(v) for k, v in enumerate(noisy)}
        return {"weights": weights, "values": values}

    def ratifiers(increasing: bool, bars: tuple[float, ...]) -> list[dict[str, Any]]:
        out = []
        for k, bar in enumerate(bars):
            p = prefs(increasing)
            p.update({"id": f"r{k}", "reservation": {"triangular": [bar - 0.05, bar, bar + 0.05]}})
            out.append(p)
        return out

    # strict: one of A's ratifiers asks for more than any package of the zone gives it
    bars_a = (0.8, 0.45, 0.45) if strict else (0.45, 0.45, 0.45)
    bars_b = (0.45, 0.45, 0.45)
    data = {
        "accord": 1,
        "id": "bench-ratify",
        "title": "Benchmark",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": issues,
        "preferences": {
            "a": {**prefs(True), "reservation": 0.3, "discount": 0.95, "outside_option": 0.4},
            "b": {**prefs(False), "reservation": 0.3, "discount": 0.95},
        },
        "domestic": [
            {"party": "a", "rule": "all", "ratifiers": ratifiers(True, bars_a)},
            {"party": "b", "rule": "majority", "ratifiers": ratifiers(False, bars_b)},
        ],
        "proposals": [
            {"id": "p1", "outcome": {f"i{j}": "o5" for j in range(ISSUES)}},
            {"id": "p2", "outcome": {f"i{j}": "o3" for j in range(ISSUES)}},
        ],
    }
    return Scenario.model_validate(data)


def case(strict: bool) -> dict[str, Any]:
    from accord.domestic import findings, ratify

    scenario = make_scenario(strict)
    tracemalloc.start()
    start = time.perf_counter()
    res = ratify(scenario, seed=SEED)
    found = findings(res)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "strict": strict,
        "packages": int(res.utilities.shape[0]),
        "seconds": seconds,
        "traced_mb": peak / 2**20,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "international": res.zone_international,
        "two_level": res.zone_two_level,
        "openings": len(res.openings),
        "findings": len(found),
    }


def main() -> None:
    print(f"ratify: {OPTIONS}^{ISSUES} packages, 3 ratifiers per side (seed {SEED})")
    print(f"{'case':<28} {'seconds':>8} {'traced MB':>10} {'peak RSS MB':>12}  note")
    ok = True
    for strict in (False, True):
        proc = subprocess.run(
            [sys.executable, __file__, "--case", "strict" if strict else "loose"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        label = "empty two-level zone" if strict else "non-empty two-level zone"
        note = (
            f"zone {r['international']:,}, two-level {r['two_level']:,}, openings {r['openings']}"
        )
        print(
            f"{label:<28} {r['seconds']:>8.3f} {r['traced_mb']:>10.1f} {r['rss_mb']:>12.1f}  {note}"
        )
        ok &= r["seconds"] < LIMIT_S and r["rss_mb"] < LIMIT_MB
    print(f"target: under {LIMIT_S:g} s and {LIMIT_MB:g} MB: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(case(sys.argv[2] == "strict")))
    else:
        main()
