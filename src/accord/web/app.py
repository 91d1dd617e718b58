"""The local web app: FastAPI JSON API plus one static page (no build step). No engine logic here.

The app is stateless: the page holds the scenario's YAML text and sends it back with the slider
values (``overrides``) and the engine settings; the server validates the text exactly like a file
(:func:`accord.io.scenario_file.parse_scenario`), applies the overrides, revalidates, and runs the
engines through :func:`accord.app.run.run_all` (via :func:`accord.report.compute_sections`), the
same function ``accord run`` and the HTML report use; the page's controls are explicit overrides
of the engines' settings (docs/architecture.md, "Settings").

Security: ``accord serve`` binds 127.0.0.1 unless told otherwise; nothing a client sends becomes a
file-system path (built-in scenarios are looked up by id in the shipped list, the page and
plotly.js are fixed package files); uploads and texts are size-limited before parsing; every
computation runs in a worker thread with a time limit (``COMPUTE_SECONDS``), so the event loop keeps
answering other requests, and when every worker is busy a request is refused with 503 rather than
queued without bound.

Example::

    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app())
    >>> client.get("/api/scenarios").status_code
    200
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, File, HTTPException, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from accord import __version__
from accord.errors import AccordError, EngineInputError, ScenarioError

MAX_UPLOAD_BYTES = 512 * 1024
"""Largest scenario a client may upload or send (scenario files are small text files)."""
COMPUTE_SECONDS = 20.0
"""Time limit of one computation; past it the request answers 504."""
WORKERS = 2
MAX_WEB_OUTCOMES = 1_000_000
"""Largest outcome space the web app analyses (the CLI takes larger ones)."""

T = TypeVar("T")


class Overrides(BaseModel):
    """Slider values that replace numbers of the scenario (evidence is kept)."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, dict[str, Annotated[float, Field(ge=0, le=1000)]]] = Field(
        default_factory=dict, description="party id → issue id → weight (normalised by the sum)"
    )
    reservation: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict, description="party id → reservation value in [0, 1]"
    )
    trust: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict, description="sequencing party id → per-round trust in [0, 1]"
    )


class Settings(BaseModel):
    """Engine settings that are not part of the scenario."""

    model_config = ConfigDict(extra="forbid")

    strategies: list[Annotated[str, Field(max_length=80)]] | None = Field(
        default=None,
        max_length=16,
        description="one simulation strategy per party, in order (default: the scenario's)",
    )
    deadline: int | None = Field(
        default=None, ge=1, le=200, description="simulation deadline (default: the scenario's)"
    )
    runs: int | None = Field(
        default=None, ge=1, le=500, description="negotiations per pair (default: the scenario's)"
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


class EvaluateRequest(BaseModel):
    """A scenario as YAML/JSON text, the slider values, and the engine settings."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_UPLOAD_BYTES, description="the scenario file's text")
    overrides: Overrides = Field(default_factory=Overrides)
    settings: Settings = Field(default_factory=Settings)


class _Busy(Exception):
    pass


class Runner:
    """Runs blocking work in a small thread pool with a time limit; refuses when saturated."""

    def __init__(self, workers: int = WORKERS, seconds: float = COMPUTE_SECONDS) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accord-web")
        self.workers = workers
        self.seconds = seconds
        self.active = 0
        self.lock = threading.Lock()

    def _done(self) -> None:
        with self.lock:
            self.active -= 1

    async def run(self, func: Callable[[], T]) -> T:
        with self.lock:
            if self.active >= self.workers:
                raise _Busy
            self.active += 1
        future = self.pool.submit(func)
        future.add_done_callback(lambda _f: self._done())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=self.seconds)
        except TimeoutError:
            # The thread finishes on its own (engines cap their sizes); the slot frees then.
            raise HTTPException(
                504, f"the computation took longer than {self.seconds:g} s; try a smaller scenario"
            ) from None


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(422, str(exc))


def _parse(text: str, name: str = "<uploaded>") -> Any:
    from accord.io.scenario_file import parse_scenario

    fmt = "json" if text.lstrip().startswith("{") else "yaml"
    return parse_scenario(text, file=name, fmt=fmt)


def _param_value(value: float, old: Any) -> Any:
    evidence = old.get("evidence") if isinstance(old, dict) else None
    return {"value": value, "evidence": evidence} if evidence else value


def apply_overrides(scenario: Any, overrides: Overrides) -> Any:
    """A new scenario with the slider values in place; unknown ids are errors naming the fix."""
    from accord.io.scenario_file import validate_scenario

    if not (overrides.weights or overrides.reservation or overrides.trust):
        return scenario
    data = scenario.to_yaml_dict()
    prefs = data.get("preferences", {})
    for party, weights in overrides.weights.items():
        if party not in prefs:
            raise ScenarioError(
                f"overrides.weights names '{party}', which has no preferences",
                hint=f"use one of: {', '.join(prefs) or '-'}",
            )
        for issue, w in weights.items():
            if issue not in prefs[party]["weights"]:
                raise ScenarioError(
                    f"overrides.weights.{party} names '{issue}', which is not an issue",
                    hint=f"use one of: {', '.join(prefs[party]['weights'])}",
                )
            prefs[party]["weights"][issue] = _param_value(w, prefs[party]["weights"][issue])
    for party, r in overrides.reservation.items():
        if party not in prefs:
            raise ScenarioError(
                f"overrides.reservation names '{party}', which has no preferences",
                hint=f"use one of: {', '.join(prefs) or '-'}",
            )
        prefs[party]["reservation"] = _param_value(r, prefs[party].get("reservation"))
    if overrides.trust:
        seq = data.get("sequencing")
        if seq is None:
            raise ScenarioError("overrides.trust given, but the scenario has no sequencing section")
        for party, t in overrides.trust.items():
            if party not in seq["parties"]:
                raise ScenarioError(
                    f"overrides.trust names '{party}', which is not a sequencing party",
                    hint=f"use one of: {', '.join(seq['parties'])}",
                )
            seq["parties"][party]["trust"] = _param_value(t, seq["parties"][party]["trust"])
    return validate_scenario(data, file="<edited>")


def summary(scenario: Any) -> dict[str, Any]:
    """What the page shows about a scenario, and the controls it offers."""
    from accord.app.registry import get_spec, resolve_settings
    from accord.bargaining import space_size
    from accord.scenario.model import SECTION_KEYS, iter_evidence
    from accord.simulation import REGISTRY
    from accord.simulation.from_scenario import DEFAULT_STRATEGY

    sim_settings = resolve_settings(get_spec("simulate"), scenario).values

    prefs = scenario.preferences
    controls: dict[str, Any] = {
        "weights": {
            p: {i: w.point for i, w in prefs[p].weights.items()}
            for p in scenario.party_ids
            if p in prefs
        },
        "reservation": {p: prefs[p].reservation.point for p in scenario.party_ids if p in prefs},
        "trust": {}
        if scenario.sequencing is None
        else {p: sp.trust.point for p, sp in scenario.sequencing.parties.items()},
        "strategies": {
            p: sim_settings.strategies.get(p, DEFAULT_STRATEGY)  # type: ignore[attr-defined]
            for p in scenario.party_ids
        },
        "deadline": sim_settings.deadline or 100,  # type: ignore[attr-defined]
        "strategy_names": [i.name for i in REGISTRY.infos()],
    }
    n = space_size(scenario) if scenario.issues else 0
    return {
        "id": scenario.id,
        "title": scenario.title,
        "description": scenario.description,
        "parties": [{"id": p.id, "name": p.name} for p in scenario.parties if p.at_table],
        "others": [{"id": p.id, "name": p.name} for p in scenario.parties if not p.at_table],
        "issues": [{"id": i.id, "name": i.name or i.id, "size": i.size} for i in scenario.issues],
        "outcomes": n,
        "evidence": len(iter_evidence(scenario)),
        "sections": [k for k in SECTION_KEYS if getattr(scenario, k, None) is not None],
        "controls": controls,
    }


def _overrides(scenario: Any, s: Settings) -> dict[str, dict[str, Any]]:
    """The page's controls as explicit engine overrides (the scenario fills the rest)."""
    from accord.simulation import parse_strategy

    sim: dict[str, Any] = {"deadline": s.deadline, "runs": s.runs}
    if s.strategies:
        ids = scenario.party_ids
        if len(s.strategies) != len(ids):
            raise EngineInputError(f"settings.strategies: give one strategy per party ({len(ids)})")
        for text in s.strategies:
            parse_strategy(text)  # a clear error now rather than a left-out section later
        sim["strategies"] = dict(zip(ids, s.strategies, strict=True))
    # The threshold search of sequencing takes seconds of MILPs; the app answers a slider move,
    # so it asks for the schedule only (the setting is recorded in the answer's settings).
    return {
        "simulate": sim,
        "analyse": {"max_outcomes": MAX_WEB_OUTCOMES},
        "sequence": {"thresholds": False},
    }


def _json(obj: Any, status: int = 200) -> Response:
    from plotly.utils import PlotlyJSONEncoder

    def clean(x: Any) -> Any:  # NaN/inf are not JSON; the page shows them as missing
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        return x

    text = json.dumps(clean(obj), cls=PlotlyJSONEncoder, allow_nan=False)
    return Response(text, status_code=status, media_type="application/json")


def evaluate(req: EvaluateRequest) -> dict[str, Any]:
    """Parse, apply the overrides, run every engine; the page's whole answer (blocking)."""
    from accord.app.jsonable import to_jsonable
    from accord.report import compute_sections, section_views
    from accord.report.sections import section_title

    scenario = apply_overrides(_parse(req.text), req.overrides)
    data = compute_sections(scenario, _overrides(scenario, req.settings), seed=req.settings.seed)
    from accord.app.briefing import brief

    views = section_views(data)
    return {
        "briefing": brief(data.run).to_dict(),
        "scenario": summary(scenario),
        "sections": [v.to_dict(with_figures=True) for v in views],
        "left_out": {section_title(k): v for k, v in data.left_out.items()},
        "seconds": dict(data.seconds),
        "result": to_jsonable(data.run.to_dict()),
    }


LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
"""Host headers the app answers by default: a rebinding DNS name pointing here is refused."""
REQUEST_HEADER = "X-Accord-Request"
"""State-changing requests must carry this header. A page on another origin cannot add a custom
header without a CORS preflight, which this app never grants, so it cannot post here."""


def _cross_site(request: Any, allowed_hosts: tuple[str, ...]) -> str | None:
    """Why a request must be refused as cross-site (None: it may proceed)."""
    origin = request.headers.get("origin")
    if origin:
        from urllib.parse import urlsplit

        host = urlsplit(origin).hostname or ""
        if host not in {h.strip("[]") for h in allowed_hosts} and "*" not in allowed_hosts:
            return f"requests from the origin {origin[:80]} are refused"
    if request.method == "POST" and request.headers.get(REQUEST_HEADER) != "1":
        return f"a POST needs the header {REQUEST_HEADER}: 1 (the app's page sends it)"
    return None


def create_app(
    *,
    workers: int = WORKERS,
    compute_seconds: float = COMPUTE_SECONDS,
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS,
) -> FastAPI:
    """The FastAPI application (OpenAPI docs at /docs); the limits are for tests and tuning.

    Only ``allowed_hosts`` are answered (Starlette's TrustedHostMiddleware, against DNS
    rebinding), a foreign ``Origin`` is refused, and every POST must carry
    :data:`REQUEST_HEADER`, so a page the user visits elsewhere cannot use the app.
    """
    from fastapi.responses import JSONResponse
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI(
        title="Accord",
        version=__version__,
        description="Negotiation analysis with evidence: pick or upload a scenario, change its "
        "numbers, and see every engine's answer.",
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[h.strip("[]") for h in allowed_hosts])

    @app.middleware("http")
    async def same_site_only(request: Any, call_next: Any) -> Any:
        why = _cross_site(request, allowed_hosts)
        if why is not None:
            return JSONResponse({"detail": why}, status_code=403)
        return await call_next(request)

    runner = Runner(workers, compute_seconds)

    async def guarded(func: Callable[[], T]) -> T:
        try:
            return await runner.run(func)
        except _Busy:
            raise HTTPException(503, "the server is busy with other computations; retry") from None
        except (AccordError, ValueError) as exc:
            raise _bad(exc) from None
        except MemoryError:
            raise HTTPException(422, "the scenario is too large for the web app") from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        page = (resources.files("accord.web") / "static" / "index.html").read_text("utf-8")
        return HTMLResponse(page)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        from plotly.offline import get_plotlyjs

        return Response(get_plotlyjs(), media_type="text/javascript")

    @app.get("/api/scenarios")
    def list_scenarios() -> list[dict[str, str]]:
        """The built-in scenarios (id and title)."""
        from accord.io.scenario_file import builtin_ids, load_scenario

        return [{"id": sid, "title": load_scenario(sid).title} for sid in builtin_ids()]

    @app.get("/api/scenarios/{scenario_id}")
    async def get_scenario(scenario_id: str) -> Response:
        """A built-in scenario's text and summary; the id must be one of /api/scenarios."""
        from accord.io.scenario_file import builtin_ids, builtin_text

        if scenario_id not in builtin_ids():  # never used as a path: looked up in the list
            raise HTTPException(404, f"no built-in scenario '{scenario_id[:64]}'")
        text = builtin_text(scenario_id)
        scenario = await guarded(lambda: _parse(text, f"<built-in {scenario_id}>"))
        return _json({"text": text, "summary": summary(scenario)})

    @app.post("/api/upload")
    async def upload(
        file: Annotated[UploadFile, File(description="a YAML or JSON scenario")],
    ) -> Response:
        """Validate an uploaded scenario file (at most MAX_UPLOAD_BYTES) and return its summary."""
        from accord.io.scenario_file import decode_text

        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"the file is over the limit of {MAX_UPLOAD_BYTES:,} bytes")
        name = "<uploaded>"  # the client's file name is only a label, never a path
        try:
            text = decode_text(data, name)
        except ScenarioError as exc:
            raise _bad(exc) from None
        scenario = await guarded(lambda: _parse(text, name))
        return _json({"text": text, "summary": summary(scenario)})

    @app.post("/api/evaluate")
    async def evaluate_route(req: EvaluateRequest) -> Response:
        """Every engine's answer for the scenario with the overrides applied (figures included)."""
        # Looked up at call time so that tests can substitute a slow computation.
        work = globals()["evaluate"]
        return _json(await guarded(lambda: work(req)))

    @app.post("/api/scenario.yaml")
    async def edited_yaml(req: EvaluateRequest) -> Response:
        """The edited scenario (overrides applied) as a YAML file."""
        from accord.io.scenario_file import scenario_to_yaml

        def work() -> tuple[str, str]:
            s = apply_overrides(_parse(req.text), req.overrides)
            return s.id, scenario_to_yaml(s)

        sid, text = await guarded(work)
        return Response(
            text,
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{sid}.yaml"'},
        )

    @app.post("/api/report.html")
    async def report_html(req: EvaluateRequest) -> Response:
        """The self-contained HTML report of the edited scenario."""
        from accord.report import compute_sections, render_report

        def work() -> tuple[str, str]:
            s = apply_overrides(_parse(req.text), req.overrides)
            data = compute_sections(s, _overrides(s, req.settings), seed=req.settings.seed)
            return s.id, render_report(data)

        sid, html = await guarded(work)
        return Response(
            html,
            media_type="text/html",
            headers={"Content-Disposition": f'attachment; filename="{sid}-report.html"'},
        )

    return app
