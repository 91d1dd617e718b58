"""Rubinstein's (1982) stationary subgame-perfect offers on a finite outcome set.

*Perfect equilibrium in a bargaining model*: two parties alternate offers and discount by δ_i per
round. On a finite outcome space the stationarity conditions v_i = max{u_i : u_j ≥ max(δ_j v_j,
r_j)} are iterated to their fixed point; a walk-away value r_j binds only when it exceeds the
discounted continuation value (the outside option principle, Osborne & Rubinstein 1990,
*Bargaining and Markets*, §3.12). The ``rubinstein`` strategy (:mod:`.strategies`) plays these
offers on its beliefs about the other side.

Example::

    >>> import numpy as np
    >>> x = np.linspace(0, 1, 1001)
    >>> v0, v1 = stationary_values(np.stack([x, 1 - x], axis=1), np.array([0.9, 0.9]))
    >>> round(v0, 2)  # (1 − δ)/(1 − δ²) = 1/1.9
    0.53
"""

from __future__ import annotations

import numpy as np

from accord.errors import EngineInputError


def _floor(values: np.ndarray, level: float, floor: float) -> float:
    """max(level, floor), lowered to the largest of ``values`` when no outcome reaches it."""
    return min(max(level, floor), float(values.max()))


def stationary_values(
    utilities: np.ndarray,
    discount: np.ndarray,
    reservation: np.ndarray | None = None,
    max_iterations: int = 100_000,
) -> tuple[float, float]:
    """Rubinstein's stationary continuation values (v_0, v_1) on a finite outcome set.

    Iterates v_0 ← max{u_0 : u_1 ≥ max(δ_1 v_1, r_1)} with v_1 = max{u_1 : u_0 ≥ max(δ_0 v_0,
    r_0)}, starting from the ideal points; ``reservation`` (r_0, r_1) defaults to no floor. The
    composite map is monotone, so the values fall to the largest fixed point in finitely many
    steps on a finite set. For a divisible pie without walk-away values it gives
    v_0 = (1 − δ_1)/(1 − δ_0 δ_1); a walk-away value binds only when it exceeds the discounted
    continuation value (Osborne & Rubinstein 1990, §3.12). A floor that no outcome reaches is
    lowered to the best the outcome set offers (a zone of agreement the party cannot see).
    """
    u0, u1 = utilities[:, 0], utilities[:, 1]
    d0, d1 = float(discount[0]), float(discount[1])
    r0, r1 = (-np.inf, -np.inf) if reservation is None else map(float, reservation)
    v0 = float(u0.max())
    v1 = float(u1[u0 >= _floor(u0, d0 * v0, r0)].max())
    for _ in range(max_iterations):
        new_v0 = float(u0[u1 >= _floor(u1, d1 * v1, r1)].max())
        new_v1 = float(u1[u0 >= _floor(u0, d0 * new_v0, r0)].max())
        if new_v0 == v0 and new_v1 == v1:
            break
        v0, v1 = new_v0, new_v1
    return v0, v1


def rubinstein_offer(
    utilities: np.ndarray,
    discount: np.ndarray,
    index: int,
    reservation: np.ndarray | None = None,
) -> int:
    """The outcome party ``index`` offers: its best that leaves the other max(δ_j·v_j, r_j).

    ``utilities`` (n, 2) and ``reservation`` (2,) are as party ``index`` believes them.
    """
    if utilities.shape[1] != 2:
        raise EngineInputError("the 'rubinstein' strategy needs exactly two parties")
    values = stationary_values(utilities, discount, reservation)
    other = 1 - index
    floor = -np.inf if reservation is None else float(reservation[other])
    threshold = _floor(utilities[:, other], float(discount[other]) * values[other], floor)
    own = utilities[:, index]
    # Leave the other at least its continuation value; the lowest score wins nothing here.
    score = np.where(utilities[:, other] >= threshold, own, -np.inf)
    best = score.max()
    return int(np.flatnonzero(score == best)[0])


def believed_rubinstein_offer(
    own: np.ndarray,
    believed_other: np.ndarray,
    discount: np.ndarray,
    index: int,
    believed_reservation: np.ndarray,
) -> int:
    """Party ``index``'s Rubinstein offer on its beliefs: own utilities, the other's believed."""
    if discount.shape[0] != 2:
        raise EngineInputError("the 'rubinstein' strategy needs exactly two parties")
    believed = np.empty((own.shape[0], 2))
    believed[:, index] = own
    believed[:, 1 - index] = believed_other
    return rubinstein_offer(believed, discount, index, believed_reservation)
