"""``accord init``: the file it writes validates, nothing is overwritten, bad ids are refused."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.scenario_file import load_scenario
from accord.scenario.model import iter_evidence

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _init(*args: str) -> object:
    return runner.invoke(app, ["init", *args])


def test_the_default_file_validates(tmp_path: Path) -> None:
    out = tmp_path / "talks.yaml"
    result = _init("talks", "--out", str(out))
    assert result.exit_code == 0, result.output
    checked = runner.invoke(app, ["validate", str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    info = json.loads(checked.stdout)
    assert info == {"scenario": "talks", "valid": True, "parties": 2, "issues": 2, "evidence": 2}


def test_the_ids_given_are_used_and_the_analysis_runs(tmp_path: Path) -> None:
    import accord

    out = tmp_path / "trade.yaml"
    result = _init(
        "trade", "--parties", "buyer,seller,broker", "--issues", "price, delivery ,volume",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    s = load_scenario(out)
    assert [p.id for p in s.parties] == ["buyer", "seller", "broker"]
    assert [i.id for i in s.issues] == ["price", "delivery", "volume"]
    assert set(s.preferences) == {"buyer", "seller", "broker"}
    # The midpoint proposal sits halfway along every issue; with linear value functions a party's
    # utility there is 0.5 whatever its weights and whichever way its values run.
    analysis = accord.analyse(s).to_dict()
    [mid] = [p for p in analysis["proposals"] if p["id"] == "split-the-difference"]
    assert mid["utilities"] == pytest.approx({"buyer": 0.5, "seller": 0.5, "broker": 0.5})
    # Opposed interests: the first party wants more of every issue, the second less.
    assert {s.preferences["buyer"].values[i.id] for i in s.issues} == {"increasing"}
    assert {s.preferences["seller"].values[i.id] for i in s.issues} == {"decreasing"}


def test_ids_yaml_would_read_as_other_things_are_quoted(tmp_path: Path) -> None:
    """``yes`` is true, ``null`` nothing and ``123`` a number to YAML; they are still ids."""
    out = tmp_path / "s.yaml"
    result = _init(
        "123", "--parties", "yes,no,On", "--issues", "null,0x1F,true", "--out", str(out)
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    s = load_scenario(out)
    assert s.id == "123"
    assert [p.id for p in s.parties] == ["yes", "no", "On"]
    assert [i.id for i in s.issues] == ["null", "0x1F", "true"]
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("# 123: ")


def test_placeholders_are_marked_and_counted(tmp_path: Path) -> None:
    out = tmp_path / "talks.yaml"
    result = _init("talks", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    todo = sum(1 for line in text.splitlines() if "TODO" in line)
    assert f"replace the {todo} lines marked TODO" in result.output
    assert f"accord validate {out}" in result.output
    data = yaml.safe_load(text)
    # Every piece of text the user must write is a placeholder that says so.
    assert data["title"].startswith("TODO")
    assert all(p["name"].startswith("TODO") for p in data["parties"])
    assert all(i["name"].startswith("TODO") for i in data["issues"])
    assert data["sources"][0]["title"].startswith("TODO")
    # ... and the file explains itself in comments.
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 15


def test_the_file_carries_evidence_examples_and_a_source_url(tmp_path: Path) -> None:
    out = tmp_path / "talks.yaml"
    assert _init("talks", "--out", str(out)).exit_code == 0
    s = load_scenario(out)
    cited = {ev.source for _, ev in iter_evidence(s)}
    assert cited == {"source-1"}
    src = s.source("source-1")
    assert src.url is not None and src.url.startswith("https://") and src.file
    # An uncertain number is shown too: the second party's reservation is a distribution.
    assert s.preferences["party-b"].reservation.uncertain


def test_the_default_file_name_is_the_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _init("my-talks").exit_code == 0
    assert load_scenario(tmp_path / "my-talks.yaml").id == "my-talks"


def test_an_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "talks.yaml"
    out.write_text("my own notes\n", encoding="utf-8")
    result = _init("talks", "--out", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    forced = _init("talks", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert load_scenario(out).id == "talks"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bad id"], r"NAME \(the scenario's id\): 'bad id' is not a valid id"),
        (["ok", "--parties", "usa,north korea"], r"--parties: 'north korea' is not a valid id"),
        (["ok", "--parties", "usa,-dprk"], r"--parties: '-dprk' is not a valid id"),
        (["ok", "--issues", "price\x1b[31m"], r"--issues: .* contains a control character"),
        (["ok", "--issues", "a" * 65], r"--issues: .* at most 64 are allowed"),
        (["ok", "--parties", "usa,USA"], r"--parties repeats 'USA'"),
        (["ok", "--parties", "usa"], r"--parties names 1; a scenario needs at least 2"),
        (["ok", "--issues", "price,,delivery"], r"--issues has an empty id"),
        (["ok", "--issues", ""], r"--issues names 0; a scenario needs at least 1"),
    ],
)
def test_bad_ids_are_refused(tmp_path: Path, args: list[str], expected: str) -> None:
    out = tmp_path / "s.yaml"
    result = _init(*args, "--out", str(out))
    assert result.exit_code == 2
    assert re.search(expected, result.output), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not out.exists()


def test_only_yaml_files_and_not_folders(tmp_path: Path) -> None:
    result = _init("talks", "--out", str(tmp_path / "talks.json"))
    assert result.exit_code == 2 and "give --out a name ending in .yaml" in result.output
    folder = tmp_path / "talks.yaml"
    folder.mkdir()
    result = _init("talks", "--out", str(folder))
    assert result.exit_code == 2 and "is a folder" in result.output


def test_init_heads_the_help() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=80)
    commands = re.findall(r"^  (\w+)\s", result.output.split("Commands:")[1], flags=re.M)
    assert commands[0] == "init"


def test_the_template_is_shipped_as_package_data() -> None:
    """The template must match a package-data glob, or a wheel would ship without it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["accord"]
    package = ROOT / "src" / "accord"
    shipped = {p for g in globs for p in package.glob(g)}
    template = package / "scenarios" / "templates" / "scenario.yaml.tmpl"
    assert template.is_file()
    assert template in shipped, (
        "add 'scenarios/templates/*.tmpl' to [tool.setuptools.package-data] accord in pyproject"
    )
