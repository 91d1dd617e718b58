"""Writing slider values back into a user's own text (src/accord/io/yaml_edit.py): only the
edited spans change, every comment and space stays, and the result loads with the new values."""

from __future__ import annotations

import difflib
import json

import pytest
import yaml

from accord.errors import ScenarioError
from accord.io.scenario_file import builtin_ids, builtin_text, parse_scenario
from accord.io.yaml_edit import write_params

EDIT = {"value": 0.3, "edited": True}


def _changed(old: str, new: str) -> list[str]:
    return [d for d in difflib.ndiff(old.splitlines(), new.splitlines()) if d[:1] in "+-"]


def test_a_bare_number_becomes_a_flow_mapping_and_its_comment_stays() -> None:
    text = "p:\n  w: 0.5   # why 0.5\n  v: 1\n"
    out = write_params(text, {("p", "w"): EDIT})
    assert out == "p:\n  w: {value: 0.3, edited: true}   # why 0.5\n  v: 1\n"


def test_a_block_mapping_keeps_its_evidence_and_gains_edited_after_the_value() -> None:
    text = "w:\n  value: 0.5  # c1\n  evidence:\n    - {source: s, quote: q}  # c2\n"
    out = write_params(text, {("w",): EDIT})
    assert out == (
        "w:\n  value: 0.3  # c1\n  edited: true\n  evidence:\n    - {source: s, quote: q}  # c2\n"
    )


def test_a_distribution_only_mapping_gets_its_point_after_the_distribution() -> None:
    text = (
        "w:\n  triangular: [0.2, 0.4, 0.6]\n  evidence:\n    - source: s\n"
        "      note: >\n        folded\n"
    )
    out = write_params(text, {("w",): {"triangular": [0.2, 0.4, 0.6], **EDIT}})
    assert _changed(text, out) == ["+   value: 0.3", "+   edited: true"]
    shifted = write_params(text, {("w",): {"triangular": [0.1, 0.3, 0.5], **EDIT}})
    assert yaml.safe_load(shifted)["w"]["triangular"] == [0.1, 0.3, 0.5]


def test_flow_mappings_and_json_stay_in_their_own_syntax() -> None:
    assert write_params("w: {value: 0.5, evidence: []}\n", {("w",): EDIT}) == (
        "w: {value: 0.3, evidence: [], edited: true}\n"
    )
    text = '{"w": {"value": 0.5}, "x": 2}'
    out = write_params(text, {("w",): EDIT})
    assert json.loads(out) == {"w": {"value": 0.3, "edited": True}, "x": 2}
    assert json.loads(write_params('{"w": 0.5}', {("w",): EDIT})) == {"w": EDIT}


def test_an_existing_edited_flag_is_rewritten_not_repeated() -> None:
    text = "w: {value: 0.5, edited: false}\n"
    assert yaml.safe_load(write_params(text, {("w",): EDIT})) == {"w": EDIT}


def test_a_field_shared_through_an_alias_is_refused_with_the_fix() -> None:
    text = "a: &x {value: 0.5}\nb: *x\n"
    with pytest.raises(ScenarioError, match="alias") as err:
        write_params(text, {("b",): EDIT})
    assert "write the shared block out in full" in str(err.value)


def test_an_unknown_path_is_refused() -> None:
    with pytest.raises(ScenarioError, match="no such field"):
        write_params("a: 1\n", {("b", "c"): EDIT})


@pytest.mark.parametrize("sid", builtin_ids())
def test_every_weight_of_every_built_in_can_be_written_back(sid: str) -> None:
    text = builtin_text(sid)
    scenario = parse_scenario(text, file=f"{sid}.yaml")
    params = {}
    for party, prefs in scenario.preferences.items():
        for issue, w in prefs.weights.items():
            new = w.model_copy(update={"value": round(w.point / 2 + 0.01, 6), "edited": True})
            params[("preferences", party, "weights", issue)] = new.model_dump()
    out = write_params(text, params)
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in out.splitlines() if line.lstrip().startswith("#")]
    again = parse_scenario(out, file=f"{sid}.yaml")
    for (_, party, _, issue), new in params.items():
        w = again.preferences[party].weights[issue]
        assert w.edited and w.point == new["value"]
        assert w.evidence == scenario.preferences[party].weights[issue].evidence
