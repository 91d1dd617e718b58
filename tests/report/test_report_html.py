"""The HTML report: self-contained, with every section's figures and every piece of evidence."""

from __future__ import annotations

import html as html_lib
import importlib.util
import re
from pathlib import Path

import pytest

from accord.report import compute_sections, evidence_rows, render_report
from accord.scenario.model import iter_evidence

_spec = importlib.util.spec_from_file_location(
    "offline_check_report", Path(__file__).with_name("offline_check.py")
)
assert _spec and _spec.loader
offline_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offline_check)


def test_checker_catches_network_references():
    bad = (
        '<script src="https://cdn.plot.ly/x.js"></script><link href="//x/y.css">'
        '<style>@import "a.css"; body{background:url(http://x/y.png)}</style>'
        '<img src="http://x/a.png">'
    )
    assert len(offline_check.network_references(bad)) >= 4
    assert offline_check.network_references("<p>https://example.org as text</p>") == []


def test_report_is_self_contained(hanoi_html):
    assert hanoi_html.startswith("<!DOCTYPE html>")
    assert offline_check.network_references(hanoi_html) == []
    # Plotly's library is inlined exactly once, and every figure uses it.
    assert hanoi_html.count("<script>") >= 1
    assert "Plotly.newPlot" in hanoi_html
    assert len(hanoi_html.encode()) > 3_000_000  # plotly.min.js (~4.6 MB) is inside


def test_report_has_each_engines_figures(hanoi_data, hanoi_html):
    # Every engine runs on the Hanoi scenario: nothing is left out.
    assert dict(hanoi_data.left_out) == {}
    expected = {
        "analyse": ["fig-utility-space"],
        "simulate": ["fig-concession-curves", "fig-strategy-matrix"],
        "forecast": ["fig-forecast-trajectories"],
        "uncertainty": ["fig-sweep-distribution", "fig-sweep-tornado"],
        "information": ["fig-information-regimes"],
        "signals": ["fig-signals-walk-away", "fig-signals-moratorium"],
        "ratify": ["fig-ratify-win-sets"],
    }
    for key, ids in expected.items():
        assert f'<section id="{key}">' in hanoi_html
        for div in ids:
            assert f'id="{div}"' in hanoi_html, div
    for key in hanoi_data.run.engines:
        assert f'<section id="{key}">' in hanoi_html
    # The Gantt chart is drawn only when a schedule exists.
    feasible = hanoi_data.engine("sequence").result.analysis.schedule.feasible
    assert ('id="fig-sequencing-gantt"' in hanoi_html) == feasible


def test_every_evidence_quote_is_in_an_expandable_item(hanoi_data, hanoi_html):
    s = hanoi_data.scenario
    evidence = iter_evidence(s)
    assert len(evidence) > 10
    assert hanoi_html.count("<details>") == len(evidence)
    for _path, ev in evidence:
        assert html_lib.escape(ev.quote, quote=True) in hanoi_html
    rows = evidence_rows(s)
    # The supported value is resolved: the US reservation is triangular [0.4, 0.5, 0.6].
    res = [r for r in rows if r["field"] == "preferences.usa.reservation"]
    assert res and res[0]["value"].startswith("0.5 (triangular")


def test_sections_left_out_are_named(pd_scenario):
    data = compute_sections(pd_scenario)
    assert data.engine("forecast") is None and "stakeholders" in data.left_out["forecast"]
    assert data.engine("stability") is not None
    html = render_report(data, include_plotlyjs=False)
    assert 'id="fig-conflict-graph"' in html
    assert '<section id="forecast">' not in html
    assert "Sections left out" in html


def test_a_crash_in_an_engine_propagates_rather_than_leaving_a_section_out(
    pd_scenario, monkeypatch
):
    # Only expected conditions (no section, refused input, a missing extra) leave a section
    # out; a bug must not pass as a report with a note (docs/architecture.md, "Errors").
    import dataclasses

    from accord.app import registry

    specs = registry.all_specs()

    def boom(prepared, seed):
        raise RuntimeError("engine exploded")

    broken = dataclasses.replace(specs["stability"], run=boom)
    monkeypatch.setattr(registry, "_CACHE", {**specs, "stability": broken})
    with pytest.raises(RuntimeError, match="engine exploded"):
        compute_sections(pd_scenario)


def test_html_escapes_scenario_text(pd_scenario):
    evil = pd_scenario.model_copy(update={"title": "<script>alert(1)</script>"})
    html = render_report(compute_sections(evil, only=("analyse",)), include_plotlyjs=False)
    assert "<script>alert(1)</script>" not in html
    assert re.search(r"&lt;script&gt;alert\(1\)", html)
