"""Outside options in Rubinstein's alternating-offers game (Binmore, Shaked & Sutton 1989).

Model: Binmore, Shaked & Sutton (1989), "An outside option experiment", Quarterly Journal of
Economics 104(4), pp. 753-770; Osborne & Rubinstein (1990), *Bargaining and Markets*, §3.12
("the outside option principle"). Two parties split a pie of 1; A proposes first. A party may opt
out only when it is responding to an offer, and then gets its outside option ``w`` (A: ``w_A``,
B: ``w_B``). In the unique subgame-perfect equilibrium A's share when A proposes, ``x``, and B's
share when B proposes, ``y``, solve::

    1 − x = max(δ_B · y, w_B)        1 − y = max(δ_A · x, w_A)

The map is a contraction (slope at most δ_A·δ_B < 1), so the solution is unique; it lies in
exactly one of four regimes, each with a closed form:

* neither option binds (Rubinstein 1982): ``x = (1 − δ_B)/(1 − δ_A δ_B)``,
  ``y = (1 − δ_A)/(1 − δ_A δ_B)``;
* only B's binds: ``x = 1 − w_B``, ``y = 1 − δ_A (1 − w_B)``;
* only A's binds: ``y = 1 − w_A``, ``x = 1 − δ_B (1 − w_A)``;
* both bind: ``x = 1 − w_B``, ``y = 1 − w_A``.

A regime holds when its own inequalities do (for example "only B's binds" needs
``δ_B · y ≤ w_B`` and ``δ_A · x ≥ w_A``). With ``w_A = 0`` this is the outside option principle:
B gets ``max(1 − x_Rubinstein, w_B)``. With ``w_A + w_B ≥ 1`` there is no surplus to share: the
split is reported as such (``surplus`` false), not solved.

Example::

    >>> s = outside_option_split(0.9, 0.9, 0.0, 0.3)
    >>> round(1 - s.x, 4), s.regime
    (0.4737, 'none')
    >>> s = outside_option_split(0.9, 0.9, 0.0, 0.6)
    >>> round(1 - s.x, 4), s.regime
    (0.6, 'b')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from accord.errors import EngineInputError

REGIME_TOL = 1e-12


@dataclass(frozen=True)
class OutsideOptionSplit:
    """The BSS equilibrium: ``x`` (A's share as proposer), ``y`` (B's share as proposer)."""

    delta_a: float
    delta_b: float
    w_a: float
    w_b: float
    surplus: bool
    x: float | None
    y: float | None
    regime: str | None  # "none", "a", "b", "both"; None without surplus

    @property
    def binds_a(self) -> bool:
        return self.regime in ("a", "both")

    @property
    def binds_b(self) -> bool:
        return self.regime in ("b", "both")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "binds_a": self.binds_a, "binds_b": self.binds_b}


def _check(delta_a: float, delta_b: float, w_a: float, w_b: float) -> None:
    for name, v in (("delta_a", delta_a), ("delta_b", delta_b), ("w_a", w_a), ("w_b", w_b)):
        if not (math.isfinite(v) and 0.0 <= v <= 1.0):
            raise EngineInputError(f"{name} must lie in [0, 1], got {v}")
    if delta_a * delta_b >= 1.0:
        raise EngineInputError(
            "with both discount factors equal to 1 the equilibrium is not unique; give at least "
            "one party a discount factor below 1"
        )


def outside_option_split(
    delta_a: float, delta_b: float, w_a: float = 0.0, w_b: float = 0.0
) -> OutsideOptionSplit:
    """Solve the BSS system exactly (see the module docstring for the four regimes)."""
    _check(delta_a, delta_b, w_a, w_b)
    if w_a + w_b >= 1.0:
        return OutsideOptionSplit(delta_a, delta_b, w_a, w_b, False, None, None, None)
    d = 1.0 - delta_a * delta_b
    candidates = (
        ("none", (1.0 - delta_b) / d, (1.0 - delta_a) / d),
        ("b", 1.0 - w_b, 1.0 - delta_a * (1.0 - w_b)),
        ("a", 1.0 - delta_b * (1.0 - w_a), 1.0 - w_a),
        ("both", 1.0 - w_b, 1.0 - w_a),
    )
    tol = REGIME_TOL
    for regime, x, y in candidates:
        b_binds = delta_b * y <= w_b + tol
        a_binds = delta_a * x <= w_a + tol
        b_free = delta_b * y >= w_b - tol
        a_free = delta_a * x >= w_a - tol
        ok = {
            "none": a_free and b_free,
            "b": b_binds and a_free,
            "a": a_binds and b_free,
            "both": a_binds and b_binds,
        }[regime]
        if ok:
            # on a boundary two regimes give the same point; report an option as binding only
            # when it is strictly above what bargaining gives
            return OutsideOptionSplit(delta_a, delta_b, w_a, w_b, True, x, y, regime)
    raise AssertionError("no BSS regime holds")  # pragma: no cover - the system has a solution


def outside_option_split_reference(
    delta_a: float, delta_b: float, w_a: float = 0.0, w_b: float = 0.0, *, rounds: int = 100_000
) -> tuple[float, float]:
    """Scalar reference: iterate the contraction ``x ← 1 − max(δ_B (1 − max(δ_A x, w_A)), w_B)``."""
    _check(delta_a, delta_b, w_a, w_b)
    x = 0.5
    for _ in range(rounds):
        y = 1.0 - max(delta_a * x, w_a)
        new = 1.0 - max(delta_b * y, w_b)
        if abs(new - x) < 1e-15:
            x = new
            break
        x = new
    return x, 1.0 - max(delta_a * x, w_a)
