"""The local web app: FastAPI JSON API plus one static page (no build step). No engine logic here.

The app is stateless towards the page: the page holds the scenario's text and sends it back with
the slider values (``overrides``) and the engine settings. The server never parses that text or
runs an engine in its own process: every step runs as a job of :mod:`accord.web.jobs` in a worker
*process* (:mod:`accord.web.workers`), which is killed at its deadline, so a timed-out request
frees its worker at once and no request can pin the server.

Two lanes of workers (docs/architecture.md, "The web app"):

- ``light`` (one worker, a few seconds): opening a built-in scenario, validating an upload or an
  edited text, applying slider values. It never waits behind a computation.
- ``compute`` (two workers, :data:`COMPUTE_SECONDS`): one engine per job, fastest first, so the
  first panels arrive while slow engines compute. Requests queue (bounded) instead of being
  refused; a newer request from the same page supersedes the older one's queued jobs, and a
  request the browser aborts kills its running jobs.

Answers are kept by the inputs each engine reads (:func:`accord.web.jobs.part_key`): moving a
trust slider recomputes sequencing only. The briefing, the run's JSON and the report are assembled
from those same parts, so the page, its download and ``accord run`` show one answer.

Security: ``accord serve`` binds 127.0.0.1; only local ``Host`` names are answered (DNS
rebinding), a foreign ``Origin`` is refused, and every POST needs :data:`REQUEST_HEADER`, which a
page on another origin cannot send without a CORS preflight this app never grants. Bodies are
size-limited before parsing (:class:`accord.web.limits.RequestLimits`); nothing a client sends
becomes a file-system path; errors never echo the input.

Example::

    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app()) as client:
    ...     client.get("/api/scenarios").status_code
    200
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from importlib import resources
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, File, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from accord import __version__
from accord.web import jobs
from accord.web.jobs import MAX_UPLOAD_BYTES, MAX_WEB_OUTCOMES, Overrides, Settings

__all__ = [
    "COMPUTE_SECONDS",
    "LOCAL_HOSTS",
    "MAX_UPLOAD_BYTES",
    "MAX_WEB_OUTCOMES",
    "REQUEST_HEADER",
    "EvaluateRequest",
    "Overrides",
    "Settings",
    "create_app",
]

COMPUTE_SECONDS = 20.0
"""Time limit of one engine's job; past it the worker is killed and the panel answers 504."""
LIGHT_SECONDS = 5.0
"""Time limit of parsing, validating and editing a scenario (the parser caps its own work)."""
WORKERS = 2
QUEUE = 32
"""Jobs that may wait for a worker; beyond that a request is refused with 503."""
MAX_BODY_BYTES = 3 * MAX_UPLOAD_BYTES
"""Largest request body (a scenario text, JSON-escaped, plus the controls)."""
BODY_SECONDS = 10.0
"""A request body that has not arrived by then is refused with 408."""
CHANNEL_HEADER = "X-Accord-Channel"
"""The page's tab id, and with :data:`SEQUENCE_HEADER` the order of its requests: a request older
than the newest one seen on its channel is superseded before it starts any job (requests can
reach the server out of order, so arrival order is not the page's order)."""
SEQUENCE_HEADER = "X-Accord-Sequence"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
"""Host headers the app answers by default: a rebinding DNS name pointing here is refused."""
REQUEST_HEADER = "X-Accord-Request"
"""State-changing requests must carry this header. A page on another origin cannot add a custom
header without a CORS preflight, which this app never grants, so it cannot post here."""

T = TypeVar("T")

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "the Host header is not one this app answers"},
    403: {"description": "a cross-site request, or a POST without the X-Accord-Request header"},
    404: {"description": "no such built-in scenario"},
    408: {"description": "the request body did not arrive in time"},
    409: {"description": "superseded by a newer request from the same page"},
    413: {"description": "the body or file is over the size limit"},
    422: {"description": "the scenario, the controls or a number is invalid (the fix is named)"},
    503: {"description": "every worker is busy and the queue is full; retry"},
    504: {"description": "the computation passed its time limit; its worker was stopped"},
}


class EvaluateRequest(BaseModel):
    """A scenario as YAML/JSON text, the slider values, and the engine settings."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    text: str = Field(max_length=MAX_UPLOAD_BYTES, description="the scenario file's text")
    name: str = Field(
        default="scenario.yaml", max_length=200, description="the file's name, used in messages"
    )
    overrides: Overrides = Field(default_factory=Overrides)
    settings: Settings = Field(default_factory=Settings)


class ValidateRequest(BaseModel):
    """A scenario text to check as the user types."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    text: str = Field(max_length=MAX_UPLOAD_BYTES)
    name: str = Field(default="scenario.yaml", max_length=200)


def display_name(name: str | None) -> str:
    """A client's file name as a label for messages: its last path part, printable, short."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable())[:120].strip()
    return base or "uploaded file"


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        return None

    def put(self, key: str, value: Any) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def _clean(x: Any) -> Any:  # NaN/inf are not JSON; the page shows them as missing
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    return x


def _dumps(obj: Any) -> str:
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(_clean(obj), cls=PlotlyJSONEncoder, allow_nan=False)


def _json(obj: Any, status: int = 200) -> Response:
    return Response(_dumps(obj), status_code=status, media_type="application/json")


def _cross_site(request: Any, allowed_hosts: tuple[str, ...]) -> str | None:
    """Why a request must be refused as cross-site (None: it may proceed).

    An ``Origin`` must be this very server — scheme aside, the same host *and port* as the
    request's ``Host`` — so that another local server's page (another port is another origin)
    is refused too."""
    origin = request.headers.get("origin")
    if origin and "*" not in allowed_hosts:
        from urllib.parse import urlsplit

        if origin == "null" or urlsplit(origin).netloc != request.headers.get("host", ""):
            return f"requests from the origin {origin[:80]} are refused"
    if request.method == "POST" and request.headers.get(REQUEST_HEADER) != "1":
        return f"a POST needs the header {REQUEST_HEADER}: 1 (the app's page sends it)"
    return None


Ticket = tuple[str, int]
"""A page's channel and the request's sequence number."""


def ticket_of(request: Request) -> Ticket | None:
    channel = request.headers.get(CHANNEL_HEADER)
    seq = request.headers.get(SEQUENCE_HEADER, "")
    if not channel or not seq.isdigit() or len(seq) > 15:
        return None
    return channel[:64], int(seq)


class Engine:
    """The server's side of the pipeline: lanes of worker processes and the caches."""

    def __init__(self, workers: int, compute_seconds: float, light_seconds: float) -> None:
        from accord.web.workers import ProcessLane

        preload = (
            "accord.web.jobs",
            "accord.app.run",
            "accord.report",
            "accord.app.briefing",
            "accord.web.warm",
        )
        self.light = ProcessLane("light", 1, light_seconds, queue=QUEUE, preload=preload)
        self.compute = ProcessLane(
            "compute", workers, compute_seconds, queue=QUEUE, preload=preload
        )
        self.bases = _LRU(16)
        self.edits = _LRU(64)
        self.parts = _LRU(256)
        self.order = list(jobs.part_names())
        self.latest: dict[str, int] = {}

    def close(self) -> None:
        self.light.close()
        self.compute.close()

    async def call(
        self, lane: Any, func: Callable[..., T], *args: Any, key: str | None = None
    ) -> T:
        from accord.web.workers import Busy, Cancelled, TimedOut, WorkFailed

        try:
            return await lane.call(func, *args, key=key)
        except Busy:
            raise HTTPException(
                503, "every worker is busy and the queue is full; retry in a moment"
            ) from None
        except TimedOut:
            raise HTTPException(
                504,
                f"the computation passed its limit of {lane_seconds(lane):g} s and was stopped; "
                "try a smaller scenario or fewer runs",
            ) from None
        except Cancelled:
            raise HTTPException(409, "superseded by a newer request from this page") from None
        except WorkFailed as exc:
            if exc.kind == "memory":
                raise HTTPException(422, "the scenario is too large for the web app") from None
            raise HTTPException(422, exc.message) from None

    async def base(self, text: str, name: str) -> tuple[str, bytes, dict[str, Any]]:
        sha = jobs.text_hash(text)
        key = f"{sha}:{name}"
        hit = self.bases.get(key)
        if hit is None:
            hit = await self.call(self.light, jobs.parse_job, text, name)
            self.bases.put(key, hit)
        return sha, hit[0], hit[1]

    async def edited(
        self, text: str, name: str, overrides: Overrides
    ) -> tuple[str, bytes, dict[str, Any]]:
        sha, blob, summary = await self.base(text, name)
        if overrides.is_empty():
            return sha, blob, summary
        key = sha + jobs.canonical(overrides.model_dump())
        hit = self.edits.get(key)
        if hit is None:
            hit = await self.call(self.light, jobs.edit_job, blob, overrides.model_dump())
            self.edits.put(key, hit)
        return sha, hit[0], hit[1]

    def arrived(self, ticket: Ticket | None) -> None:
        if ticket is not None:
            self.latest[ticket[0]] = max(self.latest.get(ticket[0], -1), ticket[1])

    def check_current(self, ticket: Ticket | None) -> None:
        """Refuse (409) a request the same page has already replaced with a newer one."""
        if ticket is not None and ticket[1] < self.latest.get(ticket[0], -1):
            raise HTTPException(409, "superseded by a newer request from this page")

    async def part(
        self, part: str, sha: str, edited: bytes, req: EvaluateRequest, ticket: Ticket | None
    ) -> dict[str, Any]:
        key = jobs.part_key(part, sha, req.overrides, req.settings)
        hit = self.parts.get(key)
        if hit is not None:
            return {**hit, "cached": True}
        self.check_current(ticket)
        settings = req.settings.model_dump()
        answer = await self.call(self.compute, jobs.part_job, edited, settings, part)
        answer["key"] = jobs.text_hash(key)[:16]  # the page skips redrawing an unchanged part
        self.parts.put(key, answer)
        self._learn(part, float(answer["seconds"]))
        return {**answer, "cached": False}

    def _learn(self, part: str, seconds: float) -> None:
        """Keep the parts ordered by their last measured time, so fast panels come first."""
        self.seconds = getattr(self, "seconds", {})
        self.seconds[part] = seconds
        rank = {p: i for i, p in enumerate(self.order)}
        self.order.sort(key=lambda p: (self.seconds.get(p, 0.05 * (rank[p] + 1)), rank[p]))


def lane_seconds(lane: Any) -> float:
    return float(getattr(lane, "seconds", COMPUTE_SECONDS))


def create_app(
    *,
    workers: int = WORKERS,
    compute_seconds: float = COMPUTE_SECONDS,
    light_seconds: float = LIGHT_SECONDS,
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS,
) -> FastAPI:
    """The FastAPI application (OpenAPI docs at /docs, served offline); the limits are for tests
    and tuning. The worker processes start with the app and stop with it (use it as a context:
    ``with TestClient(create_app()) as client``)."""
    from contextlib import asynccontextmanager

    from starlette.middleware.trustedhost import TrustedHostMiddleware

    from accord.web.limits import RequestLimits

    state: dict[str, Engine] = {}
    titles: dict[str, list[dict[str, str]]] = {}

    def engine() -> Engine:
        if "engine" not in state:
            state["engine"] = Engine(workers, compute_seconds, light_seconds)
        return state["engine"]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if "engine" in state:
                state.pop("engine").close()

    from fastapi_offline import FastAPIOffline  # serves /docs' assets from the package

    app = FastAPIOffline(
        title="Accord",
        version=__version__,
        description="Negotiation analysis with evidence: pick or upload a scenario, change its "
        "numbers, and see every engine's answer.",
        lifespan=lifespan,
        responses={k: v for k, v in ERRORS.items() if k in (400, 403, 408, 413, 503)},
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[h.strip("[]") for h in allowed_hosts])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Any, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default answer echoes the input back (and a NaN in it cannot even be
        # written as JSON): say where and what, never the value.
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.middleware("http")
    async def same_site_only(request: Any, call_next: Any) -> Any:
        why = _cross_site(request, allowed_hosts)
        if why is not None:
            return JSONResponse({"detail": why}, status_code=403)
        return await call_next(request)

    # Outermost: the size and time limits apply before any parsing.
    app.add_middleware(RequestLimits, max_body=MAX_BODY_BYTES, body_seconds=BODY_SECONDS)

    def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
        return {c: ERRORS[c] for c in codes}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        page = (resources.files("accord.web") / "static" / "index.html").read_text("utf-8")
        return HTMLResponse(page)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        from accord.report.html import plotly_js as bundle

        return Response(
            bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=3600"}
        )

    @app.get("/api/scenarios", responses=errors(504))
    async def list_scenarios() -> list[dict[str, str]]:
        """The built-in scenarios (id and title)."""
        if "titles" not in titles:
            eng = engine()
            titles["titles"] = await eng.call(eng.light, jobs.titles_job)
        return list(titles["titles"])

    @app.get("/api/scenarios/{scenario_id}", responses=errors(404, 422, 504))
    async def get_scenario(scenario_id: str) -> Response:
        """A built-in scenario's text and summary; the id must be one of /api/scenarios."""
        from accord.io.scenario_file import builtin_ids, builtin_text

        if scenario_id not in builtin_ids():  # never used as a path: looked up in the list
            raise HTTPException(404, f"no built-in scenario '{scenario_id[:64]}'")
        text = builtin_text(scenario_id)
        name = f"{scenario_id}.yaml"
        _sha, _blob, summary = await engine().base(text, name)
        return _json({"text": text, "name": name, "summary": summary})

    @app.post("/api/upload", responses=errors(413, 422, 504))
    async def upload(
        file: Annotated[UploadFile, File(description="a YAML or JSON scenario")],
    ) -> Response:
        """Validate an uploaded scenario file (at most MAX_UPLOAD_BYTES) and return its summary.
        The file's name is only a label in messages, never a path."""
        from accord.errors import ScenarioError
        from accord.io.scenario_file import decode_text

        name = display_name(file.filename)
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(
                413, f"{name} is over the limit of {MAX_UPLOAD_BYTES:,} bytes; split or trim it"
            )
        try:
            text = decode_text(data, name)
        except ScenarioError as exc:
            raise HTTPException(422, str(exc)) from None
        _sha, _blob, summary = await engine().base(text, name)
        return _json({"text": text, "name": name, "summary": summary})

    @app.post("/api/validate", responses=errors(422, 504))
    async def validate(req: ValidateRequest) -> Response:
        """Check an edited scenario text as the user types: its summary, or a 422 naming the line,
        the field and the fix."""
        name = display_name(req.name)
        _sha, _blob, summary = await engine().base(req.text, name)
        return _json({"name": name, "summary": summary})

    async def parts_of(
        req: EvaluateRequest, ticket: Ticket | None
    ) -> tuple[str, bytes, dict[str, Any], list[str]]:
        eng = engine()
        eng.arrived(ticket)
        name = display_name(req.name)
        sha, edited, summary = await eng.edited(req.text, name, req.overrides)
        eng.check_current(ticket)
        return sha, edited, summary, list(eng.order)

    async def whole(
        req: EvaluateRequest, ticket: Ticket | None, request: Request | None = None
    ) -> dict[str, Any]:
        sha, edited, summary, order = await parts_of(req, ticket)
        eng = engine()
        parts = await all_parts(eng, order, sha, edited, req, ticket, request)
        assembled = await eng.call(
            eng.compute, jobs.assemble_job, edited, req.settings.model_dump(), _bare(parts)
        )
        canonical = jobs.part_names()
        sections = [s for p in canonical if p in parts for s in parts[p]["sections"]]
        return {
            **assembled,
            "scenario": summary,
            "sections": sections,
            "seconds": {p: parts[p]["seconds"] for p in canonical if p in parts},
        }

    @app.post("/api/evaluate", responses=errors(409, 422, 503, 504))
    async def evaluate_route(req: EvaluateRequest, request: Request) -> Response:
        """Every engine's answer for the scenario with the overrides applied (figures included),
        with the briefing and the run's JSON (``result``)."""
        return _json(await whole(req, ticket_of(request), request))

    @app.post(
        "/api/evaluate/stream",
        responses={
            **errors(409, 422, 503, 504),
            200: {"content": {"application/x-ndjson": {}}, "description": "one event per line"},
        },
    )
    async def evaluate_stream(req: EvaluateRequest, request: Request) -> StreamingResponse:
        """The same answer as /api/evaluate, one JSON line per event as it is ready: a
        ``section`` event per engine (fastest first), then ``briefing``, then ``done``. A panel
        whose engine failed gets an ``error`` event with its status; if the browser aborts the
        request, its running jobs are stopped."""
        ticket = ticket_of(request)
        sha, edited, summary, order = await parts_of(req, ticket)
        eng = engine()
        canonical = list(jobs.part_names())
        started = time.perf_counter()

        async def events() -> AsyncIterator[str]:
            yield _dumps({"event": "start", "parts": canonical, "scenario": summary}) + "\n"

            async def one(p: str) -> dict[str, Any]:
                try:
                    return await eng.part(p, sha, edited, req, ticket)
                except HTTPException as exc:
                    return {"part": p, "status": exc.status_code, "detail": exc.detail}

            tasks = [asyncio.ensure_future(one(p)) for p in order]
            watcher = asyncio.ensure_future(_cancel_on_disconnect(request, tasks))
            parts: dict[str, dict[str, Any]] = {}
            try:
                for fut in asyncio.as_completed(tasks):
                    a = await fut
                    if a.get("status") == 409:
                        yield _dumps({"event": "superseded"}) + "\n"
                        return
                    if "status" in a:
                        yield _dumps({"event": "error", **a}) + "\n"
                        continue
                    parts[a["part"]] = a
                    yield (
                        _dumps(
                            {
                                "event": "section",
                                "part": a["part"],
                                "index": canonical.index(a["part"]),
                                "sections": a["sections"],
                                "left_out": a["left_out"],
                                "seconds": a["seconds"],
                                "cached": a["cached"],
                                "elapsed": time.perf_counter() - started,
                            }
                        )
                        + "\n"
                    )
                if len(parts) < len(tasks):
                    yield _dumps({"event": "done", "complete": False}) + "\n"
                    return
                assembled = await eng.call(
                    eng.compute, jobs.assemble_job, edited, req.settings.model_dump(), _bare(parts)
                )
                yield _dumps({"event": "briefing", **assembled}) + "\n"
                yield (
                    _dumps(
                        {
                            "event": "done",
                            "complete": True,
                            "elapsed": time.perf_counter() - started,
                        }
                    )
                    + "\n"
                )
            except asyncio.CancelledError:
                return  # the browser went away (an aborted request): its jobs are stopped
            finally:
                watcher.cancel()
                for t in tasks:
                    t.cancel()

        return StreamingResponse(events(), media_type="application/x-ndjson")

    @app.post("/api/scenario.yaml", responses=errors(422, 503, 504))
    async def edited_yaml(req: EvaluateRequest) -> Response:
        """The user's own scenario text with the slider values written in (comments kept, each
        changed value marked ``edited: true``)."""
        name = display_name(req.name)
        eng = engine()
        await eng.base(req.text, name)  # validated (and cached) before the text is rewritten
        sid, text = await eng.call(
            eng.light, jobs.yaml_job, req.text, name, req.overrides.model_dump()
        )
        return Response(
            text,
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{sid}.yaml"'},
        )

    @app.post("/api/report.html", responses=errors(409, 422, 503, 504))
    async def report_html(req: EvaluateRequest, request: Request) -> Response:
        """The self-contained HTML report of exactly the answer the page shows."""
        sha, edited, _summary, order = await parts_of(req, None)
        eng = engine()
        parts = await all_parts(eng, order, sha, edited, req, None, request)
        sid, html = await eng.call(
            eng.compute, jobs.report_job, edited, req.settings.model_dump(), _bare(parts)
        )
        return Response(
            html,
            media_type="text/html",
            headers={"Content-Disposition": f'attachment; filename="{sid}-report.html"'},
        )

    @app.get("/api/health", include_in_schema=False)
    def health() -> dict[str, Any]:
        eng = state.get("engine")
        if eng is None:
            return {"workers": "not started"}
        return {"light": eng.light.stats(), "compute": eng.compute.stats()}

    app.state.engine = engine
    return app


async def all_parts(
    eng: Engine,
    order: list[str],
    sha: str,
    edited: bytes,
    req: EvaluateRequest,
    ticket: Ticket | None,
    request: Request | None = None,
) -> dict[str, dict[str, Any]]:
    """Every part's answer; when one fails, or the client goes away, the others' jobs are
    stopped (not left queued or running)."""
    tasks = [asyncio.ensure_future(eng.part(p, sha, edited, req, ticket)) for p in order]
    watcher = asyncio.ensure_future(_cancel_on_disconnect(request, tasks)) if request else None
    try:
        answers = await asyncio.gather(*tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        raise
    finally:
        if watcher is not None:
            watcher.cancel()
    return {a["part"]: a for a in answers}


async def _cancel_on_disconnect(request: Request, tasks: Sequence[asyncio.Future[Any]]) -> None:
    """Cancel ``tasks`` when the client disconnects (uvicorn does not cancel the endpoint; an
    aborted fetch must stop its jobs, killing their workers)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            for t in tasks:
                t.cancel()
            return


def _bare(parts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the assembling job needs of each part (not the figures)."""
    return {
        k: {"blob": p["blob"], "left_out": p["left_out"], "seconds": p["seconds"]}
        for k, p in parts.items()
    }
