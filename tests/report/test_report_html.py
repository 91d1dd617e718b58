"""The HTML report: self-contained, with every section's figures and every piece of evidence."""

from __future__ import annotations

import html as html_lib
import importlib.util
import re
from pathlib import Path

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
    expected = {
        "bargaining": ["fig-utility-space"],
        "simulation": ["fig-concession-curves", "fig-strategy-matrix"],
        "forecast": ["fig-forecast-trajectories"],
        "sequencing": ["fig-sequencing-gantt"],
        "sweep": ["fig-sweep-distribution", "fig-sweep-tornado"],
    }
    for key, ids in expected.items():
        if getattr(hanoi_data, key) is None:
            assert key in hanoi_data.left_out
            continue
        assert f'<section id="{key}">' in hanoi_html
        for div in ids:
            assert f'id="{div}"' in hanoi_html, div


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
    assert data.forecast is None and "stakeholders" in data.left_out["forecast"]
    assert data.conflict is not None
    html = render_report(data, include_plotlyjs=False)
    assert 'id="fig-conflict-graph"' in html
    assert '<section id="forecast">' not in html
    assert "Sections left out" in html


def test_broken_engine_does_not_stop_the_report(pd_scenario, monkeypatch):
    from accord.report import sections

    def boom(scenario, settings):
        raise RuntimeError("engine exploded")

    monkeypatch.setitem(sections.ENGINES, "conflict", boom)
    data = sections.compute_sections(pd_scenario)
    assert data.conflict is None
    assert data.left_out["conflict"].startswith("failed: RuntimeError")
    assert data.bargaining is not None


def test_html_escapes_scenario_text(pd_scenario):
    evil = pd_scenario.model_copy(update={"title": "<script>alert(1)</script>"})
    html = render_report(compute_sections(evil, only=("bargaining",)), include_plotlyjs=False)
    assert "<script>alert(1)</script>" not in html
    assert re.search(r"&lt;script&gt;alert\(1\)", html)
