"""Samplers of the unit cube and the sample matrix of a sweep.

Three designs share one path (inverse transform, :mod:`accord.uncertainty.distributions`):

* ``random``: independent uniforms from a :class:`numpy.random.Generator` (PCG64);
* ``lhs``: Latin hypercube (McKay, Beckman & Conover 1979), :class:`scipy.stats.qmc.LatinHypercube`;
* ``sobol``: scrambled Sobol' points (Owen scrambling) via :class:`scipy.stats.qmc.Sobol`.

Reproducibility (DESIGN.md §4): the sample matrix is a pure function of (seed, sampler, N, the
parameters' distributions): it is drawn from the stream ``SeedSequence(seed, spawn_key=(0,))``.
Sample ``i`` of a sweep gets its own stream ``SeedSequence(seed, spawn_key=(1, i))`` for engines
that draw random numbers themselves (a simulation's stochastic strategies). These are the children
``SeedSequence(seed).spawn(2)[1].spawn(n)[i]`` but need no spawning history, so any worker can
rebuild any sample's stream, and results do not depend on batch size, executor or worker count.

Example::

    >>> unit_samples("lhs", 4, 2, seed=1).shape
    (4, 2)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy.stats import qmc

from accord.errors import AccordError
from accord.uncertainty.distributions import ppf
from accord.uncertainty.parameters import UncertainParam

SAMPLERS = ("random", "lhs", "sobol")

MATRIX_STREAM = 0
SAMPLE_STREAM = 1


def matrix_seed(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(MATRIX_STREAM,))


def sample_seed(seed: int, sample: int) -> np.random.SeedSequence:
    """The stream of sample ``sample`` of a sweep with ``seed`` (independent of the executor)."""
    return np.random.SeedSequence(seed, spawn_key=(SAMPLE_STREAM, sample))


def check_seed(seed: int) -> int:
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise AccordError(f"the seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


def unit_samples(sampler: str, n: int, d: int, seed: int) -> np.ndarray:
    """``n`` points of the unit cube ``[0, 1)^d`` from ``sampler`` (shape (n, d))."""
    if sampler not in SAMPLERS:
        raise AccordError(f"unknown sampler '{sampler}'; use one of: {', '.join(SAMPLERS)}")
    if n < 1 or d < 1:
        raise AccordError(f"need at least one sample and one parameter, got n={n}, d={d}")
    rng = np.random.default_rng(matrix_seed(check_seed(seed)))
    if sampler == "random":
        return rng.random((n, d))
    if sampler == "lhs":
        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    engine = qmc.Sobol(d=d, scramble=True, seed=rng)
    with warnings.catch_warnings():
        # A sample size that is not a power of 2 loses some balance; that is the user's choice.
        warnings.simplefilter("ignore", UserWarning)
        return engine.random(n)


def to_values(params: Sequence[UncertainParam], unit: np.ndarray) -> np.ndarray:
    """Map unit-cube points (n, d) to parameter values (n, d) through each quantile function."""
    out = np.empty_like(unit, dtype=np.float64)
    for j, p in enumerate(params):
        if p.dist is None:
            out[:, j] = p.point
        else:
            out[:, j] = ppf(p.dist, unit[:, j])
    return out


def sample_matrix(
    params: Sequence[UncertainParam], n: int, seed: int, sampler: str = "lhs"
) -> np.ndarray:
    """The (n, d) parameter values of a sweep: a pure function of its arguments."""
    return to_values(params, unit_samples(sampler, n, len(params), seed))
