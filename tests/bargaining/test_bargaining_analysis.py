"""Scenario-level analysis: hand-computed utilities, zone, solutions, proposals, limits."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest

from accord.bargaining import analyse, pareto_mask_reference, space_size
from accord.errors import EngineInputError
from accord.scenario.model import Scenario


def scenario(**overrides: Any) -> Scenario:
    data: dict[str, Any] = {
        "accord": 1,
        "id": "hand-made",
        "title": "Hand-made",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [
            {"id": "colour", "options": ["red", "blue"]},
            {"id": "size", "range": [0, 10], "step": 5},
        ],
        "preferences": {
            "a": {
                "weights": {"colour": 1, "size": 3},
                "values": {"colour": {"red": 1.0, "blue": 0.2}, "size": "increasing"},
                "reservation": 0.3,
            },
            "b": {
                "weights": {"colour": 2, "size": 2},
                "values": {
                    "colour": {"red": 0.0, "blue": 1.0},
                    "size": {"points": [[0, 1.0], [5, 0.6], [10, 0.2]]},
                },
                "reservation": 0.4,
            },
        },
        "proposals": [
            {"id": "red-medium", "outcome": {"colour": "red", "size": 5}},
            {"id": "blue-off-grid", "by": "b", "outcome": {"colour": "blue", "size": 7.5}},
        ],
    }
    data.update(overrides)
    return Scenario.model_validate(data)


def dollar(r: tuple[float, float], d: tuple[float, float] | None, step: float = 0.01) -> Scenario:
    prefs: dict[str, Any] = {
        "a": {"weights": {"share": 1}, "values": {"share": "increasing"}, "reservation": r[0]},
        "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}, "reservation": r[1]},
    }
    if d is not None:
        prefs["a"]["discount"] = d[0]
        prefs["b"]["discount"] = d[1]
    return scenario(
        issues=[{"id": "share", "range": [0, 1], "step": step}], preferences=prefs, proposals=[]
    )


def test_utilities_zone_and_solutions_match_hand_computation() -> None:
    result = analyse(scenario())
    # Weights a: (.25, .75), b: (.5, .5). Outcomes in C order: (colour, size) = (red, 0), (red, 5),
    # (red, 10), (blue, 0), (blue, 5), (blue, 10). By hand:
    expected = [[0.25, 0.5], [0.625, 0.3], [1.0, 0.1], [0.05, 1.0], [0.425, 0.8], [0.8, 0.6]]
    np.testing.assert_allclose(result.utilities, expected, atol=1e-12)
    d = result.to_dict()
    assert d["outcomes"] == 6 and d["parties"] == ["a", "b"]
    # (0.25, 0.5) < (0.425, 0.8) and (0.625, 0.3) < (0.8, 0.6): the other four are efficient.
    assert sorted(result.pareto.tolist()) == [2, 3, 4, 5]
    assert d["pareto_size"] == 4 and len(d["pareto"]) == 4
    # Zone: u_a >= 0.3 and u_b >= 0.4 holds only for (blue, 5) and (blue, 10).
    assert d["zopa"]["size"] == 2 and d["zopa"]["pareto_size"] == 2
    # Nash: .125·.4 = .05 vs .5·.2 = .1; KS: min(.25, 1) vs min(1, .5); all pick (blue, 10).
    for name in ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian"):
        assert d["solutions"][name]["outcome"] == {"colour": "blue", "size": 10.0}, name
        assert d["solutions"][name]["utilities"] == pytest.approx({"a": 0.8, "b": 0.6})
    assert "rubinstein" not in d["solutions"]
    assert d["best"]["a"]["outcome"] == {"colour": "red", "size": 10.0}
    assert d["best"]["b"]["outcome"] == {"colour": "blue", "size": 0.0}
    assert d["worst"]["a"]["utilities"]["a"] == pytest.approx(0.05)
    assert d["worst"]["b"]["utilities"]["b"] == pytest.approx(0.1)
    assert d["reservations"] == {"a": 0.3, "b": 0.4}


def test_proposals_in_zone_and_on_frontier() -> None:
    props = {p["id"]: p for p in analyse(scenario()).to_dict()["proposals"]}
    red = props["red-medium"]
    assert red["utilities"] == pytest.approx({"a": 0.625, "b": 0.3})
    assert (red["in_zone"], red["on_frontier"]) == (False, False)
    # Off the grid: size 7.5 → a: .05 + .75·.75 = .6125; b: .5 + .5·.4 = .7 (b's piecewise value
    # at 7.5 is halfway between .6 and .2). Nothing on the grid dominates it.
    off = props["blue-off-grid"]
    assert off["utilities"] == pytest.approx({"a": 0.6125, "b": 0.7})
    assert (off["in_zone"], off["on_frontier"], off["by"]) == (True, True, "b")


@pytest.mark.parametrize(("r1", "r2"), [(0.0, 0.0), (0.2, 0.0), (0.1, 0.3)])
def test_divide_the_dollar_nash_closed_form(r1: float, r2: float) -> None:
    d = analyse(dollar((r1, r2), None)).to_dict()
    assert d["solutions"]["nash"]["outcome"]["share"] == pytest.approx((1 + r1 - r2) / 2)
    # Zone: share in [r1, 1 - r2] on a 0.01 grid.
    assert d["zopa"]["size"] == round((1 - r2 - r1) / 0.01) + 1


def test_rubinstein_mapping_onto_the_numeric_issue() -> None:
    d = analyse(dollar((0.0, 0.0), (0.9, 0.9))).to_dict()["solutions"]["rubinstein"]
    assert d["share"] == pytest.approx(1 / 1.9)
    assert d["outcome"]["share"] == pytest.approx(0.53)  # nearest 0.01 step to 0.5263
    assert (d["proposer"], d["responder"]) == ("a", "b")
    # With reservations the first party gets r1 + s·(1 - r1 - r2) of the dollar.
    d = analyse(dollar((0.2, 0.1), (0.8, 0.5))).to_dict()["solutions"]["rubinstein"]
    s = 0.5 / 0.6
    assert d["target_utility"] == pytest.approx(0.2 + s * 0.7)
    assert d["outcome"]["share"] == pytest.approx(0.78)


def test_rubinstein_absent_without_discounts() -> None:
    assert "rubinstein" not in analyse(dollar((0.0, 0.0), None)).to_dict()["solutions"]
    assert "rubinstein" not in analyse(dollar((0.0, 0.0), (1.0, 1.0))).to_dict()["solutions"]


def test_empty_zone_gives_null_solutions() -> None:
    d = analyse(dollar((0.6, 0.6), None)).to_dict()
    assert d["zopa"]["size"] == 0
    assert all(d["solutions"][k] is None for k in ("nash", "kalai_smorodinsky", "egalitarian"))
    json.dumps(d)  # JSON-able as it stands


def test_max_pareto_caps_the_listing_but_keeps_the_ends() -> None:
    result = analyse(dollar((0.0, 0.0), None))
    assert result.pareto.shape[0] == 101
    d = result.to_dict(max_pareto=5)
    assert d["pareto_size"] == 101 and len(d["pareto"]) == 5
    shares = [p["outcome"]["share"] for p in d["pareto"]]
    assert shares[0] == 1.0 and shares[-1] == 0.0  # ordered by the first party's utility
    assert len(result.to_dict()["pareto"]) == 101
    with pytest.raises(EngineInputError, match="max_pareto"):
        result.to_dict(max_pareto=-1)


def test_three_parties_use_the_skyline() -> None:
    s = scenario(
        parties=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
        preferences={
            **scenario().model_dump(mode="json", exclude_defaults=True)["preferences"],
            "c": {
                "weights": {"colour": 1, "size": 1},
                "values": {"colour": {"red": 0.5, "blue": 0.5}, "size": "decreasing"},
            },
        },
    )
    result = analyse(s)
    assert result.utilities.shape == (6, 3)
    front = np.flatnonzero(pareto_mask_reference(result.utilities))
    assert result.pareto.tolist() == front.tolist()


def test_space_over_the_limit_is_refused_before_allocation() -> None:
    huge = scenario(
        issues=[{"id": f"x{k}", "range": [0, 1], "step": 1e-4} for k in range(3)],
        preferences={
            p: {
                "weights": {f"x{k}": 1 for k in range(3)},
                "values": {f"x{k}": "increasing" for k in range(3)},
            }
            for p in ("a", "b")
        },
        proposals=[],
    )
    assert space_size(huge) == 10_001**3
    start = time.perf_counter()
    with pytest.raises(EngineInputError, match="more than the limit") as info:
        analyse(huge)
    assert time.perf_counter() - start < 1.0  # 1e12 outcomes were never allocated
    assert "--max-outcomes" in str(info.value) and "larger step" in str(info.value)
    with pytest.raises(EngineInputError, match="101 outcomes"):
        analyse(dollar((0, 0), None), max_outcomes=100)


def test_missing_sections_are_refused_clearly() -> None:
    bare = Scenario.model_validate(
        {"accord": 1, "id": "bare", "title": "Bare", "parties": [{"id": "a", "name": "A"}]}
    )
    with pytest.raises(EngineInputError, match="no issues"):
        analyse(bare)
    no_prefs = scenario(preferences={}, proposals=[])
    with pytest.raises(EngineInputError, match="no preferences"):
        analyse(no_prefs)


def test_result_is_frozen() -> None:
    result = analyse(scenario())
    with pytest.raises(ValueError):
        result.utilities[0, 0] = 1.0
    with pytest.raises(AttributeError):
        result.zone_size = 3  # type: ignore[misc]
