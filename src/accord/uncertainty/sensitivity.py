"""Sensitivity of an output to each uncertain parameter: tornado table and Sobol' indices.

**Tornado** (one at a time): each parameter in turn is set to its low and high quantile
(5% and 95% by default), the others stay at their point values, and the output is recorded; rows
are sorted by swing ``|f(high) - f(low)|``. Cheap (2d + 1 evaluations) but blind to interactions.

**Sobol' indices** (variance-based, Saltelli et al. 2010, "Variance based sensitivity analysis of
model output", Comput. Phys. Commun. 181, §3-4 and Table 2). With two independent N×d sample
matrices A and B and ``A_B^(i)`` = A with column i taken from B:

* first order ``S_i = mean(f(B) (f(A_B^(i)) - f(A))) / V`` (Saltelli 2010, Table 2 row (b));
* total ``S_Ti = mean((f(A) - f(A_B^(i)))^2) / (2V)`` (Jansen 1999; Table 2 row (f));
* ``V`` the variance of f over the rows of A and B together.

Cost: N(d + 2) evaluations. A and B are the two halves of a 2d-dimensional scrambled Sobol'
sequence, mapped through each parameter's quantile function. The standard errors reported are
the CLT errors of the two means (conservative for quasi-random points).

Example (Ishigami, whose indices are known in closed form)::

    >>> import numpy as np
    >>> r = sobol_indices(ishigami, [(-np.pi, np.pi)] * 3, n=4096, seed=0)
    >>> [round(abs(s), 1) for s in r.first]
    [0.3, 0.4, 0.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from accord.scenario.base import Distribution
from accord.uncertainty.distributions import ppf, quantile
from accord.uncertainty.parameters import HIGH_QUANTILE, LOW_QUANTILE, UncertainParam
from accord.uncertainty.samplers import check_seed, matrix_seed

Model = Callable[[np.ndarray], np.ndarray]
"""A vectorised model: (n, d) input values -> (n,) outputs."""


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami & Homma (1990) test function ``sin x1 + a sin^2 x2 + b x3^4 sin x1``."""
    x = np.atleast_2d(x)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total indices of :func:`ishigami` on ``U(-pi, pi)^3``.

    Variances (Sobol' & Levitan 1999; Saltelli et al. 2008, §2.8): ``V1 = (1 + b pi^4 / 5)^2 / 2``,
    ``V2 = a^2 / 8``, ``V3 = 0``, ``V13 = 8 b^2 pi^8 / 225``, ``V = V1 + V2 + V13``.
    """
    pi4 = np.pi**4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * np.pi**8 / 225
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


@dataclass(frozen=True)
class SobolResult:
    """First-order and total indices with their standard errors, per parameter."""

    names: tuple[str, ...]
    first: tuple[float, ...]
    total: tuple[float, ...]
    first_se: tuple[float, ...]
    total_se: tuple[float, ...]
    variance: float
    n: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "Saltelli 2010 (first order), Jansen 1999 (total)",
            "n": self.n,
            "evaluations": self.n * (len(self.names) + 2),
            "seed": self.seed,
            "variance": self.variance,
            "indices": [
                {"parameter": n, "first": f, "first_se": fs, "total": t, "total_se": ts}
                for n, f, fs, t, ts in zip(
                    self.names, self.first, self.first_se, self.total, self.total_se, strict=True
                )
            ],
        }


Marginal = Distribution | tuple[float, float]


def _to_values(marginals: Sequence[Marginal], unit: np.ndarray) -> np.ndarray:
    out = np.empty_like(unit)
    for j, m in enumerate(marginals):
        if isinstance(m, Distribution):
            out[:, j] = ppf(m, unit[:, j])
        else:
            out[:, j] = m[0] + unit[:, j] * (m[1] - m[0])
    return out


def sobol_indices(
    model: Model,
    marginals: Sequence[Marginal],
    *,
    n: int = 4096,
    seed: int = 0,
    names: Sequence[str] | None = None,
) -> SobolResult:
    """Sobol' first-order and total indices of ``model`` (see the module docstring).

    ``marginals``: per input a Distribution or a (low, high) uniform range.
    """
    d = len(marginals)
    if d < 1 or n < 2:
        raise ValueError("need at least one input and n >= 2")
    sobol = qmc.Sobol(d=2 * d, scramble=True, seed=np.random.default_rng(matrix_seed(seed)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # n need not be a power of 2
        unit = sobol.random(n)
    a = _to_values(marginals, unit[:, :d])
    b = _to_values(marginals, unit[:, d:])
    # One call over every design matrix: the model's own vectorisation does the work.
    ab = np.repeat(a[None], d, axis=0)
    for i in range(d):
        ab[i, :, i] = b[:, i]
    f = np.asarray(model(np.concatenate([a, b, ab.reshape(d * n, d)])), dtype=np.float64)
    fa, fb, fab = f[:n], f[n : 2 * n], f[2 * n :].reshape(d, n)
    var = float(np.var(np.concatenate([fa, fb])))
    if var <= 0:
        zeros = (0.0,) * d
        return SobolResult(tuple(names or map(str, range(d))), zeros, zeros, zeros, zeros, 0.0, n,
                           seed)  # fmt: skip
    first_terms = fb[None] * (fab - fa[None])
    total_terms = 0.5 * (fa[None] - fab) ** 2
    return SobolResult(
        names=tuple(names or [f"x{i + 1}" for i in range(d)]),
        first=tuple(float(x) for x in first_terms.mean(axis=1) / var),
        total=tuple(float(x) for x in total_terms.mean(axis=1) / var),
        first_se=tuple(float(x) for x in first_terms.std(axis=1) / np.sqrt(n) / var),
        total_se=tuple(float(x) for x in total_terms.std(axis=1) / np.sqrt(n) / var),
        variance=var,
        n=n,
        seed=check_seed(seed),
    )


@dataclass(frozen=True)
class TornadoRow:
    parameter: str
    label: str
    low_value: float
    high_value: float
    output_low: float
    output_high: float

    @property
    def swing(self) -> float:
        return abs(self.output_high - self.output_low)


@dataclass(frozen=True)
class Tornado:
    """One-at-a-time effects on ``output`` (rows sorted by swing, largest first)."""

    output: str
    baseline: float
    quantiles: tuple[float, float]
    rows: tuple[TornadoRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "baseline": self.baseline,
            "quantiles": list(self.quantiles),
            "rows": [{**r.__dict__, "swing": r.swing} for r in self.rows],
        }


def tornado(
    evaluate: Callable[[np.ndarray], dict[str, np.ndarray]],
    params: Sequence[UncertainParam],
    output: str,
    *,
    low_q: float = LOW_QUANTILE,
    high_q: float = HIGH_QUANTILE,
) -> Tornado:
    """Tornado table of ``output``; ``evaluate`` maps (n, d) parameter values to output arrays."""
    point = np.array([p.point for p in params], dtype=np.float64)
    d = len(params)
    lows = [quantile(p.dist, low_q) if p.dist is not None else p.low for p in params]
    highs = [quantile(p.dist, high_q) if p.dist is not None else p.high for p in params]
    rows = np.repeat(point[None], 2 * d + 1, axis=0)
    for i in range(d):
        rows[1 + 2 * i, i] = lows[i]
        rows[2 + 2 * i, i] = highs[i]
    out = evaluate(rows)
    if output not in out:
        raise KeyError(f"the engine has no output '{output}'; it has: {', '.join(out)}")
    y = out[output]
    table = [
        TornadoRow(p.name, p.label, lows[i], highs[i], float(y[1 + 2 * i]), float(y[2 + 2 * i]))
        for i, p in enumerate(params)
    ]
    table.sort(key=lambda r: (-r.swing, r.parameter))
    return Tornado(output, float(y[0]), (low_q, high_q), tuple(table))
