"""One question, one number: the terminal's JSON, the report's embedded data and the web app's
answer agree on every headline (docs/architecture.md, "The life of one accord run").

Run on hanoi-2019, logrolling, and a random variant of Hanoi (every section present, every
uncertain parameter drawn from its distribution with a seed).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.scenario_file import load_scenario, scenario_to_yaml

pytest.importorskip("fastapi", reason="the web extra is not installed")

runner = CliRunner()


def _random_hanoi(tmp_path: Path) -> str:
    from accord.uncertainty import sample_matrix, substitute, uncertain_params

    s = load_scenario("hanoi-2019")
    params = uncertain_params(s)
    row = sample_matrix(params, 1, seed=2026, sampler="random")[0]
    path = tmp_path / "random-hanoi.yaml"
    path.write_text(scenario_to_yaml(substitute(s, params, row)), encoding="utf-8")
    return str(path)


def _headlines(data: dict) -> dict[str, dict[str, float]]:
    return {k: v["headlines"] for k, v in data["engines"].items()}


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].keys() == b[key].keys(), key
        for name, x in a[key].items():
            y = b[key][name]
            if x is None or (isinstance(x, float) and math.isnan(x)):
                assert y is None or (isinstance(y, float) and math.isnan(y)), (key, name)
            else:
                assert x == y, (key, name, x, y)


@pytest.mark.parametrize("which", ["hanoi-2019", "logrolling", "random"])
def test_every_surface_gives_the_same_numbers(which: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from accord.web.app import create_app

    ref = _random_hanoi(tmp_path) if which == "random" else which
    report = tmp_path / "report.html"
    out = runner.invoke(app, ["run", ref, "--json", "--report", str(report)])
    assert out.exit_code == 0, out.output
    cli = json.loads(out.stdout)
    if which == "logrolling":  # a bargaining-only scenario: the other engines have no section
        assert all(
            "has no" in r or "no bargaining parameter" in r for r in cli["left_out"].values()
        )
        assert "analyse" in cli["engines"] and "simulate" in cli["engines"]
    elif which == "random":  # every distribution was drawn: nothing is left to sample
        assert set(cli["left_out"]) == {"uncertainty"}, cli["left_out"]
    else:
        assert cli["left_out"] == {}, cli["left_out"]
    html = report.read_text(encoding="utf-8")
    embedded = json.loads(
        re.search(r'<script type="application/json" id="accord-data">(.*?)</script>', html).group(1)
    )
    client = TestClient(
        create_app(compute_seconds=600, allowed_hosts=("testserver",)),
        headers={"X-Accord-Request": "1"},
    )
    text = Path(ref).read_text() if which == "random" else None
    if text is None:
        text = client.get(f"/api/scenarios/{ref}").json()["text"]
    web = client.post("/api/evaluate", json={"text": text}).json()["result"]
    _same(_headlines(cli), _headlines(embedded))
    _same(_headlines(cli), _headlines(web))
    for data in (embedded, web):
        assert data["seed"] == cli["seed"] == 0
    if "uncertainty" in cli:
        for data in (embedded, web):
            assert data["uncertainty"]["probability_deal"] == cli["uncertainty"]["probability_deal"]
    # The settings that made those numbers are recorded, with where each came from.
    sim = cli["engines"].get("simulate")
    if sim is not None and which != "logrolling":
        assert sim["settings"]["sources"]["deadline"] == "scenario"
        assert np.isfinite(sim["headlines"]["agreement_rate"])
