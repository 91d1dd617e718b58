"""Samplers of the unit cube and the sample matrix of a sweep, generated batch by batch.

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

Batch by batch (:class:`SampleStream`): a sweep never builds its whole (N, d) matrix; it asks for
rows ``start .. stop`` of it, so memory is O(batch) even at N = 10^8. The rows are the same as
those of the whole matrix:

* ``random`` skips ``start * d`` draws of the PCG64 stream (``advance``; one 64-bit draw per
  double), so any slice equals the slice of ``rng.random((N, d))``;
* ``sobol`` is a sequence: a slice is the engine fast-forwarded by ``start`` points
  (``Sobol.fast_forward``), equal to the slice of ``Sobol.random(N)``;
* ``lhs`` is inherently global (each column is one permutation of N strata), so it is drawn in
  blocks of :data:`LHS_BLOCK` samples, each block a Latin hypercube of its own: block 0 from the
  matrix stream above, block ``k >= 1`` from ``SeedSequence(seed, spawn_key=(0, k))``. Up to
  ``LHS_BLOCK`` samples this is exactly the one Latin hypercube of all N samples (what Accord drew
  before batch-wise generation); beyond it, every block of ``LHS_BLOCK`` consecutive samples is
  stratified. The blocks do not depend on the batch size. A block is built once and kept while
  consecutive batches fall into it.

Example::

    >>> unit_samples("lhs", 4, 2, seed=1).shape
    (4, 2)
    >>> s = SampleStream("sobol", 8, 2, seed=1)
    >>> bool((s.unit_rows(3, 8) == unit_samples("sobol", 8, 2, seed=1)[3:]).all())
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import qmc

from accord.errors import AccordError
from accord.uncertainty.distributions import ppf
from accord.uncertainty.parameters import UncertainParam

SAMPLERS = ("random", "lhs", "sobol")

MATRIX_STREAM = 0
SAMPLE_STREAM = 1

LHS_BLOCK = 65_536
"""Samples per Latin-hypercube block (module docstring): memory O(LHS_BLOCK * d)."""


def matrix_seed(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(MATRIX_STREAM,))


def lhs_block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The stream of Latin-hypercube block ``block`` (block 0 is the matrix stream)."""
    if block == 0:
        return matrix_seed(seed)
    return np.random.SeedSequence(seed, spawn_key=(MATRIX_STREAM, block))


def sample_seed(seed: int, sample: int) -> np.random.SeedSequence:
    """The stream of sample ``sample`` of a sweep with ``seed`` (independent of the executor)."""
    return np.random.SeedSequence(seed, spawn_key=(SAMPLE_STREAM, sample))


def check_seed(seed: int) -> int:
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise AccordError(f"the seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


class SampleStream:
    """Rows ``start .. stop`` of the (n, d) unit-cube design of ``sampler`` (module docstring).

    Consecutive calls in increasing order are cheapest (the Sobol' engine and the current
    Latin-hypercube block are kept); any order gives the same rows.
    """

    def __init__(self, sampler: str, n: int, d: int, seed: int) -> None:
        if sampler not in SAMPLERS:
            raise AccordError(f"unknown sampler '{sampler}'; use one of: {', '.join(SAMPLERS)}")
        if n < 1 or d < 1:
            raise AccordError(f"need at least one sample and one parameter, got n={n}, d={d}")
        self.sampler, self.n, self.d, self.seed = sampler, int(n), int(d), check_seed(seed)
        self.lhs_block = int(LHS_BLOCK)
        self._rng: tuple[int, np.random.Generator] | None = None
        self._sobol: Any = None
        self._block: tuple[int, np.ndarray] | None = None

    def unit_rows(self, start: int, stop: int) -> np.ndarray:
        if not 0 <= start <= stop <= self.n:
            raise ValueError(f"rows {start}..{stop} are outside 0..{self.n}")
        if self.sampler == "random":
            return self._random_rows(start, stop)
        if self.sampler == "sobol":
            return self._sobol_rows(start, stop)
        return self._lhs_rows(start, stop)

    def _random_rows(self, start: int, stop: int) -> np.ndarray:
        if self._rng is None or self._rng[0] > start:
            self._rng = (0, np.random.Generator(np.random.PCG64(matrix_seed(self.seed))))
        pos, rng = self._rng
        if start > pos:
            # One 64-bit draw per double: skipping (start - pos) * d draws lands on row ``start``.
            rng.bit_generator.advance((start - pos) * self.d)  # type: ignore[attr-defined]
        out = rng.random((stop - start, self.d))
        self._rng = (stop, rng)
        return out

    def _sobol_rows(self, start: int, stop: int) -> np.ndarray:
        with warnings.catch_warnings():
            # A sample size that is not a power of 2 loses some balance; that is the user's choice.
            warnings.simplefilter("ignore", UserWarning)
            if self._sobol is None or self._sobol.num_generated > start:
                rng = np.random.default_rng(matrix_seed(self.seed))
                self._sobol = qmc.Sobol(d=self.d, scramble=True, seed=rng)
            skip = start - int(self._sobol.num_generated)
            if skip > 0:
                self._sobol.fast_forward(skip)
            out: np.ndarray = self._sobol.random(stop - start)
            return out

    def _lhs_rows(self, start: int, stop: int) -> np.ndarray:
        size = self.lhs_block
        pieces = []
        pos = start
        while pos < stop:
            k = pos // size
            block = self._lhs_block(k)
            end = min(stop, (k + 1) * size)
            pieces.append(block[pos - k * size : end - k * size])
            pos = end
        if not pieces:
            return np.empty((0, self.d))
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def _lhs_block(self, k: int) -> np.ndarray:
        if self._block is None or self._block[0] != k:
            size = min(self.lhs_block, self.n - k * self.lhs_block)
            rng = np.random.default_rng(lhs_block_seed(self.seed, k))
            self._block = (k, qmc.LatinHypercube(d=self.d, seed=rng).random(size))
        return self._block[1]


def unit_samples(sampler: str, n: int, d: int, seed: int) -> np.ndarray:
    """``n`` points of the unit cube ``[0, 1)^d`` from ``sampler`` (shape (n, d))."""
    return SampleStream(sampler, n, d, seed).unit_rows(0, n)


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


def sample_rows(
    params: Sequence[UncertainParam], stream: SampleStream, start: int, stop: int
) -> np.ndarray:
    """Rows ``start .. stop`` of :func:`sample_matrix` without building the others."""
    return to_values(params, stream.unit_rows(start, stop))
