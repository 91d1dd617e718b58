"""Benchmark: the HTML report's size, part by part, and how long rendering takes.

For each built-in scenario below, runs every engine once (``compute_sections``), renders the
report (``render_report``) and splits its bytes into: the inlined plotly.js bundle, the figures
(their ``<div>`` and ``Plotly.newPlot`` scripts), the shared layout templates, the embedded run
JSON (``<script id="accord-data">``) and the rest (text, tables, evidence appendix, CSS). The last
column is what the same report would weigh with plotly.py's full ``plotly.min.js`` instead of the
vendored basic bundle. The report of the Hanoi scenario must stay at most 2 MB
(``tests/report/test_report_size.py``).

Run: ``python benchmarks/bench_report_size.py`` (about a minute on two cores, most of it the Hanoi
scenario's engines).
"""

from __future__ import annotations

import re
import time

SCENARIOS = ("hanoi-2019", "divide-the-dollar", "logrolling")


def _parts(html: str, bundle: str) -> dict[str, int]:
    def size(text: str) -> int:
        return len(text.encode("utf-8"))

    total = size(html)
    library = size(bundle.replace("</", "<\\/")) if bundle[:100] in html else 0
    figures = sum(
        size(m.group(0))
        for m in re.finditer(r'<div class="figure".*?</script></div>', html, flags=re.S)
    )
    shared = re.search(r"<script>var ACCORD_TEMPLATES=.*?</script>", html, flags=re.S)
    templates = size(shared.group(0)) if shared else 0
    data = re.search(r'<script type="application/json" id="accord-data">.*?</script>', html, re.S)
    embedded = size(data.group(0)) if data else 0
    return {
        "total": total,
        "plotly.js": library,
        "figures": figures,
        "templates": templates,
        "run JSON": embedded,
        "rest": total - library - figures - templates - embedded,
    }


def main() -> None:
    import accord
    from accord.report import compute_sections, render_report
    from accord.report.html import plotly_js

    try:
        from plotly.offline import get_plotlyjs

        full = len(get_plotlyjs().encode("utf-8"))
    except ImportError:  # the report extra is needed anyway; keep the table without the column
        full = 0
    bundle = plotly_js()
    basic = len(bundle.encode("utf-8"))
    header = ("scenario", "run s", "render s", "total", "plotly.js", "figures", "templates",
              "run JSON", "rest", "with full plotly.js")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name in SCENARIOS:
        scenario = accord.load(name)
        t0 = time.perf_counter()
        data = compute_sections(scenario)
        t1 = time.perf_counter()
        html = render_report(data)
        t2 = time.perf_counter()
        p = _parts(html, bundle)
        with_full = p["total"] - basic + full if full else 0
        cells = [name, f"{t1 - t0:.1f}", f"{t2 - t1:.2f}"]
        cells += [f"{p[k]:,}" for k in ("total", "plotly.js", "figures", "templates", "run JSON")]
        cells += [f"{p['rest']:,}", f"{with_full:,}" if full else "-"]
        print(" | ".join(cells), flush=True)
    print(f"\nbytes: plotly.js basic bundle {basic:,}; plotly.py's full bundle {full:,}")


if __name__ == "__main__":
    main()
