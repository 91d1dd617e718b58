"""``accord sequence`` and the sequencing part of ``accord run``, through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.sequence import register
from accord.io.scenario_file import parse_scenario

SCENARIO = {
    "accord": 1,
    "id": "symmetric-exchange",
    "title": "One step each",
    "sequencing": {
        "max_rounds": 10,
        "within_round": "simultaneous",
        "parties": {
            "a": {"patience": 1.0, "trust": 0.9, "completion_value": 0.1},
            "b": {"patience": 1.0, "trust": 0.9, "completion_value": 0.1},
        },
        "steps": [
            {"id": "step-a", "owner": "a", "cost": 1.0, "value": 2.0},
            {"id": "step-b", "owner": "b", "cost": 1.0, "value": 2.0},
        ],
    },
}


def app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.callback()
    def _root() -> None:
        """Test root so the command keeps its name."""

    return application


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_json_has_the_issue_shape(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["sequence", write(tmp_path, SCENARIO), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["feasible"] is True
    assert data["rounds"] == 4  # the closed form at β = 0.9, G = 0.1
    assert {"round", "step", "share"} <= set(data["schedule"][0])
    assert (
        sum(r["share"] for r in data["schedule"] if r["step"] == "step-a") == 1.0
        or abs(sum(r["share"] for r in data["schedule"] if r["step"] == "step-a") - 1.0) < 1e-9
    )
    assert set(data["slack"]) == {"a", "b"} and len(data["slack"]["a"]) == 4
    assert data["blocking"] is None
    assert data["thresholds"]["a"]["trust"]["needed"] < 0.9


def test_infeasible_names_the_blocker(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SCENARIO))
    for p in data["sequencing"]["parties"].values():
        p["completion_value"] = 0.0
    result = CliRunner().invoke(
        app(), ["sequence", write(tmp_path, data), "--json", "--no-thresholds"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["feasible"] is False and out["rounds"] is None
    assert out["blocking"]["party"] in ("a", "b")
    assert 1 <= out["blocking"]["round"] <= 10


def test_tables_and_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app(), ["sequence", write(tmp_path, SCENARIO)])
    assert ok.exit_code == 0 and "Self-enforcing schedule" in ok.output
    bad = json.loads(json.dumps(SCENARIO))
    bad["sequencing"]["parties"]["a"]["trust"] = 2
    res = runner.invoke(app(), ["sequence", write(tmp_path, bad)])
    assert res.exit_code == 2
    assert "trust must lie in [0, 1]" in res.output
    missing = {k: v for k, v in SCENARIO.items() if k != "sequencing"}
    res = runner.invoke(app(), ["sequence", write(tmp_path, missing)])
    assert res.exit_code == 2 and "no 'sequencing:' section" in res.output


def test_run_section_reports_findings_or_none(engine_section) -> None:
    scenario = parse_scenario(yaml.safe_dump(SCENARIO), file="t.yaml")
    console = Console(record=True, width=120)
    er = engine_section(scenario, "sequence", console)
    assert er is not None and er.result.to_dict()["feasible"] is True
    texts = [f.text for f in er.findings]
    assert len(texts) >= 2
    assert "4 rounds" in texts[0]
    plain = parse_scenario(
        yaml.safe_dump({k: v for k, v in SCENARIO.items() if k != "sequencing"}), file="t.yaml"
    )
    assert engine_section(plain, "sequence", console) is None


def test_hanoi_fragment_merges_and_quotes_are_verbatim(engine_section) -> None:
    root = Path(__file__).resolve().parents[2]
    fragment_path = root / ".scratch" / "hanoi-sequencing.yaml"
    builtin = root / "src" / "accord" / "scenarios" / "hanoi-2019.yaml"
    base = yaml.safe_load(builtin.read_text())
    if "sequencing" not in base:
        if not fragment_path.exists():
            import pytest

            pytest.skip("hanoi sequencing fragment not present")
        base.update(yaml.safe_load(fragment_path.read_text()))
    scenario = parse_scenario(yaml.safe_dump(base, allow_unicode=True), file="hanoi")
    seeds = Path("/work/shared/seeds")
    texts = {
        "38north-2019": (seeds / "000_31eafc931587fa97.txt"),
        "ip-2019": (seeds / "001_83b64059099e7e59.txt"),
    }
    from accord.scenario.model import iter_evidence

    for path, ev in iter_evidence(scenario):
        if path[0] == "sequencing" and texts[ev.source].exists():
            assert ev.quote in texts[ev.source].read_text(), (path, ev.quote)
    er = engine_section(scenario, "sequence", Console(record=True, width=160), thresholds=False)
    assert er is not None and er.findings


def test_json_reports_first_movers_trust_path_and_levers(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SCENARIO))
    seq = data["sequencing"]
    seq["within_round"] = "sequential"
    seq["trust_model"] = "bayesian"
    for p in seq["parties"].values():
        p.update({"trust": 0.5, "completion_value": 0.6, "mimic_scale": 0.5})
    for s in seq["steps"]:
        s["value"] = 1.0
    result = CliRunner().invoke(app(), ["sequence", write(tmp_path, data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["feasible"] is True and out["rounds"] >= 1
    assert len(out["first_mover"]) == out["rounds"]
    assert set(out["first_mover"]) <= {"a", "b"}
    assert set(out["trust_path"]) == {"a", "b"}
    path = out["trust_path"]["a"]
    assert len(path) == out["rounds"] + 1 and path[0] == 0.5 and path[-1] > 0.5
    assert out["blocking"] is None
    trust = out["thresholds"]["a"]["trust"]
    assert trust["searched"] and trust["feasible_from"] <= 0.5 <= trust["feasible_to"]
    assert "old_model" in out["variants"]
