"""``accord signals``, its part of ``accord run``, the registry spec, and the LP belief path."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from accord.cli.signals import register
from accord.io.scenario_file import load_scenario
from accord.signals.beliefs import feasible, region


def app() -> typer.Typer:
    a = typer.Typer()
    register(a)

    @a.command("noop")
    def _noop() -> None:  # a second command keeps Typer from collapsing to one
        pass

    return a


def test_cli_json_has_games_and_equilibria_keys() -> None:
    result = CliRunner().invoke(app(), ["signals", "hanoi-2019", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data["games"]) == ["walk-away", "moratorium"]
    eq = data["games"]["walk-away"]["equilibria"][0]
    assert {"sender", "receiver", "kind", "posteriors", "off_path_beliefs", "payoffs"} <= set(eq)
    assert isinstance(eq["intuitive"], bool)


def test_cli_one_game_and_unknown_game() -> None:
    result = CliRunner().invoke(app(), ["signals", "hanoi-2019", "--game", "moratorium"])
    assert result.exit_code == 0, result.output
    assert "cheap talk" in result.output and "walk away" not in result.output
    bad = CliRunner().invoke(app(), ["signals", "hanoi-2019", "--game", "nope"])
    assert bad.exit_code == 2
    assert "use one of: walk-away, moratorium" in bad.output


def test_run_section_reports_each_game(engine_section) -> None:
    er = engine_section(load_scenario("hanoi-2019"), "signals", Console(file=None, quiet=True))
    assert er is not None
    games = er.result.to_dict()["games"]
    assert games["walk-away"]["separating_exists"] is True
    assert games["moratorium"]["separating_exists"] is False


def test_registry_spec_headlines() -> None:
    from accord.app.registry import get_spec, resolve_settings

    s = load_scenario("hanoi-2019")
    spec = get_spec("signals")
    settings = resolve_settings(spec, s, {"thresholds": False}).values
    result = spec.run(spec.prepare(s, settings), 0)
    heads = spec.headlines(result)
    assert heads["separating:walk-away"] == 1.0 and heads["separating:moratorium"] == 0.0
    assert all(f.kind.startswith("signals.") for f in spec.findings(result))


def test_three_type_region_needs_the_lp_and_has_closed_form_bounds() -> None:
    # three "pure" actions (1 for one type, 0 otherwise) and a compromise worth c to every type:
    # the compromise is a best reply iff every μ_t <= c; with c = 0.4 that is feasible (μ = 1/3)
    # and each μ_t ranges over [1 - 2c, c] = [0.2, 0.4]; with c = 0.3 < 1/3 it is infeasible.
    for c, ok in ((0.4, True), (0.3, False)):
        ur_m = np.hstack([np.eye(3), np.full((3, 1), c)])
        assert feasible(ur_m, 3) is ok
        reg = region(ur_m, 3)
        assert (reg is not None) is ok
        if reg is not None:
            np.testing.assert_allclose(reg.lo, [0.2] * 3, atol=1e-7)
            np.testing.assert_allclose(reg.hi, [0.4] * 3, atol=1e-7)
            assert np.all(reg.witness <= 0.4 + 1e-7) and reg.witness.sum() == pytest.approx(1)
