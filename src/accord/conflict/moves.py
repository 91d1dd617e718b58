"""Unilateral moves as sparse successor lists, and minima over legal move sequences.

A decision maker i's unilateral moves from state s, R_i(s), are the feasible states that differ
from s only in options i controls, respect irreversibility and differ from s (Fang, Hipel &
Kilgour 1993, §2.2). They are stored as edge lists ``(src, dst)`` sorted by ``src``: at most
n · 2^(options of i) edges, never a dense n × n matrix.

Opponents' sanctions use **legal sequences** (Fang, Hipel & Kilgour 1993, §3.2; Inohara & Hipel
2008, Def. 5): a sequence of unilateral moves by members of a group H in which no decision maker
moves twice in a row. R_H(s) is the least fixed point of

    (t, j) reached  if  t ∈ R_j(s) and j ∈ H,
    (u, k) reached  if  (t, j) reached, k ∈ H, k ≠ j and u ∈ R_k(t),

and R_H(s) is the set of states t with some (t, j) reached. With one opponent this is R_j(s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.conflict.model import ConflictModel
from accord.errors import EngineInputError

MAX_EDGES = 150_000_000
"""Refuse conflicts whose unilateral-move lists would exceed this many edges (memory guard)."""


@dataclass(frozen=True, eq=False)
class Edges:
    """Directed edges sorted by source, with CSR offsets: edges of s are start[s]:start[s+1]."""

    src: np.ndarray
    dst: np.ndarray
    start: np.ndarray

    @staticmethod
    def from_pairs(src: np.ndarray, dst: np.ndarray, n: int, *, by_source: bool = False) -> Edges:
        if not by_source:  # edges of one source need to be contiguous, in any order
            order = np.argsort(src, kind="stable")
            src, dst = src[order], dst[order]
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=start[1:])
        return Edges(src=src, dst=dst, start=start)

    def subset(self, keep: np.ndarray, n: int) -> Edges:
        return Edges.from_pairs(self.src[keep], self.dst[keep], n, by_source=True)

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.start)


def block_positions(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For blocks of the given sizes laid end to end: (block of each slot, position within it)."""
    total = int(sizes.sum())
    block = np.repeat(np.arange(sizes.size), sizes)
    offsets = np.zeros(sizes.size, dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    return block, np.arange(total, dtype=np.int64) - offsets[block]


def unilateral_moves(model: ConflictModel, dm: int | tuple[int, ...]) -> Edges:
    """R_i as an edge list (a tuple of decision makers moves their options jointly in one step).

    States that agree outside the mover's options form one group; every ordered pair inside a
    group is a candidate move, then irreversibility removes some.
    """
    dms = (dm,) if isinstance(dm, int) else dm
    mask = 0
    for d in dms:
        mask |= model.dm_masks[d]
    codes = model.codes
    n = codes.size
    key = codes & ~np.int64(mask)
    order = np.argsort(key, kind="stable")
    _, group_start, group_size = np.unique(key[order], return_index=True, return_counts=True)
    n_edges = int(np.sum(group_size.astype(np.int64) ** 2))
    if n_edges > MAX_EDGES:
        raise EngineInputError(
            f"conflict: {n_edges:,} unilateral moves exceed the limit of {MAX_EDGES:,}; add "
            "infeasibility rules or split large decision makers' options"
        )
    group_of = np.repeat(np.arange(group_size.size), group_size)  # per sorted element
    per_element = group_size[group_of]
    elem, pos = block_positions(per_element)
    src = order[elem]
    dst = order[group_start[group_of[elem]] + pos]
    keep = src != dst
    s_code, d_code = codes[src], codes[dst]
    if model.forward_mask:
        keep &= (s_code & ~d_code & model.forward_mask) == 0
    if model.backward_mask:
        keep &= (~s_code & d_code & model.backward_mask) == 0
    return Edges.from_pairs(src[keep], dst[keep], n)


def segment_min(edges: Edges, values: np.ndarray, n: int) -> np.ndarray:
    """out[s] = min over edges s→t of values[t] (+inf where s has no edge)."""
    out = np.full(n, np.inf)
    if edges.src.size:
        nonempty = np.flatnonzero(edges.degree)
        out[nonempty] = np.minimum.reduceat(values[edges.dst], edges.start[nonempty])
    return out


def segment_max(edges: Edges, values: np.ndarray, n: int) -> np.ndarray:
    """out[s] = max over edges s→t of values[t] (-inf where s has no edge)."""
    return -segment_min(edges, -values, n)


def sequence_min(group_edges: list[Edges], values: np.ndarray) -> np.ndarray:
    """min over R_H(s) of values, for every s at once (inf if R_H(s) is empty).

    W[j][t] = min of values over t and every state reachable from t by a legal sequence whose
    first mover is not j; iterate W[j] = min(values, min_{k≠j} min_{u∈R_k(t)} W[k][u]) from
    W = values to the fixed point (each round extends sequences by one move), then the answer is
    min_k min_{u∈R_k(s)} W[k][u].
    """
    n = values.size
    values = values.astype(np.float64)
    h = len(group_edges)
    if h == 1:
        return segment_min(group_edges[0], values, n)
    w = np.tile(values, (h, 1))
    while True:
        first = np.stack([segment_min(group_edges[k], w[k], n) for k in range(h)])
        # the smallest over k ≠ j: the overall minimum unless j holds it, then the runner-up
        order = np.argsort(first, axis=0)
        best = np.take_along_axis(first, order[:1], axis=0)[0]
        second = np.take_along_axis(first, order[1:2], axis=0)[0]
        new = np.empty_like(w)
        for j in range(h):
            other = np.where(order[0] == j, second, best)
            new[j] = np.minimum(values, other)
        if np.array_equal(new, w):
            return first.min(axis=0)
        w = new
