"""The two static benchmarks: the compromise (weighted mean) and the weighted median voter.

Both weigh actor ``k`` by ``w_k = c_k s_k`` (capability × salience), as Bueno de Mesquita (1994,
p. 78) and Scholz, Calbert & Smith (2011, §7) do when they report the group's "mean" position.

* The *compromise* forecast is the weighted mean ``Σ w_k x_k / Σ w_k``: the point that minimises
  the weighted sum of squared distances to the actors' positions.
* The *median voter* forecast is the weighted median: the point that minimises the weighted sum of
  absolute distances (Black 1948), which with single-peaked linear losses beats every other
  position in a weighted pairwise vote. When the weight splits exactly in half between two
  positions every point between them is a median; we report their midpoint, so that reversing
  the scale reverses the forecast.

Example:
    >>> import numpy as np
    >>> weighted_mean(np.array([0.0, 10.0]), np.array([1.0, 3.0]))
    7.5
    >>> weighted_median(np.array([0.0, 4.0, 10.0]), np.array([1.0, 1.0, 1.5]))
    4.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def weighted_mean(x: FloatArray, weight: FloatArray) -> float:
    """``Σ w x / Σ w``; the last axis holds the actors."""
    total = float(weight.sum())
    if total <= 0:
        raise ValueError("the weights (capability × salience) must not all be zero")
    return float((weight * x).sum() / total)


def batch_weighted_mean(x: FloatArray, weight: FloatArray) -> FloatArray:
    """Weighted mean of each row of a (B, n) batch."""
    return np.asarray((weight * x).sum(axis=-1) / weight.sum(axis=-1), dtype=np.float64)


def weighted_median(x: FloatArray, weight: FloatArray) -> float:
    """Weighted median position (midpoint of the two medians on an exact half split)."""
    total = float(weight.sum())
    if total <= 0:
        raise ValueError("the weights (capability × salience) must not all be zero")
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], weight[order]
    half = 0.5 * total
    # A relative tolerance so that weights summing to exactly half in exact arithmetic count as a
    # tie despite rounding.
    tol = 1e-12 * total
    below = np.cumsum(ws)
    above = np.cumsum(ws[::-1])[::-1]
    lower = xs[np.argmax(below >= half - tol)]
    upper = xs[len(xs) - 1 - np.argmax((above >= half - tol)[::-1])]
    return float(0.5 * (lower + upper))
