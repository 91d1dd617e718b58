"""Quantile functions and samplers against closed forms and sampling theory."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from accord.errors import AccordError
from accord.scenario.base import Distribution
from accord.uncertainty.distributions import ppf
from accord.uncertainty.samplers import sample_matrix, unit_samples


def _d(kind: str, *args: float, weights: tuple[float, ...] | None = None) -> Distribution:
    return Distribution(kind=kind, args=args, weights=weights)


def test_triangular_quantile_matches_closed_form() -> None:
    # F^-1(u) = a + sqrt(u (b-a)(c-a)) for u <= (c-a)/(b-a)  (lo a, mode c, hi b).
    lo, mode, hi = 0.2, 0.5, 1.0
    u = np.linspace(0.01, 0.99, 50)
    fc = (mode - lo) / (hi - lo)
    expected = np.where(
        u <= fc,
        lo + np.sqrt(u * (hi - lo) * (mode - lo)),
        hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode)),
    )
    np.testing.assert_allclose(ppf(_d("triangular", lo, mode, hi), u), expected, rtol=1e-12)


def test_normal_uniform_beta_quantiles() -> None:
    u = np.array([0.025, 0.5, 0.975])
    np.testing.assert_allclose(ppf(_d("normal", 1.0, 2.0), u), [1 - 3.919928, 1, 1 + 3.919928],
                               atol=1e-6)  # fmt: skip
    np.testing.assert_allclose(ppf(_d("uniform", 2.0, 4.0), u), [2.05, 3.0, 3.95])
    # Beta(1, 1) on [lo, hi] is uniform; Beta(2, 1) has F(x) = x^2, so F^-1(u) = sqrt(u).
    np.testing.assert_allclose(ppf(_d("beta", 1, 1, 2, 4), u), [2.05, 3.0, 3.95])
    np.testing.assert_allclose(ppf(_d("beta", 2, 1), u), np.sqrt(u), rtol=1e-10)


def test_truncnormal_stays_in_bounds_and_has_known_median() -> None:
    d = _d("truncnormal", 0.5, 0.2, 0.5, 1.0)  # half-normal above the mean
    x = ppf(d, np.linspace(0, 1, 101))
    assert x.min() >= 0.5 and x.max() <= 1.0
    # Median of a normal truncated at its mean: mean + sd * Phi^-1(0.75), if far from hi.
    assert ppf(d, np.array([0.5]))[0] == pytest.approx(0.5 + 0.2 * stats.norm.ppf(0.75), abs=2e-3)


def test_choice_frequencies_follow_weights() -> None:
    d = _d("choice", 1.0, 2.0, 3.0, weights=(0.2, 0.5, 0.3))
    x = ppf(d, unit_samples("lhs", 10_000, 1, seed=3)[:, 0])
    freq = [np.mean(x == v) for v in (1.0, 2.0, 3.0)]
    # LHS strata make the frequencies exact up to one stratum per boundary.
    np.testing.assert_allclose(freq, [0.2, 0.5, 0.3], atol=2e-4)


def test_lhs_has_one_point_per_stratum() -> None:
    n = 200
    u = unit_samples("lhs", n, 3, seed=11)
    for j in range(3):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))


@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_sample_means_converge_to_the_distribution_mean(sampler: str) -> None:
    from accord.uncertainty.parameters import UncertainParam

    dist = _d("triangular", 0.4, 0.5, 0.9)  # mean (a + b + c) / 3
    p = UncertainParam(("x",), "x", 0.5, dist, 0.4, 0.9)
    x = sample_matrix([p], 4096, seed=5, sampler=sampler)[:, 0]
    sd = np.sqrt((0.4**2 + 0.5**2 + 0.9**2 - 0.4 * 0.5 - 0.4 * 0.9 - 0.5 * 0.9) / 18)
    # 4 standard errors of a plain Monte Carlo mean; LHS and Sobol' do far better.
    assert abs(x.mean() - 1.8 / 3) < 4 * sd / np.sqrt(4096)


def test_sample_matrix_is_a_pure_function_of_its_inputs() -> None:
    a = unit_samples("sobol", 100, 4, seed=9)
    assert np.array_equal(a, unit_samples("sobol", 100, 4, seed=9))
    assert not np.array_equal(a, unit_samples("sobol", 100, 4, seed=10))


def test_bad_sampler_and_seed_are_clear_errors() -> None:
    with pytest.raises(AccordError, match="unknown sampler 'mc'"):
        unit_samples("mc", 10, 2, seed=0)
    with pytest.raises(AccordError, match="seed must be a whole number"):
        unit_samples("lhs", 10, 2, seed=-1)
