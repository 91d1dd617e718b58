"""``accord report`` and ``write_report`` through Typer's test runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.report import register, write_report

HERE = Path(__file__).parent


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


def test_report_command_writes_one_file(tmp_path):
    out = tmp_path / "pd.html"
    result = CliRunner().invoke(
        _app(), ["report", str(HERE / "pd_conflict.yaml"), "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["bytes"] == out.stat().st_size > 1_000_000
    assert 'id="fig-conflict-graph"' in out.read_text(encoding="utf-8")


def test_report_bad_input_exits_2(tmp_path):
    result = CliRunner().invoke(_app(), ["report", "no-such-scenario", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    missing_dir = tmp_path / "nowhere" / "r.html"
    result = CliRunner().invoke(_app(), ["report", "divide-the-dollar", "-o", str(missing_dir)])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_write_report_returns_the_path(tmp_path, pd_scenario):
    path = write_report(pd_scenario, tmp_path / "r.html")
    assert path.is_file()


@pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("google-chrome") is None,
    reason="static export needs a local Chromium (apt-get install chromium)",
)
def test_figures_written_as_png_and_svg(tmp_path, pd_scenario):
    figs = tmp_path / "figs"
    write_report(pd_scenario, tmp_path / "r.html", figures=figs)
    names = sorted(p.name for p in figs.iterdir())
    assert "conflict-graph.png" in names and "conflict-graph.svg" in names
    assert "utility-space.svg" in names
    png = (figs / "utility-space.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (figs / "utility-space.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Pareto frontier" in svg


def test_unsafe_figure_names_are_refused(tmp_path):
    import plotly.graph_objects as go

    from accord.report.export import ExportError, write_figures

    with pytest.raises(ExportError):
        write_figures({"../evil": go.Figure()}, tmp_path)
