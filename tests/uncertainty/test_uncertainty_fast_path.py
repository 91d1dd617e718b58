"""The batched analyse (and simulate) fast paths equal the slow path that rebuilds scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from accord.io.scenario_file import load_scenario
from accord.uncertainty import get_engine, scenario_params, substitute, uncertain_params
from accord.uncertainty.parameters import UncertainParam
from accord.uncertainty.sweep import evaluate_samples


def _random_rows(params: list[UncertainParam], n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = np.array([p.low for p in params])
    hi = np.array([p.high for p in params])
    return lo + rng.random((n, len(params))) * (hi - lo)


def _compare(scenario_id: str, engine: str, n: int, seed: int) -> None:
    s = load_scenario(scenario_id)
    entry = get_engine(engine)
    # Every numeric parameter of the preferences, point-valued ones too, over their ranges.
    params = [p for p in scenario_params(s) if entry.relevant(p) and "discount" not in p.path]
    rows = _random_rows(params, n, seed)
    fast = evaluate_samples(entry, s, params, rows, fast=True)
    slow = evaluate_samples(entry, s, params, rows, fast=False)
    assert fast.keys() == slow.keys()
    for key in fast:
        np.testing.assert_allclose(fast[key], slow[key], rtol=0, atol=1e-12, err_msg=key)


def test_analyse_fast_path_equals_slow_path_on_hanoi() -> None:
    _compare("hanoi-2019", "analyse", 60, seed=1)


def test_analyse_fast_path_equals_slow_path_on_a_numeric_issue() -> None:
    _compare("divide-the-dollar", "analyse", 20, seed=2)


def test_analyse_fast_path_equals_slow_path_on_logrolling() -> None:
    _compare("logrolling", "analyse", 20, seed=3)


def test_simulate_fast_path_equals_slow_path() -> None:
    s = load_scenario("hanoi-2019")
    entry = get_engine("simulate")
    params = [p for p in uncertain_params(s) if entry.relevant(p)]
    rows = _random_rows(params, 8, seed=4)
    opts = {"runs": 5, "deadline": 30, "strategy": "linear"}
    fast = evaluate_samples(entry, s, params, rows, options=opts, fast=True)
    slow = evaluate_samples(entry, s, params, rows, options=opts, fast=False)
    for key in slow:
        np.testing.assert_allclose(fast[key], slow[key], atol=1e-12, err_msg=key)


def test_hanoi_proposal_margins_match_hand_calculation() -> None:
    # From the YAML numbers (weights sum to 1): US utility of the DPRK offer is
    # 0.45*0.4 + 0.25*0.25 + 0.10*0.85 + 0.20*0.6 = 0.4475 < 0.5; the DPRK's utility of the US
    # position is 0.25*0.3 + 0.30*0.85 + 0.35*0.4 + 0.10*0.2 = 0.49 < 0.5.
    s = load_scenario("hanoi-2019")
    out = get_engine("analyse").evaluate(s, {}, None)
    assert out["margin:dprk-offer"] == pytest.approx(0.4475 - 0.5, abs=1e-12)
    assert out["margin:us-position"] == pytest.approx(0.49 - 0.5, abs=1e-12)
    assert out["in_zone:dprk-offer"] == 0.0


def test_substitute_keeps_evidence_and_rejects_invalid_samples() -> None:
    from accord.errors import ScenarioError

    s = load_scenario("hanoi-2019")
    res = next(p for p in uncertain_params(s) if p.path == ("preferences", "usa", "reservation"))
    s2 = substitute(s, [res], [0.42])
    assert s2.preferences["usa"].reservation.point == 0.42
    assert s2.preferences["usa"].reservation.dist is None
    assert s2.preferences["usa"].reservation.evidence == s.preferences["usa"].reservation.evidence
    assert s.preferences["usa"].reservation.point == 0.5  # the original is unchanged
    with pytest.raises(ScenarioError, match=r"preferences.usa.reservation = 1\.5"):
        substitute(s, [res], [1.5])
