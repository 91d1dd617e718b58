"""Imported once by the web app's worker-process server before it forks any worker.

Numba compiles (or loads from its cache) the kernels on first use, and Plotly, SciPy and the
engines fill caches on their first call; every worker killed at its deadline is replaced by a
fresh fork of this server. Running the default scenario's fast engines and drawing their
sections here, once, means every worker — the first and each replacement — starts warm and
answers in milliseconds (docs/architecture.md, "The web app"). Sequencing is left out: its cost
is its MILPs, which no warm-up saves."""

from __future__ import annotations

from accord.app.registry import all_specs
from accord.app.run import run_all
from accord.io.scenario_file import load_scenario
from accord.report import section_views
from accord.report.sections import ReportData
from accord.simulation.batch import warm_up

warm_up()
_fast = (*(k for k in all_specs() if k != "sequence"), "uncertainty")
section_views(ReportData(run_all(load_scenario("hanoi-2019"), only=_fast)))
