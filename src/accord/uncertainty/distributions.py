"""Quantile functions (inverse CDFs) of the scenario distributions, vectorised over draws.

Every sampler (plain random, Latin hypercube, Sobol) produces points in the unit cube; a parameter's
value is its distribution's quantile function applied to its coordinate (the inverse-transform
method, Devroye 1986, §II.2). So the three samplers share one code path and a sweep's inputs are a
pure function of the unit-cube points.

Kinds (DESIGN.md §3, :class:`accord.scenario.base.Distribution`): normal ``[mean, sd]``, truncated
normal ``[mean, sd, lo, hi]``, uniform ``[lo, hi]``, triangular ``[lo, mode, hi]``, beta ``[a, b]``
on [0, 1] or ``[a, b, lo, hi]``, and choice (a discrete distribution on listed values).

Example::

    >>> import numpy as np
    >>> from accord.scenario.base import Distribution
    >>> d = Distribution(kind="triangular", args=(0.0, 0.5, 1.0))
    >>> ppf(d, np.array([0.125, 0.5])).round(3).tolist()
    [0.25, 0.5]
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from accord.scenario.base import DistKind, Distribution

UNIT_EPS = 1e-12
"""Unit-cube coordinates are clipped to [eps, 1 - eps] so that unbounded quantiles stay finite."""


def ppf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Quantile function of ``dist`` at the probabilities ``u`` (any shape), float64.

    The quantile of ``choice`` is the smallest listed value (in the order given) whose cumulative
    probability exceeds ``u``.
    """
    q = np.clip(np.asarray(u, dtype=np.float64), UNIT_EPS, 1.0 - UNIT_EPS)
    a = dist.args
    match dist.kind:
        case DistKind.normal:
            return np.asarray(stats.norm.ppf(q, loc=a[0], scale=a[1]), dtype=np.float64)
        case DistKind.truncnormal:
            mean, sd, lo, hi = a
            out = stats.truncnorm.ppf(q, (lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd)
            return np.clip(np.asarray(out, dtype=np.float64), lo, hi)
        case DistKind.uniform:
            return a[0] + q * (a[1] - a[0])
        case DistKind.triangular:
            lo, mode, hi = a
            c = (mode - lo) / (hi - lo)
            return np.asarray(stats.triang.ppf(q, c, loc=lo, scale=hi - lo), dtype=np.float64)
        case DistKind.beta:
            lo, hi = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
            out = stats.beta.ppf(q, a[0], a[1], loc=lo, scale=hi - lo)
            return np.asarray(out, dtype=np.float64)
        case DistKind.choice:
            values = np.asarray(a, dtype=np.float64)
            w = np.ones(len(a)) if dist.weights is None else np.asarray(dist.weights, dtype=float)
            cumulative = np.cumsum(w) / w.sum()
            index = np.searchsorted(cumulative, q, side="right")
            return values[np.minimum(index, len(a) - 1)]
    raise AssertionError(dist.kind)  # pragma: no cover


def quantile(dist: Distribution, probability: float) -> float:
    """One quantile of ``dist`` (for tornado tables and plausible ranges)."""
    return float(ppf(dist, np.array([probability]))[0])
