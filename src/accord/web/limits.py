"""Request limits of the web app: body size and time, header size and time, connection count.

:class:`RequestLimits` is a pure ASGI middleware that reads the whole request body before the
application sees it, so that no endpoint ever parses an oversized or half-sent body:

* a ``Content-Length`` over ``max_body`` is refused with 413 before a byte of the body is read;
* a body without a length (chunked upload) is counted as it streams in and refused with 413 as
  soon as it passes ``max_body`` (the rest is never read);
* a body that has not fully arrived ``body_seconds`` after the request's headers gets 408.

Refusals are JSON ``{"detail": "..."}`` with ``Connection: close``, and never echo the input.
Validating the JSON itself is the application's business.

:func:`server_config` is the uvicorn configuration of ``accord serve``: a keep-alive timeout,
a cap on the size of the request head, a cap on concurrent connections, and a deadline on the
request head. uvicorn's h11 protocol arms its keep-alive timer only after a response, so a
connection that never sends (or only trickles) its request line and headers would stay open
forever; :func:`header_timeout_protocol` adds that deadline.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KEEP_ALIVE_SECONDS = 5
"""An idle kept-alive connection is closed after this long."""
HEADER_SECONDS = 10.0
"""A request's line and headers must arrive within this long of the connection opening (or of
the first byte of the next request on a kept-alive connection)."""
MAX_HEADER_BYTES = 16 * 1024
"""Largest request head (request line and headers); a larger one gets 400."""
MAX_CONNECTIONS = 64
"""Concurrent connections or requests past this get 503 from uvicorn."""


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                # The unread rest of the body makes the connection unusable for another request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class RequestLimits:
    """ASGI middleware: refuse a body over ``max_body`` bytes (413) or slower than
    ``body_seconds`` (408) before the application reads it; see the module docstring."""

    def __init__(self, app: ASGIApp, *, max_body: int, body_seconds: float) -> None:
        if max_body < 0 or body_seconds <= 0:
            raise ValueError("max_body must be >= 0 and body_seconds > 0")
        self.app = app
        self.max_body = max_body
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengths = {v.strip() for k, v in scope.get("headers", ()) if k.lower() == b"content-length"}
        if lengths:
            value = lengths.pop() if len(lengths) == 1 else b""
            if not value.isdigit():  # ASCII digits only: no sign, no spaces, one value
                await _refuse(send, 400, "the Content-Length header is not one whole number")
                return
            digits = value.lstrip(b"0") or b"0"
            if len(digits) > 18 or int(digits) > self.max_body:
                await _refuse(send, 413, self._too_large())
                return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.body_seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left: nobody to answer
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        await _refuse(send, 413, self._too_large())
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await _refuse(
                send,
                408,
                f"the request body did not arrive within {self.body_seconds:g} s; send it again",
            )
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: the disconnect, when it comes

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"the request body is over the limit of {self.max_body:,} bytes"


@functools.cache
def header_timeout_protocol(header_seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection whose request head is not complete within
    ``header_seconds`` of its first byte being awaited (connection open, or next request)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm_header_timer()

        def data_received(self, data: bytes) -> None:
            if self.header_timer is None and self.conn.their_state is h11.IDLE:
                self._arm_header_timer()  # the next request on a kept-alive connection begins
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm_header_timer()  # the head is complete (or refused)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_header_timer()
            super().connection_lost(exc)

        def _arm_header_timer(self) -> None:
            self._disarm_header_timer()
            self.header_timer = self.loop.call_later(header_seconds, self._header_timeout)

        def _disarm_header_timer(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _header_timeout(self) -> None:
            self.header_timer = None
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self.transport.close()

    return HeaderTimeoutH11Protocol


def server_config(
    app: Any, host: str, port: int, *, header_seconds: float = HEADER_SECONDS, **options: Any
) -> uvicorn.Config:
    """The uvicorn configuration of ``accord serve`` (``options`` override or add settings)."""
    import uvicorn

    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": header_timeout_protocol(header_seconds),
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "limit_concurrency": MAX_CONNECTIONS,
    }
    settings.update(options)
    return uvicorn.Config(app, **settings)
