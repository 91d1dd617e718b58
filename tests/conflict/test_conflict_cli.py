"""``accord stability`` and the ``accord run`` section, through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.stability import register
from accord.io.scenario_file import load_scenario

ELMIRA_LIKE = {
    "accord": 1,
    "id": "mini-conflict",
    "title": "Prisoner's dilemma as a graph model",
    "conflict": {
        "decision_makers": [
            {"id": "row", "options": ["row-defects"]},
            {"id": "col", "options": ["col-defects"]},
        ],
        "preferences": {
            "row": {"ranking": [2, 1, 4, 3]},
            "col": {"ranking": [3, 1, 4, 2]},
        },
        "status_quo": {"row-defects": False, "col-defects": False},
    },
}


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # a group, so the command keeps its name
        pass

    return app


def test_stability_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(yaml.safe_dump(ELMIRA_LIKE))
    result = CliRunner().invoke(_app(), ["stability", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["states"][3] == {
        "number": 4,
        "code": 3,
        "options": {"row-defects": True, "col-defects": True},
    }
    assert data["equilibria"]["nash"] == [4]
    assert data["equilibria"]["seq"] == [1, 4]
    assert data["stability"]["row"]["nash"] == [2, 4]
    assert set(data["stability"]["col"]) >= {"nash", "gmr", "smr", "seq"}


def test_stability_coalition_and_table(tmp_path: Path) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(yaml.safe_dump(ELMIRA_LIKE))
    result = CliRunner().invoke(
        _app(), ["stability", str(path), "--coalition", "row+col", "--json"]
    )
    assert result.exit_code == 0, result.output
    co = json.loads(result.stdout)["coalition"]
    assert co["improvements"]["4"] == [1]  # together they escape mutual defection
    assert co["equilibria"]["nash"] == []
    table = CliRunner().invoke(_app(), ["stability", str(path), "--coalition", "row+col"])
    assert table.exit_code == 0
    assert "Nash equilibria" in table.stdout


def test_bad_coalition_and_missing_section(tmp_path: Path) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(yaml.safe_dump(ELMIRA_LIKE))
    bad = CliRunner().invoke(_app(), ["stability", str(path), "--coalition", "row+ussr"])
    assert bad.exit_code == 2
    assert "unknown decision maker 'ussr'" in bad.output
    plain = dict(ELMIRA_LIKE)
    del plain["conflict"]
    path.write_text(yaml.safe_dump(plain))
    missing = CliRunner().invoke(_app(), ["stability", str(path)])
    assert missing.exit_code == 2
    assert "no 'conflict:' section" in missing.output


def test_run_view_section(tmp_path: Path, engine_section) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(yaml.safe_dump(ELMIRA_LIKE))
    console = Console(record=True, width=120)
    er = engine_section(load_scenario(str(path)), "stability", console)
    assert er is not None
    assert er.result.to_dict()["equilibria"]["nash"] == [4]
    assert any("status quo" in f.text for f in er.findings)
    text = console.export_text()
    assert "What would break" in text
    plain = dict(ELMIRA_LIKE)
    del plain["conflict"]
    path.write_text(yaml.safe_dump(plain))
    assert engine_section(load_scenario(str(path)), "stability", console) is None
