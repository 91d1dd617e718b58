"""Every file in examples/ runs as a user would run it, and says what it should.

Python examples run in a child process with a timeout, the YAML scenario goes through the loader
and ``accord validate``, and ``cli.sh`` runs through the installed ``accord`` entry point. The
numbers the examples print are checked against an independent reading of the scenario files:
the linear-additive utilities of docs/models.md, computed here from the raw YAML.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.scenario_file import builtin_text, load_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TESTED = {
    "README.md", "quickstart.py", "analyse_hanoi.py", "what_if.py", "my_first_scenario.yaml",
    "sources/interview-notes.txt", "cli.sh",
}  # fmt: skip
runner = CliRunner()


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The venv's scripts first, so cli.sh finds the `accord` installed with this Python.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def _python(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, str(EXAMPLES / name), *args], cwd)


# --- an independent reading of a scenario file ----------------------------------------------


def _point(p: Any) -> float:
    """The point value of a parameter as the file writes it (docs/scenario-format.md)."""
    if isinstance(p, int | float):
        return float(p)
    if "value" in p:
        return float(p["value"])
    if "triangular" in p:
        return float(p["triangular"][1])  # the mode
    if "uniform" in p:
        lo, hi = p["uniform"]
        return (lo + hi) / 2
    if "normal" in p:
        return float(p["normal"][0])
    raise AssertionError(f"this reading does not know {p}")


def _utilities(raw: dict[str, Any], outcome: dict[str, Any]) -> dict[str, float]:
    """u_p(x) = sum_j w_pj v_pj(x_j) / sum_j w_pj; a numeric issue's value runs linearly from 0
    at one end of its range to 1 at the other."""
    issues = {i["id"]: i for i in raw["issues"]}
    out = {}
    for party, pref in raw["preferences"].items():
        weights = {k: _point(w) for k, w in pref["weights"].items()}
        total = 0.0
        for issue, w in weights.items():
            vf = pref["values"][issue]
            x = outcome[issue]
            if isinstance(vf, dict):
                v = _point(vf[x])
            else:
                lo, hi = issues[issue]["range"]
                v = (x - lo) / (hi - lo) if vf == "increasing" else (hi - x) / (hi - lo)
            total += w * v
        out[party] = total / sum(weights.values())
    return out


def _packages(raw: dict[str, Any]) -> list[dict[str, Any]]:
    axes = []
    for i in raw["issues"]:
        if "options" in i:
            axes.append(list(i["options"]))
        else:
            lo, hi = i["range"]
            n = round((hi - lo) / i["step"]) + 1
            axes.append([lo + k * i["step"] for k in range(n)])
    ids = [i["id"] for i in raw["issues"]]
    return [dict(zip(ids, combo, strict=True)) for combo in itertools.product(*axes)]


def _bargaining(raw: dict[str, Any]) -> tuple[int, dict[str, float]]:
    """The zone of agreement's size, and each proposal's margin (the smallest gain over the
    reservation value of any party), from first principles."""
    reservation = {
        p: _point(pref.get("reservation", 0.0)) for p, pref in raw["preferences"].items()
    }

    def gains(outcome: dict[str, Any]) -> list[float]:
        u = _utilities(raw, outcome)
        return [u[p] - reservation[p] for p in u]

    zone = sum(1 for x in _packages(raw) if min(gains(x)) >= -1e-9)
    margins = {pr["id"]: min(gains(pr["outcome"])) for pr in raw.get("proposals", ())}
    return zone, margins


def _hanoi() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(builtin_text("hanoi-2019"))
    return raw


# --- the examples ----------------------------------------------------------------------------


def test_every_example_is_tested() -> None:
    present = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.is_file()}
    present = {p for p in present if "__pycache__" not in p}
    assert present == TESTED, "a new example needs a test here (or a removed one its test removed)"


def test_quickstart_runs_every_engine_and_prints_the_briefing(tmp_path: Path) -> None:
    # divide-the-dollar rather than the default hanoi-2019: the same code, in seconds, not 30 s.
    res = _python("quickstart.py", "divide-the-dollar", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    raw = yaml.safe_load(builtin_text("divide-the-dollar"))
    assert f"{raw['title']} (parties: 2, issues: 1)" in res.stdout
    assert re.search(r"^engines run: analyse, simulate$", res.stdout, flags=re.M)
    assert "left out stability: the scenario has no 'conflict:' section" in res.stdout
    assert f"## Briefing: {raw['title']}" in res.stdout
    # Both reservation values are 0, so every split of the dollar clears them: n of n packages.
    n = len(_packages(raw))
    assert n == 101
    assert f"A deal exists: {n} of {n} packages" in res.stdout
    assert list(tmp_path.iterdir()) == []  # it writes nothing


def test_quickstart_reports_a_bad_scenario_without_a_traceback(tmp_path: Path) -> None:
    res = _python("quickstart.py", "no-such-file.yaml", cwd=tmp_path)
    assert res.returncode == 2
    assert "no-such-file.yaml: no such file" in res.stderr and "Traceback" not in res.stderr


def test_analyse_hanoi_prints_the_zone_and_the_margins(tmp_path: Path) -> None:
    res = _python("analyse_hanoi.py", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    zone, margins = _bargaining(_hanoi())
    assert "deal possible: yes" in res.stdout and zone > 0
    assert f"packages in the zone of agreement: {zone}\n" in res.stdout
    for pr in _hanoi()["proposals"]:
        assert f"margin of {pr['name']!r}: {margins[pr['id']]:+.3f}" in res.stdout
    assert "The Nash bargaining solution is" in res.stdout


def _table(stdout: str) -> dict[str, tuple[float, float]]:
    rows = re.findall(r"^(\S+)\s+(-?\d+\.\d{3})\s+(-?\d+\.\d{3})$", stdout, flags=re.M)
    return {k: (float(a), float(b)) for k, a, b in rows}


def test_what_if_compares_before_and_after(tmp_path: Path) -> None:
    res = _python("what_if.py", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "what if the DPRK's weight on sanctions relief were 0.5 instead of 0.3?" in res.stdout
    table = _table(res.stdout)
    before = _hanoi()
    after = _hanoi()
    after["preferences"]["dprk"]["weights"]["sanctions-relief"] = 0.5
    for raw, column in ((before, 0), (after, 1)):
        zone, margins = _bargaining(raw)
        assert table["zone_size"][column] == zone
        for pid, m in margins.items():
            assert table[f"margin:{pid}"][column] == pytest.approx(m, abs=5e-4)
    assert table["zone_size"][0] != table["zone_size"][1]  # the change changes the answer


def test_what_if_refuses_an_unknown_field(tmp_path: Path) -> None:
    res = _python("what_if.py", "preferences.usa.weights.nothing", "0.4", cwd=tmp_path)
    assert res.returncode == 2
    assert "preferences.usa.weights.nothing" in res.stderr and "Traceback" not in res.stderr
    res = _python("what_if.py", "preferences.usa.weights.verification", "lots", cwd=tmp_path)
    assert res.returncode == 2 and "must be a number" in res.stderr


def test_my_first_scenario_validates_and_its_evidence_is_in_its_source() -> None:
    path = EXAMPLES / "my_first_scenario.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    quotes = re.findall(r"^\s+quote: (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    assert info == {
        "scenario": raw["id"],
        "valid": True,
        "parties": len(raw["parties"]),
        "issues": len(raw["issues"]),
        "evidence": len(quotes),
    }
    checked = runner.invoke(
        app, ["evidence", str(path), "--sources", str(EXAMPLES / "sources"), "--json"]
    )
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["found"] == len(quotes)
    # The engines read the file as written: proposal utilities by hand equal the analysis's.
    analysis = runner.invoke(app, ["analyse", str(path), "--json"])
    proposals = json.loads(analysis.stdout)["proposals"]
    assert [p["id"] for p in proposals] == [p["id"] for p in raw["proposals"]]
    for p, written in zip(proposals, raw["proposals"], strict=True):
        assert p["utilities"] == pytest.approx(_utilities(raw, written["outcome"]))
    s = load_scenario(path)
    assert s.preferences["sam"].reservation.uncertain  # the example shows a distribution


def test_cli_sh_runs_through_the_installed_command(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    assert (Path(sys.executable).parent / "accord").exists(), "install Accord: pip install -e ."
    res = _run([bash, str(EXAMPLES / "cli.sh")], tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr
    out = res.stdout
    assert "Built-in scenarios" in out and "divide-the-dollar" in out
    assert "valid: job-offer (2 parties, 3 issues, 5 evidence items)" in out
    assert "Bargaining analysis of job-offer" in out
    assert "5 of 5 quotes found; 0 missing, 0 without a source text." in out
    assert re.search(r"wrote \S+/trade-talks\.yaml: replace the \d+ lines marked TODO", out)
    assert "valid: trade-talks (2 parties, 2 issues" in out
    assert re.search(r"wrote the analysis as JSON \(\s*\d{4,} bytes\)", out)
    assert list(tmp_path.iterdir()) == []  # its files went to a temporary folder, now removed


def test_cli_sh_names_only_real_commands() -> None:
    """Commented-out lines too: a renamed command must not linger in the examples."""
    import typer.main

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    text = (EXAMPLES / "cli.sh").read_text(encoding="utf-8")
    used = set(re.findall(r"^[#\s]*accord (\w+)", text, flags=re.M))
    assert {"list", "show", "validate", "analyse", "evidence", "init", "run"} <= used
    assert used <= commands, used - commands
