"""`accord analyse` and the bargaining section of `accord run`, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.analyse import register
from accord.io.scenario_file import load_scenario
from accord.scenario.model import Scenario

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root so that 'analyse' stays a subcommand."""

    register(app)
    return app


def test_analyse_json_divide_the_dollar() -> None:
    result = runner.invoke(make_app(), ["analyse", "divide-the-dollar", "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert {"scenario", "outcomes", "parties", "pareto", "zopa", "solutions", "proposals"} <= set(d)
    assert d["scenario"] == "divide-the-dollar" and d["outcomes"] == 101
    assert len(d["pareto"]) == 101  # default: the whole frontier
    # Nash (1950), equal zero reservations: the even split.
    assert d["solutions"]["nash"]["outcome"] == {"share": 0.5}
    # Rubinstein (1982) with δ = 0.9 for both: 1/1.9 = 0.526 → the 0.01 grid point 0.53.
    assert d["solutions"]["rubinstein"]["outcome"]["share"] == pytest.approx(0.53)


def test_analyse_json_max_pareto_and_proposals() -> None:
    result = runner.invoke(make_app(), ["analyse", "logrolling", "--json", "--max-pareto", "2"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert len(d["pareto"]) == 2 and d["pareto_size"] > 2
    props = {p["id"]: p for p in d["proposals"]}
    # Splitting both issues gives (0.5, 0.5); trading price for delivery gives (0.7, 0.7).
    assert props["split-the-difference"]["on_frontier"] is False
    assert props["split-the-difference"]["better_for_all"]["utilities"] == pytest.approx(
        {"buyer": 0.7, "seller": 0.7}
    )
    assert props["logroll"]["on_frontier"] is True and props["logroll"]["in_zone"] is True


def test_analyse_tables_for_people() -> None:
    result = runner.invoke(make_app(), ["analyse", "hanoi-2019"])
    assert result.exit_code == 0, result.output
    for text in ("Bargaining solutions", "Named proposals", "Pareto frontier", "Nash"):
        assert text in result.stdout


def test_bad_inputs_exit_2_with_a_message(tmp_path: Path) -> None:
    app = make_app()
    missing = runner.invoke(app, ["analyse", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    limit = runner.invoke(app, ["analyse", "divide-the-dollar", "--max-outcomes", "10"])
    assert limit.exit_code == 2
    assert "more than the limit" in limit.stderr
    bare = tmp_path / "bare.yaml"
    bare.write_text("accord: 1\nid: bare\ntitle: Bare\nparties: [{id: a, name: A}]\n")
    no_issues = runner.invoke(app, ["analyse", str(bare)])
    assert no_issues.exit_code == 2
    assert "no issues" in no_issues.stderr
    negative = runner.invoke(app, ["analyse", "divide-the-dollar", "--max-pareto", "-1"])
    assert negative.exit_code == 2


def test_run_view_prints_the_computed_findings() -> None:
    from accord.app.run import run_all
    from accord.cli.analyse import render_run

    console = Console(record=True, width=120)
    er = run_all(load_scenario("hanoi-2019"), only=("analyse",), uncertainty=False).engines[
        "analyse"
    ]
    render_run(er, console)
    text = console.export_text()
    assert "Bargaining solutions" in text
    # Every finding the registry computed is printed, once: the terminal computes none itself.
    for f in er.findings:
        assert " ".join(f.text.split()) in " ".join(text.replace("• ", "").split())
    assert len(er.findings) == 2 + len(er.result.scenario.proposals)  # zone, Nash, each proposal
    json.dumps(er.result.to_dict())


def test_without_issues_the_engine_is_left_out_with_its_reason() -> None:
    from accord.app.run import run_all

    bare = Scenario.model_validate(
        {"accord": 1, "id": "bare", "title": "Bare", "parties": [{"id": "a", "name": "A"}]}
    )
    result = run_all(bare, uncertainty=False)
    assert "analyse" not in result.engines
    assert "no issues" in result.left_out["analyse"]
