"""The web app's JSON API through FastAPI's test client."""

from __future__ import annotations

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
    return TestClient(web.create_app(allowed_hosts=("testserver",)), headers=HEADERS)


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
    assert client.get("/static/plotly.min.js").text.startswith("/**")
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
    assert summary["weights"]["dprk"]["security-assurance"] == 0.9
    if summary["trust"]:
        assert summary["trust"]["usa"] == 0.1


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


def test_slow_computation_times_out_and_does_not_block(monkeypatch, hanoi_text):
    def slow(req):
        time.sleep(1.5)
        return {}

    monkeypatch.setattr(web, "evaluate", slow)
    client = TestClient(
        web.create_app(workers=1, compute_seconds=0.3, allowed_hosts=("testserver",)),
        headers=HEADERS,
    )
    answers: dict[str, int] = {}

    def call() -> None:
        answers["slow"] = client.post("/api/evaluate", json={"text": hanoi_text}).status_code

    t = threading.Thread(target=call)
    t.start()
    time.sleep(0.1)
    start = time.perf_counter()
    assert client.get("/api/scenarios").status_code == 200
    assert time.perf_counter() - start < 1.0  # answered while the slow one runs
    # The only worker is busy: a second computation is refused, not queued.
    assert client.post("/api/evaluate", json={"text": hanoi_text}).status_code == 503
    t.join()
    assert answers["slow"] == 504


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
    same = local.post(
        "/api/evaluate",
        json={"text": "accord: 1\nid: t\ntitle: T\n"},
        headers={"Origin": "http://127.0.0.1:8765", web.REQUEST_HEADER: "1"},
    )
    assert same.status_code == 200
