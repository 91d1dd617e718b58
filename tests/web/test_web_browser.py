"""Browser test: headless Debian Chromium driven by Playwright (no browser download).

Starts ``accord serve``'s app on 127.0.0.1 at a free port, loads the page, moves a slider and
checks that the displayed result changes; also opens the HTML report from disk with the network
blocked and checks that it renders its figures without a single network request.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'accord[web]')")
pytest.importorskip("playwright", reason="the playwright package is not installed")
if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
    pytest.skip(
        "Debian's Chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.timeout(180)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    code = (
        "import uvicorn; from accord.web.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/api/scenarios", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    exe = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


def test_slider_changes_the_result(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(server) else None,
    )
    page.goto(server + "/")
    page.wait_for_selector("#fig-utility-space .main-svg", timeout=60_000)
    headline = page.locator("#headline")
    before = headline.inner_text()
    assert "packages" in before
    slider = page.locator("#r-usa")
    slider.evaluate("(e) => { e.value = '0.05'; e.dispatchEvent(new Event('input')); }")
    page.wait_for_function(
        "(old) => document.querySelector('#headline').innerText !== old", arg=before, timeout=30_000
    )
    after = headline.inner_text()
    assert after != before
    assert page.locator("#r-usa").evaluate("e => e.parentElement.querySelector('output').value")
    status = page.locator("#status").inner_text()
    assert status.startswith("updated in")
    shot = tmp_path / "accord-web.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("ACCORD_SCREENSHOT"):
        shutil.copy(shot, os.environ["ACCORD_SCREENSHOT"])
    assert external == []
    page.close()


def test_report_opens_offline(browser, tmp_path):
    import accord
    from accord.report import build_report_html

    path = tmp_path / "report.html"
    path.write_text(build_report_html(accord.load("hanoi-2019")), encoding="utf-8")
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("#fig-utility-space .main-svg", timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 4
    assert page.locator("details").count() > 10
    assert [u for u in requests if not u.startswith("file://") and not u.startswith("data:")] == []
    context.close()
