"""Beliefs about a bottom line: exact CDFs (SciPy), truncation by Bayes' rule, and a type grid.

A :class:`Belief` is a distribution of the scenario format (``accord.scenario.base.Distribution``)
over a party's reservation value, possibly shrunk around its mean (working-level talks, issue 12)
and truncated from below (the posterior after a rejection). Rejecting a package worth ``u`` to the
responder tells the proposer that the responder's reservation value exceeds ``u``; by Bayes' rule
the posterior is the prior truncated to ``(u, hi]`` (Fudenberg & Tirole 1983, §2).

Continuous kinds use their exact CDF (``scipy.stats``: uniform, triang, truncnorm, beta). A
``choice`` distribution is discrete already and keeps its own points. The *type grid* used by
screening has ``n`` equal cells over the support, one type at each cell's midpoint, with the exact
probability mass of the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats

from accord.errors import EngineInputError
from accord.scenario.base import DistKind, Param

_GAUSS = np.polynomial.legendre.leggauss(128)


@dataclass(frozen=True)
class Belief:
    """A distribution over a reservation value, truncated to ``[lo, hi]``.

    Continuous: ``frozen`` is a SciPy frozen distribution. Discrete: ``points`` and ``weights``
    (``frozen`` is None); a point mass is a discrete belief with one point.
    """

    lo: float
    hi: float
    frozen: Any = None
    points: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_param(cls, p: Param) -> Belief:
        """The belief a scenario ``Param`` describes (a point value is a point mass)."""
        if p.dist is None:
            return cls.point_mass(p.point)
        d = p.dist
        a = d.args
        match d.kind:
            case DistKind.uniform:
                return cls(a[0], a[1], stats.uniform(loc=a[0], scale=a[1] - a[0]))
            case DistKind.triangular:
                scale = a[2] - a[0]
                return cls(a[0], a[2], stats.triang((a[1] - a[0]) / scale, loc=a[0], scale=scale))
            case DistKind.truncnormal:
                m, sd, lo, hi = a
                return cls(lo, hi, stats.truncnorm((lo - m) / sd, (hi - m) / sd, loc=m, scale=sd))
            case DistKind.beta:
                lo, hi = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
                return cls(lo, hi, stats.beta(a[0], a[1], loc=lo, scale=hi - lo))
            case DistKind.choice:
                w = d.weights if d.weights is not None else (1.0,) * len(a)
                total = float(sum(w))
                pts = np.array(a, dtype=np.float64)
                order = np.argsort(pts, kind="stable")
                return cls(
                    float(pts.min()),
                    float(pts.max()),
                    None,
                    tuple(float(pts[i]) for i in order),
                    tuple(float(w[i]) / total for i in order),
                )
            case DistKind.normal:
                raise EngineInputError(
                    "a belief about a reservation value cannot be a normal distribution (it "
                    "reaches outside [0, 1]); use truncnormal: [mean, sd, 0, 1] or beta"
                )
        raise AssertionError(d.kind)  # pragma: no cover

    @classmethod
    def point_mass(cls, x: float) -> Belief:
        return cls(float(x), float(x), None, (float(x),), (1.0,))

    @property
    def discrete(self) -> bool:
        return self.frozen is None

    # --- probabilities ------------------------------------------------------------------
    def _base_cdf(self, x: np.ndarray) -> np.ndarray:
        if self.frozen is not None:
            return np.asarray(self.frozen.cdf(x), dtype=np.float64)
        pts = np.asarray(self.points)
        cw = np.concatenate([[0.0], np.cumsum(self.weights)])
        return cw[np.searchsorted(pts, x, side="right")]

    def _base_mass(self) -> tuple[float, float]:
        """Base CDF just below ``lo`` (excluded part) and at ``hi``."""
        if self.frozen is not None:
            return float(self.frozen.cdf(self.lo)), float(self.frozen.cdf(self.hi))
        pts = np.asarray(self.points)
        cw = np.concatenate([[0.0], np.cumsum(self.weights)])
        below = cw[np.searchsorted(pts, self.lo, side="left")]
        return float(below), float(cw[np.searchsorted(pts, self.hi, side="right")])

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        """P(reservation ≤ x) under this belief (vectorised)."""
        xs = np.asarray(x, dtype=np.float64)
        f_lo, f_hi = self._base_mass()
        total = f_hi - f_lo
        if total <= 0:
            return np.where(xs >= self.lo, 1.0, 0.0)
        out = (self._base_cdf(np.clip(xs, self.lo, self.hi)) - f_lo) / total
        out = np.where(xs < self.lo, 0.0, np.where(xs >= self.hi, 1.0, out))
        return np.clip(out, 0.0, 1.0)

    def grid(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Types, their probabilities, and the edges between consecutive types.

        Continuous: ``n`` equal cells on ``[lo, hi]``, a type at each midpoint with the exact
        mass of its cell. Discrete: its own points (``n`` ignored). ``edges[k]`` (k = 1..K-1) is
        the boundary between type k-1 and type k; ``edges[0] = lo`` and ``edges[K] = hi``.
        """
        if self.discrete or self.hi - self.lo <= 0:
            pts = np.asarray(self.points)
            keep = (pts >= self.lo) & (pts <= self.hi)
            types = pts[keep] if keep.any() else np.array([self.lo])
            w = np.asarray(self.weights)[keep] if keep.any() else np.array([1.0])
            mids = (types[1:] + types[:-1]) / 2
            return types, w / w.sum(), np.concatenate([[self.lo], mids, [self.hi]])
        edges = np.linspace(self.lo, self.hi, n + 1)
        c = self.cdf(edges)
        c[0], c[-1] = 0.0, 1.0
        mass = np.diff(c)
        return (edges[1:] + edges[:-1]) / 2, mass / mass.sum(), edges

    @property
    def mean(self) -> float:
        if self.hi - self.lo < 1e-9:
            return (self.lo + self.hi) / 2
        if self.frozen is not None:
            # E[r] = hi − ∫_lo^hi F(r) dr for the truncated CDF F (integration by parts), with
            # 128-node Gauss–Legendre quadrature: exact for a uniform, within 1e-6 for the others.
            x, wts = _GAUSS
            half = (self.hi - self.lo) / 2
            nodes = self.lo + half * (x + 1.0)
            return float(self.hi - half * np.dot(wts, self.cdf(nodes)))
        types, w, _ = self.grid(2)
        return float(np.dot(types, w))

    # --- updates ------------------------------------------------------------------------
    def truncate_below(self, x: float) -> Belief:
        """The posterior after a rejection that shows the reservation value exceeds ``x``."""
        if x >= self.hi - 1e-12:
            return replace(self, lo=self.hi)
        return replace(self, lo=max(self.lo, float(x)))

    def shrink(self, share: float, center: float | None = None) -> Belief:
        """The belief with its spread around ``center`` (default its mean) scaled by ``share``.

        ``r ↦ c + share·(r − c)``: what working-level talks leave of the uncertainty (issue 12);
        ``share = 0`` is a point mass at ``c``.
        """
        c = self.mean if center is None else float(center)
        if share <= 0:
            return Belief.point_mass(c)
        if share >= 1:
            return self

        def f(v: float) -> float:
            return c + share * (v - c)

        if self.frozen is None:
            return Belief(
                f(self.lo), f(self.hi), None, tuple(f(v) for v in self.points), self.weights
            )
        args, kwds = self.frozen.args, dict(self.frozen.kwds)
        loc, scale = kwds.pop("loc", 0.0), kwds.pop("scale", 1.0)
        frozen = self.frozen.dist(*args, loc=f(loc), scale=share * scale, **kwds)
        return Belief(f(self.lo), f(self.hi), frozen)

    def describe(self) -> dict[str, float]:
        """Support and mean (JSON-able)."""
        return {"lo": self.lo, "hi": self.hi, "mean": self.mean}
