"""Browser tests: headless Debian Chromium driven by Playwright (no browser download).

``accord serve`` runs on 127.0.0.1 at a free port. The tests drive the page as an analyst would —
rapid slider moves, an invalid upload, a phone-width viewport — and check the page against the
JSON API, run axe-core's accessibility rules on the app and the report, and show that a page on
another origin cannot lock the app out. Screenshots are saved under ``$ACCORD_ARTIFACTS``
(default ``test-artifacts/``) for a person to look at.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ACCORD_ARTIFACTS", "test-artifacts"))

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'accord[web]')")
pytest.importorskip("playwright", reason="the playwright package is not installed")
if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
    pytest.skip(
        "Debian's Chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.timeout(240)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/api/scenarios", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the server did not start")


def _serve(*args: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [sys.executable, "-c", "from accord.cli.main import main; main()", "serve"]
    proc = subprocess.Popen([*cmd, "--port", str(port), *args])
    url = f"http://127.0.0.1:{port}"
    _wait_up(url)
    return proc, url


@pytest.fixture(scope="module")
def server():
    proc, url = _serve()
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    exe = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def hanoi_report(tmp_path_factory) -> Path:
    import accord
    from accord.report import build_report_html

    path = tmp_path_factory.mktemp("report") / "hanoi-report.html"
    path.write_text(build_report_html(accord.load("hanoi-2019")), encoding="utf-8")
    return path


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 5_000
    return path


def _open(browser, url: str, width: int = 1400, height: int = 1000):
    page = browser.new_page(viewport={"width": width, "height": height})
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(url) else None)
    page.goto(url + "/")
    page.wait_for_selector("#fig-utility-space .main-svg", timeout=90_000)
    _settled(page)
    return page, external


def _settled(page, count: int | None = None, timeout: float = 90_000) -> None:
    """Wait until the page's latest request has finished (its timing is recorded)."""
    if count is None:
        page.wait_for_function("() => window.accordTimings.length >= 1", timeout=timeout)
    else:
        page.wait_for_function(f"() => window.accordTimings.length >= {count}", timeout=timeout)


def _move(page, selector: str, value: float) -> None:
    page.locator(selector).evaluate(
        "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input')); }", value
    )


def _api(url: str, path: str, body: dict) -> dict:
    req = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Accord-Request": "1"},
    )
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def test_rapid_slider_moves_end_with_the_answer_for_the_final_value(server, browser):
    page, external = _open(browser, server)
    done = page.evaluate("() => window.accordTimings.length")
    for v in (0.30, 0.34, 0.38, 0.41, 0.44, 0.47, 0.52, 0.44):
        _move(page, "#r-usa", v)
        page.wait_for_timeout(25)  # faster than an answer: older requests are aborted
    page.wait_for_function(
        f"() => window.accordTimings.length > {done} && "
        "document.querySelectorAll('section.updating').length === 0 && "
        "!document.querySelector('#briefing').classList.contains('updating')",
        timeout=90_000,
    )
    text = page.evaluate("() => document.querySelector('#briefing').innerText")
    assert page.locator("#r-usa-out").inner_text() == "0.44"
    api = _api(
        server,
        "/api/evaluate",
        {"text": page.evaluate("() => state.text"), "overrides": {"reservation": {"usa": 0.44}}},
    )
    for point in api["briefing"]["points"]:
        assert point["text"] in text
    for sec in api["sections"]:
        shown = page.locator(f"#sec-{sec['key']} ul.findings").inner_text()
        for f in sec["findings"]:
            assert f in shown, (sec["key"], f)
    assert page.locator("#banner").is_hidden()
    _shot(page, "app-hanoi-1400.png")
    assert external == []
    page.close()


def test_a_figure_the_answer_no_longer_has_disappears(server, browser):
    page, _ = _open(browser, server)
    assert page.locator("#fig-sequencing-gantt").count() == 0  # no schedule in Hanoi
    original = {p: float(page.locator(f"#t-{p}").input_value()) for p in ("usa", "dprk")}
    n = page.evaluate("() => window.accordTimings.length")
    _move(page, "#t-usa", 0.9)
    _settled(page, n + 1)
    n += 1
    _move(page, "#t-dprk", 0.9)
    _settled(page, n + 1)
    n += 1
    page.wait_for_selector("#fig-sequencing-gantt .main-svg", timeout=30_000)
    _move(page, "#t-usa", original["usa"])
    _settled(page, n + 1)
    _move(page, "#t-dprk", original["dprk"])
    _settled(page, n + 2)
    assert "no self-enforcing schedule" in page.locator("#sec-sequence").inner_text().lower()
    assert page.locator("#fig-sequencing-gantt").count() == 0
    page.close()


def test_an_invalid_upload_shows_the_banner_with_the_file_name(server, browser, tmp_path):
    page, _ = _open(browser, server)
    text = page.evaluate("() => state.text")
    bad = tmp_path / "broken-hanoi.yaml"
    bad.write_text(text.replace("  - id: usa\n", "  - id: usa\n    bogus: 1\n", 1))
    page.set_input_files("#upload", str(bad))
    page.wait_for_selector("#banner.show", timeout=30_000)
    message = page.locator("#banner-text").inner_text()
    assert message.startswith("broken-hanoi.yaml, line ") and "bogus" in message
    box = page.locator("#banner").bounding_box()
    assert box is not None and box["y"] < 150  # at the top, not 1,500 px down
    _shot(page, "app-upload-error.png")
    good = tmp_path / "my-hanoi.yaml"
    good.write_text(text)
    page.set_input_files("#upload", str(good))
    page.wait_for_function(
        "() => document.querySelector('#builtin').selectedOptions[0].textContent"
        ".includes('my-hanoi.yaml')",
        timeout=30_000,
    )
    page.close()


def test_undo_text_editing_and_a_saved_state_round_trip(server, browser, tmp_path):
    page, _ = _open(browser, server)
    before = page.locator("#r-usa").input_value()
    n = page.evaluate("() => window.accordTimings.length")
    _move(page, "#r-usa", 0.2)
    page.locator("#r-usa").dispatch_event("change")
    _settled(page, n + 1)
    assert "edited" in page.locator("#r-usa-meta").inner_text()
    page.click("#undo")
    _settled(page, n + 2)
    assert page.locator("#r-usa").input_value() == before
    # Edit the text: the DPRK's reservation, typed in the editor, reaches the analysis.
    page.click("#edit-box summary")
    text = page.locator("#editor").input_value()
    bad = text.replace("accord: 1", "accord: 9", 1)
    page.locator("#editor").fill(bad)
    page.wait_for_function(
        "() => document.querySelector('#editor-msg').classList.contains('bad')", timeout=30_000
    )
    assert "accord" in page.locator("#editor-msg").inner_text()
    n = page.evaluate("() => window.accordTimings.length")
    page.locator("#editor").fill(text.replace("title: The US-DPRK", "title: Edited US-DPRK", 1))
    _settled(page, n + 1)
    assert "EDITED US-DPRK" in page.locator("#summary").inner_text().upper()
    # Save the whole state and load it back in a fresh page.
    _move(page, "#r-dprk", 0.3)
    _settled(page, n + 2)
    with page.expect_download() as dl:
        page.click("#dl-state")
    saved = tmp_path / "state.json"
    dl.value.save_as(saved)
    state = json.loads(saved.read_text())
    assert state["overrides"]["reservation"]["dprk"] == 0.3
    fresh, _ = _open(browser, server)
    m = fresh.evaluate("() => window.accordTimings.length")
    fresh.set_input_files("#load-state", str(saved))
    _settled(fresh, m + 1)
    assert fresh.locator("#r-dprk").input_value() == "0.3"
    assert "EDITED US-DPRK" in fresh.locator("#summary").inner_text().upper()
    # The YAML download keeps the user's comments and marks the edit.
    with fresh.expect_download() as dl:
        fresh.click("#dl-yaml")
    yaml_path = tmp_path / "edited.yaml"
    dl.value.save_as(yaml_path)
    out = yaml_path.read_text()
    assert "edited: true" in out and out.count("\n#") == text.count("\n#")
    page.close()
    fresh.close()


def test_the_phone_width_has_no_horizontal_overflow(server, browser):
    page, _ = _open(browser, server, width=390, height=844)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    fig = page.locator("#fig-utility-space").bounding_box()
    assert fig is not None and fig["width"] > 300  # not 177 px
    _shot(page, "app-hanoi-390.png")
    page.close()


def _serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation_in_the_app_or_the_report(server, browser, hanoi_report):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page, _ = _open(browser, server)
    assert _serious(axe.run(page)) == []
    page.close()
    page = browser.new_page()
    page.goto(hanoi_report.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert _serious(axe.run(page)) == []
    page.close()


def test_the_report_opens_offline_with_no_external_request(browser, hanoi_report):
    path = hanoi_report
    for width, name in ((1400, "report-hanoi-1400.png"), (390, "report-hanoi-390.png")):
        context = browser.new_context(viewport={"width": width, "height": 1000})
        requests: list[str] = []
        context.on("request", lambda r, requests=requests: requests.append(r.url))
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("#fig-utility-space .main-svg", timeout=60_000)
        assert page.locator(".js-plotly-plot").count() >= 4
        assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
        _shot(page, name)
        context.close()


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A page on another origin that fires no-cors posts at the app (a red team's lock-out)."""

    target = ""
    text = ""

    def do_GET(self) -> None:
        page = f"""<!DOCTYPE html><html><body><script>
        const text = {json.dumps(self.text)};
        window.sent = 0;
        for (let i = 0; i < 20; i++) {{
          fetch("{self.target}/api/evaluate", {{ method: "POST", mode: "no-cors",
            headers: {{ "Content-Type": "text/plain" }}, body: JSON.stringify({{ text }}) }})
            .finally(() => window.sent++);
          const fd = new FormData(); fd.append("file", new Blob([text]), "x.yaml");
          fetch("{self.target}/api/upload", {{ method: "POST", mode: "no-cors", body: fd }})
            .finally(() => window.sent++);
        }}
        </script></body></html>"""
        data = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_a_page_on_another_origin_cannot_lock_the_app_out(server, browser):
    hanoi = json.loads(urllib.request.urlopen(server + "/api/scenarios/hanoi-2019").read())
    _Hostile.target, _Hostile.text = server, hanoi["text"]
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        attacker = browser.new_page()
        attacker.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        attacker.wait_for_function("() => window.sent >= 40", timeout=30_000)
        health = json.loads(urllib.request.urlopen(server + "/api/health").read())
        busy = sum(health[lane]["running"] + health[lane]["queued"] for lane in health)
        assert busy == 0, health  # not one of the 40 posts reached a worker
        page, _ = _open(browser, server)  # the app still answers its own page at once
        assert page.locator("#banner").is_hidden()
        page.close()
        attacker.close()
    finally:
        evil.shutdown()


def test_a_timed_out_request_frees_its_worker_within_a_second(browser):
    proc, url = _serve("--workers", "1", "--compute-seconds", "2")
    try:
        hanoi = json.loads(urllib.request.urlopen(url + "/api/scenarios/hanoi-2019").read())
        dollar = json.loads(urllib.request.urlopen(url + "/api/scenarios/divide-the-dollar").read())
        small = {"text": dollar["text"], "settings": {"runs": 1, "deadline": 10}}
        _api(url, "/api/evaluate", small)  # warm the worker
        start = time.perf_counter()
        with pytest.raises(urllib.error.HTTPError) as err:
            _api(url, "/api/evaluate", {"text": hanoi["text"]})
        assert err.value.code == 504
        timed_out = time.perf_counter()
        while True:
            health = json.loads(urllib.request.urlopen(url + "/api/health").read())["compute"]
            if health["running"] == 0 and health["queued"] == 0:
                break
            time.sleep(0.02)
        freed = time.perf_counter() - timed_out
        assert timed_out - start < 8
        print(f"the worker was free again {1000 * freed:.0f} ms after the 504")
        assert freed < 1.0, f"the worker was free again {freed:.2f} s after the 504"
        _api(url, "/api/evaluate", {**small, "settings": {"runs": 1, "deadline": 10, "seed": 7}})
    finally:
        proc.terminate()
        proc.wait(timeout=15)
