"""The self-contained HTML report: one file, Plotly's JavaScript inlined, no network at view time.

:func:`render_report` lays the report out answer first: the briefing (with a note naming every
value a user edited), one section per engine (findings, key numbers, tables, figures) from
:func:`accord.report.views.section_views`, the scenario's parties, issues, preferences and
proposals, and last an appendix with every piece of evidence, grouped by what it supports and
labelled in words (:func:`accord.app.labels.field_label`). Every number that has evidence links to
its quotes (``#ev-…``) and every appendix entry links back to where the number is used; a value
whose :attr:`~accord.scenario.base.Param.edited` is set is marked "edited" wherever it appears.

The page uses only inline ``<style>`` and ``<script>``; no ``src=``, ``href=`` or CSS ``url(``
points outside the file, so it opens offline and can be mailed. The JavaScript is Plotly's *basic*
partial bundle (scatter, bar and pie traces; vendored in ``accord/report/vendor``, see its
README), about a quarter of the full library, so the Hanoi report stays under 2 MB; a figure with
any other trace type is refused (:class:`FigureError`) rather than drawn blank.

Example::

    >>> import accord
    >>> from accord.report.sections import compute_sections
    >>> html = build_report_html(accord.load("divide-the-dollar"), include_plotlyjs=False)
    >>> html.startswith("<!DOCTYPE html>") and "Divide the dollar" in html
    True
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from accord import __version__
from accord.app.labels import field_label, party_name
from accord.errors import format_path
from accord.report.sections import ReportData, compute_sections, section_title
from accord.report.views import SectionView, Table, section_views
from accord.scenario.base import Distribution, Evidence, FrozenModel, Param
from accord.scenario.model import Scenario, iter_evidence, iter_instances

PLOTLY_BUNDLE = "plotly-basic.min.js"
"""The vendored plotly.js partial bundle (``accord/report/vendor/``; version in its README)."""

BASIC_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
"""The trace types the basic bundle draws; a figure with any other type is refused."""

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "svg"},
}

PRINT_WIDTH_PX = 680
"""Figure width on paper: A4 (210 mm) less 2 × 12 mm margins is 186 mm, about 700 CSS pixels."""


class FigureError(ValueError):
    """A report figure uses a trace type that the inlined Plotly bundle cannot draw."""


def plotly_js_path() -> Path:
    """Where the vendored bundle lies (for Kaleido or a web server that serves the file)."""
    return Path(str(resources.files("accord.report").joinpath("vendor", PLOTLY_BUNDLE)))


@cache
def plotly_js() -> str:
    """The text of the vendored plotly.js basic bundle, as the report inlines it."""
    return plotly_js_path().read_text(encoding="utf-8")


CSS = """
:root { --ink:#1d2330; --muted:#4f5868; --line:#d5dbe5; --accent:#1a5396; --bg:#f6f8fb;
  --edited:#8a1c14; --edited-bg:#fde8e6; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0; background: var(--bg); }
header { background: #14213d; color: #fff; padding: 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 4px 0; color: #d5dbe8; max-width: 70em; }
nav { padding: 8px 40px; background: #fff; border-bottom: 1px solid var(--line); position: sticky;
  top: 0; z-index: 5; white-space: nowrap; overflow-x: auto; }
a { color: var(--accent); }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
nav a:hover, nav a:focus { text-decoration: underline; }
main { padding: 16px 40px 60px; max-width: 1200px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 24px;
  margin: 18px 0; }
h2 { margin-top: 0; font-size: 19px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
/* A link target never hides under the sticky bar (one line high: it scrolls sideways). */
[id] { scroll-margin-top: 64px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 12px 4px 0; text-align: left;
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
a.ev { color: var(--accent); text-decoration: underline dotted; }
a.ev:hover, a.ev:focus { text-decoration: underline solid; }
.edited { display: inline-block; margin-left: 4px; padding: 0 5px; border-radius: 3px;
  background: var(--edited-bg); color: var(--edited); font-size: 12px; font-weight: 600; }
p.edited-note, div.edited-note { background: var(--edited-bg); color: var(--edited);
  border-left: 4px solid var(--edited); padding: 8px 12px; border-radius: 4px; }
ul.findings { background: #eef4fb; border-left: 4px solid var(--accent);
  padding: 10px 10px 10px 30px; border-radius: 4px; }
details { margin: 6px 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
details summary { cursor: pointer; font-weight: 600; }
details:target, tr:target, td:target, a:target { outline: 3px solid #c9a227; }
blockquote { margin: 6px 0; padding: 2px 10px; border-left: 3px solid #c9a227;
  background: #fffbea; }
.muted { color: var(--muted); font-size: 13px; }
.figure { margin: 10px 0; max-width: 100%; }
code { background: #eef0f4; padding: 0 4px; border-radius: 3px; overflow-wrap: anywhere; }
header code { background: #2a3a5e; color: #fff; }
ul.toc { columns: 2; padding-left: 20px; }
@media (max-width: 600px) {
  header, nav, main { padding-left: 14px; padding-right: 14px; }
  nav { position: static; white-space: normal; }
  section { padding: 12px 14px; }
  table { display: block; overflow-x: auto; }
  ul.toc { columns: 1; }
}
@page { size: A4; margin: 12mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  nav { display: none; }
  header { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid #000; }
  header p { color: var(--ink); }
  header code { background: #eef0f4; color: var(--ink); }
  main { padding: 0; max-width: 100%; }
  section { border: none; padding: 0; margin: 14px 0; }
  [id] { scroll-margin-top: 0; }
  h2, h3, summary { break-after: avoid-page; }
  .figure, .figure .plotly-graph-div, table, blockquote { break-inside: avoid-page; }
  .figure, .figure .plotly-graph-div, .figure .svg-container, .figure svg { max-width: 100%; }
  .modebar-container { display: none; }
  a.ev { text-decoration: none; }
}
"""

# Opens the collapsed appendix entry (or option table) a fragment link points into, and on paper
# lays every figure out at the page's width and opens every entry, restoring both afterwards.
SCRIPT = """
(function () {
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (var p = el; p; p = p.parentElement) { if (p.tagName === "DETAILS") p.open = true; }
    if (el && el.scrollIntoView) el.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("DOMContentLoaded", function () { if (location.hash) reveal(); });
  var closed = [];
  function plots() { return document.querySelectorAll(".js-plotly-plot"); }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      closed.push(d); d.open = true; });
    if (!window.Plotly) return;
    plots().forEach(function (gd) { Plotly.relayout(gd, {autosize: false, width: PRINT_WIDTH}); });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; }); closed = [];
    if (!window.Plotly) return;
    plots().forEach(function (gd) { Plotly.relayout(gd, {autosize: true, width: null}); });
  });
})();
""".replace("PRINT_WIDTH", str(PRINT_WIDTH_PX))


def _e(text: Any) -> str:
    return _html.escape(str(text), quote=True)


def _script_json(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _fmt_param(p: Any) -> str:
    if isinstance(p, Param):
        if p.dist is not None:
            dist: Distribution = p.dist
            args = ", ".join(f"{a:g}" for a in dist.args)
            return f"{p.point:g} ({dist.kind.value} [{args}])"
        return f"{p.point:g}"
    if isinstance(p, float | int):
        return f"{p:g}"
    return str(p)


def _resolve(obj: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(obj, FrozenModel) and isinstance(part, str):
            obj = getattr(obj, part, None)
        elif isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, tuple | list) and isinstance(part, int):
            obj = obj[part] if 0 <= part < len(obj) else None
        else:
            return None
    return obj


def _anchor(path: tuple[str | int, ...]) -> str:
    """A fragment id for the evidence of a field: ``ev-preferences-usa-reservation``."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", format_path(path) or "scenario").strip("-")
    return f"ev-{slug}"


# ----------------------------------------------------------------------------------------------
# Evidence: one entry per supported field, with every quote on it.


@dataclass
class EvidenceEntry:
    """The evidence on one field: its path, label, value, edited flag and quotes."""

    path: tuple[str | int, ...]
    anchor: str
    label: str
    value: str
    edited: bool
    items: list[Evidence] = field(default_factory=list)
    uses: list[tuple[str, str, str]] = field(default_factory=list)
    """Where the report shows the field: (fragment id, words, section id), filled in while
    rendering."""


def evidence_entries(scenario: Scenario) -> dict[tuple[str | int, ...], EvidenceEntry]:
    """Every field that has evidence, in document order, with its quotes gathered."""
    out: dict[tuple[str | int, ...], EvidenceEntry] = {}
    taken: set[str] = set()
    for path, ev in iter_evidence(scenario):
        assert isinstance(ev, Evidence)
        # The evidence sits at <field>.evidence[k]; the supported value is <field>.
        fp = path[:-2] if len(path) >= 2 and path[-2] == "evidence" else path
        entry = out.get(fp)
        if entry is None:
            target = _resolve(scenario, fp)
            anchor = _anchor(fp)
            k = 2
            while anchor in taken:  # two paths that differ only in punctuation
                anchor = f"{_anchor(fp)}-{k}"
                k += 1
            taken.add(anchor)
            entry = out[fp] = EvidenceEntry(
                path=fp,
                anchor=anchor,
                label=field_label(scenario, fp),
                value=_fmt_param(target) if isinstance(target, Param | float | int) else "",
                edited=isinstance(target, Param) and target.edited,
            )
        entry.items.append(ev)
    return out


def evidence_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """Every evidence item: the field it supports (path and label), the field's value, whether a
    user edited it, its fragment id in the report, source, quote and note."""
    titles = {s.id: s.title for s in scenario.sources}
    rows = []
    for entry in evidence_entries(scenario).values():
        for ev in entry.items:
            rows.append(
                {
                    "field": format_path(entry.path) or "scenario",
                    "label": entry.label,
                    "value": entry.value,
                    "edited": entry.edited,
                    "anchor": entry.anchor,
                    "source": ev.source,
                    "source_title": titles.get(ev.source, ev.source),
                    "quote": ev.quote,
                    "note": ev.note,
                }
            )
    return rows


class _Links:
    """Links between the numbers the report shows and their evidence in the appendix."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.entries = evidence_entries(scenario)
        self._ids: set[str] = set()

    def value(
        self, path: tuple[str | int, ...], text: str, where: str, section: str = "scenario"
    ) -> str:
        """``text`` (already escaped) for the field at ``path``: a link to its evidence when it
        has some (recording ``where`` it is used, in which ``section``, for the link back), and
        an "edited" mark when the field is a parameter a user edited."""
        param = _resolve(self.scenario, path)
        mark = _EDITED if isinstance(param, Param) and param.edited else ""
        entry = self.entries.get(path)
        if entry is None:
            return text + mark
        use = f"use-{entry.anchor[3:]}"
        k = 2
        while use in self._ids:
            use = f"use-{entry.anchor[3:]}-{k}"
            k += 1
        self._ids.add(use)
        entry.uses.append((use, where, section))
        n = len(entry.items)
        title = f"{n} quote{'s' if n != 1 else ''}: the evidence for {entry.label}"
        return (
            f'<a class="ev" id="{use}" href="#{entry.anchor}" title="{_e(title)}">{text}</a>{mark}'
        )


_EDITED = (
    ' <span class="edited" title="a user changed this value; its quotes supported the original">'
    "edited</span>"
)


# ----------------------------------------------------------------------------------------------
# The scenario.


def _scenario_section(s: Scenario, links: _Links) -> str:
    parts = ['<section id="scenario">']
    parts.append("<h2>The scenario</h2>")
    if s.parties:
        parts.append(
            '<h3 id="scenario-parties">Parties</h3><table aria-labelledby="scenario-parties">'
            '<tr><th scope="col">id</th><th scope="col">name</th>'
            '<th scope="col">description</th></tr>'
        )
        for k, party in enumerate(s.parties):
            name = links.value(("parties", k), _e(party.name), "the scenario's parties")
            parts.append(
                f"<tr><td><code>{_e(party.id)}</code></td><td>{name}</td>"
                f"<td>{_e(party.description or '')}</td></tr>"
            )
        parts.append("</table>")
    if s.issues:
        parts.append(
            '<h3 id="scenario-issues">Issues</h3><table aria-labelledby="scenario-issues">'
            '<tr><th scope="col">issue</th><th scope="col">values</th></tr>'
        )
        for k, i in enumerate(s.issues):
            if i.options is not None:
                vals = "; ".join(_e(i.label(o)) for o in i.options)
            else:
                assert i.range is not None and i.step is not None
                vals = f"{i.range[0]:g} to {i.range[1]:g} in steps of {i.step:g}"
            name = links.value(("issues", k), _e(i.name or i.id), "the scenario's issues")
            parts.append(f"<tr><td>{name}</td><td>{vals}</td></tr>")
        parts.append("</table>")
    if s.preferences:
        parts.append(_preferences_tables(s, links))
    if s.proposals:
        parts.append(
            '<h3 id="scenario-proposals">Named proposals</h3>'
            '<table aria-labelledby="scenario-proposals">'
            '<tr><th scope="col">proposal</th><th scope="col">by</th>'
            '<th scope="col">package</th></tr>'
        )
        for k, prop in enumerate(s.proposals):
            pkg = "; ".join(f"{_e(key)}: {_e(v)}" for key, v in prop.outcome.items())
            name = links.value(("proposals", k), _e(prop.name or prop.id), "the named proposals")
            by = _e(party_name(s, prop.by)) if prop.by else ""
            parts.append(f"<tr><td>{name}</td><td>{by}</td><td>{pkg}</td></tr>")
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _preferences_tables(s: Scenario, links: _Links) -> str:
    pids = [p for p in s.party_ids if p in s.preferences]
    where = "the scenario's preferences table"
    parts = [
        '<h3 id="scenario-preferences">Preferences</h3><p class="muted">Weights are shown '
        "normalised to sum to 1 for each party; a dotted number links to its evidence.</p>"
        '<table aria-labelledby="scenario-preferences"><tr><th scope="col">parameter</th>'
    ]
    parts += [f'<th scope="col" class="num">{_e(party_name(s, p))}</th>' for p in pids]
    parts.append("</tr>")
    for i in s.issues:
        parts.append(f'<tr><th scope="row">weight on {_e(i.name or i.id)}</th>')
        for p in pids:
            pref = s.preferences[p]
            w = pref.normalised_weights().get(i.id)
            if w is None:
                parts.append('<td class="num">-</td>')
                continue
            cell = links.value(("preferences", p, "weights", i.id), f"{w:.2f}", where)
            parts.append(f'<td class="num">{cell}</td>')
        parts.append("</tr>")
    rows = [("reservation value", "reservation"), ("discount per round", "discount")]
    if any(s.preferences[p].outside_option is not None for p in pids):
        rows.append(("outside option (plan B)", "outside_option"))
    for label, attr in rows:
        parts.append(f'<tr><th scope="row">{label}</th>')
        for p in pids:
            v = getattr(s.preferences[p], attr)
            cell = "-" if v is None else links.value(("preferences", p, attr), _e(_fmt_param(v)),
                                                     where)  # fmt: skip
            parts.append(f'<td class="num">{cell}</td>')
        parts.append("</tr>")
    parts.append("</table>")
    # The value of each option, per party: collapsed, so the scenario stays short.
    value_rows = []
    for i in s.issues:
        if i.options is None:
            continue
        for o in i.options:
            cells = []
            for p in pids:
                vf = s.preferences[p].values.get(i.id)
                if isinstance(vf, dict) and o in vf:
                    path = ("preferences", p, "values", i.id, o)
                    cells.append(links.value(path, f"{vf[o].point:g}", "the option values table"))
                else:
                    cells.append("-")
            if any(c != "-" for c in cells):
                value_rows.append(
                    f'<tr><th scope="row">{_e(i.label(o))} <span class="muted">'
                    f"({_e(i.name or i.id)})</span></th>"
                    + "".join(f'<td class="num">{c}</td>' for c in cells)
                    + "</tr>"
                )
    if value_rows:
        parts.append(
            '<details id="option-values"><summary>Value of each option to each party</summary>'
            '<table><caption class="muted">Utility of each option on its issue (0 to 1)</caption>'
            '<tr><th scope="col">option</th>'
            + "".join(f'<th scope="col" class="num">{_e(party_name(s, p))}</th>' for p in pids)
            + "</tr>"
            + "".join(value_rows)
            + "</table></details>"
        )
    return "".join(parts)


# ----------------------------------------------------------------------------------------------
# Figures.


def check_figure(name: str, fig: Any) -> None:
    """Refuse a figure the basic bundle cannot draw (it would show an empty frame)."""
    for trace in fig.data:
        kind = trace.type or "scatter"
        if kind not in BASIC_TRACE_TYPES:
            raise FigureError(
                f"the report figure '{name}' has a '{kind}' trace, which the report's Plotly "
                f"bundle ({PLOTLY_BUNDLE}: {', '.join(sorted(BASIC_TRACE_TYPES))}) cannot draw; "
                "draw it with scatter, bar or pie traces"
            )


def _figure_title(name: str, fig: Any) -> str:
    title = fig.layout.title.text if fig.layout.title is not None else None
    text = re.sub(r"<[^>]*>", " ", str(title or "")).strip()
    return re.sub(r"\s+", " ", text) or name.replace("-", " ")


class _Figures:
    """Plotly figures as ``<div>`` + ``Plotly.newPlot``, each layout template written once."""

    def __init__(self) -> None:
        self.templates: list[str] = []

    def div(self, fig: Any, name: str) -> str:
        import plotly.io as pio

        check_figure(name, fig)
        spec = json.loads(pio.to_json(fig, validate=False))
        layout = spec.get("layout", {})
        template = layout.pop("template", None)
        ref = "null"
        if template is not None:
            # Template entries for trace types the bundle lacks are dead weight.
            data = template.get("data")
            if isinstance(data, dict):
                template["data"] = {k: v for k, v in data.items() if k in BASIC_TRACE_TYPES}
            text = _script_json(template)
            if text not in self.templates:
                self.templates.append(text)
            ref = f"ACCORD_TEMPLATES[{self.templates.index(text)}]"
        div_id = f"fig-{name}"
        height = layout.get("height")
        style = f"height:{int(height)}px; width:100%;" if height else "height:450px; width:100%;"
        title = _figure_title(name, fig)
        return (
            f'<div class="figure" role="figure" aria-label="{_e(title)}">'
            f'<div id="{_e(div_id)}" class="plotly-graph-div" style="{style}"></div>'
            f"<script>(function(){{var l={_script_json(layout)};l.template={ref};"
            f'if(window.Plotly&&document.getElementById("{_e(div_id)}"))'
            f'Plotly.newPlot("{_e(div_id)}",{_script_json(spec.get("data", []))},l,'
            f"{_script_json(PLOTLY_CONFIG)});}})();</script></div>"
        )

    def templates_script(self) -> str:
        return "<script>var ACCORD_TEMPLATES=[" + ",".join(self.templates) + "];</script>"


# ----------------------------------------------------------------------------------------------
# Sections.


def _fact_paths(s: Scenario) -> dict[str, tuple[str | int, ...]]:
    """The key numbers that restate a scenario parameter (for the link to its evidence)."""
    out: dict[str, tuple[str | int, ...]] = {}
    for pid in s.preferences:
        out[f"{party_name(s, pid)}: reservation value"] = ("preferences", pid, "reservation")
    return out


def _table(t: Table, key: str, links: _Links, where: str) -> str:
    """A view's table, every cell escaped. A table that names the scenario field behind each cell
    (an optional ``paths`` attribute: rows of field paths or None, parallel to ``rows``) links
    those cells to their evidence and marks edited ones, as the scenario's tables do."""
    paths = getattr(t, "paths", None) or ()
    parts = [f'<table id="table-{_e(key)}-{_e(t.name)}"><caption>{_e(t.title)}</caption>']
    if t.columns:
        parts.append("<tr>" + "".join(f'<th scope="col">{_e(c)}</th>' for c in t.columns) + "</tr>")
    for k, row in enumerate(t.rows):
        row_paths = paths[k] if k < len(paths) else ()
        cells = []
        for j, cell in enumerate(row):
            path = row_paths[j] if j < len(row_paths) else None
            text = _e(cell) if path is None else links.value(tuple(path), _e(cell), where, key)
            cells.append(f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def _engine_section(view: SectionView, links: _Links, figs: _Figures) -> str:
    key = _e(view.key)
    parts = [f'<section id="{key}"><h2>{_e(view.title)}</h2>']
    if view.findings:
        parts.append('<ul class="findings">')
        parts += [f"<li>{_e(f)}</li>" for f in view.findings]
        parts.append("</ul>")
    # The figures come right after the findings: the answer first, the numbers behind it next.
    for name, fig in view.figures:
        parts.append(figs.div(fig, name))
    if view.facts:
        paths = _fact_paths(links.scenario)
        parts.append(f'<table><caption class="muted">Key numbers: {_e(view.title)}</caption>')
        for label, value in view.facts:
            text = _e(value)
            if label in paths:
                where = f"the key numbers of {view.title}"
                text = links.value(paths[label], text, where, view.key)
            parts.append(f'<tr><th scope="row">{_e(label)}</th><td class="num">{text}</td></tr>')
        parts.append("</table>")
    for table in view.tables:
        parts.append(_table(table, view.key, links, f"the table “{table.title}”"))
    parts.append("</section>")
    return "".join(parts)


def _edited_params(s: Scenario) -> list[tuple[tuple[str | int, ...], Param]]:
    return [(path, p) for path, p in iter_instances(s, Param) if p.edited]


def _briefing_section(data: ReportData, links: _Links) -> str:
    from accord.app.briefing import brief

    s = data.scenario
    parts = ['<section id="briefing">']
    parts.append("<h2>Briefing</h2>")
    edited = _edited_params(s)
    if edited:
        items = []
        for path, p in edited:
            value = _e(_fmt_param(p))
            entry = links.entries.get(path)
            if entry is not None:
                value = f'<a class="ev" href="#{entry.anchor}">{value}</a>'
            items.append(f"<li>{_e(field_label(s, path))}: {value}</li>")
        parts.append(
            '<div class="edited-note" role="note"><p><strong>Edited values.</strong> '
            f"{'This value was' if len(edited) == 1 else 'These values were'} changed by hand; "
            "the quoted evidence supported the original values, not these.</p>"
            f"<ul>{''.join(items)}</ul></div>"
        )
    parts.append('<ul class="findings">')
    parts += [f"<li>{_e(p.text)}</li>" for p in brief(data.run).points]
    parts.append("</ul></section>")
    return "".join(parts)


_GROUPS = {
    "": "The scenario as a whole",
    "parties": "Parties",
    "issues": "Issues",
    "preferences": "Preferences (bargaining)",
    "proposals": "Named proposals",
    "conflict": "Conflict model",
    "stakeholders": "Stakeholder model",
    "sequencing": "Sequencing",
    "simulation": "Simulation",
    "signals": "Signalling games",
    "information": "Incomplete information",
    "domestic": "Domestic ratification",
}


def _readers(views: Sequence[SectionView]) -> dict[str, list[SectionView]]:
    """For each top-level scenario key, the engine sections that read it."""
    from accord.app.registry import all_specs

    specs = all_specs()
    out: dict[str, list[SectionView]] = {}
    for v in views:
        spec = specs.get(v.key)
        for key in spec.sections if spec is not None else ():
            out.setdefault(key, []).append(v)
    return out


def _evidence_section(
    s: Scenario, links: _Links, views: Sequence[SectionView], uncertain: set[str]
) -> str:
    entries = list(links.entries.values())
    n_quotes = sum(len(e.items) for e in entries)
    titles = {src.id: src.title for src in s.sources}
    readers = _readers(views)
    has_uncertainty = any(v.key == "uncertainty" for v in views)
    groups: dict[str, list[EvidenceEntry]] = {}
    for entry in entries:
        head = str(entry.path[0]) if entry.path else ""
        groups.setdefault(head, []).append(entry)
    parts = [
        '<section id="evidence">',
        "<h2>Appendix: the evidence</h2>",
        f'<p class="muted">{n_quotes} quotes support {len(entries)} values. Every number with '
        "evidence links here; open an entry to read its quotes, their sources and the analyst's "
        "notes, and follow “used in” back to the number.</p>",
    ]
    if len(groups) > 1:
        parts.append('<ul class="toc">')
        parts += [
            f'<li><a href="#ev-group-{_e(head or "scenario")}">{_e(_GROUPS.get(head, head))}</a> '
            f'<span class="muted">({len(g)})</span></li>'
            for head, g in groups.items()
        ]
        parts.append("</ul>")
    if s.sources:
        parts.append('<h3 id="ev-sources">Sources</h3><ul>')
        for src in s.sources:
            meta = ", ".join(x for x in (src.publisher, src.author, src.date) if x)
            # The URL is shown as text, never as a link: the report makes no request when opened.
            url = f' <span class="muted">{_e(src.url)}</span>' if src.url else ""
            parts.append(
                f"<li><code>{_e(src.id)}</code>: <em>{_e(src.title)}</em>"
                f"{' (' + _e(meta) + ')' if meta else ''}{url}</li>"
            )
        parts.append("</ul>")
    for head, group in groups.items():
        parts.append(
            f'<h3 id="ev-group-{_e(head or "scenario")}">{_e(_GROUPS.get(head, head))}</h3>'
        )
        for entry in group:
            uses = [(f"#{u}", w) for u, w, _ in entry.uses]
            shown_in = {sec for _, _, sec in entry.uses}
            for v in readers.get(head, []):
                if v.key not in shown_in:  # already linked to the number in that section
                    uses.append((f"#{v.key}", f"the section “{v.title}”"))
            if has_uncertainty and format_path(entry.path) in uncertain:
                uses.append(("#uncertainty", f"the section “{section_title('uncertainty')}”"))
            parts.append(_entry_html(entry, titles, uses))
    parts.append("</section>")
    return "".join(parts)


def _entry_html(
    entry: EvidenceEntry, titles: dict[str, str], uses: Iterable[tuple[str, str]]
) -> str:
    value = f" = {_e(entry.value)}" if entry.value else ""
    n = len(entry.items)
    parts = [
        f'<details id="{entry.anchor}"><summary>{_e(entry.label)}{value}'
        f"{_EDITED if entry.edited else ''} "
        f'<span class="muted">({n} quote{"s" if n != 1 else ""})</span></summary>'
    ]
    if entry.edited:
        parts.append(
            '<p class="edited-note">Edited — the quotes supported the original value, '
            "not the one shown.</p>"
        )
    for ev in entry.items:
        parts.append(f"<blockquote>“{_e(ev.quote)}”</blockquote>")
        parts.append(
            f'<p class="muted">Source: {_e(titles.get(ev.source, ev.source))} '
            f"[<code>{_e(ev.source)}</code>]</p>"
        )
        if ev.note:
            parts.append(f"<p>{_e(ev.note)}</p>")
    links = [f'<a href="{_e(href)}">{_e(words)}</a>' for href, words in uses]
    if links:
        parts.append(f'<p class="muted">Used in: {"; ".join(links)}.</p>')
    parts.append(
        f'<p class="muted">Field: <code>{_e(format_path(entry.path) or "scenario")}</code></p>'
    )
    parts.append("</details>")
    return "".join(parts)


def render_report(data: ReportData, *, include_plotlyjs: bool = True) -> str:
    """The whole report as one HTML document (see the module docstring)."""
    s = data.scenario
    views = section_views(data)
    links = _Links(s)
    figs = _Figures()
    uncertain = set(data.run.uncertainty.parameters) if data.run.uncertainty is not None else set()
    # Sections are rendered before the appendix so that it knows where each number is used.
    briefing_html = _briefing_section(data, links)
    engine_html = [_engine_section(v, links, figs) for v in views]
    scenario_html = _scenario_section(s, links)
    evidence_html = _evidence_section(s, links, views, uncertain)
    nav = ['<a href="#briefing">Briefing</a>']
    nav += [f'<a href="#{_e(v.key)}">{_e(v.title)}</a>' for v in views]
    nav += ['<a href="#scenario">Scenario</a>', '<a href="#evidence">Evidence</a>']
    left_out = "".join(
        f"<li><b>{_e(section_title(k))}</b>: {_e(reason)}</li>"
        for k, reason in data.left_out.items()
    )
    if left_out:
        nav.insert(-2, '<a href="#left-out">Left out</a>')
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    settings = json.dumps(
        {k: er.settings.to_dict()["values"] for k, er in data.run.engines.items()}
        | {"seed": data.run.seed}
    )
    # '</' inside the library is escaped so the inline script cannot end early.
    library = plotly_js().replace("</", "<\\/") if include_plotlyjs else ""
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(s.title)} · Accord report</title>",
        f"<style>{CSS}</style>",
        f"<script>{library}</script>" if library else "",
        f"<script>{SCRIPT}</script>",
        figs.templates_script(),
        "</head><body>",
        f"<header><h1>{_e(s.title)}</h1>",
        f"<p>{_e(s.description)}</p>" if s.description else "",
        f"<p>Scenario <code>{_e(s.id)}</code> · Accord {__version__} · {stamp}</p></header>",
        f'<nav aria-label="Sections of the report">{"".join(nav)}</nav><main>',
        briefing_html,
        *engine_html,
        (
            '<section id="left-out"><h2>Sections left out</h2><ul>' + left_out + "</ul></section>"
            if left_out
            else ""
        ),
        scenario_html,
        evidence_html,
        f'<p class="muted">Engine settings: <code>{_e(settings)}</code></p>',
        "</main>",
        # The run's data, for programs that read the report (the same numbers as --json).
        '<script type="application/json" id="accord-data">' + embedded_json(data) + "</script>",
        "</body></html>",
    ]
    return "\n".join(body)


def embedded_json(data: ReportData) -> str:
    """The run's JSON (as ``accord run --json`` prints it), safe inside a ``<script>`` element."""
    from accord.app.jsonable import to_jsonable

    text = json.dumps(to_jsonable(data.run.to_dict()), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def build_report_html(scenario: Scenario, *, include_plotlyjs: bool = True) -> str:
    """Run the engines and render the report for one scenario."""
    return render_report(compute_sections(scenario), include_plotlyjs=include_plotlyjs)
