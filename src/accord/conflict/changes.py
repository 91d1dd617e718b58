"""Describing states and what would break an equilibrium.

``what_would_change``: for each Nash equilibrium and each decision maker, its best unilateral
deviation and how far that deviation's payoff falls below the equilibrium's (the preference
gap a shift must close before the decision maker leaves; Nash stability, Fang, Hipel & Kilgour
1993, ch. 3). Payoffs are ordinal, so the gap counts preference steps (ranks or prioritisation
scores), not utility.

Example:
    >>> import numpy as np
    >>> from accord.conflict.model import ConflictModel
    >>> from accord.conflict.stability import analyse
    >>> pd = ConflictModel.build(dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"),
    ...     option_owner=(0, 1), codes=np.arange(4), payoff=[[3, 4, 1, 2], [3, 1, 4, 2]])
    >>> what_would_change(analyse(pd))[0]["payoff_loss"]
    1
"""

from __future__ import annotations

from typing import Any

from accord.conflict.model import ConflictModel
from accord.conflict.stability import StabilityResult, all_moves


def describe_state(model: ConflictModel, number: int) -> str:
    """``state 3 (walk-away)``: a 1-based state by the options taken."""
    taken = [o for o, v in model.state_options(number - 1).items() if v]
    return f"state {number} ({', '.join(taken) if taken else 'no option taken'})"


def what_would_change(result: StabilityResult) -> list[dict[str, Any]]:
    """Per Nash equilibrium and decision maker: the best unilateral deviation and the gap."""
    model = result.model
    mv = all_moves(model)
    out = []
    for s in result.equilibria.get("nash", []):
        for d, dm in enumerate(model.dm_ids):
            e = mv.moves[d]
            targets = e.dst[e.start[s - 1] : e.start[s]]
            if targets.size == 0:
                continue
            p = model.payoff[d]
            best = int(targets[p[targets].argmax()])
            out.append(
                {
                    "equilibrium": s,
                    "equilibrium_state": describe_state(model, s),
                    "decision_maker": dm,
                    "best_deviation": best + 1,
                    "deviation_state": describe_state(model, best + 1),
                    "payoff_loss": int(p[s - 1] - p[best]),
                }
            )
    return out
