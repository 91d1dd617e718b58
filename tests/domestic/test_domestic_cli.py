"""``accord ratify`` and the registered engine."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import accord
from accord.app.registry import get_spec, resolve_settings
from accord.cli.main import app


def test_ratify_json_has_the_issue_keys() -> None:
    out = CliRunner().invoke(app, ["ratify", "hanoi-2019", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert set(d["zone"]) == {"international", "two_level"}
    assert {"size", "packages"} <= set(d["win_sets"]["dprk"])
    assert d["win_sets"]["dprk"]["size"] >= len(d["win_sets"]["dprk"]["packages"])
    assert "outcome" in d["solutions"]["nash"]
    assert {"ratified", "blocked_by"} <= set(d["proposals"][0])
    assert d["findings"]


def test_ratify_tables() -> None:
    out = CliRunner().invoke(app, ["ratify", "hanoi-2019"])
    assert out.exit_code == 0, out.output
    assert "two-level zone" in out.output


def test_ratify_without_section_is_a_clear_error() -> None:
    out = CliRunner().invoke(app, ["ratify", "divide-the-dollar"])
    assert out.exit_code != 0
    assert "domestic" in out.output
    assert "Traceback" not in out.output


def test_registered_spec_headlines() -> None:
    spec = get_spec("ratify")
    s = accord.load("hanoi-2019")
    result = spec.run(spec.prepare(s, resolve_settings(spec, s).values), 0)
    h = spec.headlines(result)
    assert h["two_level_nonempty"] in (0.0, 1.0)
    assert h["two_level_size"] <= h["international_size"]
    assert 0.0 <= h["p_ratification:dprk-offer"] <= 1.0
    kinds = {f.kind for f in spec.findings(result)}
    assert "ratify.zone" in kinds
