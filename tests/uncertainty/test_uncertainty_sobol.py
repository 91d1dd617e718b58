"""Sobol' estimators against the Ishigami function's analytic indices, and the tornado table."""

from __future__ import annotations

import numpy as np
import pytest

from accord.io.scenario_file import load_scenario
from accord.uncertainty import (
    ishigami,
    ishigami_indices,
    sensitivity_for,
    sobol_indices,
    uncertain_params,
)


def test_ishigami_analytic_values_match_published_table() -> None:
    # Published values for a = 7, b = 0.1 (Saltelli et al. 2008, §2.8; Sobol' & Levitan 1999).
    first, total = ishigami_indices()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_sobol_estimates_recover_ishigami_indices() -> None:
    n = 2**13
    r = sobol_indices(ishigami, [(-np.pi, np.pi)] * 3, n=n, seed=0)
    first, total = ishigami_indices()
    # Tolerance: 4 CLT standard errors of each estimator at this N (conservative for scrambled
    # Sobol' points), plus 1e-3 for the variance estimate itself.
    assert np.all(np.abs(np.array(r.first) - first) <= 4 * np.array(r.first_se) + 1e-3)
    assert np.all(np.abs(np.array(r.total) - total) <= 4 * np.array(r.total_se) + 1e-3)
    assert max(r.first_se) < 0.02  # so the check above is not vacuous


def test_tornado_ranks_reservations_of_hanoi_by_closed_form_swing() -> None:
    s = load_scenario("hanoi-2019")
    params = [p for p in uncertain_params(s) if p.path[0] == "preferences"]
    t = sensitivity_for(s, "analyse", params, "margin:us-position")
    rows = {r.parameter: r for r in t.rows}
    # The DPRK is the short side of the US position (0.49 vs 0.5), so the margin is
    # 0.49 - r_dprk: it moves one-for-one with the DPRK reservation between its quantiles.
    row = rows["preferences.dprk.reservation"]
    # 5% quantile of triangular(0.4, 0.5, 0.6): 0.4 + sqrt(0.05 * 0.2 * 0.1).
    assert row.low_value == pytest.approx(0.4 + np.sqrt(0.001), abs=1e-12)
    assert row.output_low == pytest.approx(0.49 - row.low_value, abs=1e-11)
    assert row.swing == pytest.approx(row.high_value - row.low_value, abs=1e-11)
    assert t.rows[0].parameter == "preferences.dprk.reservation"
    assert rows["preferences.usa.reservation"].swing == 0.0  # the US side has slack
