"""Write each report figure as PNG and SVG with Kaleido v1 and a locally installed Chromium.

Kaleido v1 drives an installed Chrome/Chromium (it downloads nothing unless asked to). We point it
at the system browser (``BROWSER_PATH``, or ``chromium`` / ``google-chrome`` on ``PATH``; on
Debian ``apt-get install chromium``), load plotly.js from a local file (the ``file://`` URI of the
vendored basic bundle that the HTML report inlines, so a PNG shows what the report draws; a figure
that bundle cannot draw is refused) and switch MathJax off: Kaleido's default page would otherwise
fetch MathJax from a CDN, and our figures use no LaTeX. All figures are rendered in one browser
session, which is much faster than one ``fig.write_image`` per file.

Example::

    paths = write_figures({"utility-space": fig}, Path("figures"))   # utility-space.png/.svg
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

import plotly.graph_objects as go

from accord.errors import AccordError

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ExportError(AccordError):
    """Static export is not possible here (no Kaleido or no Chromium); says how to fix it."""


def find_browser() -> str | None:
    """Path of a local Chrome/Chromium: ``BROWSER_PATH`` first, then the usual names on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return env
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_figures(
    figures: Mapping[str, go.Figure], folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write ``<name>.<format>`` for every figure and format into ``folder``; return the paths."""
    for name in figures:
        if not SAFE_NAME.match(name):
            raise ExportError(f"figure name '{name}' is not a safe file name")
    try:
        import kaleido
    except ImportError:
        raise ExportError(
            "writing figures needs the 'kaleido' package; install it with "
            "pip install 'kaleido>=1' (it uses a local Chromium and downloads nothing)"
        ) from None
    browser = find_browser()
    if browser is None:
        raise ExportError(
            "writing figures needs a local Chrome or Chromium; install it (Debian/Ubuntu: "
            "apt-get install chromium) or set BROWSER_PATH to its executable"
        )
    from accord.report.html import check_figure, plotly_js_path

    for name, fig in figures.items():
        check_figure(name, fig)
    folder.mkdir(parents=True, exist_ok=True)
    plotly_js = plotly_js_path()
    specs = []
    paths = []
    for name, fig in figures.items():
        width = int(fig.layout.width or 900)
        height = int(fig.layout.height or 450)
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            paths.append(path)
            specs.append(
                {
                    "fig": fig.to_plotly_json(),
                    "path": str(path),
                    "opts": {"format": fmt, "width": width, "height": height, "scale": 1},
                }
            )
    old = os.environ.get("BROWSER_PATH")
    os.environ["BROWSER_PATH"] = browser  # how Kaleido's browser finder is told which to use
    try:
        kaleido.write_fig_from_object_sync(
            specs, kopts={"plotlyjs": plotly_js.as_uri(), "mathjax": False}
        )
    except Exception as exc:
        raise ExportError(f"static export with {browser} failed: {exc}") from None
    finally:
        if old is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = old
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise ExportError(f"static export did not write {', '.join(map(str, missing))}")
    return paths
