"""Bad input (issue 14, item 9): each names the file, the field and the fix."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from accord.domestic import findings, outside_option_split, ratify
from accord.errors import EngineInputError, ScenarioError
from accord.io.scenario_file import parse_scenario

BASE: dict[str, Any] = {
    "accord": 1,
    "id": "dollar",
    "title": "Divide the dollar",
    "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    "issues": [{"id": "share", "range": [0, 1], "step": 0.1}],
    "preferences": {
        "a": {"weights": {"share": 1}, "values": {"share": "increasing"}, "discount": 0.9},
        "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}, "discount": 0.9},
    },
    "domestic": [
        {
            "party": "b",
            "rule": "all",
            "ratifiers": [
                {
                    "id": "home",
                    "weights": {"share": 1},
                    "values": {"share": "decreasing"},
                    "reservation": 0.4,
                }
            ],
        }
    ],
}


def _load(data: dict[str, Any]) -> Any:
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), file="bad.yaml")


def _error(mutate: Any) -> ScenarioError:
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(ScenarioError) as info:
        _load(data)
    return info.value


def test_base_is_valid() -> None:
    assert _load(copy.deepcopy(BASE)).domestic is not None


def test_ratifier_weight_naming_an_unknown_issue() -> None:
    err = _error(lambda d: d["domestic"][0]["ratifiers"][0]["weights"].update({"tariffs": 1}))
    assert err.file == "bad.yaml"
    assert err.field == "domestic[0].ratifiers[0].weights.tariffs"
    assert "not an issue" in err.message and err.hint and "share" in err.hint
    assert "line" in str(err)


def test_ratifier_values_for_a_discrete_issue_need_every_option() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["issues"].append({"id": "zone", "options": ["x", "y"]})
        for p in d["preferences"].values():
            p["weights"]["zone"] = 0
        rat = d["domestic"][0]["ratifiers"][0]
        rat["weights"]["zone"] = 1
        rat["values"]["zone"] = {"x": 1}

    err = _error(mutate)
    assert err.field == "domestic[0].ratifiers[0].values.zone"
    assert "y" in err.message


@pytest.mark.parametrize("quota", [0, 1.5, -0.2])
def test_quota_outside_zero_one(quota: float) -> None:
    err = _error(lambda d: d["domestic"][0].update({"rule": {"quota": quota}}))
    assert err.file == "bad.yaml"
    assert err.field == "domestic[0].rule.quota"
    assert "(0, 1]" in err.message


def test_unknown_rule_word() -> None:
    err = _error(lambda d: d["domestic"][0].update({"rule": "unanimity"}))
    assert err.field is not None and err.field.startswith("domestic[0].rule")


def test_unknown_party() -> None:
    err = _error(lambda d: d["domestic"][0].update({"party": "c"}))
    assert err.field == "domestic[0].party"
    assert "not a party" in err.message
    assert err.hint and "a, b" in err.hint


def test_party_listed_twice() -> None:
    err = _error(lambda d: d["domestic"].append(copy.deepcopy(d["domestic"][0])))
    assert err.field == "domestic[1].party"


@pytest.mark.parametrize("w", [1.2, -0.1, {"uniform": [0.5, 1.4]}])
def test_outside_option_outside_zero_one(w: Any) -> None:
    err = _error(lambda d: d["preferences"]["b"].update({"outside_option": w}))
    assert err.file == "bad.yaml"
    assert err.field == "preferences.b"
    assert "outside option" in err.message and "[0, 1]" in err.message


def test_ratifier_reservation_outside_zero_one() -> None:
    err = _error(lambda d: d["domestic"][0]["ratifiers"][0].update({"reservation": 1.5}))
    assert err.field == "domestic[0].ratifiers[0]"
    assert "reservation" in err.message


def test_votes_must_be_positive() -> None:
    err = _error(lambda d: d["domestic"][0]["ratifiers"][0].update({"votes": 0}))
    assert "votes" in err.message


def test_outside_options_without_surplus_get_a_finding(dollar: Any) -> None:
    s = dollar(
        [
            {
                "party": "b",
                "ratifiers": [
                    {"id": "home", "weights": {"share": 1}, "values": {"share": "decreasing"}}
                ],
            }
        ],
        discounts=(0.9, 0.9),
        outside=(0.6, 0.5),
    )
    res = ratify(s)
    assert res.split is not None and not res.split.surplus
    texts = [f["text"] for f in findings(res)]
    assert any("no bargaining surplus" in t for t in texts)


def test_bss_bad_numbers_are_engine_errors() -> None:
    with pytest.raises(EngineInputError, match="delta_a"):
        outside_option_split(1.2, 0.9)
    with pytest.raises(EngineInputError, match="not unique"):
        outside_option_split(1.0, 1.0, 0.1, 0.1)


def test_ratify_without_section(dollar: Any) -> None:
    with pytest.raises(EngineInputError, match="domestic"):
        ratify(dollar())
