"""The core commands: list, show, validate, schema, evidence, run, and start-up time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.schema import scenario_schema

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


def test_list_json() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    ids = {row["id"] for row in json.loads(result.stdout)["scenarios"]}
    assert {"hanoi-2019", "divide-the-dollar", "logrolling"} <= ids


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "accord" in result.stdout


def test_show_and_validate() -> None:
    assert runner.invoke(app, ["show", "hanoi-2019"]).exit_code == 0
    result = runner.invoke(app, ["validate", "hanoi-2019", "--json"])
    assert json.loads(result.stdout)["valid"] is True


def test_schema_is_shipped_and_current() -> None:
    shipped = ROOT / "src" / "accord" / "schema" / "scenario-v1.json"
    assert json.loads(shipped.read_text()) == scenario_schema(), (
        "regenerate with: accord schema -o src/accord/schema/scenario-v1.json"
    )
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout)["title"] == "Accord scenario, version 1"


def test_schema_accepts_the_builtin_scenarios() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from accord.io.scenario_file import builtin_ids, builtin_text, parse_yaml

    for sid in builtin_ids():
        data, _ = parse_yaml(builtin_text(sid), sid)
        jsonschema.validate(data, scenario_schema())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds (the Hanoi source texts) is absent")
def test_hanoi_evidence_is_in_the_sources() -> None:
    result = runner.invoke(app, ["evidence", "hanoi-2019", "--sources", str(SEEDS), "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, [c for c in report["checks"] if c["found"] is not True]
    assert report["quotes"] >= 20 and report["missing"] == 0


def test_evidence_reports_a_missing_quote(tmp_path: Path) -> None:
    (tmp_path / "src.txt").write_text("The leaders met in Hanoi and left without a deal.")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "accord: 1\nid: ev\ntitle: ev\nsources: [{id: src, title: S}]\n"
        "parties:\n  - id: a\n    name: A\n    evidence:\n"
        '      - {source: src, quote: "left  without a DEAL"}\n'
        "      - {source: src, quote: signed a treaty}\n"
    )
    result = runner.invoke(app, ["evidence", str(scenario), "--sources", str(tmp_path), "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [c["found"] for c in report["checks"]] == [True, False]


def test_run_json_has_the_scenario_and_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["run", "divide-the-dollar", "--json", "--report", str(report)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scenario"] == "divide-the-dollar"
    assert out["engines"]["analyse"]["zopa"]["size"] == 101  # every split beats no deal at 0
    assert out["accord_version"] and out["seed"] == 0 and "analyse" in out["settings"]
    assert out["report"] == str(report) and report.stat().st_size > 100_000


def test_help_starts_quickly() -> None:
    cmd = [
        sys.executable,
        "-c",
        "import sys; sys.argv=['accord','--help']; from accord.cli.main import main; main()",
    ]
    subprocess.run(cmd, capture_output=True, check=False)  # warm the file cache
    best = min(_timed(cmd) for _ in range(3))
    assert best < 0.5, f"accord --help took {best:.2f} s"


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - start
