"""Request limits of the web app (accord.web.limits): body size (413) and time (408) through raw
ASGI calls, Starlette's TestClient and a real uvicorn server, and the header deadline and size
cap of :func:`server_config` through raw sockets."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from accord.web.limits import RequestLimits, server_config

LIMIT = 1000


class Recorder:
    """An ASGI app that records whether it was called and the body it read."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})


def call(app: Any, messages: list[Any], headers: list[tuple[bytes, bytes]], pause: float = 0.0):  # type: ignore[no-untyped-def]
    """Run one request through ``app``: ``messages`` are handed out one per receive() call
    (``pause`` seconds before each after the first); returns (status, body, receive calls)."""
    sent: list[Any] = []
    calls = 0

    async def receive() -> Any:
        nonlocal calls
        calls += 1
        if calls > 1 and pause:
            await asyncio.sleep(pause)
        if calls > len(messages):
            await asyncio.sleep(3600)  # a client that never sends the rest
        return messages[calls - 1]

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    asyncio.run(app(scope, receive, send))
    if not sent:
        return None, None, calls
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return status, body, calls


def chunks(n: int, size: int) -> list[dict[str, Any]]:
    return [{"type": "http.request", "body": b"x" * size, "more_body": i < n - 1} for i in range(n)]


def test_a_large_content_length_is_refused_before_the_body_is_read() -> None:
    inner = Recorder()
    app = RequestLimits(inner, max_body=LIMIT, body_seconds=5)
    secret = b"do-not-echo"
    status, body, calls = call(
        app, chunks(1, 10), [(b"content-length", b"1000000000"), (b"x-token", secret)]
    )
    assert status == 413 and calls == 0 and inner.bodies == []
    detail = json.loads(body)["detail"]
    assert "1,000 bytes" in detail and "do-not-echo" not in detail


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    inner = Recorder()
    app = RequestLimits(inner, max_body=LIMIT, body_seconds=5)
    status, body, calls = call(app, chunks(10, 400), [(b"transfer-encoding", b"chunked")])
    # 400 + 400 + 400 > 1000 at the third chunk: the other seven are never read.
    assert status == 413 and calls == 3 and inner.bodies == []
    assert b"x" not in body


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    inner = Recorder()
    app = RequestLimits(inner, max_body=LIMIT, body_seconds=5)
    status, body, _ = call(app, chunks(4, 250), [])
    assert status == 200 and inner.bodies == [b"x" * 1000] and body == b"1000"


def test_a_slow_body_gets_408() -> None:
    inner = Recorder()
    app = RequestLimits(inner, max_body=LIMIT, body_seconds=0.2)
    status, body, calls = call(app, chunks(3, 10), [(b"content-length", b"30")], pause=5.0)
    assert status == 408 and calls == 2 and inner.bodies == []
    assert "0.2 s" in json.loads(body)["detail"]


@pytest.mark.parametrize("value", [b"-1", b"12abc", b"1e3", b""])
def test_a_content_length_that_is_not_a_whole_number_gets_400(value: bytes) -> None:
    inner = Recorder()
    status, _, calls = call(
        RequestLimits(inner, max_body=LIMIT, body_seconds=5),
        chunks(1, 1),
        [(b"content-length", value)],
    )
    assert status == 400 and calls == 0 and inner.bodies == []


def test_two_different_content_lengths_get_400() -> None:
    inner = Recorder()
    status, _, _ = call(
        RequestLimits(inner, max_body=LIMIT, body_seconds=5),
        chunks(1, 1),
        [(b"content-length", b"1"), (b"content-length", b"2")],
    )
    assert status == 400 and inner.bodies == []


def test_a_client_that_leaves_mid_body_gets_no_answer() -> None:
    inner = Recorder()
    messages = [*chunks(2, 10)[:1], {"type": "http.disconnect"}]
    status, _, calls = call(RequestLimits(inner, max_body=LIMIT, body_seconds=5), messages, [])
    assert status is None and calls == 2 and inner.bodies == []


def test_other_scopes_pass_through() -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    async def nothing() -> Any:
        raise AssertionError("not read")

    async def ignore(message: Any) -> None:
        raise AssertionError("not sent")

    app = RequestLimits(inner, max_body=0, body_seconds=1)
    asyncio.run(app({"type": "lifespan"}, nothing, ignore))
    assert seen == ["lifespan"]


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"length": len(body), "first": body[:1].decode()})


async def slow(request: Request) -> PlainTextResponse:
    await asyncio.sleep(1.0)
    return PlainTextResponse("slow ok")


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def limited_app(body_seconds: float = 5.0) -> RequestLimits:
    routes = [
        Route("/", hello),
        Route("/echo", echo, methods=["POST"]),
        Route("/slow", slow),
    ]
    return RequestLimits(Starlette(routes=routes), max_body=LIMIT, body_seconds=body_seconds)


def test_through_starlette_a_request_body_is_limited() -> None:
    client = TestClient(limited_app())
    ok = client.post("/echo", content=b"y" * LIMIT)
    assert ok.status_code == 200 and ok.json() == {"length": LIMIT, "first": "y"}
    big = client.post("/echo", content=b"y" * (LIMIT + 1))
    assert big.status_code == 413 and big.headers["connection"] == "close"
    assert set(big.json()) == {"detail"}
    streamed = client.post("/echo", content=iter([b"z" * 600, b"z" * 600]))
    assert streamed.status_code == 413
    assert client.get("/").text == "ok"


# -- a real server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    import uvicorn

    config = server_config(
        limited_app(body_seconds=0.5), "127.0.0.1", 0, header_seconds=0.5, log_level="critical"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < end and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield port
    srv.should_exit = True
    thread.join(10)


def connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def read_all(s: socket.socket) -> bytes:
    """Everything the server sends until it closes (socket timeout: 10 s, then an error)."""
    out = b""
    while True:
        data = s.recv(65536)
        if not data:
            return out
        out += data


def test_a_connection_that_never_sends_its_headers_is_closed(server: int) -> None:
    with connect(server) as s:
        assert read_all(s) == b""  # closed by the server, not left open (recv would time out)


def test_a_request_head_sent_in_part_is_closed(server: int) -> None:
    with connect(server) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the blank line never comes
        assert read_all(s) == b""


def test_a_complete_request_is_not_cut_by_the_header_deadline(server: int) -> None:
    with connect(server) as s:
        # /slow answers after 1 s, past the 0.5 s header deadline; then a second request on the
        # same kept-alive connection
        s.sendall(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while b"slow ok" not in first:
            data = s.recv(65536)
            assert data, "closed before the answer"
            first += data
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        second = read_all(s)
    assert first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200")


def test_a_request_head_over_16_kib_is_refused(server: int) -> None:
    with connect(server) as s:
        # 17 KiB of a head that is not finished yet: the server stops buffering and refuses it
        # (a head that arrives complete in one read is parsed: the cap bounds what is buffered)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 17 * 1024)
        answer = read_all(s)
    assert answer.startswith(b"HTTP/1.1 400")


def test_a_body_that_stalls_gets_408_from_the_server(server: int) -> None:
    with connect(server) as s:
        s.sendall(
            b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc"
        )  # seven bytes never come
        answer = read_all(s)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408")
    assert "did not arrive" in json.loads(body)["detail"]


def test_a_chunked_upload_over_the_limit_gets_413_from_the_server(server: int) -> None:
    with connect(server) as s:
        s.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(3):
            s.sendall(b"258\r\n" + b"q" * 600 + b"\r\n")  # 0x258 = 600 bytes per chunk
        answer = read_all(s)
    assert answer.startswith(b"HTTP/1.1 413")
