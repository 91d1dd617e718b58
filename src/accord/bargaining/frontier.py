"""The Pareto frontier of a finite set of outcomes, given every party's utility of each.

An outcome is on the frontier (Pareto-optimal) when no other outcome is at least as good for every
party and strictly better for at least one (weak dominance; Pareto 1906, see Osborne & Rubinstein
1994, §2.2 for the bargaining setting). Duplicates of a frontier point do not dominate each other,
so all copies are on the frontier. The frontier is computed over the whole outcome space, not cut
by reservation values.

Three implementations share one definition:

* :func:`pareto_mask_reference` — the O(n²·k) brute force, the readable specification;
* two parties: sort by the first utility (descending), then a running maximum of the second
  (Kung, Luccio & Preparata 1975), after an O(n log m) pre-filter that drops outcomes dominated by
  a staircase of sample points;
* any number of parties: a block-nested-loops skyline (Börzsönyi, Kossmann & Stocker 2001) with
  the outcomes sorted by the sum of utilities first, so a dominating outcome is always visited
  before the outcomes it dominates; each block is compared with the frontier found so far in
  NumPy-broadcast chunks of bounded memory.

Example::

    >>> import numpy as np
    >>> U = np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.5, 0.5], [0.0, 1.0]])
    >>> pareto_mask(U).tolist()
    [True, True, False, True, True]
"""

from __future__ import annotations

import numpy as np

from accord.errors import EngineInputError

_PREFILTER_MIN = 1 << 15
"""Below this many outcomes the two-party sort runs directly (the pre-filter would not pay)."""

_SAMPLE_SIZE = 1 << 14
"""Outcomes sampled (evenly strided) to build the two-party pre-filter staircase."""

_CHUNK_CELLS = 1 << 22
"""Most boolean cells one broadcast comparison of the skyline may allocate (about 4 MB)."""


def as_utility_matrix(utilities: object, name: str = "utilities") -> np.ndarray:
    """Check and convert a utility matrix: 2-D, shape (n_outcomes, n_parties), finite float64."""
    try:
        u = np.asarray(utilities, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EngineInputError(
            f"{name} must be a numeric array of shape (outcomes, parties): {exc}"
        ) from None
    if u.ndim != 2 or u.shape[1] < 1:
        raise EngineInputError(
            f"{name} must have shape (outcomes, parties) with at least one party; got shape "
            f"{u.shape}. Pass one row per outcome and one column per party."
        )
    if u.size and not np.isfinite(u).all():
        raise EngineInputError(
            f"{name} holds NaN or infinite values; every utility must be a finite number"
        )
    return u


def pareto_mask(utilities: np.ndarray) -> np.ndarray:
    """Boolean mask of the Pareto-optimal outcomes (rows) of ``utilities``.

    Dispatches on the number of parties: one party keeps its maximisers, two parties use the
    sort-and-running-maximum algorithm (O(n log n)), more use the vectorised skyline.
    """
    u = as_utility_matrix(utilities)
    n, k = u.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if k == 1:
        return u[:, 0] == u[:, 0].max()
    if k == 2:
        return pareto_mask_2d(u)
    return pareto_mask_skyline(u)


def pareto_mask_reference(utilities: np.ndarray) -> np.ndarray:
    """Brute-force frontier, O(n²·k): the definition written out, for tests and small inputs."""
    u = as_utility_matrix(utilities)
    rows = [tuple(float(x) for x in row) for row in u]
    mask = []
    for mine in rows:
        dominated = False
        for other in rows:
            at_least_as_good = all(o >= m for o, m in zip(other, mine, strict=True))
            strictly_better = any(o > m for o, m in zip(other, mine, strict=True))
            if at_least_as_good and strictly_better:
                dominated = True
                break
        mask.append(not dominated)
    return np.array(mask, dtype=bool)


def _sorted_frontier_2d(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Exact two-party frontier mask by sorting (first utility descending, then second).

    After sorting, an outcome is dominated exactly when (a) an outcome with the same first utility
    has a larger second utility, i.e. it is not at the top of its group of equal first utilities,
    or (b) some outcome with a strictly larger first utility (an earlier group) has a second
    utility at least as large, i.e. the running maximum before its group reaches it.
    """
    n = u1.shape[0]
    order = np.lexsort((-u2, -u1))
    s1 = u1[order]
    s2 = u2[order]
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    np.not_equal(s1[1:], s1[:-1], out=new_group[1:])
    positions = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    running_max = np.maximum.accumulate(s2)
    before_group = np.where(group_start > 0, running_max[group_start - 1], -np.inf)
    on_sorted = (s2 == s2[group_start]) & (s2 > before_group)
    mask = np.empty(n, dtype=bool)
    mask[order] = on_sorted
    return mask


def pareto_mask_2d(
    utilities: np.ndarray,
    *,
    prefilter_min: int = _PREFILTER_MIN,
    sample_size: int = _SAMPLE_SIZE,
    skip_fraction: float = 0.5,
) -> np.ndarray:
    """Two-party frontier in O(n log n) (see :func:`_sorted_frontier_2d`).

    Large inputs first drop every outcome that a *staircase* of mutually non-dominated sample
    outcomes dominates. That is exact: a dropped outcome x is dominated by a staircase outcome p,
    and p is never dropped, so any outcome that x dominates is also dominated by p (dominance is
    transitive) and is still caught by the exact sort over the survivors. On typical spaces the
    survivors are a small fraction, which replaces an n log n sort by an O(n log m) search.
    ``prefilter_min`` (inputs smaller skip the pre-filter), ``sample_size`` (outcomes sampled
    for the staircase) and ``skip_fraction`` (skip the filter when more than this fraction of the
    sample is efficient, as when u2 = 1 − u1) only change speed, never the answer.
    """
    u = as_utility_matrix(utilities)
    if u.shape[1] != 2:
        raise EngineInputError(f"pareto_mask_2d needs exactly two parties, got {u.shape[1]}")
    n = u.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    if n < prefilter_min:
        return _sorted_frontier_2d(u[:, 0], u[:, 1])
    u = np.ascontiguousarray(u)
    u1, u2 = u[:, 0], u[:, 1]

    stride = max(1, n // max(1, sample_size))
    s1, s2 = u1[::stride], u2[::stride]
    sample_front = _sorted_frontier_2d(s1, s2)
    if np.count_nonzero(sample_front) > skip_fraction * s1.shape[0]:
        # Most of the sample is efficient (e.g. u2 = 1 - u1): the filter would drop almost nothing.
        return _sorted_frontier_2d(u1, u2)
    # Distinct staircase points sorted by first utility ascending; second then strictly descends.
    stair = np.unique(np.stack([s1[sample_front], s2[sample_front]], axis=1), axis=0)
    dominated = staircase_dominated(u, stair[:, 0].copy(), stair[:, 1].copy())
    keep = np.flatnonzero(~dominated)
    mask = np.zeros(n, dtype=bool)
    mask[keep] = _sorted_frontier_2d(u1[keep], u2[keep])
    return mask


def staircase_dominated_numpy(u: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """Which rows of ``u`` (n, 2) a staircase dominates; NumPy reference of the compiled kernel.

    ``p1`` ascends and ``p2`` strictly descends (mutually non-dominated points). For an outcome x,
    the staircase point with the smallest p1 >= x1 has the largest p2 among all staircase points
    at least as good on the first utility, so checking it alone decides dominance.
    """
    j = np.searchsorted(p1, u[:, 0], side="left")
    has = j < p1.shape[0]
    j = np.minimum(j, p1.shape[0] - 1)
    q1, q2 = p1[j], p2[j]
    return has & (q2 >= u[:, 1]) & ((q1 > u[:, 0]) | (q2 > u[:, 1]))


def staircase_dominated(u: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """Compiled one-pass version of :func:`staircase_dominated_numpy` (no n-sized temporaries)."""
    from accord.bargaining._kernels import staircase_dominated_kernel

    return staircase_dominated_kernel(np.ascontiguousarray(u, dtype=np.float64), p1, p2)


def _dominated_by(candidates: np.ndarray, front: np.ndarray) -> np.ndarray:
    """For each candidate row, whether some row of ``front`` dominates it (chunked broadcast)."""
    b, k = candidates.shape
    out = np.zeros(b, dtype=bool)
    if front.shape[0] == 0 or b == 0:
        return out
    chunk = max(1, _CHUNK_CELLS // max(1, b * k))
    for start in range(0, front.shape[0], chunk):
        f = front[start : start + chunk]
        ge = np.all(f[None, :, :] >= candidates[:, None, :], axis=2)
        gt = np.any(f[None, :, :] > candidates[:, None, :], axis=2)
        out |= np.any(ge & gt, axis=1)
    return out


def pareto_mask_skyline(utilities: np.ndarray, block: int = 512) -> np.ndarray:
    """Frontier for any number of parties: block-nested-loops skyline, sorted by sum first.

    Outcomes are visited by decreasing sum of utilities, ties broken lexicographically by the
    utilities themselves (descending). If q dominates p then q's sum is at least p's and q is
    lexicographically larger, so q always comes first — even when rounding makes the sums equal.
    Each block is therefore checked against the frontier found so far and against itself only.
    Worst case (every outcome optimal) is O(n²·k); memory stays O(n·k + chunk).
    """
    u = as_utility_matrix(utilities)
    n, k = u.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if block < 1:
        raise EngineInputError(f"block must be a positive integer, got {block}")
    keys = [-u[:, c] for c in range(k - 1, -1, -1)]
    keys.append(-u.sum(axis=1))
    order = np.lexsort(tuple(keys))
    ranked = u[order]
    front = np.empty_like(ranked)
    front_size = 0
    on_ranked = np.zeros(n, dtype=bool)
    for start in range(0, n, block):
        cand = ranked[start : start + block]
        alive = ~_dominated_by(cand, front[:front_size])
        idx = np.flatnonzero(alive)
        survivors = cand[idx]
        within = _dominated_by(survivors, survivors)
        idx = idx[~within]
        on_ranked[start + idx] = True
        front[front_size : front_size + idx.shape[0]] = cand[idx]
        front_size += idx.shape[0]
    mask = np.empty(n, dtype=bool)
    mask[order] = on_ranked
    return mask


def dominated_by_any(points: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    """For each row of ``points`` (utility vectors, possibly off the grid), whether some outcome in
    ``utilities`` dominates it. Comparing against the frontier alone is enough (and cheaper)."""
    pts = as_utility_matrix(points, "points")
    u = as_utility_matrix(utilities)
    if pts.shape[1] != u.shape[1]:
        raise EngineInputError(
            f"points have {pts.shape[1]} parties but utilities have {u.shape[1]}"
        )
    return _dominated_by(pts, u)
