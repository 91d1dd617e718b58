"""The ``conflict:`` section model: parsing, helpers and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from accord.conflict.model import model_from_section, prioritization_scores
from accord.scenario.conflict import ConflictSection, evaluate_statement, parse_statement

BASE = {
    "decision_makers": [
        {"id": "us", "options": ["air-strike", "blockade"]},
        {"id": "ussr", "options": ["withdraw", "escalate"]},
    ],
    "infeasible": [{"withdraw": True, "escalate": True}],
    "irreversible": {"air-strike": "forward"},
    "preferences": {
        "us": {"ranking": [[5], [7], [6], [8], [3], [2], [4], [1], [12], [10], [11], [9]]},
        "ussr": {"prioritization": ["withdraw", "-escalate"]},
    },
    "status_quo": {"air-strike": False, "blockade": False, "withdraw": False, "escalate": False},
}


def with_(**changes: object) -> dict:
    return {**BASE, **changes}


def test_issue_example_parses_with_gmcr_numbering() -> None:
    section = ConflictSection.model_validate(BASE)
    codes = section.feasible_codes()
    assert codes.tolist() == list(range(12))  # codes 12..15 have withdraw and escalate
    model = model_from_section(section)
    assert model.yn(4) == "NNYN"  # state 5: option 0 first, withdraw taken
    assert model.payoff[0, 4] == model.payoff[0].max()  # US ranks state 5 first
    assert model.forward_mask == 1
    assert model.status_quo == 0


def test_statement_weights_are_powers_of_two() -> None:
    # Fang, Hipel, Kilgour & Peng (2003): statement k of L weighs 2^(L-k).
    codes = np.arange(4)
    bits = {"a": (codes & 1).astype(bool), "b": (codes & 2).astype(bool)}
    scores = prioritization_scores(["a", "-b", "a -> b"], bits)
    # code 0: -b, a->b = 2 + 1; code 1: a, -b = 4 + 2; code 2: a->b = 1; code 3: a, a->b = 5
    assert scores.tolist() == [3, 6, 1, 5]


def test_statement_grammar() -> None:
    tree = parse_statement("-air-strike & (blockade | withdraw) <-> escalate")
    bits = {o: np.array([False, True]) for o in ("air-strike", "blockade", "withdraw", "escalate")}
    # all false: (T & F) <-> F is true; all true: (F & T) <-> T is false
    assert evaluate_statement(tree, bits).tolist() == [True, False]
    with pytest.raises(ValueError, match="ends too early"):
        parse_statement("(a & b")
    with pytest.raises(ValueError, match="cannot read"):
        parse_statement("a && $b")  # ('B' is a valid option id: ids may be upper case)


def test_helpers_at_most_and_exactly_one() -> None:
    s = ConflictSection.model_validate(
        with_(
            infeasible=[{"exactly_one_of": ["withdraw", "escalate"]}],
            preferences={d: {"prioritization": ["withdraw"]} for d in ("us", "ussr")},
            status_quo=None,
        )
    )
    assert all(((c >> 2) & 1) + ((c >> 3) & 1) == 1 for c in s.feasible_codes())
    s2 = ConflictSection.model_validate(
        with_(
            infeasible=[{"at_most_one_of": ["air-strike", "blockade", "withdraw"]}],
            preferences={d: {"prioritization": ["withdraw"]} for d in ("us", "ussr")},
        )
    )
    assert s2.feasible_codes().size == 4 * 2  # none or one of the three, escalate free
    assert all(bin(int(c) & 7).count("1") <= 1 for c in s2.feasible_codes())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"infeasible": [{"withdrew": True}]}, "unknown option 'withdrew'"),
        ({"irreversible": {"strike": "forward"}}, "irreversible: unknown option"),
        ({"preferences": {"us": {"prioritization": ["withdraw"]}}}, "missing ussr"),
        (
            {"preferences": {"us": {"ranking": [1, 2]}, "ussr": {"prioritization": ["withdraw"]}}},
            "are missing",
        ),
        (
            {"preferences": {"us": {"ranking": [1, 1]}, "ussr": {"prioritization": ["withdraw"]}}},
            "listed twice",
        ),
        (
            {
                "preferences": {
                    "us": {"prioritization": ["nuke"]},
                    "ussr": {"prioritization": ["withdraw"]},
                }
            },
            "unknown option 'nuke'",
        ),
        ({"status_quo": {"air-strike": True}}, "status_quo: give true/false for every option"),
        (
            {"status_quo": {"air-strike": 0, "blockade": 0, "withdraw": 1, "escalate": 1}},
            "infeasible",
        ),
        ({"infeasible": [{"at_most_one_of": ["withdraw"]}]}, "at least two"),
        (
            {"decision_makers": [{"id": "us", "options": ["x"]}, {"id": "us", "options": ["y"]}]},
            "unique",
        ),
        ({"preferences": {"us": {}, "ussr": {}}}, "exactly one of"),
    ],
)
def test_bad_input_names_the_field(change: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ConflictSection.model_validate(with_(**change))


def test_too_many_options_is_refused_before_enumeration() -> None:
    dms = [{"id": f"d{i}", "options": [f"o{i}-{k}" for k in range(13)]} for i in range(2)]
    prefs = {f"d{i}": {"prioritization": ["o0-0"]} for i in range(2)}
    with pytest.raises(ValidationError, match="at most 24"):
        ConflictSection.model_validate({"decision_makers": dms, "preferences": prefs})
