"""``accord simulate`` and the simulation part of ``accord run``, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.simulate import register, run_section
from accord.io.scenario_file import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.simulation import SimulationSection

FRAGMENT = Path(__file__).resolve().parents[2] / ".scratch" / "hanoi-simulation.yaml"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


def _run(*args: str) -> Any:
    return CliRunner().invoke(_app(), ["simulate", *args])


class _WithSection:
    """A scenario with a ``simulation`` section, until the model carries the field itself."""

    def __init__(self, scenario: Scenario, section: SimulationSection) -> None:
        self._scenario = scenario
        self.simulation = section

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scenario, name)


def hanoi_with_section() -> Any:
    scenario = load_scenario("hanoi-2019")
    if getattr(scenario, "simulation", None) is not None:
        return scenario
    if not FRAGMENT.exists():
        pytest.skip("the hanoi simulation fragment has been merged elsewhere")
    data = yaml.safe_load(FRAGMENT.read_text())["simulation"]
    return _WithSection(scenario, SimulationSection.model_validate(data))


def test_simulate_json_has_the_documented_keys() -> None:
    result = _run(
        "divide-the-dollar",
        "--strategy",
        "alice=boulware:e=0.2",
        "--strategy",
        "bob=random",
        "--rounds",
        "30",
        "--runs",
        "200",
        "--seed",
        "1",
        "--json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["runs"] == 200 and 0 <= out["agreement_rate"] <= 1
    assert set(out["mean_utilities"]) == {"alice", "bob"}
    assert out["strategies"] == {"alice": "boulware", "bob": "random"}
    assert out["seed"] == 1 and out["deadline"] == 30
    assert sum(a["count"] for a in out["agreements"]) <= 200
    assert all(set(a["outcome"]) == {"share"} for a in out["agreements"])
    again = json.loads(
        _run(
            "divide-the-dollar",
            "--strategy",
            "alice=boulware:e=0.2",
            "--strategy",
            "bob=random",
            "--rounds",
            "30",
            "--runs",
            "200",
            "--seed",
            "1",
            "--json",
        ).stdout
    )
    assert again["agreements"] == out["agreements"]


def test_one_run_prints_the_offer_trace() -> None:
    result = _run(
        "divide-the-dollar",
        "--runs",
        "1",
        "--rounds",
        "10",
        "--strategy",
        "alice=linear",
        "--strategy",
        "bob=linear",
        "--json",
    )
    out = json.loads(result.stdout)
    assert out["runs"] == 1 and out["trace"][0]["proposer"] == "alice"
    last = out["trace"][-1]
    assert out["agreement_rate"] == 1.0  # linear agents on a divisible pie always meet
    assert list(last["responses"].values()) == ["accept"]
    assert out["agreements"][0]["outcome"] == last["outcome"]
    table = _run("divide-the-dollar", "--runs", "1", "--rounds", "10")
    assert table.exit_code == 0 and "Offer trace" in table.stdout


def test_rubinstein_through_the_cli_matches_the_closed_form() -> None:
    # divide-the-dollar: both discount at 0.9, Alice proposes first: (1 − 0.9)/(1 − 0.81).
    result = _run(
        "divide-the-dollar",
        "--runs",
        "1",
        "--strategy",
        "alice=rubinstein",
        "--strategy",
        "bob=rubinstein",
        "--json",
    )
    out = json.loads(result.stdout)
    assert out["mean_rounds"] == 1
    assert out["mean_utilities"]["alice"] == pytest.approx(0.1 / 0.19, abs=0.01 * 1.9 / 0.19)


def test_tournament_json_covers_every_pair() -> None:
    result = _run("divide-the-dollar", "--tournament", "--runs", "20", "--rounds", "20", "--json")
    assert result.exit_code == 0, result.output
    t = json.loads(result.stdout)["tournament"]
    assert len(t["cells"]) == len(t["rows"]) ** 2 and "working-level" in t["rows"]
    hard = next(c for c in t["cells"] if c["row"] == "hardliner" and c["column"] == "hardliner")
    assert hard["mean_utilities"]["alice"] <= 1.0


@pytest.mark.parametrize(
    "args,message",
    [
        (["divide-the-dollar", "--strategy", "carol=linear"], "no party 'carol'"),
        (["divide-the-dollar", "--strategy", "alice=fast"], "unknown strategy 'fast'"),
        (["divide-the-dollar", "--runs", "0"], "--runs must be between 1"),
        (["divide-the-dollar", "--rounds", "0"], "--rounds must be between 1"),
        (["no-such-scenario"], "no-such-scenario"),
        ([], "give a SCENARIO"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_list_strategies() -> None:
    out = json.loads(_run("--list-strategies", "--json").stdout)
    names = {s["name"] for s in out["strategies"]}
    assert {"boulware", "grit", "working-level", "rubinstein"} <= names


def test_run_section_is_none_without_a_section() -> None:
    assert run_section(load_scenario("divide-the-dollar"), Console(quiet=True)) is None


def test_run_section_for_hanoi_reports_matrix_grid_and_findings() -> None:
    scenario = hanoi_with_section()
    console = Console(record=True, width=160)
    out = run_section(scenario, console)
    assert out is not None
    text = console.export_text()
    assert "Strategy matrix" in text and "holds out" in text
    exponents = scenario.simulation.sweep.exponents
    assert len(out["exponent_grid"]["cells"]) == len(exponents) ** 2
    assert 2 <= len(out["findings"]) <= 4
    rates = [c["agreement_rate"] for c in out["exponent_grid"]["cells"]]
    deals = sum(r > 0 for r in rates)
    assert f"a deal happens in {deals} of {len(rates)}" in " ".join(out["findings"])
    json.dumps(out)  # JSON-able
