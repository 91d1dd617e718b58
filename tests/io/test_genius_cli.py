"""`accord import genius` and `accord export genius` through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from accord.cli.genius import register
from accord.io.genius import import_genius
from accord.io.scenario_file import load_scenario, parse_scenario
from accord.scenario.outcomes import utility_matrix

GENIUS_DIR = Path(__file__).parents[2].parent / "shared" / "data" / "genius"

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test harness standing in for the accord app."""

    register(app)
    return app


def laptop() -> Path:
    folder = GENIUS_DIR / "Laptop"
    if not folder.is_dir():
        pytest.skip(f"the ANAC domain folder {folder} is absent")
    return folder


def test_import_writes_a_scenario_file(tmp_path: Path) -> None:
    out = tmp_path / "laptop.yaml"
    result = runner.invoke(make_app(), ["import", "genius", str(laptop()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "laptop.yaml" in result.output and "buyer" in result.output
    written = load_scenario(out)
    expected = utility_matrix(import_genius([laptop()]))
    np.testing.assert_array_equal(utility_matrix(written), expected)


def test_import_without_output_prints_yaml() -> None:
    result = runner.invoke(make_app(), ["import", "genius", str(laptop())])
    assert result.exit_code == 0, result.output
    scenario = parse_scenario(result.stdout, file="stdout.yaml")
    assert scenario.party_ids == ("buyer", "seller")


def test_import_domain_and_profile_files_with_json(tmp_path: Path) -> None:
    folder = laptop()
    files = [
        folder / "laptop_domain.xml",
        folder / "laptop_seller_utility.xml",
        folder / "laptop_buyer_utility.xml",
    ]
    out = tmp_path / "laptop.json"
    result = runner.invoke(
        make_app(), ["import", "genius", *map(str, files), "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["parties"] == ["seller", "buyer"]  # in the order the files were given
    assert json.loads(out.read_text())["id"] == "laptop"


def test_bad_file_exits_2_with_the_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "evil_domain.xml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    result = runner.invoke(make_app(), ["import", "genius", str(bad)])
    assert result.exit_code == 2
    assert "evil_domain.xml" in result.output and "DTD" in result.output
    assert "Traceback" not in result.output


def test_export_then_import_round_trips(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    result = runner.invoke(make_app(), ["export", "genius", "logrolling", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert "logrolling-domain.xml" in result.output
    back = import_genius([folder])
    original = load_scenario("logrolling")
    np.testing.assert_allclose(utility_matrix(back), utility_matrix(original), atol=1e-12)


def test_export_json_reports_rescaled_parties(tmp_path: Path) -> None:
    result = runner.invoke(
        make_app(), ["export", "genius", "divide-the-dollar", "-o", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(summary["written"]) == 3
    assert summary["rescaled"] == {}  # each side's best split is worth 1 already


def test_export_of_unknown_scenario_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(make_app(), ["export", "genius", "no-such-thing", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "no-such-thing" in result.output
