"""The web app's JSON API through FastAPI's test client."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'accord[web]')")

from fastapi.testclient import TestClient

from accord.io.scenario_file import parse_scenario
from accord.web import app as web

HEADERS = {web.REQUEST_HEADER: "1"}


@pytest.fixture(scope="module")
def client():
    with TestClient(web.create_app(allowed_hosts=("testserver",)), headers=HEADERS) as c:
        yield c


@pytest.fixture(scope="module")
def hanoi_text(client):
    return client.get("/api/scenarios/hanoi-2019").json()["text"]


def test_lists_and_opens_builtins(client):
    ids = [s["id"] for s in client.get("/api/scenarios").json()]
    assert "hanoi-2019" in ids
    r = client.get("/api/scenarios/hanoi-2019").json()
    assert r["summary"]["parties"] == [
        {"id": "usa", "name": "United States"},
        {"id": "dprk", "name": "DPRK"},
    ]
    assert r["summary"]["outcomes"] == 5 * 4 * 4 * 3


@pytest.mark.parametrize(
    "bad", ["nope", "..%2F..%2Fetc%2Fpasswd", "hanoi-2019.yaml", "%2Fetc%2Fpasswd"]
)
def test_client_text_never_becomes_a_path(client, bad):
    assert client.get(f"/api/scenarios/{bad}").status_code == 404


def test_index_and_docs(client):
    page = client.get("/")
    assert page.status_code == 200 and 'src="/static/plotly.min.js"' in page.text
    js = client.get("/static/plotly.min.js").text
    assert js.startswith("/**") and len(js) < 2_000_000  # the basic partial bundle
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/evaluate", "/api/upload", "/api/scenario.yaml", "/api/report.html"} <= set(paths)


def test_reservation_slider_changes_the_zone(client, hanoi_text):
    base = client.post("/api/evaluate", json={"text": hanoi_text}).json()
    low = client.post(
        "/api/evaluate",
        json={"text": hanoi_text, "overrides": {"reservation": {"usa": 0.0, "dprk": 0.0}}},
    ).json()
    first = {s["key"]: s for s in base["sections"]}["analyse"]["findings"][0]
    second = {s["key"]: s for s in low["sections"]}["analyse"]["findings"][0]
    # Both parties' utilities are >= 0, so with zero reservations every package is in the zone.
    assert low["result"]["engines"]["analyse"]["headlines"]["zone_size"] == 240
    assert base["result"]["engines"]["analyse"]["headlines"]["zone_size"] == 36
    assert second.startswith("240 of 240 packages (100.0%)")
    assert first != second
    figs = {s["key"]: s for s in low["sections"]}["analyse"]["figures"]
    assert "utility-space" in figs and figs["utility-space"]["data"]


def test_weights_and_trust_overrides(client, hanoi_text):
    r = client.post(
        "/api/evaluate",
        json={
            "text": hanoi_text,
            "overrides": {"weights": {"dprk": {"security-assurance": 0.9}}, "trust": {"usa": 0.1}},
            "settings": {"strategies": ["hardliner", "conceder"]},
        },
    )
    assert r.status_code == 200
    summary = r.json()["scenario"]["controls"]
    w = summary["weights"]["dprk"]["security-assurance"]
    assert w["value"] == 0.9 and w["edited"] and w["evidence"]  # the quotes stay, flagged
    assert summary["trust"]["usa"]["value"] == 0.1 and summary["trust"]["usa"]["edited"]
    assert summary["weights"]["usa"]["sanctions-relief"]["edited"] is False


@pytest.mark.parametrize(
    "body,needle",
    [
        ({"overrides": {"reservation": {"nobody": 0.2}}}, "use one of: usa, dprk"),
        ({"overrides": {"weights": {"usa": {"nope": 0.2}}}}, "not an issue"),
        ({"settings": {"strategies": ["boulware"]}}, "one strategy per party"),
        ({"settings": {"strategies": ["no-such", "boulware"]}}, "no-such"),
    ],
)
def test_bad_overrides_are_422_with_the_fix(client, hanoi_text, body, needle):
    r = client.post("/api/evaluate", json={"text": hanoi_text, **body})
    assert r.status_code == 422
    assert needle in r.json()["detail"]


def test_out_of_range_slider_is_rejected(client, hanoi_text):
    r = client.post(
        "/api/evaluate", json={"text": hanoi_text, "overrides": {"reservation": {"usa": 1.5}}}
    )
    assert r.status_code == 422


def test_upload_validates_like_a_file(client, hanoi_text):
    ok = client.post("/api/upload", files={"file": ("h.yaml", hanoi_text.encode(), "text/yaml")})
    assert ok.status_code == 200 and ok.json()["summary"]["id"] == "hanoi-2019"
    broken = hanoi_text.replace("accord: 1", "accord: 7", 1)
    r = client.post("/api/upload", files={"file": ("h.yaml", broken.encode(), "text/yaml")})
    assert r.status_code == 422 and "accord: 1" in r.json()["detail"]
    r = client.post("/api/upload", files={"file": ("b.bin", b"\x00\x01", "text/plain")})
    assert r.status_code == 422 and "binary" in r.json()["detail"]
    big = b"#" * (web.MAX_UPLOAD_BYTES + 10)
    r = client.post("/api/upload", files={"file": ("../../etc/passwd", big, "text/yaml")})
    assert r.status_code == 413


def test_downloads(client, hanoi_text):
    body = {"text": hanoi_text, "overrides": {"reservation": {"usa": 0.35}}}
    y = client.post("/api/scenario.yaml", json=body)
    assert y.status_code == 200
    assert 'filename="hanoi-2019.yaml"' in y.headers["content-disposition"]
    edited = parse_scenario(y.text, file="edited.yaml")
    assert edited.preferences["usa"].reservation.point == 0.35
    assert edited.preferences["usa"].reservation.evidence  # the evidence travels with the value
    h = client.post("/api/report.html", json=body)
    assert h.status_code == 200 and h.text.startswith("<!DOCTYPE html>")


def test_a_timed_out_engine_frees_its_worker_and_openings_do_not_wait(hanoi_text):
    # One compute worker with a 1.5 s limit: Hanoi's sequencing engine (seconds of MILPs) passes
    # it. The request answers 504; meanwhile opening a scenario (the light lane) is not queued
    # behind it, and right after, the same worker answers a small scenario again.
    app = web.create_app(workers=1, compute_seconds=1.5, allowed_hosts=("testserver",))
    with TestClient(app, headers=HEADERS) as client:
        answers: dict[str, int] = {}

        def call() -> None:
            answers["slow"] = client.post("/api/evaluate", json={"text": hanoi_text}).status_code

        t = threading.Thread(target=call)
        t.start()
        time.sleep(0.3)
        start = time.perf_counter()
        assert client.get("/api/scenarios/divide-the-dollar").status_code == 200
        assert time.perf_counter() - start < 2.0  # answered while the slow one runs
        t.join()
        assert answers["slow"] == 504
        deadline = time.perf_counter() + 1.0
        while (h := client.get("/api/health").json()["compute"])["running"] + h["queued"]:
            assert time.perf_counter() < deadline, h  # freed within a second of the 504
            time.sleep(0.02)
        assert h["restarts"] >= 1  # the worker that ran past its limit was killed
        dollar = client.get("/api/scenarios/divide-the-dollar").json()["text"]
        small = {"text": dollar, "settings": {"runs": 1, "deadline": 10}}
        ok = client.post("/api/evaluate", json=small)
        assert ok.status_code == 200, ok.text


def _events(client, body):
    r = client.post("/api/evaluate/stream", json=body)
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines() if line.strip()]


def test_stream_gives_the_same_answer_and_recomputes_only_what_a_slider_touches(hanoi_text):
    with TestClient(web.create_app(allowed_hosts=("testserver",)), headers=HEADERS) as client:
        body = {"text": hanoi_text, "overrides": {"reservation": {"usa": 0.3}}}
        whole = client.post("/api/evaluate", json=body).json()
        events = _events(client, body)
        kinds = [e["event"] for e in events]
        assert kinds[0] == "start" and kinds[-2:] == ["briefing", "done"]
        sections = {s["key"]: s for e in events if e["event"] == "section" for s in e["sections"]}
        assert set(sections) == {s["key"] for s in whole["sections"]}
        assert (
            sections["analyse"]["findings"]
            == {s["key"]: s for s in whole["sections"]}["analyse"]["findings"]
        )
        briefing = next(e for e in events if e["event"] == "briefing")
        assert briefing["briefing"] == whole["briefing"]
        assert briefing["result"]["engines"] == whole["result"]["engines"]
        # The same request again: every part comes from the cache.
        again = [e for e in _events(client, body) if e["event"] == "section"]
        assert again and all(e["cached"] for e in again)
        # A trust slider touches sequencing only (and the uncertainty summary, which samples
        # every parameter); every other engine's answer is reused.
        trust = {**body, "overrides": {**body["overrides"], "trust": {"usa": 0.2}}}
        moved = {e["part"]: e["cached"] for e in _events(client, trust) if e["event"] == "section"}
        assert moved["sequence"] is False and moved["uncertainty"] is False
        assert all(c for p, c in moved.items() if p not in ("sequence", "uncertainty")), moved


def test_errors_name_the_file_line_and_fix(client, hanoi_text):
    broken = hanoi_text.replace("  - id: usa\n", "  - id: usa\n    bogus: 1\n", 1)
    r = client.post("/api/upload", files={"file": ("my-hanoi.yaml", broken.encode(), "text/yaml")})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("my-hanoi.yaml, line ") and "bogus" in detail and "Fix:" in detail
    v = client.post("/api/validate", json={"text": broken, "name": "C:\\x\\draft.yaml"})
    assert v.status_code == 422 and v.json()["detail"].startswith("draft.yaml, line ")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_422(client, hanoi_text, literal):
    raw = (
        '{"text": '
        + json.dumps(hanoi_text)
        + ', "overrides": {"reservation": {"usa": '
        + literal
        + "}}}"
    )
    r = client.post(
        "/api/evaluate", content=raw, headers={"Content-Type": "application/json", **HEADERS}
    )
    assert r.status_code == 422
    assert hanoi_text[:40] not in r.text  # the input is never echoed back


def test_yaml_download_keeps_comments_and_marks_edits(client, hanoi_text):
    body = {"text": hanoi_text, "overrides": {"weights": {"usa": {"sanctions-relief": 0.4}}}}
    y = client.post("/api/scenario.yaml", json=body).text
    old, new = hanoi_text.splitlines(), y.splitlines()
    assert [line for line in old if line.lstrip().startswith("#")] == [
        line for line in new if line.lstrip().startswith("#")
    ]
    import difflib

    changed = [d for d in difflib.ndiff(old, new) if d[:1] in "+-"]
    assert changed == ["-         value: 0.25", "+         value: 0.4", "+         edited: true"]
    edited = parse_scenario(y, file="edited.yaml")
    w = edited.preferences["usa"].weights["sanctions-relief"]
    assert w.point == 0.4 and w.edited and w.evidence


def test_openapi_lists_every_answer_and_docs_work_offline(client):
    doc = client.get("/openapi.json").json()
    codes = {c for path in doc["paths"].values() for op in path.values() for c in op["responses"]}
    assert {"400", "404", "413", "422", "503", "504"} <= codes
    page = client.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") for a in assets), assets
    for a in assets:
        assert client.get(a).status_code == 200, a


def test_cross_site_requests_are_refused():
    # A page on another origin, a rebinding DNS name, or a form post without the app's header
    # cannot use the app (issue 19): 403 or 400 before any computation runs.
    app = web.create_app()
    local = TestClient(app, base_url="http://127.0.0.1:8765")
    assert local.get("/api/scenarios").status_code == 200
    rebinding = TestClient(app, base_url="http://evil.example:8765")
    assert rebinding.get("/api/scenarios").status_code == 400
    no_header = local.post("/api/evaluate", json={"text": "accord: 1"})
    assert no_header.status_code == 403 and web.REQUEST_HEADER in no_header.json()["detail"]
    foreign = local.post(
        "/api/upload",
        files={"file": ("x.yaml", b"accord: 1")},
        headers={"Origin": "https://evil.example", web.REQUEST_HEADER: "1"},
    )
    assert foreign.status_code == 403
    other_port = local.post(  # another local server's page is another origin
        "/api/evaluate",
        json={"text": "accord: 1"},
        headers={"Origin": "http://127.0.0.1:9999", web.REQUEST_HEADER: "1"},
    )
    assert other_port.status_code == 403
    same = local.post(
        "/api/evaluate",
        json={"text": "accord: 1\nid: t\ntitle: T\n"},
        headers={"Origin": "http://127.0.0.1:8765", web.REQUEST_HEADER: "1"},
    )
    assert same.status_code == 200
