"""Scalar reference implementation of the stability definitions, one state at a time.

Written for clarity, not speed: plain Python sets and breadth-first search straight from the
definitions in :mod:`accord.conflict.stability` (Fang, Hipel & Kilgour 1993, ch. 3). The tests
check that the vectorised engine agrees with it on random conflicts.

Example:
    >>> import numpy as np
    >>> from accord.conflict.model import ConflictModel
    >>> pd = ConflictModel.build(dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"),
    ...     option_owner=(0, 1), codes=np.arange(4), payoff=[[3, 4, 1, 2], [3, 1, 4, 2]])
    >>> reference_equilibria(pd)["nash"]
    [4]
"""

from __future__ import annotations

from itertools import product

from accord.conflict.model import ConflictModel


def moves_from(model: ConflictModel, dms: tuple[int, ...], s: int) -> list[int]:
    """R_D(s) for decision makers D changing their options together in one step."""
    mask = 0
    for d in dms:
        mask |= model.dm_masks[d]
    code = int(model.codes[s])
    out = []
    for t in range(model.n_states):
        other = int(model.codes[t])
        if t == s or (other & ~mask) != (code & ~mask):
            continue
        if code & ~other & model.forward_mask:  # undoing a forward-only option
            continue
        if ~code & other & model.backward_mask:  # retaking a backward-only option
            continue
        out.append(t)
    return out


def improvements(model: ConflictModel, d: int, s: int) -> list[int]:
    p = model.payoff[d]
    return [t for t in moves_from(model, (d,), s) if p[t] > p[s]]


def legal_sequence_reach(
    model: ConflictModel, group: list[int], s: int, improving: bool = False
) -> set[int]:
    """R_H(s): states reached by legal sequences (no decision maker twice in a row)."""
    seen: set[tuple[int, int]] = set()
    frontier = [(s, -1)]
    while frontier:
        state, last = frontier.pop()
        for d in group:
            if d == last:
                continue
            step = improvements(model, d, state) if improving else moves_from(model, (d,), state)
            for t in step:
                if (t, d) not in seen:
                    seen.add((t, d))
                    frontier.append((t, d))
    return {t for t, _ in seen}


def is_stable(model: ConflictModel, d: int, s: int, concept: str) -> bool:
    """Whether state s is stable for decision maker d under one concept."""
    p = model.payoff[d]
    others = [j for j in range(model.n_dms) if j != d]
    for s1 in improvements(model, d, s):
        if concept == "nash":
            return False
        if concept in ("gmr", "smr", "seq"):
            reach = legal_sequence_reach(model, others, s1, improving=concept == "seq")
            ok = [s2 for s2 in reach if p[s2] <= p[s]]
            if concept == "smr":
                ok = [s2 for s2 in ok if all(p[s3] <= p[s] for s3 in moves_from(model, (d,), s2))]
        else:  # sim / seqsim: opponents move at the same time from s
            ok = []
            choices = []
            for j in others:
                step = (
                    improvements(model, j, s) if concept == "seqsim" else moves_from(model, (j,), s)
                )
                choices.append([s, *step])  # staying put or one move each
            for combo in product(*choices):
                code = int(model.codes[s1]) & model.dm_masks[d]
                for j, t in zip(others, combo, strict=True):
                    code |= int(model.codes[t]) & model.dm_masks[j]
                matches = [k for k in range(model.n_states) if int(model.codes[k]) == code]
                if matches and p[matches[0]] <= p[s]:
                    ok.append(matches[0])
        if not ok:
            return False
    return True


def reference_equilibria(model: ConflictModel, concepts: tuple[str, ...] = ("nash",)) -> dict:
    return {
        c: [
            s + 1
            for s in range(model.n_states)
            if all(is_stable(model, d, s, c) for d in range(model.n_dms))
        ]
        for c in concepts
    }


def coalition_stable(model: ConflictModel, members: list[int], s: int, concept: str) -> bool:
    """Coalition stability of s for the coalition (see accord.conflict.stability)."""
    pay = model.payoff
    reach = legal_sequence_reach(model, members, s) - {s}
    outsiders = [j for j in range(model.n_dms) if j not in members]
    for s1 in reach:
        if not all(pay[d][s1] > pay[d][s] for d in members):
            continue
        if concept == "nash" or not outsiders:
            return False
        sanctions = legal_sequence_reach(model, outsiders, s1, improving=concept == "seq")
        if not any(any(pay[d][s2] <= pay[d][s] for d in members) for s2 in sanctions):
            return False
    return True
