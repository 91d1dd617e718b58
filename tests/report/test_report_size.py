"""The report's size: the Hanoi report is at most 2 MB with Plotly's vendored basic bundle."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from accord.report.html import (
    BASIC_TRACE_TYPES,
    PLOTLY_BUNDLE,
    plotly_js,
    plotly_js_path,
)

MAX_BYTES = 2_000_000
VENDOR = plotly_js_path().parent
ROOT = Path(__file__).resolve().parents[2]


def test_hanoi_report_is_at_most_2_mb(hanoi_html):
    size = len(hanoi_html.encode("utf-8"))
    assert size <= MAX_BYTES, f"the Hanoi report has {size:,} bytes"
    # The bundle is most of it, inlined once; the figures' layout template is written once.
    assert len(plotly_js().encode()) < size < len(plotly_js().encode()) + 800_000
    assert hanoi_html.count("var ACCORD_TEMPLATES=[") == 1
    assert hanoi_html.count("l.template=ACCORD_TEMPLATES[0]") == hanoi_html.count(
        'class="plotly-graph-div"'
    )
    assert hanoi_html.count('"template":') == 0  # no figure carries its own copy


def test_vendored_bundle_is_the_documented_basic_bundle():
    text = plotly_js()
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    banner = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", text[:300])
    assert banner, "the bundle's banner names neither 'basic' nor a version"
    version = banner.group(1)
    assert f"version {version}" in readme.replace("**", "")
    digest = hashlib.sha256((VENDOR / PLOTLY_BUNDLE).read_bytes()).hexdigest()
    assert digest in readme
    licence = (VENDOR / "plotly.js-LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Plotly" in licence
    assert "Licensed under the MIT license" in text[:300]
    # The trace types it registers are exactly those the report allows.
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', text))
    assert registered == BASIC_TRACE_TYPES


def test_bundle_matches_the_installed_plotly_py():
    # plotly.py writes figure JSON for the plotly.js it bundles; the vendored bundle must be the
    # same major version to read it (plotly.py 6 writes typed arrays as base64 "bdata").
    from plotly.offline import get_plotlyjs_version

    vendored = re.search(r"v(\d+)\.(\d+)\.(\d+)", plotly_js()[:300])
    assert vendored
    assert get_plotlyjs_version().split(".")[0] == vendored.group(1)


def test_the_bundle_ships_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["accord"]
    for name in (PLOTLY_BUNDLE, "plotly.js-LICENSE.txt", "README.md"):
        rel = f"report/vendor/{name}"
        assert any(Path(rel).match(p) for p in patterns), rel
        assert (VENDOR / name).is_file()
