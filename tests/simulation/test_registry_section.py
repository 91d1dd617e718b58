"""Strategy specs, the registry and its entry points, and the ``simulation:`` scenario section."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from accord.errors import EngineInputError
from accord.scenario.simulation import SimulationSection
from accord.simulation import parse_assignment, parse_strategy
from accord.simulation import registry as registry_module
from accord.simulation import strategies as strategies_module
from accord.simulation.strategies import (
    StrategyInfo,
    StrategyRegistry,
    TimeDependent,
)


def test_spec_parsing_fills_defaults_and_round_trips() -> None:
    spec = parse_strategy("boulware:e=0.15")
    assert dict(spec.params) == {"e": 0.15, "open": 1.0}
    assert str(spec) == "boulware:e=0.15"
    assert parse_strategy(str(spec)) == spec
    assert str(parse_strategy("grit:m=4,step=0.1")) == "grit:step=0.1,m=4"
    party, spec = parse_assignment("usa=boulware:e=0.2", ["usa", "dprk"])
    assert party == "usa" and dict(spec.params)["e"] == 0.2


@pytest.mark.parametrize(
    "text,message",
    [
        ("bulware", "unknown strategy 'bulware'; use one of: boulware"),
        ("boulware:x=1", "has no parameter 'x'; its parameters are: e, open"),
        ("boulware:e=0", r"e=0 is out of range; give a value in \[0.001, 100\]"),
        ("boulware:e=fast", "e must be a number"),
        ("boulware:e", "write parameters as key=value"),
        ("grit:m=2.5", "m must be a whole number"),
    ],
)
def test_bad_specs_say_what_to_do(text: str, message: str) -> None:
    with pytest.raises(EngineInputError, match=message):
        parse_strategy(text)


def test_bad_assignments_name_the_parties() -> None:
    with pytest.raises(EngineInputError, match="no party 'us'; use one of: usa, dprk"):
        parse_assignment("us=boulware", ["usa", "dprk"])
    with pytest.raises(EngineInputError, match="write PARTY=STRATEGY"):
        parse_assignment("boulware", ["usa", "dprk"])


class _FakeEntryPoint:
    name = "patient"

    def load(self) -> StrategyInfo:
        return StrategyInfo(
            "patient",
            "time-dependent",
            "a third-party Boulware",
            TimeDependent,
            strategies_module._time_params(0.05),
        )


def test_entry_points_are_loaded_lazily_on_first_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_entry_points(group: str) -> list[_FakeEntryPoint]:
        calls.append(group)
        return [_FakeEntryPoint()]

    monkeypatch.setattr(registry_module, "entry_points", fake_entry_points)
    registry = StrategyRegistry()
    registry.register(strategies_module.REGISTRY.get("linear"))
    assert registry.get("linear").name == "linear" and calls == []  # no lookup needed
    info = registry.get("patient")
    assert calls == ["accord.strategies"] and info.family == "time-dependent"
    assert info.create().params == {"e": 0.05, "open": 1.0}
    registry.get("patient")
    assert calls == ["accord.strategies"]  # loaded once
    with pytest.raises(ValueError, match="already registered"):
        registry.register(info)


def test_section_accepts_a_plan_b_and_lists_party_references() -> None:
    section = SimulationSection.model_validate(
        {
            "deadline": 30,
            "opener": "dprk",
            "strategies": {"usa": "boulware:e=0.2", "dprk": "hardliner"},
            "outside_options": [{"party": "dprk", "round": 10, "value": {"uniform": [0.5, 0.7]}}],
        }
    )
    assert section.outside_options[0].value.point == pytest.approx(0.6)
    # The information model and the discounting convention default to beliefs and GENIUS/ANAC.
    assert (section.information, section.discounting) == ("beliefs", "deals-and-walkaway")
    assert sorted(section.party_refs()) == sorted(
        [
            (("opener",), "dprk"),
            (("strategies", "usa"), "usa"),
            (("strategies", "dprk"), "dprk"),
            (("outside_options", 0, "party"), "dprk"),
        ]
    )


@pytest.mark.parametrize(
    "data,message",
    [
        ({"strategies": {"usa": "boulware e=0.2"}}, "write a name or name:key=value"),
        ({"deadline": 0}, "greater than or equal to 1"),
        ({"outside_options": [{"party": "usa", "round": 3, "value": 1.5}]}, r"lie in \[0, 1\]"),
        (
            {"outside_options": [{"party": "usa", "round": 3, "value": 0.5}] * 2},
            "keep one per party and round",
        ),
        ({"sweep": {"exponents": [0.0]}}, r"exponents must lie in \[0.001, 100\]"),
        ({"deadlines": 5}, "Extra inputs are not permitted"),
        ({"information": "perfect"}, "Input should be 'beliefs' or 'complete'"),
        ({"discounting": "walk-away"}, "Input should be 'deals-and-walkaway' or 'deals-only'"),
    ],
)
def test_section_errors_say_what_to_do(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SimulationSection.model_validate(data)
