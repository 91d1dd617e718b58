"""First-level hypergames: each decision maker plays the game it believes it is in.

Wang, Hipel & Fraser (1988), "Solution concepts in hypergames", Behavioral Science 33:207-219
(the first-level hypergame and its equilibria, §§2-3; see also Fang, Hipel & Kilgour 1993, the
hypergame extension of the graph model). Decision maker i perceives a game G_i: the same states
and moves, its own true preferences, and for every other decision maker j either j's true
preferences or the preferences i believes j has (a ``perceptions:`` entry). Then

* i's stability at s under a solution concept is evaluated in G_i (its sanctions and its
  opponents' replies are the ones it imagines);
* the equilibria *of G_i* are the states i expects to be stable for everyone;
* a state is an equilibrium *of the hypergame* (the joint outcome) when it is stable for every
  decision maker in that decision maker's own perceived game.

With correct perceptions every G_i is the true game and the hypergame is the ordinary analysis.
To name the misperception that drives a result, each perception is removed in turn (its holder
given the true preferences of the other) and the hypergame equilibria recomputed; a perception
drives a state when removing it alone gains or loses that state.

Example:
    >>> import numpy as np
    >>> from accord.conflict.model import ConflictModel
    >>> pd = ConflictModel.build(dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"),
    ...     option_owner=(0, 1), codes=np.arange(4), payoff=[[3, 4, 1, 2], [3, 1, 4, 2]])
    >>> analyse_hypergame(pd, {}).equilibria["nash"]
    [4]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.conflict.model import ConflictModel
from accord.conflict.stability import StabilityResult, analyse
from accord.errors import EngineInputError

Perceptions = dict[tuple[int, int], np.ndarray]
"""(holder, about) -> the payoff the holder believes ``about`` has over the states."""


def _with_payoff(model: ConflictModel, payoff: np.ndarray) -> ConflictModel:
    return ConflictModel.build(
        dm_ids=model.dm_ids,
        option_ids=model.option_ids,
        option_owner=model.option_owner,
        codes=model.codes,
        payoff=payoff,
        forward_mask=model.forward_mask,
        backward_mask=model.backward_mask,
        status_quo=model.status_quo,
    )


def perceived_model(model: ConflictModel, holder: int, perceptions: Perceptions) -> ConflictModel:
    """G_holder: the true model with the holder's beliefs about the others' payoffs."""
    payoff = np.array(model.payoff, copy=True)
    for (h, about), believed in perceptions.items():
        if h == holder:
            payoff[about] = believed
    return _with_payoff(model, payoff)


@dataclass(frozen=True)
class Driver:
    """A perception and the hypergame equilibria it adds or removes on its own (per concept)."""

    holder: str
    about: str
    gained: dict[str, list[int]]  # equilibria that exist only because of this perception
    lost: dict[str, list[int]]  # equilibria that this perception removes

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "about": self.about,
            "gained": self.gained,
            "lost": self.lost,
        }


@dataclass(frozen=True, eq=False)
class HypergameResult:
    """Perceived games, the joint outcome, and what drives the difference from the true game."""

    model: ConflictModel
    perceived: dict[str, StabilityResult]  # holder id -> analysis of its perceived game
    stable: dict[str, np.ndarray]  # concept -> (n_dm, n): i's stability in its own game
    equilibria: dict[str, list[int]]  # the hypergame's (joint) equilibria
    ordinary: StabilityResult  # the true game
    drivers: tuple[Driver, ...] = field(default_factory=tuple)
    misperceptions: tuple[tuple[str, str], ...] = ()

    def perceived_equilibria(self, holder: str, concept: str) -> list[int]:
        return self.perceived[holder].equilibria.get(concept, [])

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """JSON-able result; ``limit`` caps each list of states at its first ``limit`` items."""
        m = self.model

        def cap(eq: dict[str, list[int]]) -> dict[str, list[int]]:
            return {c: v[:limit] for c, v in eq.items()}

        return {
            "misperceptions": [{"holder": h, "about": a} for h, a in self.misperceptions],
            "perceived_equilibria": {h: cap(r.equilibria) for h, r in self.perceived.items()},
            "stability": {
                dm: {c: (np.flatnonzero(v[d])[:limit] + 1).tolist() for c, v in self.stable.items()}
                for d, dm in enumerate(m.dm_ids)
            },
            "equilibria": cap(self.equilibria),
            "equilibria_count": {c: len(v) for c, v in self.equilibria.items()},
            "ordinary_equilibria": cap(self.ordinary.equilibria),
            "drivers": [d.to_dict() for d in self.drivers],
        }


def _joint(
    model: ConflictModel, perceptions: Perceptions, sim_budget: int | None
) -> tuple[dict[str, StabilityResult], dict[str, np.ndarray], dict[str, list[int]]]:
    kwargs: dict[str, Any] = {"max_path_length": 0}
    if sim_budget is not None:
        kwargs["sim_budget"] = sim_budget
    perceived = {
        model.dm_ids[i]: analyse(perceived_model(model, i, perceptions), **kwargs)
        for i in range(model.n_dms)
    }
    concepts = [
        c
        for c in next(iter(perceived.values())).stable
        if all(c in r.stable for r in perceived.values())
    ]
    stable = {
        c: np.stack([perceived[model.dm_ids[i]].stable[c][i] for i in range(model.n_dms)])
        for c in concepts
    }
    equilibria = {c: (np.flatnonzero(v.all(axis=0)) + 1).tolist() for c, v in stable.items()}
    return perceived, stable, equilibria


def analyse_hypergame(
    model: ConflictModel, perceptions: Perceptions, *, sim_budget: int | None = None
) -> HypergameResult:
    """Solve every perceived game and the first-level hypergame (see the module docstring)."""
    for (h, a), believed in perceptions.items():
        if h == a or not (0 <= h < model.n_dms and 0 <= a < model.n_dms):
            raise EngineInputError("hypergame: a perception needs two different decision makers")
        if np.shape(believed) != (model.n_states,):
            raise EngineInputError("hypergame: a perceived payoff needs one value per state")
    perceived, stable, equilibria = _joint(model, perceptions, sim_budget)
    ordinary = analyse(model, max_path_length=0)
    drivers = []
    # only perceptions that differ from the truth are misperceptions
    wrong = {
        k: v
        for k, v in perceptions.items()
        if not np.array_equal(
            np.sign(np.subtract.outer(v, v)),
            np.sign(np.subtract.outer(model.payoff[k[1]], model.payoff[k[1]])),
        )
    }
    for key in wrong:
        rest = {k: v for k, v in perceptions.items() if k != key}
        _, _, without = _joint(model, rest, sim_budget)
        gained = {c: sorted(set(equilibria[c]) - set(without.get(c, []))) for c in equilibria}
        lost = {c: sorted(set(without.get(c, [])) - set(equilibria[c])) for c in equilibria}
        drivers.append(Driver(model.dm_ids[key[0]], model.dm_ids[key[1]], gained, lost))
    return HypergameResult(
        model=model,
        perceived=perceived,
        stable=stable,
        equilibria=equilibria,
        ordinary=ordinary,
        drivers=tuple(drivers),
        misperceptions=tuple((model.dm_ids[h], model.dm_ids[a]) for h, a in wrong),
    )
