"""``accord information``: the JSON shape of issue 12 (item 7) and bad flags."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def test_json_holds_every_regime_in_the_issue_shape() -> None:
    result = runner.invoke(app, ["information", "hanoi-2019", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out["regimes"]) == {"complete", "leaders", "working_level", "broker"}
    issues = {"denuclearisation", "sanctions-relief", "security-assurance", "verification"}
    for regime in out["regimes"].values():
        assert regime["offers"] and set(regime["offers"][0]) == {"round", "outcome", "p_accept"}
        assert set(regime["offers"][0]["outcome"]) == issues
        assert 0.0 <= regime["p_agreement"] <= 1.0
        assert set(regime["expected_utilities"]) == {"usa", "dprk"}
        assert 0.0 <= regime["p_impasse_despite_zone"] <= 1.0
    assert {f["kind"] for f in out["findings"]} >= {"information.impasse", "information.signal"}


def test_screening_flags_change_the_protocol() -> None:
    result = runner.invoke(
        app, ["information", "hanoi-2019", "--protocol", "screening", "--rounds", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["protocol"] == "screening" and out["rounds"] == 3
    assert len(out["regimes"]["leaders"]["offers"]) <= 3


def test_bad_flags_exit_with_a_message() -> None:
    for args in (["--protocol", "auction"], ["--rounds", "0"], ["--proposer", "rok"]):
        result = runner.invoke(app, ["information", "hanoi-2019", *args])
        assert result.exit_code == 2, (args, result.output)


def test_terminal_output_states_the_findings() -> None:
    result = runner.invoke(app, ["information", "hanoi-2019"])
    assert result.exit_code == 0, result.output
    assert "leaders' summit" in result.output and "South Korea" in result.output
