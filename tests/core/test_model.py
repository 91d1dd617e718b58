"""The scenario model: parameters, distributions, utilities against hand computations and a
scalar reference, round trips through YAML and JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.io.scenario_file import builtin_ids, load_scenario, parse_scenario, scenario_to_yaml
from accord.scenario.base import Param
from accord.scenario.model import Scenario
from accord.scenario.outcomes import (
    outcome_space,
    outcome_utilities,
    utility_matrix,
    utility_matrix_reference,
)


def test_param_forms() -> None:
    assert Param.model_validate(0.3).point == 0.3
    assert (
        Param.model_validate({"value": 0.3, "evidence": [{"source": "s"}]}).evidence[0].source
        == "s"
    )
    assert Param.model_validate({"triangular": [0.1, 0.4, 0.5]}).point == 0.4
    assert Param.model_validate({"uniform": [0.2, 0.6]}).point == pytest.approx(0.4)
    assert Param.model_validate({"normal": [0.5, 0.1]}).point == 0.5
    assert Param.model_validate({"truncnormal": [2.0, 1.0, 0.0, 1.0]}).point == 1.0
    assert Param.model_validate({"beta": [2, 6]}).point == pytest.approx(0.25)
    assert Param.model_validate({"choice": [[0.2, 0.3], [0.7, 0.7]]}).point == 0.7
    # an explicit value overrides the distribution's point estimate
    assert Param.model_validate({"triangular": [0, 0.5, 1], "value": 0.2}).point == 0.2


def test_param_serialises_back_to_the_file_form() -> None:
    for raw in (
        0.3,
        {"triangular": [0.1, 0.4, 0.5]},
        {"value": 0.2, "evidence": [{"source": "s"}]},
    ):
        p = Param.model_validate(raw)
        assert Param.model_validate(p.model_dump()) == p


def test_logrolling_utilities_by_hand() -> None:
    s = accord.load("logrolling")
    # buyer: 0.3 * v(price) + 0.7 * v(delivery); high price (0) with fast delivery (1) -> 0.7
    u = outcome_utilities(s, {"price": "high", "delivery": "fast"})
    assert u == pytest.approx([0.7, 0.7])
    u = outcome_utilities(s, {"price": "medium", "delivery": "normal"})
    assert u == pytest.approx([0.5, 0.5])


def test_numeric_and_piecewise_values() -> None:
    s = Scenario.model_validate(
        {
            "accord": 1,
            "id": "pw",
            "title": "pw",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [{"id": "x", "range": [10, 20], "step": 2.5}],
            "preferences": {
                "a": {
                    "weights": {"x": 2},
                    "values": {"x": {"points": [[10, 0], [15, 0.8], [20, 1]]}},
                },
                "b": {"weights": {"x": 1}, "values": {"x": "decreasing"}},
            },
        }
    )
    U = utility_matrix(s)
    assert U[:, 0] == pytest.approx([0, 0.4, 0.8, 0.9, 1.0])
    assert U[:, 1] == pytest.approx([1, 0.75, 0.5, 0.25, 0])


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_issues = draw(st.integers(1, 4))
    issues = []
    for j in range(n_issues):
        if draw(st.booleans()):
            k = draw(st.integers(1, 4))
            issues.append({"id": f"i{j}", "options": [f"o{m}" for m in range(k)]})
        else:
            issues.append({"id": f"i{j}", "range": [0, draw(st.integers(1, 5))], "step": 1})
    unit = st.floats(0, 1, allow_nan=False)
    prefs = {}
    for p in ("a", "b", "c"):
        weights = {iss["id"]: draw(st.floats(0.01, 5)) for iss in issues}
        values: dict[str, object] = {}
        for iss in issues:
            if "options" in iss:
                values[iss["id"]] = {o: draw(unit) for o in iss["options"]}
            else:
                values[iss["id"]] = draw(st.sampled_from(["increasing", "decreasing"]))
        prefs[p] = {"weights": weights, "values": values, "reservation": draw(unit)}
    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "random",
            "title": "random",
            "parties": [{"id": p, "name": p} for p in ("a", "b", "c")],
            "issues": issues,
            "preferences": prefs,
        }
    )


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_vectorised_utilities_equal_the_scalar_reference(s: Scenario) -> None:
    np.testing.assert_allclose(utility_matrix(s), utility_matrix_reference(s), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.data())
def test_encode_decode_round_trip(s: Scenario, data: st.DataObject) -> None:
    space = outcome_space(s)
    i = data.draw(st.integers(0, space.n - 1))
    assert space.encode(space.decode(i)) == i


@pytest.mark.parametrize("sid", builtin_ids())
def test_builtin_round_trips_through_yaml_and_json(sid: str, tmp_path: Path) -> None:
    s = load_scenario(sid)
    again = parse_scenario(scenario_to_yaml(s), file="again.yaml")
    assert again == s
    as_json = parse_scenario(json.dumps(s.to_yaml_dict()), file="again.json")
    assert as_json == s
    if s.issues and s.preferences:
        np.testing.assert_allclose(utility_matrix(again), utility_matrix(s))


def test_scenario_is_frozen() -> None:
    s = accord.load("logrolling")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError for frozen models
        s.title = "changed"  # type: ignore[misc]


def test_sections_are_optional() -> None:
    s = Scenario.model_validate({"accord": 1, "id": "bare", "title": "Bare"})
    assert s.issues == () and s.preferences == {}


def test_weights_are_normalised() -> None:
    s = accord.load("hanoi-2019")
    for pref in s.preferences.values():
        assert math.isclose(sum(pref.normalised_weights().values()), 1.0)
