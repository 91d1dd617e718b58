"""``accord simulate`` and the simulation part of ``accord run``, through Typer's CliRunner."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.simulate import register


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


def _run(*args: str) -> Any:
    return CliRunner().invoke(_app(), ["simulate", *args])


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
    # Rubinstein's split assumes complete information (each knows the other's walk-away value 0);
    # under the default beliefs the unknown value's prior mean 0.5 would bind instead.
    result = _run(
        "divide-the-dollar",
        "--runs",
        "1",
        "--strategy",
        "alice=rubinstein",
        "--strategy",
        "bob=rubinstein",
        "--complete-information",
        "--json",
    )
    out = json.loads(result.stdout)
    assert out["mean_rounds"] == 1 and out["information"] == "complete"
    assert out["mean_utilities"]["alice"] == pytest.approx(0.1 / 0.19, abs=0.01 * 1.9 / 0.19)
    beliefs = json.loads(
        _run(
            "divide-the-dollar", "--runs", "1", "--strategy", "alice=rubinstein",
            "--strategy", "bob=rubinstein", "--json",
        ).stdout
    )  # fmt: skip
    assert beliefs["information"] == "beliefs"
    assert beliefs["mean_utilities"]["alice"] == pytest.approx(0.5, abs=0.01)


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


def test_hanoi_with_beliefs_and_with_complete_information() -> None:
    runs = ["--runs", "1", "--json"]
    beliefs = json.loads(_run("hanoi-2019", *runs).stdout)
    complete = json.loads(_run("hanoi-2019", "--complete-information", *runs).stdout)
    assert (beliefs["information"], complete["information"]) == ("beliefs", "complete")
    assert beliefs["discounting"] == complete["discounting"] == "deals-and-walkaway"
    old = json.loads(_run("hanoi-2019", "--discounting", "deals-only", *runs).stdout)
    assert old["discounting"] == "deals-only"
    bad = _run("hanoi-2019", "--discounting", "later")
    assert bad.exit_code == 2 and "deals-and-walkaway, deals-only" in bad.output
