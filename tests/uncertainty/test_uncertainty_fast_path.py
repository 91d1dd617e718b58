"""The batched analyse and simulate fast paths equal the slow path that rebuilds scenarios.

A fast path declares the parameters it models; for any other parameter the sweep falls back to the
slow path, so the two must agree on every parameter of every built-in scenario and on random
scenarios with discounts, outside options and stakeholder parameters (docs/architecture.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.io.scenario_file import builtin_ids, load_scenario
from accord.scenario.model import Scenario
from accord.uncertainty import get_engine, scenario_params, substitute, uncertain_params
from accord.uncertainty.parameters import UncertainParam
from accord.uncertainty.sweep import evaluate_samples


def _random_rows(params: list[UncertainParam], n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = np.array([p.low for p in params])
    hi = np.array([p.high for p in params])
    return lo + rng.random((n, len(params))) * (hi - lo)


def _compare(scenario: Scenario, engine: str, n: int, seed: int, options=None) -> bool:
    """Fast and slow paths over every numeric parameter the engine reads (point-valued ones
    too), over their ranges; returns whether the fast path was taken."""
    entry = get_engine(engine)
    params = [p for p in scenario_params(scenario) if entry.relevant(p)]
    rows = _random_rows(params, n, seed)
    fast = evaluate_samples(entry, scenario, params, rows, options=options, fast=True)
    slow = evaluate_samples(entry, scenario, params, rows, options=options, fast=False)
    assert fast.keys() == slow.keys()
    for key in fast:
        np.testing.assert_allclose(fast[key], slow[key], rtol=0, atol=1e-12, err_msg=key)
    return entry.fast_path_applies(params)


@pytest.mark.parametrize("scenario_id", builtin_ids())
@pytest.mark.parametrize("engine", ["analyse", "simulate"])
def test_fast_path_equals_slow_path_on_every_builtin(scenario_id: str, engine: str) -> None:
    s = load_scenario(scenario_id)
    _compare(s, engine, 12 if engine == "simulate" else 60, seed=1)


def test_a_sampled_discount_is_modelled_by_the_simulation_fast_path() -> None:
    # The old fast path used the point discount for every sample; discounts decide walk-aways.
    s = load_scenario("hanoi-2019")
    entry = get_engine("simulate")
    params = [p for p in scenario_params(s) if "discount" in p.path]
    assert params and entry.fast_path_applies(params)
    rows = np.array([[0.5, 0.5], [1.0, 1.0], [0.97, 0.98]])
    fast = evaluate_samples(entry, s, params, rows, fast=True)
    slow = evaluate_samples(entry, s, params, rows, fast=False)
    np.testing.assert_array_equal(fast["agreement_rate"], slow["agreement_rate"])
    np.testing.assert_array_equal(fast["mean_rounds"], slow["mean_rounds"])


def _random_scenario(draw: st.DrawFn) -> Scenario:
    n_opts = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    issues = [{"id": f"i{j}", "options": [f"o{k}" for k in range(m)]} for j, m in enumerate(n_opts)]

    def unit() -> float:
        return draw(st.floats(0.05, 0.95))

    def maybe_dist(x: float) -> object:
        if draw(st.booleans()):
            lo, hi = max(0.0, x - 0.1), min(1.0, x + 0.1)
            return {"triangular": [lo, x, hi]}
        return x

    prefs = {}
    for pid, up in (("a", True), ("b", False)):
        values = {}
        for issue in issues:
            opts = issue["options"]
            values[issue["id"]] = {
                o: (k / (len(opts) - 1) if up else 1 - k / (len(opts) - 1))
                for k, o in enumerate(opts)
            }
        prefs[pid] = {
            "weights": {i["id"]: maybe_dist(unit()) for i in issues},
            "values": values,
            "reservation": maybe_dist(draw(st.floats(0.1, 0.5))),
            "discount": maybe_dist(draw(st.floats(0.6, 0.99))),
            "outside_option": maybe_dist(draw(st.floats(0.0, 0.4))),
        }
    data = {
        "accord": 1, "id": "random", "title": "Random",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": issues, "preferences": prefs,
        "simulation": {"deadline": draw(st.integers(3, 15)),
                       "strategies": {"a": "linear", "b": "boulware"}},
        "stakeholders": {
            "dimensions": [{"id": "d", "scale": [0, 100]}],
            "actors": [
                {"id": f"x{k}", "capability": maybe_dist(unit()),
                 "positions": {"d": 100 * unit()}, "salience": {"d": maybe_dist(unit())}}
                for k in range(3)
            ],
        },
    }  # fmt: skip
    if draw(st.booleans()):
        data["simulation"]["outside_options"] = [  # type: ignore[index]
            {"party": "b", "round": 2, "value": maybe_dist(0.3)}
        ]
    return Scenario.model_validate(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_path_equals_slow_path_on_random_scenarios(data: st.DataObject) -> None:
    s = _random_scenario(data.draw)
    for engine in ("analyse", "simulate"):
        _compare(s, engine, 6, seed=data.draw(st.integers(0, 100)))


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
