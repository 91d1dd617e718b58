"""Quickstart: load a scenario, run every engine once, and print the briefing.

Run it from the repository root (any folder works once Accord is installed):

    python examples/quickstart.py                     # the Hanoi summit, 2019 (about 30 s)
    python examples/quickstart.py divide-the-dollar   # a textbook case (a few seconds)
    python examples/quickstart.py my_scenario.yaml    # your own file

`accord.run` is what `accord run` does: every engine the scenario has a section for runs once,
and the briefing sums the answers up in at most eight points (docs/api.md, docs/briefing.md).
"""

from __future__ import annotations

import sys

import accord
from accord.app.briefing import brief
from accord.errors import ScenarioError

ref = sys.argv[1] if len(sys.argv) > 1 else "hanoi-2019"

try:
    scenario = accord.load(ref)  # a file path or a built-in id ('accord list' shows them)
except ScenarioError as exc:  # names the file, line, field and fix
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)  # as the accord command does for bad input
print(f"{scenario.title} (parties: {len(scenario.parties)}, issues: {len(scenario.issues)})")

result = accord.run(scenario, seed=0)  # the seed makes the simulations repeatable
print("engines run:", ", ".join(result.engines))
for key, why in result.left_out.items():  # an engine without its section is left out, not run
    print(f"left out {key}: {why}")
print()
print(brief(result).to_markdown())
