"""What if? Change one number of a scenario and compare the answers.

    python examples/what_if.py                                       # the default question below
    python examples/what_if.py preferences.usa.weights.verification 0.4

The default question: in Hanoi, what if sanctions relief mattered more to the DPRK (weight 0.5
instead of the scenario's 0.3)? Scenarios are frozen; `substitute` builds a new one with the
value changed and checks it again, so a value the model forbids is refused with its field.
"""

from __future__ import annotations

import sys

import accord
from accord.errors import ScenarioError
from accord.uncertainty.parameters import find_params, substitute

name = sys.argv[1] if len(sys.argv) > 1 else "preferences.dprk.weights.sanctions-relief"
try:
    value = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
except ValueError:
    print(f"error: the value must be a number, got {sys.argv[2]!r}", file=sys.stderr)
    sys.exit(2)

base = accord.load("hanoi-2019")
try:
    [param] = find_params(base, [name])  # the parameter at that path, with a readable label
    changed = substitute(base, [param], [value])
except ScenarioError as exc:  # an unknown field, or a value the model refuses: say which and why
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)  # as the accord command does for bad input

before = accord.analyse(base).headlines
after = accord.analyse(changed).headlines

print(f"what if {param.label} were {value:g} instead of {param.point:g}?")
print(f"{'headline':<28} {'before':>8} {'after':>8}")
for key in before:
    print(f"{key:<28} {before[key]:>8.3f} {after[key]:>8.3f}")
