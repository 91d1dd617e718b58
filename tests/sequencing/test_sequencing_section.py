"""The ``sequencing:`` section: parsing, validation messages, and conversion to a problem."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from accord.errors import EngineInputError
from accord.scenario.sequencing import Sequencing
from accord.sequencing import SequencingProblem, find_schedule, problem_from_section

ISSUE_EXAMPLE = {
    "max_rounds": 20,
    "parties": {
        "usa": {"patience": 0.95, "trust": 0.6, "completion_value": 0.3, "detection": 0.9},
        "dprk": {"patience": 0.95, "trust": 0.5, "completion_value": 0.4, "detection": 1.0},
    },
    "steps": [
        {"id": "yongbyon-freeze", "owner": "dprk", "cost": 0.1, "value": 0.15, "divisible": False},
        {"id": "yongbyon-dismantlement", "owner": "dprk", "cost": 0.2, "value": 0.3},
        {"id": "partial-relief", "owner": "usa", "cost": 0.1, "value": 0.2, "reversible": 0.8},
    ],
    "order": [["yongbyon-freeze", "yongbyon-dismantlement"]],
}


def with_changes(**changes):
    data = {**ISSUE_EXAMPLE, **changes}
    return data


def test_issue_example_parses_and_schedules(schedule_checker) -> None:
    section = Sequencing.model_validate(ISSUE_EXAMPLE)
    problem, given = problem_from_section(section)
    assert given == ()
    assert problem.party_ids == ("usa", "dprk")
    assert problem.order == ((0, 1),)
    result = find_schedule(problem)
    assert result.feasible and result.shares is not None
    assert schedule_checker(problem, result.shares.tolist()) == []
    refs = section.party_refs()
    assert (("steps", 2, "owner"), "usa") in refs and (("parties", "dprk"), "dprk") in refs


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parties": {"usa": ISSUE_EXAMPLE["parties"]["usa"]}}, "exactly two parties"),
        (
            {
                "steps": [
                    *ISSUE_EXAMPLE["steps"],
                    {"id": "x", "owner": "rok", "cost": 1, "value": 1},
                ]
            },
            "owner 'rok'",
        ),
        ({"steps": [ISSUE_EXAMPLE["steps"][0], ISSUE_EXAMPLE["steps"][0]]}, "unique"),
        ({"order": [["yongbyon-freeze", "nope"]]}, "'nope' is not a step"),
        (
            {
                "order": [
                    ["yongbyon-freeze", "yongbyon-dismantlement"],
                    ["yongbyon-dismantlement", "yongbyon-freeze"],
                ]
            },
            "cycle",
        ),
        ({"max_rounds": 0}, "max_rounds"),
        ({"max_rounds": 1}, "needs at least 2 rounds"),
        ({"steps": []}, "at least one step"),
    ],
)
def test_bad_sections_say_what_to_fix(change, message) -> None:
    with pytest.raises(ValidationError, match=message):
        Sequencing.model_validate(with_changes(**change))


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("trust", 1.5, "trust must lie in"),
        ("patience", 0.0, "patience must lie in"),
        ("detection", -0.1, "detection must lie in"),
        ("completion_value", -1, "completion_value must lie in"),
    ],
)
def test_party_parameters_are_range_checked(field, bad, message) -> None:
    parties = {k: dict(v) for k, v in ISSUE_EXAMPLE["parties"].items()}
    parties["usa"][field] = bad
    with pytest.raises(ValidationError, match=message):
        Sequencing.model_validate(with_changes(parties=parties))


def test_given_steps_are_sunk_and_add_snapback() -> None:
    steps = [
        {
            "id": "test-moratorium",
            "owner": "dprk",
            "cost": 0.05,
            "value": 0.1,
            "given": True,
            "reversible": 1.0,
        },
        *ISSUE_EXAMPLE["steps"],
    ]
    order = [["test-moratorium", "yongbyon-freeze"], *ISSUE_EXAMPLE["order"]]
    section = Sequencing.model_validate(with_changes(steps=steps, order=order))
    problem, given = problem_from_section(section)
    assert [g.step_id for g in given] == ["test-moratorium"]
    assert "test-moratorium" not in problem.step_ids
    # the usa (index 0) would lose the moratorium's value if it stopped
    np.testing.assert_allclose(problem.given_snapback, [0.1, 0.0])
    assert problem.order == ((0, 1),)


def test_engine_rejects_inconsistent_arrays() -> None:
    with pytest.raises(EngineInputError, match="one entry per step"):
        SequencingProblem(
            party_ids=("a", "b"),
            step_ids=("x", "y"),
            owner=np.array([0]),
            cost=np.array([1.0, 1.0]),
            value=np.array([1.0, 1.0]),
            reversible=np.zeros(2),
            divisible=np.ones(2, bool),
            patience=np.ones(2),
            trust=np.ones(2),
            completion=np.ones(2),
            detection=np.ones(2),
        )


def _with_consent(actors: list[str], dimension: str = "relief") -> dict:
    steps = [dict(s) for s in ISSUE_EXAMPLE["steps"]]
    steps[2]["needs_consent"] = {"actors": actors, "dimension": dimension}
    return {
        "accord": 1,
        "id": "consent",
        "title": "Consent",
        "parties": [{"id": "usa", "name": "US"}, {"id": "dprk", "name": "DPRK"}],
        "stakeholders": {
            "dimensions": [{"id": "relief", "scale": [0, 100]}],
            "actors": [
                {"id": "china", "capability": 50, "positions": {"relief": 80},
                 "salience": {"relief": 0.5}},
                {"id": "russia", "capability": 20, "positions": {"relief": 75},
                 "salience": {"relief": 0.3}},
            ],
        },
        "sequencing": {**ISSUE_EXAMPLE, "steps": steps},
    }  # fmt: skip


def test_consent_is_read_from_the_stakeholders_positions() -> None:
    import yaml

    from accord.io.scenario_file import parse_scenario

    scenario = parse_scenario(yaml.safe_dump(_with_consent(["china", "russia"])), file="c.yaml")
    assert scenario.sequencing is not None
    problem, _ = problem_from_section(scenario.sequencing, scenario.stakeholders)
    # (100 − 80)/100 · (100 − 75)/100 = 0.2 · 0.25
    np.testing.assert_allclose(problem.reversal_prob[2], 0.05)
    np.testing.assert_allclose(problem.snapback_weight[2], 0.8 * 0.05)


@pytest.mark.parametrize(
    ("actors", "dimension", "message"),
    [(["china", "iran"], "relief", "'iran' is not an actor"), (["china"], "pace", "no position")],
)
def test_consent_names_are_checked(actors, dimension, message) -> None:
    import yaml

    from accord.errors import ScenarioError
    from accord.io.scenario_file import parse_scenario

    with pytest.raises(ScenarioError, match=message):
        parse_scenario(yaml.safe_dump(_with_consent(actors, dimension)), file="c.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_mover": "rok"}, "first_mover must be"),
        ({"trust_model": "bayesian"}, "needs mimic_scale"),
        ({"within_round": "both"}, "within_round"),
    ],
)
def test_new_keys_are_validated(change, message) -> None:
    with pytest.raises(ValidationError, match=message):
        Sequencing.model_validate(with_changes(**change))
