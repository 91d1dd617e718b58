"""The probability that a package is ratified when the ratifiers' thresholds are uncertain.

Model. Ratifier j approves package x when its threshold ``R_j`` (its reservation value, a
:class:`accord.scenario.base.Param`) is at most its utility ``u_j(x)``, so ``P(approve) =
F_j(u_j(x))`` with ``F_j`` the threshold's CDF (``scipy.stats``). With independent thresholds and
known utilities the approving votes are a weighted Poisson-binomial sum; :func:`pass_probability`
computes its tail exactly by dynamic programming over vote totals. Where a ratifier's weights or
values are uncertain too, its utility is random and the approvals are no longer a function of the
thresholds alone: :mod:`accord.domestic.analysis` then samples everything with a seed.

Iida (1993), "When and how do domestic constraints matter? Two-level games with uncertainty",
Journal of Conflict Resolution 37(3), pp. 403-426: a take-it-or-leave-it offer to a ratifier with
an uncertain threshold trades the proposer's gain against the risk of rejection;
:func:`take_it_or_leave_it` finds the offer that maximises the proposer's expected utility. With a
threshold uniform on [0, 1] over divide-the-dollar the offer is ½, it fails with probability ½,
and the proposer expects ¼.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from scipy import stats

from accord.domestic.winsets import ZONE_ATOL
from accord.errors import EngineInputError
from accord.scenario.base import DistKind, Distribution, Param


def frozen(dist: Distribution) -> Any:
    """The scipy.stats distribution of a scenario distribution (``choice`` is ``rv_discrete``)."""
    a = dist.args
    match dist.kind:
        case DistKind.normal:
            return stats.norm(loc=a[0], scale=a[1])
        case DistKind.truncnormal:
            return stats.truncnorm((a[2] - a[0]) / a[1], (a[3] - a[0]) / a[1], loc=a[0], scale=a[1])
        case DistKind.uniform:
            return stats.uniform(loc=a[0], scale=a[1] - a[0])
        case DistKind.triangular:
            return stats.triang((a[1] - a[0]) / (a[2] - a[0]), loc=a[0], scale=a[2] - a[0])
        case DistKind.beta:
            lo, hi = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
            return stats.beta(a[0], a[1], loc=lo, scale=hi - lo)
        case DistKind.choice:
            values = np.asarray(a, dtype=np.float64)
            w = np.ones(len(a)) if dist.weights is None else np.asarray(dist.weights, dtype=float)
            return _Choice(values, w / w.sum())
    raise AssertionError(dist.kind)  # pragma: no cover


class _Choice:
    """A finite distribution over arbitrary real values (scipy's rv_discrete wants integers)."""

    def __init__(self, values: np.ndarray, probs: np.ndarray) -> None:
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        self.cum = np.cumsum(probs[order])

    def cdf(self, x: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self.values, np.asarray(x, dtype=np.float64), side="right")
        return np.where(k > 0, self.cum[np.maximum(k - 1, 0)], 0.0)

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        u = random_state.random(size)
        k = np.searchsorted(self.cum, u * self.cum[-1], side="right")
        return self.values[np.minimum(k, len(self.values) - 1)]


def approval_probability(threshold: Param, utility: np.ndarray) -> np.ndarray:
    """``P(R ≤ u + ZONE_ATOL)`` for each utility: the chance a ratifier approves (exact CDF)."""
    u = np.asarray(utility, dtype=np.float64) + ZONE_ATOL
    if threshold.dist is None:
        return (u >= threshold.point).astype(np.float64)
    return np.clip(np.asarray(frozen(threshold.dist).cdf(u), dtype=np.float64), 0.0, 1.0)


def sample_param(param: Param, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of a parameter (its point value repeated when it is certain)."""
    if param.dist is None:
        return np.full(size, param.point)
    return np.asarray(frozen(param.dist).rvs(size=size, random_state=rng), dtype=np.float64)


def pass_probability(p_approve: np.ndarray, votes: np.ndarray, need: int) -> np.ndarray:
    """P(approving votes ≥ need) per package for independent ratifiers, exact.

    ``p_approve`` has shape (n, m); dynamic programming over vote totals 0 … Σ votes.
    """
    p = np.atleast_2d(np.asarray(p_approve, dtype=np.float64))
    v = np.asarray(votes, dtype=np.int64).reshape(-1)
    if p.shape[1] != v.shape[0]:
        raise EngineInputError(f"{p.shape[1]} approval probabilities for {v.shape[0]} ratifiers")
    total = int(v.sum())
    dist = np.zeros((p.shape[0], total + 1))
    dist[:, 0] = 1.0
    for j in range(v.shape[0]):
        shifted = np.zeros_like(dist)
        shifted[:, v[j] :] = dist[:, : total + 1 - v[j]]
        dist = dist * (1.0 - p[:, j : j + 1]) + shifted * p[:, j : j + 1]
    return np.clip(dist[:, need:].sum(axis=1), 0.0, 1.0)


def pass_probability_reference(p_approve: list[float], votes: list[int], need: int) -> float:
    """Scalar reference: sum over all 2^m approve/reject patterns."""
    total = 0.0
    for pattern in product((False, True), repeat=len(p_approve)):
        prob = 1.0
        for yes, p in zip(pattern, p_approve, strict=True):
            prob *= p if yes else 1.0 - p
        if sum(v for yes, v in zip(pattern, votes, strict=True) if yes) >= need:
            total += prob
    return total


def take_it_or_leave_it(
    proposer_utility: np.ndarray,
    ratifier_utility: np.ndarray,
    threshold: Param,
    proposer_disagreement: float = 0.0,
) -> tuple[int, float, float]:
    """Iida (1993): the package maximising ``P(accept)·u_P + (1 − P(accept))·d_P``.

    Returns (index, probability of rejection, expected utility); ties go to the lowest index.
    """
    up = np.asarray(proposer_utility, dtype=np.float64)
    p = approval_probability(threshold, ratifier_utility)
    expected = p * up + (1.0 - p) * proposer_disagreement
    best = float(expected.max())
    i = int(np.argmax(expected >= best - 1e-12 * max(1.0, abs(best))))
    return i, float(1.0 - p[i]), float(expected[i])
