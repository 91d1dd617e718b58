"""CLI: `accord forecast` on a scenario and on CSV files, and the `accord run` section."""

import json
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.forecast import register
from accord.io.scenario_file import parse_scenario

EC_CSV = """actor,capability,position,salience
Netherlands,0.08,4,0.8
Belgium,0.08,7,0.4
Luxembourg,0.03,4,0.2
Germany,0.16,4,0.8
France,0.16,10,0.6
Italy,0.16,10,0.6
UK,0.16,10,0.9
Ireland,0.05,7,0.1
Denmark,0.05,4,1.0
Greece,0.08,7,0.7
"""

SCENARIO = """
accord: 1
id: tiny
title: Tiny
parties: [{id: a, name: A}, {id: b, name: B}]
stakeholders:
  dimensions: [{id: relief, name: Relief, low: none, high: all}]
  actors:
    - {id: a, party: a, capability: 100, positions: {relief: 20}, salience: {relief: 0.9}}
    - {id: b, party: b, capability: 40, positions: {relief: 90}, salience: {relief: 1.0}}
    - {id: c, capability: 30, positions: {relief: 60}, salience: {relief: 0.8}}
"""


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Test root."""

    return app


def test_csv_json_reproduces_ec_case(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "ec.csv"
    path.write_text(EC_CSV)
    result = CliRunner().invoke(app, ["forecast", str(path), "--json", "--rounds", "10"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "scholz"
    dim = data["dimensions"]["issue"]
    assert dim["rounds"][0]["round"] == 0
    assert dim["rounds"][0]["positions"]["Belgium"] == 7.0
    assert round(dim["rounds"][0]["mean"], 5) == 7.38996
    assert round(dim["forecast"], 4) == 7.2421
    offers = {o["actor"]: o for o in dim["rounds"][1]["offers"]}
    assert offers["Belgium"]["sender"] == "France" and offers["Belgium"]["kind"] == "compromise"


@pytest.mark.parametrize("model", ["compromise", "median", "bdm"])
def test_scenario_models(app: typer.Typer, tmp_path: Path, model: str) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(SCENARIO)
    result = CliRunner().invoke(app, ["forecast", str(path), "--model", model, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    forecast = data["dimensions"]["relief"]["forecast"]
    if model == "compromise":
        w = [90.0, 40.0, 24.0]
        assert forecast == pytest.approx((20 * 90 + 90 * 40 + 60 * 24) / sum(w))
    elif model == "median":
        assert forecast == 20.0  # a holds 90 of 154 weight units
    assert 20.0 <= forecast <= 90.0


def test_table_output(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "ec.csv"
    path.write_text(EC_CSV)
    result = CliRunner().invoke(app, ["forecast", str(path)])
    assert result.exit_code == 0, result.output
    assert "Belgium compromises with France" in result.output
    assert "forecast:" in result.output


def test_bad_inputs_give_one_paragraph_errors(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("actor,capability,position,salience\nA,1,5,0.5\nB,x,6,0.5\n")
    result = CliRunner().invoke(app, ["forecast", str(bad)])
    assert result.exit_code == 2
    assert "line 3" in result.output and "capability" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["forecast", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    no_section = tmp_path / "plain.yaml"
    no_section.write_text("accord: 1\nid: plain\ntitle: Plain\n")
    result = CliRunner().invoke(app, ["forecast", str(no_section)])
    assert result.exit_code == 2 and "stakeholders" in result.output
    result = CliRunner().invoke(app, ["forecast", str(bad), "--model", "nonsense"])
    assert result.exit_code == 2


def test_run_view_section(engine_section) -> None:
    scenario = parse_scenario(SCENARIO, file="tiny.yaml")
    console = Console(record=True, width=120)
    er = engine_section(scenario, "forecast", console)
    assert er is not None
    assert set(er.result.to_dict()["dimensions"]) == {"relief"}
    assert len(er.findings) >= 2
    assert "Stakeholder forecast" in console.export_text()
    plain = parse_scenario("accord: 1\nid: plain\ntitle: Plain\n", file="p.yaml")
    assert engine_section(plain, "forecast", console) is None


def test_run_section_on_builtin_hanoi(engine_section) -> None:
    from accord.io.scenario_file import load_scenario

    scenario = load_scenario("hanoi-2019")
    section = scenario.stakeholders
    if section is None:
        pytest.skip("the stakeholders fragment is not merged into hanoi-2019 yet")
    er = engine_section(scenario, "forecast", Console(record=True, width=120))
    assert er is not None
    assert {"sanctions-relief", "denuclearisation-pace"} <= set(er.result.to_dict()["dimensions"])
    ids = {a.id for a in section.actors}
    assert {"usa", "dprk", "south-korea", "china", "russia", "japan"} <= ids
