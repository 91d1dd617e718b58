"""The self-contained HTML report: one file, Plotly's JavaScript inlined, no network at view time.

:func:`render_report` lays out the scenario (parties, issues, preferences, proposals), every piece
of evidence with its quote, source and note in expandable ``<details>``, and one section per engine
(figures, key numbers, findings) from :func:`accord.report.views.section_views`. The page uses only
inline ``<style>`` and ``<script>``; no ``src=``, ``href=`` or CSS ``url(`` points outside the file,
so it opens offline and can be mailed.

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
from datetime import UTC, datetime
from typing import Any

from accord import __version__
from accord.report.sections import ReportData, compute_sections, section_title
from accord.report.views import SectionView, section_views
from accord.scenario.base import Distribution, Evidence, FrozenModel, Param
from accord.scenario.model import Scenario, iter_evidence

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "svg"},
}

CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#dde2ea; --accent:#1f5fa8; --bg:#f6f8fb; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0; background: var(--bg); }
header { background: #14213d; color: #fff; padding: 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 4px 0; color: #d5dbe8; max-width: 70em; }
nav { padding: 8px 40px; background: #fff; border-bottom: 1px solid var(--line); position: sticky;
  top: 0; z-index: 5; }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
main { padding: 16px 40px 60px; max-width: 1200px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 24px;
  margin: 18px 0; }
h2 { margin-top: 0; font-size: 19px; }
section { scroll-margin-top: 48px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 12px 4px 0; text-align: left;
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.findings { background: #eef4fb; border-left: 4px solid var(--accent);
  padding: 10px 10px 10px 30px; border-radius: 4px; }
details { margin: 6px 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
details summary { cursor: pointer; font-weight: 600; }
blockquote { margin: 6px 0; padding: 2px 10px; border-left: 3px solid #c9a227;
  background: #fffbea; }
.muted { color: var(--muted); font-size: 13px; }
.figure { margin: 10px 0; }
code { background: #eef0f4; padding: 0 4px; border-radius: 3px; }
header code { background: #2a3a5e; color: #fff; }
@media (max-width: 600px) {
  header, nav, main { padding-left: 14px; padding-right: 14px; }
  nav { position: static; }
  section { padding: 12px 14px; }
  table { display: block; overflow-x: auto; }
}
@media print { nav { position: static; } section { break-inside: avoid-page; } }
"""


def _e(text: Any) -> str:
    return _html.escape(str(text), quote=True)


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


def _path_text(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def evidence_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """Every evidence item: the field it supports, that field's value, source, quote and note."""
    titles = {s.id: s.title for s in scenario.sources}
    rows = []
    for path, ev in iter_evidence(scenario):
        assert isinstance(ev, Evidence)
        # The evidence sits at <field>.evidence[k]; the supported value is <field>.
        field_path = path[:-2] if len(path) >= 2 and path[-2] == "evidence" else path
        target = _resolve(scenario, field_path)
        value = _fmt_param(target) if isinstance(target, Param | float | int) else ""
        rows.append(
            {
                "field": _path_text(field_path) or "scenario",
                "value": value,
                "source": ev.source,
                "source_title": titles.get(ev.source, ev.source),
                "quote": ev.quote,
                "note": ev.note,
            }
        )
    return rows


def _scenario_section(s: Scenario) -> str:
    parts = ['<section id="scenario"><h2>The scenario</h2>']
    if s.description:
        parts.append(f"<p>{_e(s.description)}</p>")
    if s.parties:
        parts.append("<h3>Parties</h3><table><tr><th>id</th><th>name</th><th>description</th></tr>")
        for party in s.parties:
            parts.append(
                f"<tr><td><code>{_e(party.id)}</code></td><td>{_e(party.name)}</td>"
                f"<td>{_e(party.description or '')}</td></tr>"
            )
        parts.append("</table>")
    if s.issues:
        parts.append("<h3>Issues</h3><table><tr><th>issue</th><th>values</th></tr>")
        for i in s.issues:
            if i.options is not None:
                vals = "; ".join(_e(i.label(o)) for o in i.options)
            else:
                assert i.range is not None and i.step is not None
                vals = f"{i.range[0]:g} to {i.range[1]:g} in steps of {i.step:g}"
            parts.append(f"<tr><td>{_e(i.name or i.id)}</td><td>{vals}</td></tr>")
        parts.append("</table>")
    if s.preferences:
        pids = [p for p in s.party_ids if p in s.preferences]
        names = {x.id: x.name for x in s.parties}
        parts.append("<h3>Preferences</h3><table><tr><th></th>")
        parts += [f'<th class="num">{_e(names.get(p, p))}</th>' for p in pids]
        parts.append("</tr>")
        for i in s.issues:
            parts.append(f"<tr><td>weight of {_e(i.name or i.id)}</td>")
            for p in pids:
                w = s.preferences[p].normalised_weights().get(i.id, 0.0)
                parts.append(f'<td class="num">{w:.2f}</td>')
            parts.append("</tr>")
        for label, attr in (
            ("reservation value", "reservation"),
            ("discount per round", "discount"),
        ):
            parts.append(f"<tr><td>{label}</td>")
            for p in pids:
                v = getattr(s.preferences[p], attr)
                parts.append(f'<td class="num">{_e(_fmt_param(v)) if v is not None else "-"}</td>')
            parts.append("</tr>")
        parts.append("</table>")
    if s.proposals:
        parts.append(
            "<h3>Named proposals</h3><table><tr><th>proposal</th><th>by</th><th>package</th></tr>"
        )
        for prop in s.proposals:
            pkg = "; ".join(f"{_e(k)}: {_e(v)}" for k, v in prop.outcome.items())
            parts.append(
                f"<tr><td>{_e(prop.name or prop.id)}</td><td>{_e(prop.by or '')}</td>"
                f"<td>{pkg}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _evidence_section(s: Scenario) -> str:
    rows = evidence_rows(s)
    parts = [
        '<section id="evidence"><h2>Evidence</h2>',
        f'<p class="muted">{len(rows)} quotes support the numbers above. Open an item to read the '
        "quote, its source and the analyst's note.</p>",
    ]
    if s.sources:
        parts.append("<h3>Sources</h3><ul>")
        for src in s.sources:
            meta = ", ".join(x for x in (src.publisher, src.author, src.date) if x)
            # The URL is shown as text, never as a link: the report makes no request when opened.
            url = f' <span class="muted">{_e(src.url)}</span>' if src.url else ""
            parts.append(
                f"<li><code>{_e(src.id)}</code>: <em>{_e(src.title)}</em>"
                f"{' (' + _e(meta) + ')' if meta else ''}{url}</li>"
            )
        parts.append("</ul>")
    for r in rows:
        value = f" = {_e(r['value'])}" if r["value"] else ""
        parts.append(
            f"<details><summary><code>{_e(r['field'])}</code>{value} "
            f'<span class="muted">[{_e(r["source"])}]</span></summary>'
            f"<blockquote>“{_e(r['quote'])}”</blockquote>"
            f'<p class="muted">Source: {_e(r["source_title"])}</p>'
            f"<p>{_e(r['note'])}</p></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _figure_div(fig: Any, div_id: str) -> str:
    # include_plotlyjs=False: the library is inlined once in <head>, never fetched.
    html: str = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG
    )
    return f'<div class="figure">{html}</div>'


def _engine_section(view: SectionView) -> str:
    parts = [f'<section id="{_e(view.key)}"><h2>{_e(view.title)}</h2>']
    if view.findings:
        parts.append('<ul class="findings">')
        parts += [f"<li>{_e(f)}</li>" for f in view.findings]
        parts.append("</ul>")
    if view.facts:
        parts.append("<table>")
        parts += [f'<tr><th>{_e(k)}</th><td class="num">{_e(v)}</td></tr>' for k, v in view.facts]
        parts.append("</table>")
    for name, fig in view.figures:
        parts.append(_figure_div(fig, f"fig-{name}"))
    parts.append("</section>")
    return "".join(parts)


def render_report(data: ReportData, *, include_plotlyjs: bool = True) -> str:
    """The whole report as one HTML document (see the module docstring)."""
    s = data.scenario
    views = section_views(data)
    plotly_js = ""
    if include_plotlyjs:
        from plotly.offline import get_plotlyjs

        # '</' inside the library is escaped so the inline script cannot end early.
        plotly_js = get_plotlyjs().replace("</", "<\\/")
    from accord.app.briefing import brief

    briefing = brief(data.run)
    nav = ['<a href="#briefing">Briefing</a>', '<a href="#scenario">Scenario</a>']
    nav += [f'<a href="#{_e(v.key)}">{_e(v.title)}</a>' for v in views]
    nav.append('<a href="#evidence">Evidence</a>')
    briefing_html = (
        '<section id="briefing"><h2>Briefing</h2><ul class="findings">'
        + "".join(f"<li>{_e(p.text)}</li>" for p in briefing.points)
        + "</ul></section>"
    )
    left_out = "".join(
        f"<li><b>{_e(section_title(k))}</b>: {_e(reason)}</li>"
        for k, reason in data.left_out.items()
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    settings = json.dumps(
        {k: er.settings.to_dict()["values"] for k, er in data.run.engines.items()}
        | {"seed": data.run.seed}
    )
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(s.title)} · Accord report</title>",
        f"<style>{CSS}</style>",
        f"<script>{plotly_js}</script>" if plotly_js else "",
        "</head><body>",
        f"<header><h1>{_e(s.title)}</h1>",
        f"<p>Scenario <code>{_e(s.id)}</code> · Accord {__version__} · {stamp}</p></header>",
        f"<nav>{''.join(nav)}</nav><main>",
        briefing_html,
        _scenario_section(s),
        *(_engine_section(v) for v in views),
        (
            '<section id="left-out"><h2>Sections left out</h2><ul>' + left_out + "</ul></section>"
            if left_out
            else ""
        ),
        _evidence_section(s),
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
