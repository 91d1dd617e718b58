"""Beliefs that make an action a best reply: the admissible off-path beliefs of a PBE.

For a message ``m`` and an action ``a`` the set of beliefs ``μ`` over types (restricted to a
support ``K``) under which ``a`` is a best reply of the receiver,

    B(m, a; K) = {μ ∈ Δ(K) : Σ_t μ_t u_R(t, m, a) >= Σ_t μ_t u_R(t, m, a')  for every a'},

is a polytope (Fudenberg & Tirole 1991, *Game Theory*, §8.2.1, p. 326: off-path beliefs of a
perfect Bayesian equilibrium are unrestricted, so an off-path action is admissible exactly when
this set is non-empty). With two types it is an interval of ``P(first type)``, found in closed
form; with three or more types feasibility is a linear programme solved by HiGHS
(``scipy.optimize.linprog``) and the bounds of each ``μ_t`` come from the region's vertices.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

TOL = 1e-9
"""Payoff tolerance: an action within this of the best is a best reply (ties count)."""


@dataclass(frozen=True)
class BeliefRegion:
    """The beliefs making an action a best reply: bounds of each type's probability, a witness."""

    lo: np.ndarray
    hi: np.ndarray
    witness: np.ndarray

    def to_dict(self, types: tuple[str, ...]) -> dict[str, object]:
        return {
            "bounds": {
                t: [round(float(lo), 8), round(float(hi), 8)]
                for t, lo, hi in zip(types, self.lo, self.hi, strict=True)
            },
            "example": {t: round(float(w), 8) for t, w in zip(types, self.witness, strict=True)},
        }


def _screen(sub: np.ndarray, action: int, tol: float) -> bool | None:
    """Exact shortcuts before an LP: True if ``action`` is a best reply to some pure belief
    (a vertex of the simplex), False if one rival beats it for every type (then it beats it for
    every belief), None when only the LP can tell."""
    if np.any(sub[:, action] >= sub.max(axis=1) - tol):
        return True
    if np.any(np.all(sub > sub[:, [action]] + tol, axis=0)):
        return False
    return None


def _interval_two(ur_m: np.ndarray, action: int, tol: float) -> tuple[float, float] | None:
    """Closed form for two types: the q = P(type 0) in [0, 1] where ``action`` is a best reply.

    Each rival a' gives the linear condition q·d0 + (1 - q)·d1 >= -tol with
    d = u_R(·, m, action) - u_R(·, m, a'), i.e. q·(d0 - d1) >= -tol - d1.
    """
    lo, hi = 0.0, 1.0
    for other in range(ur_m.shape[1]):
        if other == action:
            continue
        d0 = ur_m[0, action] - ur_m[0, other]
        d1 = ur_m[1, action] - ur_m[1, other]
        slope, rhs = d0 - d1, -tol - d1
        if abs(slope) <= 1e-15:
            if rhs > 0:
                return None
            continue
        bound = rhs / slope
        if slope > 0:
            lo = max(lo, bound)
        else:
            hi = min(hi, bound)
        if lo > hi:
            return None
    return lo, hi


def region(
    ur_m: np.ndarray, action: int, support: tuple[int, ...] | None = None, tol: float = TOL
) -> BeliefRegion | None:
    """B(m, a; K) for ``ur_m = u_R(·, m, ·)`` (shape T × A); ``None`` when it is empty.

    ``support`` lists the types the belief may put weight on (all types when ``None``).
    """
    n_types = ur_m.shape[0]
    keep = tuple(range(n_types)) if support is None else tuple(sorted(support))
    if not keep:
        return None
    sub = ur_m[list(keep)]
    full = np.zeros(n_types)
    if len(keep) == 1:
        row = sub[0]
        if row[action] < row.max() - tol:
            return None
        full[keep[0]] = 1.0
        return BeliefRegion(full.copy(), full.copy(), full.copy())
    if len(keep) == 2:
        iv = _interval_two(sub, action, tol)
        if iv is None:
            return None
        lo, hi = np.zeros(n_types), np.zeros(n_types)
        a, b = keep
        lo[a], hi[a] = iv
        lo[b], hi[b] = 1.0 - iv[1], 1.0 - iv[0]
        full[a] = (iv[0] + iv[1]) / 2
        full[b] = 1.0 - full[a]
        return BeliefRegion(lo, hi, full)
    return _region_lp(sub, action, keep, n_types, tol)


def _region_lp(
    sub: np.ndarray, action: int, keep: tuple[int, ...], n_types: int, tol: float
) -> BeliefRegion | None:
    """Feasibility by HiGHS; the bounds of each μ_t from the polytope's vertices.

    A bounded polytope is the convex hull of its vertices, so the least and greatest ``μ_t`` over
    it are attained at vertices. Each candidate vertex solves the simplex equation with ``k - 1``
    of the inequalities tight; all candidates are solved at once (batched ``numpy.linalg``).
    """
    k = sub.shape[0]
    rivals = [o for o in range(sub.shape[1]) if o != action]
    a_ub = (sub[:, rivals] - sub[:, [action]]).T if rivals else np.zeros((0, k))
    screen = _screen(sub, action, tol)
    if screen is False:
        return None
    if screen is None:
        res = linprog(
            np.zeros(k),
            A_ub=a_ub,
            b_ub=np.full(len(rivals), tol),
            A_eq=np.ones((1, k)),
            b_eq=np.array([1.0]),
            bounds=(0.0, 1.0),
            method="highs",
        )
        if res.status != 0:
            return None
        witness = np.clip(np.asarray(res.x), 0.0, 1.0)
    else:
        witness = np.zeros(k)
        witness[int(np.argmax(sub[:, action] - sub.max(axis=1)))] = 1.0
    g = np.vstack([np.eye(k), -a_ub])  # g @ μ >= 0 on the region
    combos = np.array(list(itertools.combinations(range(len(g)), k - 1)), dtype=np.intp)
    mats = np.concatenate(
        [np.ones((len(combos), 1, k)), g[combos]], axis=1
    )  # (C, k, k): the simplex row, then k - 1 tight rows
    det = np.linalg.det(mats)
    mats = mats[np.abs(det) > 1e-12]
    lo, hi, full = np.zeros(n_types), np.zeros(n_types), np.zeros(n_types)
    if len(mats):
        rhs = np.zeros((len(mats), k))
        rhs[:, 0] = 1.0
        verts = np.linalg.solve(mats, rhs[..., None])[..., 0]
        inside = np.all(verts @ g.T >= -tol - 1e-9, axis=1)
        verts = verts[inside]
    else:  # pragma: no cover - a non-empty region in the simplex always has a vertex
        verts = witness[None]
    if not len(verts):
        verts = witness[None]  # within tolerance only: report the LP's point
    else:
        witness = verts.mean(axis=0)  # the vertices' centre lies in the (convex) region
    idx = list(keep)
    lo[idx] = np.clip(verts.min(axis=0), 0.0, 1.0)
    hi[idx] = np.clip(verts.max(axis=0), 0.0, 1.0)
    full[idx] = witness
    return BeliefRegion(lo, hi, full)


def feasible(
    ur_m: np.ndarray, action: int, support: tuple[int, ...] | None = None, tol: float = TOL
) -> bool:
    """Whether B(m, a; K) is non-empty (one LP at most; no bounds computed)."""
    n_types = ur_m.shape[0]
    keep = tuple(range(n_types)) if support is None else tuple(sorted(support))
    if len(keep) <= 2:
        return region(ur_m, action, keep, tol) is not None
    sub = ur_m[list(keep)]
    rivals = [o for o in range(sub.shape[1]) if o != action]
    if not rivals:
        return True
    screen = _screen(sub, action, tol)
    if screen is not None:
        return screen
    res = linprog(
        np.zeros(len(keep)),
        A_ub=(sub[:, rivals] - sub[:, [action]]).T,
        b_ub=np.full(len(rivals), tol),
        A_eq=np.ones((1, len(keep))),
        b_eq=np.array([1.0]),
        bounds=(0.0, 1.0),
        method="highs",
    )
    return bool(res.status == 0)
