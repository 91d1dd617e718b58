"""Was a deal possible in Hanoi? The bargaining analysis alone, in under a second.

    python examples/analyse_hanoi.py

`accord.analyse` enumerates every package of options, keeps those that give each party at least
its walk-away (reservation) value -- the zone of possible agreement -- and finds the Nash,
Kalai-Smorodinsky and other bargaining solutions in it (docs/models.md). Its `headlines` are the
numbers a sweep records; its `findings` are sentences with the numbers they rest on.
"""

from __future__ import annotations

import accord

scenario = accord.load("hanoi-2019")
result = accord.analyse(scenario)

h = result.headlines
print(f"deal possible: {'yes' if h['deal_possible'] else 'no'}")
print(f"packages in the zone of agreement: {h['zone_size']:.0f}")
for proposal in scenario.proposals:
    # margin: the smallest gain over walk-away any party gets (negative: someone would refuse)
    print(f"margin of {proposal.name!r}: {h[f'margin:{proposal.id}']:+.3f}")
print()
for finding in result.findings:
    print("-", finding.text)
