"""A third-party engine added through the entry-point group reaches every surface.

Two files install it: its module (tests/app/toy_engine.py) and an entry point
(``toy = toy_engine:SPEC`` in group ``accord.engines``), written here as a ``*.dist-info`` folder
on the path — what ``pip install`` of a plug-in package leaves behind (docs/architecture.md,
"Adding an engine").
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.app import registry

HERE = Path(__file__).parent


@pytest.fixture
def toy_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copy(HERE / "toy_engine.py", tmp_path / "toy_engine.py")
    info = tmp_path / "accord_toy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: accord-toy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[accord.engines]\ntoy = toy_engine:SPEC\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.reset_registry()
    yield tmp_path
    registry.reset_registry()
    sys.modules.pop("toy_engine", None)


def test_the_toy_engine_reaches_every_surface(toy_installed: Path, tmp_path: Path) -> None:
    from accord.cli.main import app

    assert "toy" in registry.all_specs()
    runner = CliRunner()
    # accord run: the terminal and the JSON.
    text = runner.invoke(app, ["run", "logrolling", "--no-report"])
    assert text.exit_code == 0, text.output
    assert "Toy engine" in text.stdout and "The toy engine counts 2 issues." in text.stdout
    out = runner.invoke(app, ["run", "logrolling", "--no-report", "--json"])
    data = json.loads(out.stdout)
    assert data["engines"]["toy"]["headlines"] == {"toy_count": 2.0}
    assert data["engines"]["toy"]["settings"]["sources"] == {"bonus": "default"}
    # The report.
    from accord.io.scenario_file import load_scenario
    from accord.report import compute_sections, render_report

    html = render_report(compute_sections(load_scenario("logrolling")), include_plotlyjs=False)
    assert '<section id="toy">' in html and "The toy engine counts 2 issues." in html
    # The web app's answer: its engines run in worker processes, which find the plug-in the way
    # any process does — on the path of the server that `accord serve` starts.
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    answer = _web_answer(tmp_path, "logrolling")
    assert answer["result"]["engines"]["toy"]["headlines"] == {"toy_count": 2.0}
    assert "toy" in {s["key"] for s in answer["sections"]}
    # A sweep with the toy engine (the logrolling weights are point values: sample them).
    from accord.uncertainty import plan_sweep, run_sweep, scenario_params

    s = load_scenario("logrolling")
    params = [p for p in scenario_params(s) if p.path[0] == "preferences"][:2]
    plan = plan_sweep(s, "toy", samples=4, seed=1, params=params, options={"bonus": 1.0})
    table = run_sweep(plan, str(tmp_path / "store"), executor="serial").table
    assert table.column("toy_count").to_pylist() == [3.0] * 4


def _web_answer(path: Path, scenario_id: str) -> dict:
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path), *sys.path])}
    cmd = [sys.executable, "-c", "from accord.cli.main import main; main()", "serve"]
    proc = subprocess.Popen([*cmd, "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                opened = urllib.request.urlopen(f"{url}/api/scenarios/{scenario_id}", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        text = json.loads(opened.read())["text"]
        req = urllib.request.Request(
            url + "/api/evaluate",
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json", "X-Accord-Request": "1"},
        )
        with urllib.request.urlopen(req, timeout=120) as r:
            return dict(json.loads(r.read()))
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_a_plugin_that_is_not_a_spec_is_refused(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "bad_engine.py").write_text("SPEC = 42\n")
    info = tmp_path / "accord_bad-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: accord-bad\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[accord.engines]\nbad = bad_engine:SPEC\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.reset_registry()
    try:
        with pytest.raises(TypeError, match="is not an EngineSpec"):
            registry.all_specs()
    finally:
        registry.reset_registry()
