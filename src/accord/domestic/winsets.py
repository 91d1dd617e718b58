"""Win-sets, the two-level zone and bargaining solutions inside it (array level).

Model: Putnam (1988), "Diplomacy and domestic politics: the logic of two-level games",
International Organization 42(3), pp. 427-460, here on a finite outcome space. A party's
*win-set* is the set of packages its ratifiers approve under its rule (p. 437: "the set of all
possible Level I agreements that would 'win'"). A ratifier approves a package worth at least its
reservation value to it (within ``ZONE_ATOL``). A rule is a number of votes needed: ``all`` needs
every vote, ``majority`` more than half, ``quota`` q at least ``ceil(q · total)``. The *two-level
zone* is the zone of possible agreement (every leader at or above its reservation) intersected
with every party's win-set.

Solutions (the definitions of :mod:`accord.bargaining.solutions`, re-implemented here because
engines do not import each other): with gains ``g_p = U[i, p] − r_p`` over the candidate set,

* Nash (Nash 1950): maximise ``Π_p g_p``;
* Kalai–Smorodinsky (Kalai & Smorodinsky 1975, discrete form): maximise ``min_p g_p / a_p`` with
  ``a_p`` the largest gain of p in the candidate set (ratio 1 where ``a_p = 0``);
* utilitarian: maximise ``Σ_p g_p``; egalitarian (Kalai 1977): maximise ``min_p g_p``.

Tie-break, as in :mod:`accord.bargaining.solutions`: scores within ``TIE_RTOL·max(1, |best|)`` of
the best are tied; among them a Pareto-efficient one (not dominated by another candidate), then
the one whose smallest gain is largest, then the lowest index. The candidate set is the zone
itself, not only its frontier, because the two-level zone is not an upper set (a ratifier may
prefer less of an issue than its leader), so the frontier shortcut of the bargaining engine does
not apply. Over the international zone the result equals the bargaining engine's (a dominating
outcome is also in the zone and scores at least as high; see the tests).

Example::

    >>> import numpy as np
    >>> x = np.linspace(0, 1, 101)
    >>> U = np.stack([x, 1 - x], axis=1)
    >>> b_home = U[:, 1] >= 0.7 - ZONE_ATOL          # B's ratifier wants at least 0.7
    >>> i = solve_masked(U, np.zeros(2), b_home)["nash"]
    >>> round(float(U[i, 1]), 2)                        # Schelling: max(1/2, 0.7)
    0.7
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from accord.errors import EngineInputError

ZONE_ATOL = 1e-9
"""A package worth at most this less than a threshold still clears it (as in the bargaining
engine's zone)."""

TIE_RTOL = 1e-12
"""Scores within ``TIE_RTOL * max(1, |best|)`` of the best are tied."""

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")

RULES = ("all", "majority", "quota")


def required_votes(rule: str, total: int, quota: float | None = None) -> int:
    """Votes a package needs under ``rule`` out of ``total`` votes.

    >>> required_votes("all", 5), required_votes("majority", 4), required_votes("quota", 5, 0.6)
    (5, 3, 3)
    """
    if total < 1:
        raise EngineInputError("a party's ratifiers must cast at least one vote")
    if rule == "all":
        return total
    if rule == "majority":
        return total // 2 + 1
    if rule == "quota":
        if quota is None or not 0.0 < quota <= 1.0:
            raise EngineInputError(f"a quota must lie in (0, 1], got {quota}")
        return max(1, math.ceil(quota * total - 1e-9))
    raise EngineInputError(f"unknown rule '{rule}'; use one of: {', '.join(RULES)}")


def approvals(ratifier_utilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Boolean (n, m): ratifier j approves package i (utility at least its threshold)."""
    u = np.asarray(ratifier_utilities, dtype=np.float64)
    t = np.asarray(thresholds, dtype=np.float64).reshape(-1)
    if u.ndim != 2 or u.shape[1] != t.shape[0]:
        raise EngineInputError(
            f"ratifier utilities of shape {u.shape} do not match {t.shape[0]} threshold(s)"
        )
    return u >= t - ZONE_ATOL


def vote_tally(approve: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """Approving votes per package, int32 (n,): one pass per ratifier, no (n, m) temporary."""
    a = np.asarray(approve, dtype=bool)
    v = np.asarray(votes, dtype=np.int64).reshape(-1)
    tally = np.zeros(a.shape[0], dtype=np.int32)
    for j in range(a.shape[1]):
        tally += a[:, j].astype(np.int32) * np.int32(v[j])
    return tally


def win_set_mask(approve: np.ndarray, votes: np.ndarray, need: int) -> np.ndarray:
    """Packages whose approving votes reach ``need`` (the party's win-set), boolean (n,)."""
    return vote_tally(approve, votes) >= need


def win_set_reference(approve: np.ndarray, votes: np.ndarray, need: int) -> np.ndarray:
    """Scalar reference for :func:`win_set_mask`: one package at a time."""
    rows = np.asarray(approve, dtype=bool).tolist()
    v = [int(x) for x in np.asarray(votes).reshape(-1)]
    return np.array([sum(w for a, w in zip(row, v, strict=True) if a) >= need for row in rows])


def zone_mask(utilities: np.ndarray, reservations: np.ndarray) -> np.ndarray:
    """Packages every leader values at least at its reservation (within ZONE_ATOL)."""
    u = np.asarray(utilities, dtype=np.float64)
    r = np.asarray(reservations, dtype=np.float64).reshape(-1)
    inside = np.ones(u.shape[0], dtype=bool)
    for p in range(u.shape[1]):
        inside &= u[:, p] >= r[p] - ZONE_ATOL
    return inside


def pareto_among(points: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows not dominated by another row (≥ everywhere, > somewhere).

    Rows are visited by decreasing sum: only a row with a strictly larger sum can dominate, so
    each row is compared with the efficient rows found so far (a skyline pass, O(t · f)).
    """
    g = np.asarray(points, dtype=np.float64)
    t = g.shape[0]
    keep = np.zeros(t, dtype=bool)
    if t == 0:
        return keep
    order = np.lexsort((np.arange(t), -g.sum(axis=1)))
    front: list[int] = []
    for i in order:
        row = g[i]
        if front:
            f = g[front]
            if ((f >= row).all(axis=1) & (f > row).any(axis=1)).any():
                continue
        front.append(int(i))
        keep[i] = True
    return keep


def _nash(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return np.prod(np.maximum(gains, 0.0), axis=1)


def _ks(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    safe = np.where(ideal > 0, ideal, 1.0)
    return np.where(ideal > 0, gains / safe, 1.0).min(axis=1)


def _utilitarian(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return gains.sum(axis=1)


def _egalitarian(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return gains.min(axis=1)


_SCORES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "nash": _nash,
    "kalai_smorodinsky": _ks,
    "utilitarian": _utilitarian,
    "egalitarian": _egalitarian,
}


def _tied(scores: np.ndarray) -> np.ndarray:
    best = float(scores.max())
    return scores >= best - TIE_RTOL * max(1.0, abs(best))


def descending_order(utilities: np.ndarray) -> np.ndarray | None:
    """For two parties: package indices by u1 descending (ties in any order).

    Computed once and shared by every :func:`solve_masked` call on the same utilities; None for
    more than two parties (no shortcut then).
    """
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2 or u.shape[1] != 2:
        return None
    return np.argsort(-u[:, 0])


def efficient_2d(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Pareto-efficient mask of points sorted by u1 descending (ties in any order).

    Within a group of equal u1 only the points with the group's largest u2 can be efficient; they
    are when that u2 beats every group with a larger u1 (identical points are all kept, as in
    :func:`pareto_among`).
    """
    n = u1.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    start = np.ones(n, dtype=bool)
    start[1:] = u1[1:] != u1[:-1]
    group = np.cumsum(start) - 1
    best = np.maximum.reduceat(u2, np.flatnonzero(start))  # each group's largest u2
    before = np.empty_like(best)
    before[0] = -np.inf
    if best.shape[0] > 1:
        before[1:] = np.maximum.accumulate(best)[:-1]
    return (u2 == best[group]) & (best > before)[group]


def solve_masked(
    utilities: np.ndarray,
    reservations: np.ndarray,
    mask: np.ndarray | None = None,
    names: tuple[str, ...] = SOLUTION_NAMES,
    *,
    order: np.ndarray | None = None,
) -> dict[str, int | None]:
    """Each named solution over the zone ∩ ``mask`` (None where that set is empty).

    With two parties only the candidates efficient within the set are scored (pass ``order``
    from :func:`descending_order` to share the sort): every score is weakly increasing in each
    party's gain, so a maximiser is matched by an efficient candidate scoring at least as much,
    and the tie-break prefers efficient candidates anyway; the choice is the same.
    """
    for name in names:
        if name not in _SCORES:
            raise EngineInputError(
                f"unknown solution '{name}'; choose one of: {', '.join(SOLUTION_NAMES)}"
            )
    u = np.asarray(utilities, dtype=np.float64)
    r = np.asarray(reservations, dtype=np.float64).reshape(-1)
    inside = zone_mask(u, r)
    if mask is not None:
        inside &= np.asarray(mask, dtype=bool)
    if u.shape[1] == 2:
        sorted_idx = descending_order(u) if order is None else order
        assert sorted_idx is not None
        sub = sorted_idx[inside[sorted_idx]]
        idx = np.sort(sub[efficient_2d(u[sub, 0], u[sub, 1])])
    else:
        idx = np.flatnonzero(inside)
    if idx.shape[0] == 0:
        return dict.fromkeys(names)
    gains = u[idx] - r
    ideal = gains.max(axis=0)
    out: dict[str, int | None] = {}
    for name in names:
        tied = np.flatnonzero(_tied(_SCORES[name](gains, ideal)))
        efficient = tied[pareto_among(gains[tied])]  # ascending, never empty
        evenness = gains[efficient].min(axis=1)
        out[name] = int(idx[efficient[np.argmax(_tied(evenness))]])
    return out


def solve_masked_reference(
    name: str, utilities: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None
) -> int | None:
    """Scalar reference for :func:`solve_masked`: plain Python over every candidate."""
    rows = np.asarray(utilities, dtype=np.float64).tolist()
    res = [float(x) for x in np.asarray(reservations).reshape(-1)]
    allowed = [True] * len(rows) if mask is None else [bool(x) for x in np.asarray(mask)]
    zone = [
        i
        for i, row in enumerate(rows)
        if allowed[i] and all(x >= y - ZONE_ATOL for x, y in zip(row, res, strict=True))
    ]
    if not zone:
        return None
    gains = {i: [x - y for x, y in zip(rows[i], res, strict=True)] for i in zone}
    ideal = [max(gains[i][p] for i in zone) for p in range(len(res))]

    def score(g: list[float]) -> float:
        if name == "nash":
            return math.prod(max(x, 0.0) for x in g)
        if name == "kalai_smorodinsky":
            return min(x / a if a > 0 else 1.0 for x, a in zip(g, ideal, strict=True))
        if name == "utilitarian":
            return sum(g)
        return min(g)

    scores = {i: score(gains[i]) for i in zone}
    best = max(scores.values())
    tied = [i for i in zone if scores[i] >= best - TIE_RTOL * max(1.0, abs(best))]

    def dominated(i: int) -> bool:
        return any(
            all(a >= b for a, b in zip(gains[j], gains[i], strict=True))
            and any(a > b for a, b in zip(gains[j], gains[i], strict=True))
            for j in tied
        )

    efficient = [i for i in tied if not dominated(i)]
    most_even = max(min(gains[i]) for i in efficient)
    return next(
        i for i in efficient if min(gains[i]) >= most_even - TIE_RTOL * max(1.0, abs(most_even))
    )
