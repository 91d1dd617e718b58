"""CLI: accord sweep, accord runs list|show|export, and the section of accord run."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pcsv
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.sweep import register
from accord.io.scenario_file import load_scenario

app = typer.Typer()


@app.callback()
def _root() -> None:
    """Test app."""


register(app)
runner = CliRunner()


def test_sweep_json_then_runs_list_show_export(tmp_path: Path) -> None:
    store = str(tmp_path / "runs")
    args = ["sweep", "hanoi-2019", "--samples", "500", "--seed", "3", "--executor", "serial",
            "--store", store, "--target", "margin:us-position>=0", "--json"]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["samples"] == 500 and out["seed"] == 3
    assert 0.0 < out["summary"]["in_zone:us-position"]["mean"] < 1.0
    assert out["tornado"]["rows"][0]["parameter"] == "preferences.dprk.reservation"
    assert out["what_would_it_take"]["changes"]
    sweep_id = out["sweep_id"]

    listed = json.loads(runner.invoke(app, ["runs", "list", "--store", store, "--json"]).stdout)
    assert [(r["id"], r["done"], r["status"]) for r in listed["sweeps"]] == [
        (sweep_id, 500, "complete")
    ]
    shown = runner.invoke(app, ["runs", "show", sweep_id, "--store", store, "--json"])
    assert json.loads(shown.stdout)["summary"]["deal_possible"]["rows"] == 500
    csv = tmp_path / "out.csv"
    assert (
        runner.invoke(app, ["runs", "export", sweep_id, "-o", str(csv), "--store", store]).exit_code
        == 0
    )
    assert pcsv.read_csv(csv).num_rows == 500
    # The same command again is refused without --resume, and served with it.
    assert runner.invoke(app, args).exit_code == 2
    again = json.loads(runner.invoke(app, [*args, "--resume"]).stdout)
    assert again["summary"] == out["summary"]


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    store = ["--store", str(tmp_path)]
    cases = [
        (["sweep", "hanoi-2019", "--engine", "nope", *store], "unknown engine 'nope'"),
        (["sweep", "hanoi-2019", "--samples", "0", *store], "--samples must be between"),
        (["sweep", "hanoi-2019", "--sampler", "mc", *store], "unknown sampler 'mc'"),
        (["sweep", "hanoi-2019", "--target", "x=1", "--samples", "5", *store], "OUTPUT>=NUMBER"),
        (["sweep", "divide-the-dollar", *store], "no uncertain parameters"),
        (["runs", "show", "missing-sweep", *store], "no sweep 'missing-sweep'"),
    ]
    for args, message in cases:
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert message in " ".join(res.output.split()), (args, res.output)


def test_run_summary_reports_probability_and_three_changes() -> None:
    from accord.app.registry import Absent
    from accord.app.uncertainty import uncertainty_summary
    from accord.cli.run_view import print_uncertainty

    console = Console(record=True, width=120)
    summary = uncertainty_summary(load_scenario("hanoi-2019"))
    section = summary.to_dict()
    assert section["probability_deal"] == 1.0  # every sampled world keeps a zone
    props = {p["id"]: p for p in section["proposals"]}
    assert not props["dprk-offer"]["acceptable_at_point"]
    assert 0.0 < props["us-position"]["probability_acceptable"] < 1.0
    changes = section["what_would_it_take"]["changes"]
    assert len(changes) == 3
    assert changes[0]["sentence"] == "the DPRK's reservation value 0.01 lower (0.5 → 0.49)"
    print_uncertainty(summary, console)
    assert "Deal under uncertainty" in console.export_text()
    with pytest.raises(Absent):
        uncertainty_summary(load_scenario("divide-the-dollar"))
