"""Imported once by the web app's worker-process server before it forks any worker.

Numba compiles (or loads from its cache) the simulation kernels on first use, and every worker
killed at its deadline is replaced by a fresh fork; loading them here, once, means every worker —
the first and each replacement — starts with them loaded and answers in milliseconds
(docs/architecture.md, "The web app")."""

from __future__ import annotations

from accord.app.run import run_all
from accord.io.scenario_file import load_scenario
from accord.simulation.batch import warm_up

warm_up()
run_all(load_scenario("divide-the-dollar"), uncertainty=False)
