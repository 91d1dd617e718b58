"""The registered ``sequence`` engine: settings, structured findings, headlines."""

from __future__ import annotations

import json

import pytest
import yaml

from accord.io.scenario_file import parse_scenario

from .test_sequencing_cli import SCENARIO


def test_spec_runs_and_says_which_assumption_carries_the_result() -> None:
    from accord.app.engines.sequence import SPEC, SequenceSettings
    from accord.app.registry import Absent, Finding

    data = json.loads(json.dumps(SCENARIO))
    data["sequencing"]["within_round"] = "sequential"
    for p in data["sequencing"]["parties"].values():
        p["first_move_cost"] = 0.2
    scenario = parse_scenario(yaml.safe_dump(data), file="t.yaml")
    prepared = SPEC.prepare(scenario, SequenceSettings(thresholds=False))
    result = SPEC.run(prepared, 0)
    found = SPEC.findings(result)
    assert all(isinstance(f, Finding) and f.kind.startswith("sequence.") for f in found)
    last = found[-1]
    assert last.kind == "sequence.assumptions"
    by = last.values["rounds_by_assumption"]
    # the closed form at β = 0.9, G = 0.1 under the old model (issue 6): 4 rounds
    assert by["old_model"] == 4
    heads = SPEC.headlines(result)
    assert heads["schedule_exists"] in (0.0, 1.0) and heads["schedule_exists_old_model"] == 1.0
    json.dumps(result.to_dict())
    plain = parse_scenario(
        yaml.safe_dump({k: v for k, v in SCENARIO.items() if k != "sequencing"}), file="t.yaml"
    )
    with pytest.raises(Absent):
        SPEC.prepare(plain, SequenceSettings())
