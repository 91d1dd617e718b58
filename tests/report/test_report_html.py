"""The HTML report: self-contained, with every section's figures and every piece of evidence."""

from __future__ import annotations

import html as html_lib
import importlib.util
import itertools
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
    # Only in-page links: a relative or javascript: link leaves the file.
    assert len(offline_check.network_references('<a href="other.html">x</a>')) == 1
    assert len(offline_check.network_references('<a href="javascript:alert(1)">x</a>')) == 1
    assert offline_check.network_references('<a href="#ev-x">x</a>') == []


def test_report_is_self_contained(hanoi_html):
    from accord.report.html import plotly_js

    assert hanoi_html.startswith("<!DOCTYPE html>")
    assert offline_check.network_references(hanoi_html) == []
    # The vendored basic bundle is inlined exactly once (not plotly.py's full library), and
    # every figure is drawn with it.
    assert hanoi_html.count("plotly.js (basic - minified) v") == 1
    assert plotly_js()[:200].replace("</", "<\\/") in hanoi_html
    assert "plotly.js v" not in hanoi_html  # the full bundle's banner
    assert hanoi_html.count("Plotly.newPlot(") == hanoi_html.count('class="plotly-graph-div"') > 5


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
    rows = evidence_rows(s)
    assert len(rows) == len(evidence)
    # One collapsed entry per supported field, holding every quote on that field.
    fields = {r["anchor"] for r in rows}
    assert sum(hanoi_html.count(f'<details id="{a}">') for a in fields) == len(fields)
    for _path, ev in evidence:
        assert html_lib.escape(ev.quote, quote=True) in hanoi_html
    # The supported value is resolved: the US reservation is triangular [0.4, 0.5, 0.6].
    res = [r for r in rows if r["field"] == "preferences.usa.reservation"]
    assert len(res) == 2 and res[0]["value"].startswith("0.5 (triangular")
    assert res[0]["label"] == "the United States' reservation value"
    # The appendix comes last, after the engines' sections (answer first).
    assert hanoi_html.index('<section id="evidence"') > hanoi_html.index(
        '<section id="uncertainty"'
    )
    assert hanoi_html.index('<section id="briefing"') < hanoi_html.index('<section id="analyse"')


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
    evil_text = "<script>alert(1)</script>"
    party = pd_scenario.parties[0].model_copy(update={"name": evil_text})
    evil = pd_scenario.model_copy(
        update={"title": evil_text, "parties": (party, *pd_scenario.parties[1:])}
    )
    html = render_report(compute_sections(evil, only=("analyse",)), include_plotlyjs=False)
    # The party's name is in the tables, the findings, the appendix's labels and the figures'
    # JSON; the title in <title> and <h1>: everywhere escaped, never as markup.
    assert evil_text not in html
    assert "<script>alert" not in html
    assert len(re.findall(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", html)) >= 4
    assert "\\u003cscript\\u003ealert(1)" in html  # inside the figure's and the run's JSON
    assert offline_check.network_references(html) == []


def test_report_is_accessible_markup(hanoi_html):
    """Semantic HTML for screen readers (the browser-side axe check runs elsewhere)."""
    doc = offline_check.outline(hanoi_html)
    assert '<html lang="en">' in hanoi_html
    assert [level for level, _ in doc.headings].count(1) == 1
    levels = [level for level, _ in doc.headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert all(text for _, text in doc.headings)
    tags = [tag for tag, _ in doc.tags]
    assert tags.count("main") == 1
    navs = [a for tag, a in doc.tags if tag == "nav"]
    assert len(navs) == 1 and navs[0].get("aria-label")
    # Every figure is labelled with its title; every table has a caption, header cells or a
    # heading that names it; every link has text and stays in the page; every id is unique.
    assert len(doc.figures) >= 10
    for fig in doc.figures:
        assert fig.get("role") == "figure" and fig.get("aria-label"), fig
    assert 'aria-label="Utility space: outcomes, frontier, zone of agreement"' in hanoi_html
    assert doc.tables and all(t["caption"] or t["th"] for t in doc.tables)
    assert doc.links and all(link["text"] for link in doc.links)
    assert all(link["href"].startswith("#") for link in doc.links)
    assert len(doc.ids) == len(set(doc.ids))


def test_print_stylesheet_fits_figures_on_a4(hanoi_html):
    from accord.report.html import CSS, PRINT_WIDTH_PX

    assert "@page { size: A4;" in CSS
    print_rules = CSS[CSS.index("@media print") :]
    assert "max-width: 100%" in print_rules and "break-inside: avoid-page" in print_rules
    assert re.search(r"nav \{ display: none; \}", print_rules)  # no sticky bar over headings
    # A4 is 210 mm; less the 2 x 12 mm margins that leaves 186 mm = 703 CSS px (96 px per inch).
    margin_mm = float(re.search(r"@page \{ size: A4; margin: (\d+)mm", CSS).group(1))
    a4_content_px = (210 - 2 * margin_mm) / 25.4 * 96
    assert a4_content_px >= PRINT_WIDTH_PX
    assert f"width: {PRINT_WIDTH_PX}" in hanoi_html  # the beforeprint relayout
    # On screen, a link target is scrolled clear of the sticky bar.
    assert "scroll-margin-top" in CSS


def test_a_figure_the_bundle_cannot_draw_is_refused(pd_scenario, monkeypatch):
    import plotly.graph_objects as go

    from accord.report import html as report_html
    from accord.report.html import FigureError, check_figure
    from accord.report.views import SectionView

    check_figure("fine", go.Figure([go.Scatter(x=[1], y=[1]), go.Bar(x=[1], y=[2])]))
    with pytest.raises(FigureError, match=r"'heat'.*'heatmap'"):
        check_figure("heat", go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])))
    data = compute_sections(pd_scenario, only=("analyse",))
    view = SectionView("analyse", "x", (("surface-plot", go.Figure(go.Surface(z=[[1]]))),), (), ())
    monkeypatch.setattr(report_html, "section_views", lambda d: [view])
    with pytest.raises(FigureError, match="surface-plot"):
        render_report(data, include_plotlyjs=False)
