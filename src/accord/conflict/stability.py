"""Stability analysis of a graph model, vectorised over states.

Definitions implemented (Fang, Hipel & Kilgour 1993, ch. 3 "Solution concepts"; Hipel, Kilgour,
Fang & Peng 1997, §3). For decision maker i at state s, with payoff P_i (higher = preferred),
R_i(s) its unilateral moves, R_i^+(s) = {t ∈ R_i(s): P_i(t) > P_i(s)} its unilateral
improvements, and H = N∖{i} its opponents:

* **Nash (R)**: R_i^+(s) = ∅.
* **GMR**: every s1 ∈ R_i^+(s) has some s2 ∈ R_H(s1) with P_i(s2) ≤ P_i(s).
* **SMR**: every s1 ∈ R_i^+(s) has some s2 ∈ R_H(s1) with P_i(s2) ≤ P_i(s) and
  P_i(s3) ≤ P_i(s) for every s3 ∈ R_i(s2) (i's counter-response cannot escape).
* **SEQ**: every s1 ∈ R_i^+(s) has some s2 ∈ R_H^+(s1) with P_i(s2) ≤ P_i(s), where R_H^+ uses
  only legal sequences of unilateral improvements (each move improves its mover).
* **SIM** (simultaneous sanctioning; Fang, Hipel & Kilgour 1993, ch. 3, and the SIM of GMCR II
  and GMCR+; JSON key ``seqsim``): every s1 ∈ R_i^+(s) is sanctioned by opponents moving at the
  same time from s, each opponent j staying or taking one of its unilateral *improvements*
  R_j^+(s); the resulting state has i's options from s1 and each opponent's from its own
  choice, must be feasible, and P_i ≤ P_i(s). (Accord used to call this SEQ+SIM.)
* **SIM-any** (Accord's variant, JSON key ``sim``): as SIM, but each opponent may answer with
  *any* unilateral move R_j(s), improving or not. It has no counterpart in GMCR+.

GMCR+'s combined "SEQ+SIM" concept is not offered: its definition could not be checked against
the papers from this repository (see docs/models.md).

R_H(s) is the set reached by legal sequences (no decision maker twice in a row), see
:mod:`accord.conflict.moves`; this choice matters for GMR/SMR/SEQ with three or more decision
makers. An equilibrium under a concept is a state stable for every decision maker.

**Coalition analysis, first reading** ("coalition-stable individual equilibria", after Kilgour,
Hipel, Fang & Peng 2001, "Coalition analysis in group decision support", Group Decision and
Negotiation 10:159-175): a coalition C moves by legal sequences of its members' unilateral moves; a
coalition improvement t ∈ R_C^+(s) makes every member strictly better off. s is coalition-Nash
stable for C if R_C^+(s) = ∅; coalition-GMR (SEQ) stable if every coalition improvement s1 has a
sanction s2 ∈ R_{N∖C}(s1) (R^+_{N∖C}(s1) for SEQ) after which some member is not strictly better
off than at s. A coalition equilibrium is an equilibrium that is also coalition stable for C.

**Coalition analysis, second reading** (the coalition as one decision maker, as in GMCR+):
:mod:`accord.conflict.coalition`; ``analyse(..., coalition=...)`` reports both readings.

**Status-quo analysis** (after Li, Kilgour & Hipel 2005, "Status quo analysis in the graph model
for conflict resolution", J. Operational Research Society 56:699-707): the shortest paths of
unilateral improvements (any decision maker moving each step) from the status quo to each
equilibrium, up to ``max_path_length`` moves.

Example:
    >>> import numpy as np
    >>> from accord.conflict.model import ConflictModel
    >>> pd = ConflictModel.build(dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"),
    ...     option_owner=(0, 1), codes=np.arange(4), payoff=[[3, 4, 1, 2], [3, 1, 4, 2]])
    >>> r = analyse(pd)
    >>> r.equilibria["nash"], r.equilibria["gmr"]
    ([4], [1, 4])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.budget import Progress, check_memory, resolve
from accord.conflict.model import ConflictModel, check_analysis_memory
from accord.conflict.moves import Edges, block_positions, segment_max, sequence_min
from accord.conflict.moves import unilateral_moves as _moves
from accord.errors import EngineInputError

CONCEPTS = ("nash", "gmr", "smr", "seq", "sim", "seqsim")
CORE_CONCEPTS = ("nash", "gmr", "smr", "seq")
CONCEPT_LABELS = {
    "nash": "Nash",
    "gmr": "GMR",
    "smr": "SMR",
    "seq": "SEQ",
    "sim": "SIM-any",
    "seqsim": "SIM",
}
"""Display names: ``seqsim`` is the SIM of Fang, Hipel & Kilgour (1993) and GMCR II / GMCR+;
``sim`` is Accord's own variant (opponents answer with any move), named SIM-any."""
CONCEPT_DEFINITIONS = {
    "nash": "no unilateral improvement (Nash 1951; Fang, Hipel & Kilgour 1993, ch. 3)",
    "gmr": "every improvement can be answered by the opponents' legal sequences of moves with a "
    "state no better (Howard 1971; Fang, Hipel & Kilgour 1993, ch. 3)",
    "smr": "as GMR, and the decision maker cannot escape the sanction by a further move "
    "(Fraser & Hipel 1979; Fang, Hipel & Kilgour 1993, ch. 3)",
    "seq": "as GMR, with sanctions by the opponents' unilateral improvements only (Fraser & Hipel "
    "1979; Fang, Hipel & Kilgour 1993, ch. 3)",
    "seqsim": "SIM: opponents answer at the same time with their unilateral improvements "
    "(Fang, Hipel & Kilgour 1993, ch. 3; GMCR II and GMCR+)",
    "sim": "SIM-any: as SIM, with opponents answering by any unilateral move (Accord's variant)",
}
SIM_BUDGET = 4_000_000
"""Largest number of simultaneous-response candidates examined for SIM / SEQ+SIM."""
COALITION_BUDGET = 20_000_000
"""Largest number of (source, reachable state) pairs held for a coalition's moves."""


@dataclass(frozen=True, eq=False)
class Moves:
    """Every decision maker's unilateral moves and improvements."""

    moves: tuple[Edges, ...]
    improvements: tuple[Edges, ...]


def all_moves(model: ConflictModel, progress: Progress | None = None) -> Moves:
    """Every decision maker's moves; ``progress(done, 2 · n_dm)`` after each one's list."""
    report = resolve(progress)
    n = model.n_states
    moves, improvements = [], []
    for i in range(model.n_dms):
        if report is not None:
            report(i, 2 * model.n_dms)
        e = _moves(model, i)
        p = model.payoff[i]
        moves.append(e)
        improvements.append(e.subset(p[e.dst] > p[e.src], n))
    return Moves(tuple(moves), tuple(improvements))


def _blocked(imp: Edges, sanction_value: np.ndarray, threshold: np.ndarray, n: int) -> np.ndarray:
    """Stable where every improvement s→s1 has sanction_value[s1] <= threshold[s]."""
    escapes = sanction_value[imp.dst] > threshold[imp.src]
    return np.bincount(imp.src[escapes], minlength=n) == 0


def _simultaneous(
    model: ConflictModel, i: int, mv: Moves, responses: tuple[Edges, ...], budget: int
) -> np.ndarray:
    """SIM-type stability for i: opponents respond at the same time from s (see module doc)."""
    n = model.n_states
    codes = model.codes
    p = model.payoff[i].astype(np.float64)
    imp = mv.improvements[i]
    mask_i = np.int64(model.dm_masks[i])
    # every opponent stays or takes one of its moves: count the combinations before building them
    combos = np.ones(imp.src.size)
    for j in range(model.n_dms):
        if j != i:
            combos *= 1.0 + responses[j].degree[imp.src]
    if combos.sum() > budget:
        raise _TooLarge
    # candidates: (improvement id, combined code); start with every opponent staying put
    cand_imp = np.arange(imp.src.size)
    cand_code = (codes[imp.dst] & mask_i) | (codes[imp.src] & ~mask_i)
    for j in range(model.n_dms):
        if j == i:
            continue
        r = responses[j]
        mask_j = np.int64(model.dm_masks[j])
        deg = r.degree[imp.src[cand_imp]]
        which, pos = block_positions(deg)
        edge = r.start[imp.src[cand_imp[which]]] + pos
        moved_code = (cand_code[which] & ~mask_j) | (codes[r.dst[edge]] & mask_j)
        cand_imp = np.concatenate([cand_imp, cand_imp[which]])
        cand_code = np.concatenate([cand_code, moved_code])
    idx = np.searchsorted(codes, cand_code)
    idx_clipped = np.minimum(idx, n - 1)
    feasible = codes[idx_clipped] == cand_code
    value = np.where(feasible, p[idx_clipped], np.inf)
    sanctioned = np.zeros(imp.src.size, dtype=bool)
    hit = value <= p[imp.src[cand_imp]]
    sanctioned[cand_imp[hit]] = True
    return np.bincount(imp.src[~sanctioned], minlength=n) == 0


class _TooLarge(Exception):
    pass


def stability_matrix(
    model: ConflictModel,
    moves: Moves | None = None,
    *,
    sim_budget: int = SIM_BUDGET,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Boolean arrays (n_dm, n) of stability per concept, and concepts skipped with the reason.

    ``progress(done, total)`` is told after each decision maker (:mod:`accord.budget`)."""
    report = resolve(progress)
    mv = moves or all_moves(model)
    n, k = model.n_states, model.n_dms
    out = {c: np.zeros((k, n), dtype=bool) for c in CONCEPTS}
    skipped: dict[str, str] = {}
    for i in range(k):
        p = model.payoff[i].astype(np.float64)
        imp = mv.improvements[i]
        opponents = [j for j in range(k) if j != i]
        out["nash"][i] = imp.degree == 0
        sanction = sequence_min([mv.moves[j] for j in opponents], p)
        out["gmr"][i] = _blocked(imp, sanction, p, n)
        best_reply = np.maximum(p, segment_max(mv.moves[i], p, n))
        sanction_smr = sequence_min([mv.moves[j] for j in opponents], best_reply)
        out["smr"][i] = _blocked(imp, sanction_smr, p, n)
        sanction_seq = sequence_min([mv.improvements[j] for j in opponents], p)
        out["seq"][i] = _blocked(imp, sanction_seq, p, n)
        for concept, responses in (("sim", mv.moves), ("seqsim", mv.improvements)):
            if concept in skipped:
                continue
            try:
                out[concept][i] = _simultaneous(model, i, mv, responses, sim_budget)
            except _TooLarge:
                skipped[concept] = (
                    f"more than {sim_budget:,} simultaneous responses to examine; not computed"
                )
        if report is not None:
            report(k + i + 1, 2 * k)
    for concept in skipped:
        del out[concept]
    return out, skipped


# ----------------------------------------------------------------------------- coalitions


def coalition_reach(model: ConflictModel, members: tuple[int, ...], mv: Moves) -> Edges:
    """R_C(s) for every s as an edge list: legal sequences of members' unilateral moves."""
    import scipy.sparse as sp

    n = model.n_states
    adj = [
        sp.csr_matrix(
            (np.ones(mv.moves[d].src.size, dtype=bool), (mv.moves[d].src, mv.moves[d].dst)),
            shape=(n, n),
        )
        for d in members
    ]
    # reached[k][s, t]: t reached from s by a legal sequence whose last mover is members[k]
    reached = [a.copy() for a in adj]
    while True:
        total = sum(int(r.nnz) for r in reached)
        if total > COALITION_BUDGET:
            raise EngineInputError(
                f"coalition analysis: more than {COALITION_BUDGET:,} coalition moves; analyse a "
                "smaller conflict or a smaller coalition"
            )
        new = []
        for k in range(len(members)):
            others = [reached[j] for j in range(len(members)) if j != k]
            if not others:
                new.append(reached[k])
                continue
            before = others[0]
            for o in others[1:]:
                before = before + o
            new.append(((reached[k] + before @ adj[k]) > 0).tocsr())
        if all(a.nnz == b.nnz for a, b in zip(new, reached, strict=True)):
            break
        reached = new
    union = reached[0]
    for r in reached[1:]:
        union = union + r
    coo = (union > 0).tocoo()
    keep = coo.row != coo.col
    return Edges.from_pairs(coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64), n)


@dataclass(frozen=True)
class CoalitionResult:
    """Stability of each state for one coalition acting as a single decision maker."""

    members: tuple[str, ...]
    improvements: dict[int, list[int]]  # state number -> coalition improvements (numbers)
    stable: dict[str, list[int]]  # concept -> coalition-stable state numbers
    equilibria: dict[str, list[int]]  # concept -> equilibria that are also coalition stable

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": list(self.members),
            "improvements": {str(k): v for k, v in self.improvements.items()},
            "stable": self.stable,
            "equilibria": self.equilibria,
        }


def coalition_analysis(
    model: ConflictModel,
    members: tuple[int, ...],
    mv: Moves,
    equilibria: dict[str, list[int]],
) -> CoalitionResult:
    n = model.n_states
    if len(set(members)) != len(members) or len(members) < 2:
        raise EngineInputError("coalition: name at least two different decision makers")
    reach = coalition_reach(model, members, mv)
    pay = model.payoff[list(members)]
    better = np.all(pay[:, reach.dst] > pay[:, reach.src], axis=0)
    imp = reach.subset(better, n)
    outsiders = [j for j in range(model.n_dms) if j not in members]
    stable = {"nash": imp.degree == 0}
    for concept, edges in (("gmr", mv.moves), ("seq", mv.improvements)):
        if not outsiders:
            stable[concept] = stable["nash"]
            continue
        # a sanction works if SOME member ends no better than at s: OR over members of minima
        escapes = np.ones(imp.src.size, dtype=bool)
        for d in members:
            p = model.payoff[d].astype(np.float64)
            worst = sequence_min([edges[j] for j in outsiders], p)
            escapes &= worst[imp.dst] > p[imp.src]
        stable[concept] = np.bincount(imp.src[escapes], minlength=n) == 0
    improvements = {
        int(s) + 1: (imp.dst[imp.start[s] : imp.start[s + 1]] + 1).tolist()
        for s in range(n)
        if imp.start[s + 1] > imp.start[s]
    }
    stable_numbers = {c: (np.flatnonzero(v) + 1).tolist() for c, v in stable.items()}
    coalition_eq = {
        c: [s for s in equilibria.get(c, []) if s in set(stable_numbers[c])] for c in stable
    }
    return CoalitionResult(
        members=tuple(model.dm_ids[d] for d in members),
        improvements=improvements,
        stable=stable_numbers,
        equilibria=coalition_eq,
    )


# ----------------------------------------------------------------------------- status quo


def improvement_paths(
    model: ConflictModel, mv: Moves, start: int, max_length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Breadth-first search over unilateral improvements from ``start``.

    Returns (distance, parent, mover) per state; distance -1 where unreachable within max_length.
    """
    n = model.n_states
    dist = np.full(n, -1, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    mover = np.full(n, -1, dtype=np.int64)
    dist[start] = 0
    frontier = np.array([start], dtype=np.int64)
    level = 0
    # level-synchronous breadth-first search: all edges out of the frontier at once
    while frontier.size and level < max_length:
        level += 1
        srcs, dsts, movers = [], [], []
        for d, imp in enumerate(mv.improvements):
            deg = imp.degree[frontier]
            which, pos = block_positions(deg)
            edge = imp.start[frontier[which]] + pos
            srcs.append(frontier[which])
            dsts.append(imp.dst[edge])
            movers.append(np.full(edge.size, d, dtype=np.int64))
        src, dst, who = np.concatenate(srcs), np.concatenate(dsts), np.concatenate(movers)
        new = dist[dst] < 0
        src, dst, who = src[new], dst[new], who[new]
        dst_unique, first = np.unique(dst, return_index=True)  # one parent per new state
        dist[dst_unique] = level
        parent[dst_unique] = src[first]
        mover[dst_unique] = who[first]
        frontier = dst_unique
    return dist, parent, mover


@dataclass(frozen=True)
class StatusQuoPath:
    target: int  # state number
    concepts: tuple[str, ...]
    states: tuple[int, ...] | None  # state numbers from the status quo, None if unreachable
    movers: tuple[str, ...] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "concepts": list(self.concepts),
            "reachable": self.states is not None,
            "states": None if self.states is None else list(self.states),
            "movers": None if self.movers is None else list(self.movers),
        }


def status_quo_analysis(
    model: ConflictModel, mv: Moves, equilibria: dict[str, list[int]], max_length: int
) -> list[StatusQuoPath]:
    assert model.status_quo is not None
    dist, parent, mover = improvement_paths(model, mv, model.status_quo, max_length)
    targets = sorted({s for eq in equilibria.values() for s in eq})
    members = {c: set(eq) for c, eq in equilibria.items()}
    out = []
    for number in targets:
        t = number - 1
        concepts = tuple(c for c, eq in members.items() if number in eq)
        if dist[t] < 0:
            out.append(StatusQuoPath(number, concepts, None, None))
            continue
        states, movers = [t], []
        while parent[states[-1]] >= 0:
            movers.append(model.dm_ids[int(mover[states[-1]])])
            states.append(int(parent[states[-1]]))
        out.append(
            StatusQuoPath(
                number,
                concepts,
                tuple(s + 1 for s in reversed(states)),
                tuple(reversed(movers)),
            )
        )
    return out


# ----------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class StabilityResult:
    """Stability of every state for every decision maker, equilibria, coalition, status quo."""

    model: ConflictModel
    stable: dict[str, np.ndarray]  # concept -> (n_dm, n) bool
    equilibria: dict[str, list[int]]  # concept -> state numbers (1-based)
    skipped: dict[str, str] = field(default_factory=dict)
    coalition: CoalitionResult | None = None
    status_quo_paths: tuple[StatusQuoPath, ...] = ()
    max_path_length: int = 0
    coalition_joint: Any = None  # accord.conflict.coalition.JointResult when a coalition is given

    def stable_states(self, dm: str, concept: str) -> list[int]:
        d = self.model.dm_index(dm)
        return (np.flatnonzero(self.stable[concept][d]) + 1).tolist()

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """JSON-able result; ``limit`` caps each long list (states, payoffs, stable states,
        equilibria) at its first ``limit`` items, and ``*_count`` keys give the full sizes.

        Without a limit, listing every state of a large conflict is refused over the memory
        budget (:data:`LISTED_STATE_BYTES`, :mod:`accord.budget`).
        """
        m = self.model
        if limit is None:
            check_memory(
                float(m.n_states) * LISTED_STATE_BYTES * (len(m.option_ids) + 2 * m.n_dms + 2),
                f"listing all {m.n_states:,} states of the conflict",
                "List fewer (--limit N)",
            )
        shown = m.n_states if limit is None else min(limit, m.n_states)
        return {
            "decision_makers": list(m.dm_ids),
            "options": list(m.option_ids),
            "states": [
                {"number": s + 1, "code": int(m.codes[s]), "options": m.state_options(s)}
                for s in range(shown)
            ],
            "states_count": m.n_states,
            "states_listed": shown,
            "payoffs": {dm: m.payoff[d, :shown].tolist() for d, dm in enumerate(m.dm_ids)},
            "stability": {
                dm: {c: _numbers(v[d], limit) for c, v in self.stable.items()}
                for d, dm in enumerate(m.dm_ids)
            },
            "stability_count": {
                dm: {c: int(np.count_nonzero(v[d])) for c, v in self.stable.items()}
                for d, dm in enumerate(m.dm_ids)
            },
            "equilibria": {c: eq[:limit] for c, eq in self.equilibria.items()},
            "equilibria_count": {c: len(eq) for c, eq in self.equilibria.items()},
            "skipped": self.skipped,
            "status_quo": None if m.status_quo is None else m.status_quo + 1,
            "status_quo_paths": [p.to_dict() for p in self.status_quo_paths],
            "max_path_length": self.max_path_length,
            "coalition": None if self.coalition is None else self.coalition.to_dict(),
            "coalition_joint": (
                None if self.coalition_joint is None else self.coalition_joint.to_dict()
            ),
            "concept_labels": {c: CONCEPT_LABELS[c] for c in self.stable},
            "concept_definitions": {c: CONCEPT_DEFINITIONS[c] for c in self.stable},
        }


LISTED_STATE_BYTES = 120
"""Bytes of Python objects per listed state and per option or decision maker in ``to_dict``."""


def _numbers(mask: np.ndarray, limit: int | None) -> list[int]:
    """1-based numbers of the true entries of ``mask``, the first ``limit`` of them."""
    found = np.flatnonzero(mask)
    return (found[:limit] + 1).tolist()


def analyse(
    model: ConflictModel,
    *,
    coalition: tuple[str, ...] | None = None,
    max_path_length: int = 8,
    sim_budget: int = SIM_BUDGET,
) -> StabilityResult:
    """Full analysis: stabilities, equilibria, optional coalition and status-quo paths.

    Refuses (EngineInputError) before building the move lists when their estimated size is over
    the memory budget (:func:`accord.conflict.model.analysis_bytes`, :mod:`accord.budget`).
    """
    if max_path_length < 0:
        raise EngineInputError("max_path_length must be 0 or more")
    per_dm = [0] * model.n_dms
    for owner in model.option_owner:
        per_dm[owner] += 1
    check_analysis_memory(model.n_states, tuple(per_dm), model.dm_ids)
    mv = all_moves(model)
    stable, skipped = stability_matrix(model, mv, sim_budget=sim_budget)
    equilibria = {c: (np.flatnonzero(v.all(axis=0)) + 1).tolist() for c, v in stable.items()}
    coalition_result = None
    joint = None
    if coalition is not None:
        from accord.conflict.coalition import MAX_STATES, coalition_as_decision_maker

        members = tuple(model.dm_index(d) for d in coalition)
        coalition_result = coalition_analysis(model, members, mv, equilibria)
        if model.n_states <= MAX_STATES:
            joint = coalition_as_decision_maker(model, coalition)
    paths: tuple[StatusQuoPath, ...] = ()
    if model.status_quo is not None:
        paths = tuple(status_quo_analysis(model, mv, equilibria, max_path_length))
    return StabilityResult(
        model=model,
        stable=stable,
        equilibria=equilibria,
        skipped=skipped,
        coalition=coalition_result,
        status_quo_paths=paths,
        max_path_length=max_path_length,
        coalition_joint=joint,
    )
