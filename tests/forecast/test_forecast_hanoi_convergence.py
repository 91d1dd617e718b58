"""Hanoi: the review quoted in issue 16 found that the Scholz forecast of sanctions relief
oscillates between 39.57 and 39.77, so ``--rounds 9`` and ``--rounds 10`` disagree. Accord must
state that cycle instead of reporting one round's value as the forecast."""

from __future__ import annotations

import pytest

from accord.forecast import forecast
from accord.io.scenario_file import load_scenario


def test_scholz_sanctions_relief_is_a_two_cycle() -> None:
    section = load_scenario("hanoi-2019").stakeholders
    assert section is not None
    nine = {d.dimension: d for d in forecast(section, "scholz", 9).dimensions}
    ten = {d.dimension: d for d in forecast(section, "scholz", 10).dimensions}
    a, b = nine["sanctions-relief"], ten["sanctions-relief"]
    assert {round(a.forecast, 2), round(b.forecast, 2)} == {39.57, 39.77}
    for d in (a, b):
        assert d.convergence is not None
        assert d.convergence.status == "cycle" and d.convergence.period == 2
        assert d.convergence.mean_range == pytest.approx((39.569, 39.772), abs=1e-3)
        assert "oscillates between 39.6 and 39.8" in d.convergence.sentence()
    # the prediction (weighted median) does not depend on which round is read
    assert a.prediction == b.prediction
