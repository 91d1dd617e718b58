"""The zone of possible agreement and the classic bargaining solutions on a finite outcome space.

All functions work on a utility matrix ``U`` of shape (n_outcomes, n_parties) and a vector of
reservation values ``r`` (the utility of no agreement, the disagreement point). The *zone of
possible agreement* (ZOPA) is the set of outcomes every party values at least at its reservation:
``U[i, p] >= r[p] - ZONE_ATOL`` for every p (the small tolerance keeps an outcome that sits exactly
on a reservation value inside the zone despite floating-point rounding).

Solutions choose one outcome of the zone, or ``None`` when the zone is empty. With gains
``g_p = U[i, p] - r[p]``:

* **Nash** (Nash 1950): maximise the product ``Π_p g_p``.
* **Kalai–Smorodinsky** (Kalai & Smorodinsky 1975). On a continuous, comprehensive set KS is the
  Pareto point on the segment from the disagreement point to the ideal point. On a finite set that
  segment rarely meets an outcome, so we use the standard discrete counterpart: let the ideal gain
  ``a_p = max_{zone} g_p``; maximise ``min_p g_p / a_p`` (a party with ``a_p = 0`` gains nothing
  anywhere in the zone and counts as fully satisfied, ratio 1). On a continuous comprehensive set
  the maximiser of this max–min is exactly the KS point.
* **Utilitarian**: maximise the sum of utilities (equivalently of gains).
* **Egalitarian** (Kalai 1977): maximise the smallest gain ``min_p g_p``.

Tie-breaks are deterministic: scores within ``TIE_RTOL·max(1, |best|)`` of the best count as tied;
among tied outcomes a Pareto-optimal one is preferred, then the one whose smallest gain is largest
(so a utilitarian tie on divide-the-dollar goes to the even split, not to one party taking all),
then the lowest outcome index.

Implementation note: every score above is monotone (weakly) in each party's utility, and the zone
is an upper set, so a maximiser over the zone is always matched or dominated by a Pareto-optimal
outcome in the zone that scores at least as high. Hence the best score over the zone equals the
best over *frontier ∩ zone*, and with the tie-break above the chosen outcome is always on the
frontier. The fast functions therefore score only frontier outcomes in the zone (usually a handful);
:func:`solution_reference` scores every zone outcome in plain Python and applies the rule as
written, and the tests check that the two agree.

Example::

    >>> import numpy as np
    >>> x = np.linspace(0, 1, 101)
    >>> U = np.stack([x, 1 - x], axis=1)           # divide the dollar
    >>> float(U[nash_solution(U, np.array([0.2, 0.0])), 0])   # (1 + r1 - r2) / 2
    0.6
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from accord.bargaining.frontier import as_utility_matrix, pareto_mask, pareto_mask_reference
from accord.errors import EngineInputError

ZONE_ATOL = 1e-9
"""An outcome whose utility falls short of a reservation value by at most this is in the zone."""

TIE_RTOL = 1e-12
"""Scores within ``TIE_RTOL * max(1, |best|)`` of the best are tied (then Pareto, then index)."""

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")


def as_reservations(reservations: object, n_parties: int) -> np.ndarray:
    """Check and convert reservation values: one finite number per party."""
    try:
        r = np.asarray(reservations, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise EngineInputError(f"reservations must be numbers, one per party: {exc}") from None
    if r.shape[0] != n_parties:
        raise EngineInputError(
            f"got {r.shape[0]} reservation value(s) for {n_parties} parties; give one per party"
        )
    if not np.isfinite(r).all():
        raise EngineInputError("reservation values must be finite numbers")
    return r


def zopa_mask(utilities: np.ndarray, reservations: np.ndarray) -> np.ndarray:
    """Outcomes that every party values at least at its reservation value (within ZONE_ATOL)."""
    u = as_utility_matrix(utilities)
    r = as_reservations(reservations, u.shape[1])
    inside = np.ones(u.shape[0], dtype=bool)
    # Column by column: avoids an (n, k) boolean temporary on large spaces.
    for p in range(u.shape[1]):
        inside &= u[:, p] >= r[p] - ZONE_ATOL
    return inside


# --- scores ---------------------------------------------------------------------------------------
# Each score maps the gains of candidate outcomes (c, k) and the ideal gains (k,) to (c,) numbers.


def _nash_score(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return np.prod(np.maximum(gains, 0.0), axis=1)


def _ks_score(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    safe = np.where(ideal > 0, ideal, 1.0)
    ratios = np.where(ideal > 0, gains / safe, 1.0)
    return ratios.min(axis=1)


def _utilitarian_score(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return gains.sum(axis=1)


def _egalitarian_score(gains: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    return gains.min(axis=1)


_SCORES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "nash": _nash_score,
    "kalai_smorodinsky": _ks_score,
    "utilitarian": _utilitarian_score,
    "egalitarian": _egalitarian_score,
}


def _tied(scores: np.ndarray) -> np.ndarray:
    best = scores.max()
    return scores >= best - TIE_RTOL * max(1.0, abs(float(best)))


def _frontier_zone(
    u: np.ndarray, r: np.ndarray, pareto: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (ascending) of frontier outcomes inside the zone, and their gains."""
    front = pareto_mask(u) if pareto is None else np.asarray(pareto, dtype=bool)
    if front.shape != (u.shape[0],):
        raise EngineInputError(f"pareto mask has shape {front.shape}; expected ({u.shape[0]},)")
    idx = np.flatnonzero(front)
    candidates = u[idx]
    inside = (candidates >= r - ZONE_ATOL).all(axis=1)  # the same test as zopa_mask
    return idx[inside], candidates[inside] - r


def _pick(name: str, idx: np.ndarray, gains: np.ndarray) -> int | None:
    """Apply one score to the frontier-in-zone candidates ``idx`` (ascending) and their gains."""
    if idx.shape[0] == 0:
        return None
    ideal = gains.max(axis=0)
    scores = _SCORES[name](gains, ideal)
    # Every candidate is Pareto-optimal; among the tied, the most even gains, then the lowest index.
    tied = np.flatnonzero(_tied(scores))
    evenness = gains[tied].min(axis=1)
    return int(idx[tied[np.argmax(_tied(evenness))]])


def _check_names(names: tuple[str, ...]) -> None:
    for name in names:
        if name not in _SCORES:
            raise EngineInputError(
                f"unknown solution '{name}'; choose one of: {', '.join(SOLUTION_NAMES)}"
            )


def solve(
    name: str,
    utilities: np.ndarray,
    reservations: np.ndarray,
    *,
    pareto: np.ndarray | None = None,
) -> int | None:
    """Index of the outcome the named solution picks, or None when the zone is empty.

    ``name`` is one of ``SOLUTION_NAMES``. Pass a precomputed ``pareto`` mask to avoid
    recomputing the frontier.
    """
    return solve_all(utilities, reservations, pareto=pareto, names=(name,))[name]


def solve_all(
    utilities: np.ndarray,
    reservations: np.ndarray,
    *,
    pareto: np.ndarray | None = None,
    names: tuple[str, ...] = SOLUTION_NAMES,
) -> dict[str, int | None]:
    """Several solutions at once, sharing one pass over the frontier and the zone."""
    _check_names(names)
    u = as_utility_matrix(utilities)
    r = as_reservations(reservations, u.shape[1])
    idx, gains = _frontier_zone(u, r, pareto)
    return {name: _pick(name, idx, gains) for name in names}


def nash_solution(u: np.ndarray, r: np.ndarray, *, pareto: np.ndarray | None = None) -> int | None:
    """Nash bargaining solution (Nash 1950): maximise Π_p (u_p − r_p) over the zone."""
    return solve("nash", u, r, pareto=pareto)


def kalai_smorodinsky_solution(
    u: np.ndarray, r: np.ndarray, *, pareto: np.ndarray | None = None
) -> int | None:
    """Discrete Kalai–Smorodinsky (1975): maximise min_p (u_p − r_p) / (ideal_p − r_p)."""
    return solve("kalai_smorodinsky", u, r, pareto=pareto)


def utilitarian_solution(
    u: np.ndarray, r: np.ndarray, *, pareto: np.ndarray | None = None
) -> int | None:
    """Utilitarian solution: maximise Σ_p u_p over the zone."""
    return solve("utilitarian", u, r, pareto=pareto)


def egalitarian_solution(
    u: np.ndarray, r: np.ndarray, *, pareto: np.ndarray | None = None
) -> int | None:
    """Egalitarian solution (Kalai 1977): maximise min_p (u_p − r_p) over the zone."""
    return solve("egalitarian", u, r, pareto=pareto)


def solution_reference(name: str, utilities: np.ndarray, reservations: np.ndarray) -> int | None:
    """Scalar reference: score every zone outcome in plain Python, then apply the tie-break rule
    (tied within TIE_RTOL, prefer Pareto-optimal by brute force, then lowest index)."""
    u = as_utility_matrix(utilities)
    r = as_reservations(reservations, u.shape[1])
    rows = [[float(x) for x in row] for row in u]
    res = [float(x) for x in r]
    zone = [
        i
        for i, row in enumerate(rows)
        if all(x >= y - ZONE_ATOL for x, y in zip(row, res, strict=True))
    ]
    if not zone:
        return None
    gains = {i: [x - y for x, y in zip(rows[i], res, strict=True)] for i in zone}
    ideal = [max(gains[i][p] for i in zone) for p in range(len(res))]

    def score(g: list[float]) -> float:
        if name == "nash":
            product = 1.0
            for x in g:
                product *= max(x, 0.0)
            return product
        if name == "kalai_smorodinsky":
            return min(x / a if a > 0 else 1.0 for x, a in zip(g, ideal, strict=True))
        if name == "utilitarian":
            return sum(g)
        if name == "egalitarian":
            return min(g)
        raise EngineInputError(f"unknown solution '{name}'")

    scores = {i: score(gains[i]) for i in zone}
    best = max(scores.values())
    tied = [i for i in zone if scores[i] >= best - TIE_RTOL * max(1.0, abs(best))]
    front = pareto_mask_reference(u)
    optimal = [i for i in tied if front[i]] or tied
    most_even = max(min(gains[i]) for i in optimal)
    return next(
        i for i in optimal if min(gains[i]) >= most_even - TIE_RTOL * max(1.0, abs(most_even))
    )


def best_outcomes(utilities: np.ndarray, *, pareto: np.ndarray | None = None) -> list[int]:
    """Each party's favourite outcome: max of its utility; ties → Pareto-optimal, lowest index.

    A party's maximum is always reached on the frontier, so only frontier outcomes are scanned.
    """
    u = as_utility_matrix(utilities)
    if u.shape[0] == 0:
        raise EngineInputError("the outcome space is empty")
    front = pareto_mask(u) if pareto is None else pareto
    idx = np.flatnonzero(front)
    return [int(idx[np.argmax(_tied(u[idx, p]))]) for p in range(u.shape[1])]


def worst_outcomes(utilities: np.ndarray) -> list[int]:
    """Each party's least-liked outcome: min of its utility; ties (TIE_RTOL) → lowest index."""
    u = as_utility_matrix(utilities)
    if u.shape[0] == 0:
        raise EngineInputError("the outcome space is empty")
    out = []
    for p in range(u.shape[1]):
        column = u[:, p]
        low = column[int(np.argmin(column))]
        out.append(int(np.argmax(column <= low + TIE_RTOL * max(1.0, abs(float(low))))))
    return out


def rubinstein_share(delta_first: float, delta_second: float) -> float:
    """Share of the pie the first proposer gets in Rubinstein's alternating-offers game.

    Rubinstein (1982), Theorem: with per-round discount factors δ1 (first proposer) and δ2, the
    unique subgame-perfect equilibrium gives the first proposer ``(1 − δ2) / (1 − δ1·δ2)``,
    accepted at once. Needs δ1, δ2 in [0, 1] and not both 1 (then every split is an equilibrium).

    >>> rubinstein_share(0.9, 0.9)   # 1 / (1 + δ) for equal patience
    0.5263157894736843
    """
    for name, d in (("delta_first", delta_first), ("delta_second", delta_second)):
        if not 0.0 <= d <= 1.0:
            raise EngineInputError(f"{name} must be a discount factor in [0, 1], got {d}")
    denominator = 1.0 - delta_first * delta_second
    if denominator <= 0.0:
        raise EngineInputError(
            "with both discount factors equal to 1 nobody loses by waiting and every split is an "
            "equilibrium; give at least one party a discount factor below 1"
        )
    return (1.0 - delta_second) / denominator


def rubinstein_outside_options(
    delta_first: float, delta_second: float, w_first: float = 0.0, w_second: float = 0.0
) -> tuple[float, float, str] | None:
    """Rubinstein's game with outside options (Binmore, Shaked & Sutton 1989).

    A party may opt out only when responding, for its outside option ``w`` (a share of the pie).
    The first proposer's share ``x`` and the second's share ``y`` when it proposes solve
    ``1 − x = max(δ2·y, w2)`` and ``1 − y = max(δ1·x, w1)`` (Osborne & Rubinstein 1990, §3.12).
    The solution is unique (the map contracts by δ1·δ2 < 1) and lies in one of four regimes,
    each in closed form: ``"none"`` (Rubinstein's split), ``"second"`` (``x = 1 − w2``,
    ``y = 1 − δ1·x``), ``"first"`` (``y = 1 − w1``, ``x = 1 − δ2·y``) and ``"both"``
    (``x = 1 − w2``, ``y = 1 − w1``). Returns ``(x, y, regime)``, or None when
    ``w1 + w2 ≥ 1``: then there is no bargaining surplus to share.

    >>> x, y, regime = rubinstein_outside_options(0.9, 0.9, 0.0, 0.6)
    >>> round(1 - x, 4), regime        # the second party gets its outside option
    (0.6, 'second')
    """
    for name, v in (
        ("delta_first", delta_first),
        ("delta_second", delta_second),
        ("w_first", w_first),
        ("w_second", w_second),
    ):
        if not 0.0 <= v <= 1.0:
            raise EngineInputError(f"{name} must lie in [0, 1], got {v}")
    if w_first + w_second >= 1.0:
        return None
    x0 = rubinstein_share(delta_first, delta_second)
    y0 = rubinstein_share(delta_second, delta_first)
    tol = 1e-12
    candidates = (
        ("none", x0, y0),
        ("second", 1.0 - w_second, 1.0 - delta_first * (1.0 - w_second)),
        ("first", 1.0 - delta_second * (1.0 - w_first), 1.0 - w_first),
        ("both", 1.0 - w_second, 1.0 - w_first),
    )
    for regime, x, y in candidates:
        second_binds = delta_second * y <= w_second + tol
        first_binds = delta_first * x <= w_first + tol
        ok = {
            "none": delta_second * y >= w_second - tol and delta_first * x >= w_first - tol,
            "second": second_binds and delta_first * x >= w_first - tol,
            "first": first_binds and delta_second * y >= w_second - tol,
            "both": first_binds and second_binds,
        }[regime]
        if ok:
            return x, y, regime
    raise AssertionError("no regime of the outside-option system holds")  # pragma: no cover
