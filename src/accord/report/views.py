"""From one run result to what an analyst sees: figures, a few key numbers and the findings.

:func:`section_views` turns a :class:`~accord.report.sections.ReportData` into one
:class:`SectionView` per engine that produced a result. The HTML report and the web app both render
these views, so the two show the same figures. The findings are the registry's structured findings
(:mod:`accord.app.registry`), the same list the terminal prints; nothing here is recomputed.

Example::

    >>> import accord
    >>> from accord.report.sections import compute_sections
    >>> views = section_views(compute_sections(accord.load("divide-the-dollar")))
    >>> views[0].key, len(views[0].figures) >= 1
    ('analyse', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from accord.app.run import EngineResult
from accord.report import figures
from accord.report.sections import ReportData, section_title
from accord.scenario.model import Scenario


@dataclass(frozen=True)
class SectionView:
    """One section: its figures (name, figure), key numbers (label, text) and findings."""

    key: str
    title: str
    figures: tuple[tuple[str, go.Figure], ...]
    facts: tuple[tuple[str, str], ...]
    findings: tuple[str, ...]

    def to_dict(self, with_figures: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "facts": [{"label": k, "value": v} for k, v in self.facts],
            "findings": list(self.findings),
        }
        if with_figures:
            out["figures"] = {name: fig.to_plotly_json() for name, fig in self.figures}
        return out


def _names(scenario: Scenario) -> dict[str, str]:
    return {p.id: p.name for p in scenario.parties}


def _outcome_text(outcome: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in outcome.items()
    )


def _texts(er: EngineResult) -> tuple[str, ...]:
    return tuple(f.text for f in er.findings)


def _bargaining_view(data: ReportData, er: EngineResult) -> SectionView:
    r: Any = er.result.result
    s = data.scenario
    names = [_names(s).get(p, p) for p in r.party_ids]
    sol = dict(r.solutions)
    if r.rubinstein is not None:
        sol["rubinstein"] = r.rubinstein.index
    figs: list[tuple[str, go.Figure]] = []
    if len(r.party_ids) >= 2:
        hover = None
        if r.n_outcomes <= figures.MAX_POINTS:
            hover = [_outcome_text(r.space.decode(i)) for i in range(r.n_outcomes)]
        figs.append(
            (
                "utility-space",
                figures.utility_space(
                    r.utilities[:, :2],
                    names[:2],
                    reservation=r.reservations[:2],
                    pareto=r.pareto,
                    solutions=sol,
                    proposals=[(p.name or p.id, p.utilities[:2]) for p in r.proposals],
                    hover=hover,
                ),
            )
        )
    facts = [
        ("outcomes", f"{r.n_outcomes:,}"),
        ("Pareto-efficient outcomes", f"{r.pareto.shape[0]:,}"),
        ("zone of possible agreement", f"{r.zone_size:,} ({r.zone_size / r.n_outcomes:.1%})"),
    ]
    for j, name in enumerate(names):
        facts.append((f"{name}: reservation value", f"{r.reservations[j]:.2f}"))
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er))


def _simulation_view(data: ReportData, er: EngineResult) -> SectionView:
    r: Any = er.result
    s = data.scenario
    names = [s.party(p).name for p in r.party_ids]
    trace = r.trace
    offers = trace.offers
    figs: list[tuple[str, go.Figure]] = []
    if offers:
        u = np.array([o.utilities for o in offers])
        figs.append(
            (
                "concession-curves",
                figures.concession_curves(
                    u,
                    [o.proposer for o in offers],
                    names,
                    reservation=np.array([s.preferences[p].reservation.point for p in r.party_ids]),
                ),
            )
        )
    if r.matrix is not None and len(names) == 2:
        figs.append(
            (
                "strategy-matrix",
                figures.strategy_matrix(
                    r.matrix.agreement_rate, r.matrix.mean_utilities, r.matrix.rows, names[:2]
                ),
            )
        )
    end = ("agreement", "deadline", "walk-away")[trace.end]
    facts = [
        ("strategies", " vs ".join(str(x) for x in r.default.strategies)),
        ("deadline (rounds)", str(r.sim.setup.deadline)),
        ("traced negotiation ended", f"{end} in round {trace.round}"),
        ("seed", str(er.seed)),
    ]
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er))


MAX_GRAPH_STATES = 64


def _conflict_view(data: ReportData, er: EngineResult) -> SectionView:
    from accord.conflict.stability import all_moves

    res = er.result.result
    model = res.model
    dm_names = list(model.dm_ids)
    nash = [x - 1 for x in res.equilibria.get("nash", [])]
    sq = model.status_quo
    paths = [[x - 1 for x in p.states] for p in res.status_quo_paths if p.states is not None]
    figs: list[tuple[str, go.Figure]] = []
    if model.n_states <= MAX_GRAPH_STATES:
        labels = []
        for i in range(model.n_states):
            on = [o for o, v in model.state_options(i).items() if v]
            labels.append(f"state {i + 1}: " + (", ".join(on) if on else "no option taken"))
        figs.append(
            (
                "conflict-graph",
                figures.conflict_graph(
                    labels,
                    tuple(
                        (np.asarray(e.src), np.asarray(e.dst))
                        for e in all_moves(model).improvements
                    ),
                    dm_names,
                    equilibria=nash,
                    status_quo=sq,
                    paths=paths,
                ),
            )
        )
    facts = [("feasible states", str(model.n_states))]
    for concept in ("nash", "gmr", "smr", "seq"):
        eq = res.equilibria.get(concept)
        if eq is not None:
            facts.append((f"{concept.upper()} equilibria", ", ".join(map(str, eq)) or "none"))
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er))


def _forecast_view(data: ReportData, er: EngineResult) -> SectionView:
    fc: Any = er.result.result
    s = data.scenario
    section = s.stakeholders
    assert section is not None
    names = {a.id: a.label for a in section.actors}
    dims = []
    facts = [("model", fc.model)]
    for d in fc.dimensions:
        label = section.dimension(d.dimension).label
        pos = np.array([r.positions for r in d.rounds])
        mean = np.array([r.mean for r in d.rounds])
        dims.append((label, [names.get(a, a) for a in d.actors], pos, mean))
        facts.append((f"{label}: forecast", f"{d.forecast:.1f}"))
    figs = (("forecast-trajectories", figures.forecast_trajectories(dims)),) if dims else ()
    return SectionView(er.key, er.title, figs, tuple(facts), _texts(er))


def _sequencing_view(data: ReportData, er: EngineResult) -> SectionView:
    an: Any = er.result.analysis
    sch = an.schedule
    names = _names(data.scenario)
    seq = data.scenario.sequencing
    if seq is not None:
        for pid, party in seq.parties.items():
            if party.name:
                names[pid] = party.name
    figs: list[tuple[str, go.Figure]] = []
    rows = sch.rows()
    if sch.feasible and rows:
        figs.append(
            (
                "sequencing-gantt",
                figures.sequencing_gantt(rows, sch.step_ids, sch.step_owner, names),
            )
        )
    facts = [
        ("self-enforcing schedule", "yes" if sch.feasible else "no"),
        ("rounds needed", "-" if sch.rounds is None else str(sch.rounds)),
        ("rounds allowed", str(sch.max_rounds)),
    ]
    if sch.feasible:
        movers = [names.get(m, m) if m else "both at once" for m in sch.first_mover_per_round()]
        facts.append(("first mover, round by round", "; ".join(movers)))
        for pid, path in sch.trust_path().items():
            facts.append(
                (
                    f"trust of {names.get(pid, pid)}, round by round",
                    " → ".join(f"{x:.2f}" for x in path),
                )
            )
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er))


def _uncertainty_view(data: ReportData) -> SectionView:
    sw: Any = data.run.uncertainty
    margin = "deal margin (best smallest gain over the walk-away values)"
    t = sw.tornado
    rows = t["rows"]
    figs = (
        ("sweep-distribution", figures.outcome_distribution(sw.margins, margin)),
        (
            "sweep-tornado",
            figures.tornado(
                tuple(r["label"] for r in rows),
                [float(r["output_low"]) for r in rows],
                [float(r["output_high"]) for r in rows],
                float(t["baseline"]),
            ),
        ),
    )
    facts = (
        ("samples (Latin hypercube)", f"{sw.samples:,}"),
        ("uncertain parameters", str(len(sw.parameters))),
        ("seed", str(sw.seed)),
    )
    return SectionView(
        "uncertainty", section_title("uncertainty"), figs, facts, tuple(f.text for f in sw.findings)
    )


REGIME_NAMES = {
    "complete": "bottom lines known",
    "leaders": "leaders' summit",
    "working_level": "working-level talks",
    "broker": "broker",
}


def _information_view(data: ReportData, er: EngineResult) -> SectionView:
    regimes = er.result.to_dict()["regimes"]
    keys = [k for k in REGIME_NAMES if k in regimes]
    fig = figures.regime_bars(
        [REGIME_NAMES[k] for k in keys],
        [1 - float(regimes[k]["p_agreement"]) for k in keys],
        [1 - float(regimes[k]["truth"]["p_agreement"]) for k in keys],
    )
    base = _generic_view(data, er)
    return SectionView(er.key, er.title, (("information-regimes", fig),), base.facts, base.findings)


def _signals_view(data: ReportData, er: EngineResult) -> SectionView:
    figs = []
    for gid, g in er.result.to_dict()["games"].items():
        if not g["equilibria"]:
            continue
        post = g["equilibria"][0]["posteriors"]
        messages = list(post)
        types = [t["id"] if isinstance(t, dict) else str(t) for t in g["types"]]
        values = [[float(post[m].get(t, 0.0)) for t in types] for m in messages]
        figs.append((f"signals-{gid}", figures.posterior_bars(g["title"] or gid, messages, types,
                                                               values)))  # fmt: skip
    base = _generic_view(data, er)
    return SectionView(er.key, er.title, tuple(figs), base.facts, base.findings)


def _ratify_view(data: ReportData, er: EngineResult) -> SectionView:
    d = er.result.to_dict()
    s = data.scenario
    labels = ["leaders' zone"]
    sizes = [int(d["zone"]["international"])]
    for pid, w in d["win_sets"].items():
        labels.append(f"win-set of {s.party(pid).name}")
        sizes.append(int(w["size"]))
    labels.append("two-level zone")
    sizes.append(int(d["zone"]["two_level"]))
    base = _generic_view(data, er)
    fig = figures.winset_bars(labels, sizes)
    return SectionView(er.key, er.title, (("ratify-win-sets", fig),), base.facts, base.findings)


def _generic_view(data: ReportData, er: EngineResult) -> SectionView:
    """An engine without figures of its own: its headline numbers and findings."""
    facts = tuple(
        (k.replace("_", " "), f"{v:.3g}" if isinstance(v, float) else str(v))
        for k, v in er.headlines.items()
    )
    return SectionView(er.key, er.title, (), facts, _texts(er))


_VIEWS = {
    "analyse": _bargaining_view,
    "simulate": _simulation_view,
    "stability": _conflict_view,
    "forecast": _forecast_view,
    "sequence": _sequencing_view,
    "information": _information_view,
    "signals": _signals_view,
    "ratify": _ratify_view,
}


def section_views(data: ReportData) -> list[SectionView]:
    """A view for each engine that produced a result, in the registry's order."""
    out = []
    for key, er in data.run.engines.items():
        out.append(_VIEWS.get(key, _generic_view)(data, er))
    if data.run.uncertainty is not None:
        out.append(_uncertainty_view(data))
    return out
