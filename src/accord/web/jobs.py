"""What the web app's worker processes run: module-level functions over picklable data.

The server (:mod:`accord.web.app`) never parses a client's text or runs an engine in its own
process; it sends these jobs to worker processes (:mod:`accord.web.workers`), which are killed at
their deadline. The pipeline of one answer (docs/architecture.md, "The web app"):

1. :func:`parse_job` validates the text exactly like a file and returns the scenario pickled, with
   the page's summary and controls. The server keeps it by the text's hash.
2. :func:`edit_job` applies the slider values (:class:`Overrides`) and revalidates.
3. :func:`part_job` runs one engine (or the uncertainty summary) through
   :func:`accord.app.run.run_all` — the function ``accord run`` uses — and draws its section.
   The server keeps each part by the inputs that engine reads, so a slider recomputes only the
   engines it touches.
4. :func:`assemble_job` puts the parts back into one :class:`~accord.app.run.RunResult` and writes
   the briefing and the run's JSON (or the whole HTML report) from it: nothing is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from accord.errors import EngineInputError, ScenarioError

MAX_UPLOAD_BYTES = 512 * 1024
"""Largest scenario a client may upload or send (scenario files are small text files)."""
MAX_WEB_OUTCOMES = 1_000_000
"""Largest outcome space the web app analyses (the CLI takes larger ones)."""

PARTS_FAST_FIRST = (
    "analyse",
    "stability",
    "signals",
    "ratify",
    "forecast",
    "information",
    "uncertainty",
    "simulate",
    "sequence",
)
"""Default order of the parts, fastest first on Hanoi (measured: ``run_all(...).seconds``), so
the first panels arrive while the slow ones compute; plug-in engines run after these."""


class Overrides(BaseModel):
    """Slider values that replace numbers of the scenario (evidence is kept, marked "edited")."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    weights: dict[
        Annotated[str, Field(max_length=80)],
        dict[Annotated[str, Field(max_length=80)], Annotated[float, Field(ge=0, le=1000)]],
    ] = Field(default_factory=dict, description="party id → issue id → weight (normalised by sum)")
    reservation: dict[Annotated[str, Field(max_length=80)], Annotated[float, Field(ge=0, le=1)]] = (
        Field(default_factory=dict, description="party id → reservation value in [0, 1]")
    )
    trust: dict[Annotated[str, Field(max_length=80)], Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict, description="sequencing party id → per-round trust in [0, 1]"
    )
    shift_distributions: bool = Field(
        default=False,
        description="move an edited parameter's distribution with it (default: keep it as it is)",
    )

    def is_empty(self) -> bool:
        return not (self.weights or self.reservation or self.trust)


class Settings(BaseModel):
    """Engine settings that are not part of the scenario."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

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


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical(obj: Any) -> str:
    """A stable text of JSON-like data (sorted keys): part of the cache keys."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def parse_text(text: str, name: str) -> Any:
    from accord.io.scenario_file import parse_scenario

    fmt = "json" if text.lstrip().startswith("{") else "yaml"
    return parse_scenario(text, file=name, fmt=fmt)


def _edited(old: Any, value: float, shift: bool, what: str) -> Any:
    """A Param with the user's value, its evidence kept and marked edited; its distribution kept
    (or moved by the same amount when ``shift``)."""
    from accord.scenario.base import DistKind, Distribution, Param

    if not isinstance(old, Param):
        return Param(value=value, edited=True)
    dist = old.dist
    if dist is not None and shift:
        delta = value - old.point
        a = list(dist.args)
        if dist.kind in (DistKind.uniform, DistKind.triangular, DistKind.choice):
            a = [x + delta for x in a]
        elif dist.kind is DistKind.normal:
            a[0] += delta
        elif dist.kind is DistKind.truncnormal:
            a[0] += delta
            a[2] += delta
            a[3] += delta
        elif len(a) == 4:  # beta on [lo, hi]
            a[2] += delta
            a[3] += delta
        else:
            raise ScenarioError(
                f"{what}: a beta distribution on [0, 1] cannot be shifted",
                hint="turn off 'shift distributions', or give the beta bounds [a, b, lo, hi]",
            )
        dist = Distribution(kind=dist.kind, args=tuple(a), weights=dist.weights)
    return Param(value=value, dist=dist, evidence=old.evidence, edited=True)


def apply_overrides(scenario: Any, overrides: Overrides, file: str = "<edited>") -> Any:
    """A new, revalidated scenario with the slider values in place; unknown ids are errors that
    name the fix."""
    from accord.io.scenario_file import validate_scenario

    if overrides.is_empty():
        return scenario
    data = scenario.to_yaml_dict()
    prefs = data.get("preferences", {})
    shift = overrides.shift_distributions
    for party, weights in overrides.weights.items():
        if party not in scenario.preferences:
            raise ScenarioError(
                f"overrides.weights names '{party}', which has no preferences",
                hint=f"use one of: {', '.join(scenario.preferences) or '-'}",
            )
        old_weights = scenario.preferences[party].weights
        for issue, w in weights.items():
            if issue not in old_weights:
                raise ScenarioError(
                    f"overrides.weights.{party} names '{issue}', which is not an issue",
                    hint=f"use one of: {', '.join(old_weights)}",
                )
            new = _edited(old_weights[issue], w, shift, f"{party}'s weight on {issue}")
            prefs[party]["weights"][issue] = new.model_dump()
    for party, r in overrides.reservation.items():
        if party not in scenario.preferences:
            raise ScenarioError(
                f"overrides.reservation names '{party}', which has no preferences",
                hint=f"use one of: {', '.join(scenario.preferences) or '-'}",
            )
        old = scenario.preferences[party].reservation
        prefs[party]["reservation"] = _edited(old, r, shift, f"{party}'s reservation").model_dump()
    if overrides.trust:
        seq = scenario.sequencing
        if seq is None:
            raise ScenarioError("overrides.trust given, but the scenario has no sequencing section")
        for party, t in overrides.trust.items():
            if party not in seq.parties:
                raise ScenarioError(
                    f"overrides.trust names '{party}', which is not a sequencing party",
                    hint=f"use one of: {', '.join(seq.parties)}",
                )
            new = _edited(seq.parties[party].trust, t, shift, f"{party}'s trust")
            data["sequencing"]["parties"][party]["trust"] = new.model_dump()
    return validate_scenario(data, file=file)


def _control(p: Any) -> dict[str, Any]:
    """One slider's value, plausible range (its distribution's support) and evidence."""
    rng = None
    if p.dist is not None:
        lo, hi = p.dist.support
        rng = [lo if lo > -1e300 else None, hi if hi < 1e300 else None]
    return {
        "value": p.point,
        "range": rng,
        "edited": p.edited,
        "evidence": [
            {"source": e.source, "quote": e.quote[:400], "note": e.note[:400]} for e in p.evidence
        ],
    }


def summary(scenario: Any) -> dict[str, Any]:
    """What the page shows about a scenario, and the controls it offers."""
    from accord.app.labels import issue_name, party_name
    from accord.app.registry import get_spec, resolve_settings
    from accord.bargaining import space_size
    from accord.scenario.model import SECTION_KEYS, iter_evidence
    from accord.simulation import REGISTRY
    from accord.simulation.from_scenario import DEFAULT_STRATEGY

    sim_settings = resolve_settings(get_spec("simulate"), scenario).values
    prefs = scenario.preferences
    controls: dict[str, Any] = {
        "weights": {
            p: {i: _control(w) for i, w in prefs[p].weights.items()}
            for p in scenario.party_ids
            if p in prefs
        },
        "reservation": {
            p: _control(prefs[p].reservation) for p in scenario.party_ids if p in prefs
        },
        "trust": {}
        if scenario.sequencing is None
        else {p: _control(sp.trust) for p, sp in scenario.sequencing.parties.items()},
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
        "names": {p.id: party_name(scenario, p.id) for p in scenario.parties},
        "issue_names": {i.id: issue_name(scenario, i.id) for i in scenario.issues},
        "others": [{"id": p.id, "name": p.name} for p in scenario.parties if not p.at_table],
        "issues": [{"id": i.id, "name": i.name or i.id, "size": i.size} for i in scenario.issues],
        "outcomes": n,
        "evidence": len(iter_evidence(scenario)),
        "sections": [k for k in SECTION_KEYS if getattr(scenario, k, None) is not None],
        "controls": controls,
    }


def engine_overrides(scenario: Any, s: Settings) -> dict[str, dict[str, Any]]:
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


def part_names() -> tuple[str, ...]:
    """Every part of an answer: the registry's engines (fast ones first) and the uncertainty."""
    from accord.app.registry import all_specs

    keys = list(all_specs())
    known = [k for k in PARTS_FAST_FIRST if k in keys or k == "uncertainty"]
    return (*known, *[k for k in keys if k not in known])


def part_key(part: str, base_hash: str, overrides: Overrides, settings: Settings) -> str:
    """The cache key of one part: only the inputs that part reads (docs/architecture.md)."""
    from accord.app.registry import all_specs

    spec = all_specs().get(part)
    sections = set(spec.sections) if spec is not None else {"preferences", "sequencing"}
    used: dict[str, Any] = {"part": part, "base": base_hash, "seed": settings.seed}
    if overrides.shift_distributions and part == "uncertainty":
        used["shift"] = True
    if "preferences" in sections:
        used["weights"] = overrides.weights
        used["reservation"] = overrides.reservation
    if "sequencing" in sections:
        used["trust"] = overrides.trust
    if part == "simulate":
        used["settings"] = settings.model_dump(exclude={"seed"})
    return canonical(used)


# ----------------------------------------------------------------------------- worker-side jobs


def titles_job() -> list[dict[str, str]]:
    """The built-in scenarios' ids and titles."""
    from accord.io.scenario_file import builtin_ids, load_scenario

    return [{"id": sid, "title": load_scenario(sid).title} for sid in builtin_ids()]


def parse_job(text: str, name: str) -> tuple[bytes, dict[str, Any]]:
    """Validate a client's text like a file; the scenario pickled, and the page's summary."""
    scenario = parse_text(text, name)
    return pickle.dumps(scenario), summary(scenario)


def edit_job(base: bytes, overrides: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """Apply the slider values to a parsed scenario and revalidate; pickled, with its summary."""
    scenario = apply_overrides(pickle.loads(base), Overrides.model_validate(overrides))
    return pickle.dumps(scenario), summary(scenario)


def part_job(edited: bytes, settings: dict[str, Any], part: str) -> dict[str, Any]:
    """Run one part (an engine, or ``uncertainty``) and draw its section; the result pickled."""
    from accord.app.run import run_all
    from accord.report import section_views
    from accord.report.sections import ReportData

    scenario = pickle.loads(edited)
    s = Settings.model_validate(settings)
    overrides = engine_overrides(scenario, s)
    is_unc = part == "uncertainty"
    run = run_all(scenario, overrides, seed=s.seed, only=(part,), uncertainty=is_unc)
    blob: bytes | None = None
    if is_unc and run.uncertainty is not None:
        blob = pickle.dumps(run.uncertainty)
    elif part in run.engines:
        blob = pickle.dumps(run.engines[part])
    views = section_views(ReportData(run)) if blob is not None else []
    return {
        "part": part,
        "blob": blob,
        "left_out": run.left_out.get(part),
        "seconds": run.seconds.get(part, 0.0),
        "sections": [v.to_dict(with_figures=True) for v in views],
    }


def _run_from_parts(
    edited: bytes, settings: dict[str, Any], parts: Mapping[str, Mapping[str, Any]]
) -> Any:
    from accord.app.registry import all_specs
    from accord.app.run import RunResult

    scenario = pickle.loads(edited)
    engines = {
        k: pickle.loads(parts[k]["blob"])
        for k in all_specs()
        if k in parts and parts[k]["blob"] is not None
    }
    unc = parts.get("uncertainty")
    uncertainty = pickle.loads(unc["blob"]) if unc and unc["blob"] is not None else None
    left_out = {k: p["left_out"] for k, p in parts.items() if p["left_out"] is not None}
    seconds = {k: float(p["seconds"]) for k, p in parts.items()}
    seed = Settings.model_validate(settings).seed
    return RunResult(scenario, engines, left_out, seed, uncertainty, seconds)


def assemble_job(
    edited: bytes, settings: dict[str, Any], parts: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The briefing and the run's JSON from the parts the page already shows (no recomputing)."""
    from accord.app.briefing import brief
    from accord.app.jsonable import to_jsonable
    from accord.report.sections import section_title

    run = _run_from_parts(edited, settings, parts)
    return {
        "briefing": brief(run).to_dict(),
        "left_out": {section_title(k): v for k, v in run.left_out.items()},
        "result": to_jsonable(run.to_dict()),
    }


def report_job(
    edited: bytes, settings: dict[str, Any], parts: Mapping[str, Mapping[str, Any]]
) -> tuple[str, str]:
    """The self-contained HTML report of exactly the answer the page shows."""
    from accord.report import render_report
    from accord.report.sections import ReportData

    run = _run_from_parts(edited, settings, parts)
    return run.scenario.id, render_report(ReportData(run))


def yaml_job(text: str, name: str, overrides: dict[str, Any]) -> tuple[str, str]:
    """The edited scenario as YAML: the user's own text with the slider values written in, its
    comments kept (ruamel.yaml round trip), each changed value marked ``edited: true``."""
    from accord.io.yaml_edit import write_params

    scenario = parse_text(text, name)
    ov = Overrides.model_validate(overrides)
    new = apply_overrides(scenario, ov)  # refuses unknown ids with the fix before writing
    params: dict[tuple[str, ...], Any] = {}
    for party, weights in ov.weights.items():
        for issue in weights:
            w = new.preferences[party].weights[issue]
            params[("preferences", party, "weights", issue)] = w.model_dump()
    for party in ov.reservation:
        params[("preferences", party, "reservation")] = new.preferences[
            party
        ].reservation.model_dump()
    for party in ov.trust:
        assert new.sequencing is not None
        params[("sequencing", "parties", party, "trust")] = new.sequencing.parties[
            party
        ].trust.model_dump()
    out = write_params(text, params, file=name)
    parse_text(out, name)  # what we hand back must load again
    return scenario.id, out
