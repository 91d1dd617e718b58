"""Coalition analysis in its second reading: the coalition as one decision maker.

Two readings of "coalition stability" are in use, and Accord offers both:

* **coalition-stable individual equilibria** (:func:`accord.conflict.stability.coalition_analysis`,
  after Kilgour, Hipel, Fang & Peng 2001, Group Decision and Negotiation 10:159-175): keep the
  individual equilibria and ask whether the coalition, moving by legal sequences of its members'
  moves, has a joint improvement that the outsiders cannot sanction;
* **the coalition as one decision maker** (this module; the reading GMCR+ implements): replace
  the members by a single decision maker that controls all their options and moves them in one
  step, prefers state a to state b when *every* member strictly prefers a to b, and re-solve the
  graph model with the coalition and the remaining decision makers.

With a coalition the preference is a partial order, so the stability definitions are evaluated
with relations rather than payoffs (Fang, Hipel & Kilgour 1993, ch. 3, as in
:mod:`accord.conflict.stability`): for an effective decision maker e at s, with ``≻_e`` its
strict preference and ``R_e^+(s)`` its improvements,

* Nash: ``R_e^+(s) = ∅``;
* GMR: every ``s1 ∈ R_e^+(s)`` has ``s2 ∈ R_H(s1)`` (legal sequences of the other effective
  decision makers' moves) with ``not s2 ≻_e s``;
* SMR: as GMR, and additionally ``not s3 ≻_e s`` for every ``s3 ∈ R_e(s2)``;
* SEQ: as GMR with ``R_H^+`` (each move an improvement for its mover);
* SIM: opponents each stay or take one of their improvements from s at the same time as e moves
  to s1, and the combined state satisfies ``not ≻_e s``.

Written as plain loops over states (a coalition model is re-solved from scratch), so the number
of states is limited to ``MAX_STATES``.

Example:
    >>> import numpy as np
    >>> from accord.conflict.model import ConflictModel
    >>> pd = ConflictModel.build(dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"),
    ...     option_owner=(0, 1), codes=np.arange(4), payoff=[[3, 4, 1, 2], [3, 1, 4, 2]])
    >>> coalition_as_decision_maker(pd, ("a", "b")).equilibria["nash"]  # mutual defection goes
    [1, 2, 3]
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from accord.conflict.model import ConflictModel
from accord.conflict.reference import moves_from
from accord.errors import EngineInputError

MAX_STATES = 2048
JOINT_CONCEPTS = ("nash", "gmr", "smr", "seq", "sim")


@dataclass(frozen=True)
class JointResult:
    """Stability with the coalition as one decision maker.

    ``effective`` names the effective decision makers (the coalition first, as "a+b"),
    ``stable[concept][name]`` the states (numbers) stable for it, ``equilibria[concept]`` the
    states stable for every effective decision maker.
    """

    members: tuple[str, ...]
    effective: tuple[str, ...]
    stable: dict[str, dict[str, list[int]]]
    equilibria: dict[str, list[int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reading": "coalition as one decision maker",
            "members": list(self.members),
            "effective_decision_makers": list(self.effective),
            "stable": self.stable,
            "equilibria": self.equilibria,
        }


class _Game:
    def __init__(self, model: ConflictModel, groups: list[tuple[int, ...]]) -> None:
        self.model = model
        self.groups = groups
        n = model.n_states
        self.moves = [[moves_from(model, g, s) for s in range(n)] for g in groups]
        self.masks = []
        for g in groups:
            mask = 0
            for d in g:
                mask |= model.dm_masks[d]
            self.masks.append(mask)
        self.index = {int(c): k for k, c in enumerate(model.codes)}

    def better(self, e: int, a: int, b: int) -> bool:
        """Effective decision maker e strictly prefers a to b (every member does)."""
        return all(self.model.payoff[d][a] > self.model.payoff[d][b] for d in self.groups[e])

    def improvements(self, e: int, s: int, ref: int | None = None) -> list[int]:
        base = s if ref is None else ref
        return [t for t in self.moves[e][s] if self.better(e, t, base)]

    def reach(self, others: list[int], s: int, improving: bool) -> set[int]:
        seen: set[tuple[int, int]] = set()
        frontier = [(s, -1)]
        while frontier:
            state, last = frontier.pop()
            for e in others:
                if e == last:
                    continue
                step = self.improvements(e, state) if improving else self.moves[e][state]
                for t in step:
                    if (t, e) not in seen:
                        seen.add((t, e))
                        frontier.append((t, e))
        return {t for t, _ in seen}

    def stable(self, e: int, s: int, concept: str) -> bool:
        others = [k for k in range(len(self.groups)) if k != e]
        for s1 in self.improvements(e, s):
            if concept == "nash":
                return False
            if concept == "sim":
                choices = [[s, *self.improvements(k, s)] for k in others]
                ok = False
                for combo in product(*choices):
                    code = int(self.model.codes[s1]) & self.masks[e]
                    for k, t in zip(others, combo, strict=True):
                        code |= int(self.model.codes[t]) & self.masks[k]
                    t2 = self.index.get(code)
                    if t2 is not None and not self.better(e, t2, s):
                        ok = True
                        break
                if not ok:
                    return False
                continue
            sanctions = [
                s2
                for s2 in self.reach(others, s1, improving=concept == "seq")
                if not self.better(e, s2, s)
            ]
            if concept == "smr":
                sanctions = [
                    s2
                    for s2 in sanctions
                    if not any(self.better(e, s3, s) for s3 in self.moves[e][s2])
                ]
            if not sanctions:
                return False
        return True


def coalition_as_decision_maker(model: ConflictModel, coalition: tuple[str, ...]) -> JointResult:
    """Re-solve the graph model with ``coalition`` merged into one decision maker."""
    members = tuple(model.dm_index(d) for d in coalition)
    if len(set(members)) != len(members) or len(members) < 2:
        raise EngineInputError("coalition: name at least two different decision makers")
    if model.n_states > MAX_STATES:
        raise EngineInputError(
            f"coalition as one decision maker: {model.n_states} states, at most {MAX_STATES}; "
            "use the coalition-stable-equilibria reading for larger conflicts"
        )
    groups = [members] + [(d,) for d in range(model.n_dms) if d not in members]
    names = ["+".join(model.dm_ids[d] for d in g) for g in groups]
    game = _Game(model, groups)
    stable: dict[str, dict[str, list[int]]] = {}
    equilibria: dict[str, list[int]] = {}
    for concept in JOINT_CONCEPTS:
        table = {
            names[e]: [s + 1 for s in range(model.n_states) if game.stable(e, s, concept)]
            for e in range(len(groups))
        }
        stable[concept] = table
        common = set.intersection(*(set(v) for v in table.values()))
        equilibria[concept] = sorted(common)
    return JointResult(
        members=tuple(model.dm_ids[d] for d in members),
        effective=tuple(names),
        stable=stable,
        equilibria=equilibria,
    )
