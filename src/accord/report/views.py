"""From one run result to what an analyst sees: figures, tables, a few key numbers, the findings.

:func:`section_views` turns a :class:`~accord.report.sections.ReportData` into one
:class:`SectionView` per engine that produced a result. The HTML report and the web app both render
these views, so the two show the same figures and tables. The findings are the registry's
structured findings (:mod:`accord.app.registry`), the same list the terminal prints; nothing here
is recomputed: tables are the engine's numbers, formatted.

* Bargaining: the utility plane (two parties) or a scatter matrix with one panel per pair (three
  or more), the ``solutions`` table (each concept's package in words and each party's utility)
  and the ``weights`` table (normalised as the analysis uses them, the raw value where it
  differs).
* Simulation: the negotiation dance, the concession curves and the strategy matrix.
* Stability: the ``states`` table (options Y/N, stability per decision maker and concept, the
  equilibria, the status quo and its paths) and the state grid.

Every figure takes its party colours from :func:`colours` (the scenario's party order mapped to
:data:`accord.report.figures.PALETTE`), so a party has one colour in every chart.

Example::

    >>> import accord
    >>> from accord.report.sections import compute_sections
    >>> views = section_views(compute_sections(accord.load("divide-the-dollar")))
    >>> views[0].key, len(views[0].figures) >= 1
    ('analyse', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from accord.app.run import EngineResult
from accord.report import figures
from accord.report.sections import ReportData, section_title
from accord.scenario.model import Scenario


@dataclass(frozen=True)
class Table:
    """A small table of plain-text cells (already formatted); rendered escaped on every surface."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }


@dataclass(frozen=True)
class SectionView:
    """One section: its figures (name, figure), key numbers (label, text), findings and tables."""

    key: str
    title: str
    figures: tuple[tuple[str, go.Figure], ...]
    facts: tuple[tuple[str, str], ...]
    findings: tuple[str, ...]
    tables: tuple[Table, ...] = ()

    def to_dict(self, with_figures: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "facts": [{"label": k, "value": v} for k, v in self.facts],
            "findings": list(self.findings),
            "tables": [t.to_dict() for t in self.tables],
        }
        if with_figures:
            out["figures"] = {name: fig.to_plotly_json() for name, fig in self.figures}
        return out


def _names(scenario: Scenario) -> dict[str, str]:
    return {p.id: p.name for p in scenario.parties}


def party_order(scenario: Scenario) -> list[str]:
    """Every id a figure colours, parties first in the scenario's order, then other actors.

    The conflict's decision makers, the stakeholders' actors that stand for no party and the
    sequencing parties follow the parties, so a party's colour never depends on which sections a
    scenario has.
    """
    order = [p.id for p in scenario.parties]
    if scenario.conflict is not None:
        order += [d.id for d in scenario.conflict.decision_makers]
    if scenario.stakeholders is not None:
        order += [a.party or a.id for a in scenario.stakeholders.actors]
    if scenario.sequencing is not None:
        order += list(scenario.sequencing.parties)
    return list(dict.fromkeys(order))


def colours(scenario: Scenario) -> dict[str, str]:
    """The colour of every party (and other actor) of ``scenario``, the same in every figure."""
    out = figures.party_colours(party_order(scenario))
    if scenario.stakeholders is not None:
        for a in scenario.stakeholders.actors:
            if a.party is not None:
                out[a.id] = out[a.party]
    return out


def _outcome_text(outcome: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in outcome.items()
    )


def package_text(scenario: Scenario, outcome: dict[str, Any]) -> str:
    """A package in words: each issue's name and the option's label (or the number)."""
    issues = {i.id: i for i in scenario.issues}
    parts = []
    for k, v in outcome.items():
        issue = issues.get(k)
        name = (issue.name or issue.id) if issue is not None else k
        if isinstance(v, float):
            parts.append(f"{name}: {v:g}")
        else:
            parts.append(f"{name}: {issue.label(v) if issue is not None else v}")
    return "; ".join(parts)


def _texts(er: EngineResult) -> tuple[str, ...]:
    return tuple(f.text for f in er.findings)


def _num(x: float) -> str:
    return f"{x:.3g}"


def weights_table(scenario: Scenario, party_ids: tuple[str, ...]) -> Table:
    """Each party's issue weights as the engine uses them: divided by their sum.

    A cell shows the raw weight in brackets only when it differs from the normalised one.
    """
    names = _names(scenario)
    rows = []
    for issue in scenario.issues:
        row = [issue.name or issue.id]
        for pid in party_ids:
            pref = scenario.preferences[pid]
            norm = pref.normalised_weights()
            if issue.id not in norm:
                row.append("-")
                continue
            raw = pref.weights[issue.id].point
            cell = f"{norm[issue.id]:.3f}"
            if not math.isclose(raw, norm[issue.id], rel_tol=1e-9, abs_tol=1e-12):
                cell += f" (raw {raw:g})"
            row.append(cell)
        rows.append(tuple(row))
    return Table(
        "weights",
        "Issue weights (normalised to sum to 1, as the analysis uses them)",
        ("issue", *(f"weight of {names.get(p, p)}" for p in party_ids)),
        tuple(rows),
    )


def _bargaining_view(data: ReportData, er: EngineResult) -> SectionView:
    r: Any = er.result.result
    s = data.scenario
    names = [_names(s).get(p, p) for p in r.party_ids]
    palette = colours(s)
    cols = [palette.get(p, figures.NEUTRAL) for p in r.party_ids]
    sol = dict(r.solutions)
    if r.rubinstein is not None:
        sol["rubinstein"] = r.rubinstein.index
    u = np.asarray(r.utilities, dtype=np.float64)
    scales = [
        figures.utility_scale(float(u[:, j].min()), float(u[:, j].max())) if u.size else ""
        for j in range(len(names))
    ]
    figs: list[tuple[str, go.Figure]] = []
    if len(r.party_ids) >= 2:
        hover = None
        if r.n_outcomes <= figures.MAX_POINTS:
            hover = [_outcome_text(r.space.decode(i)) for i in range(r.n_outcomes)]
        draw = figures.utility_space if len(r.party_ids) == 2 else figures.utility_matrix
        figs.append(
            (
                "utility-space",
                draw(
                    u,
                    names,
                    reservation=r.reservations,
                    pareto=r.pareto,
                    solutions=sol,
                    proposals=[(p.name or p.id, p.utilities) for p in r.proposals],
                    hover=hover,
                    colours=cols,
                    party_ids=list(r.party_ids),
                    scales=scales,
                ),
            )
        )
    rows: list[tuple[str, ...]] = []
    for name, index in sol.items():
        label = figures.SOLUTION_LABELS.get(name, str(name))
        if index is None:
            rows.append(
                (label, "none (no outcome in the zone of agreement)", *("-" for _ in names))
            )
            continue
        rows.append(
            (
                label,
                package_text(s, r.space.decode(int(index))),
                *(f"{u[int(index), j]:.3f}" for j in range(len(names))),
            )
        )
    solutions = Table(
        "solutions",
        "Bargaining solutions: the package each picks and what it gives each party",
        ("solution concept", "package", *(f"utility of {n}" for n in names)),
        tuple(rows),
    )
    facts = [
        ("outcomes", f"{r.n_outcomes:,}"),
        ("Pareto-efficient outcomes", f"{r.pareto.shape[0]:,}"),
        ("zone of possible agreement", f"{r.zone_size:,} ({r.zone_size / r.n_outcomes:.1%})"),
    ]
    for j, name in enumerate(names):
        facts.append((f"{name}: reservation value", f"{r.reservations[j]:.2f}"))
    tables = (solutions, weights_table(s, tuple(r.party_ids)))
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er), tables)


def _simulation_view(data: ReportData, er: EngineResult) -> SectionView:
    from accord.simulation.results import END_NAMES

    r: Any = er.result
    s = data.scenario
    ids = list(r.party_ids)
    names = [s.party(p).name for p in ids]
    palette = colours(s)
    cols = [palette.get(p, figures.NEUTRAL) for p in ids]
    trace = r.trace
    offers = trace.offers
    setup = r.sim.setup
    reservation = np.asarray(setup.reservation, dtype=np.float64)
    end = END_NAMES[trace.end]
    figs: list[tuple[str, go.Figure]] = []
    if offers:
        u = np.array([o.utilities for o in offers])
        proposers = [o.proposer for o in offers]
        if len(ids) >= 2:
            # The accepted offer is the last one; without a deal both fall back to the
            # reservation point (the engine's walk-away values, setup.reservation).
            point = u[-1, :2] if end == "agreement" else reservation[:2]
            walker = names[trace.walked_away] if trace.walked_away >= 0 else None
            full = np.asarray(setup.utilities, dtype=np.float64)
            figs.append(
                (
                    "negotiation-dance",
                    figures.negotiation_dance(
                        u,
                        proposers,
                        names,
                        end=end,
                        end_round=int(trace.round),
                        outcome=point,
                        walked_away=walker,
                        reservation=reservation[:2],
                        background=full[:, :2] if full.ndim == 2 and full.shape[1] >= 2 else None,
                        colours=cols,
                        party_ids=ids,
                        scales=[
                            figures.utility_scale(float(full[:, j].min()), float(full[:, j].max()))
                            for j in range(2)
                        ]
                        if full.ndim == 2 and full.shape[1] >= 2 and full.size
                        else None,
                    ),
                )
            )
        figs.append(
            (
                "concession-curves",
                figures.concession_curves(
                    u, proposers, names, reservation=reservation, colours=cols, party_ids=ids
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
    facts = [
        ("strategies", " vs ".join(str(x) for x in r.default.strategies)),
        ("deadline (rounds)", str(setup.deadline)),
        ("traced negotiation ended", f"{end} in round {trace.round}"),
        ("seed", str(er.seed)),
    ]
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er))


MAX_GRAPH_STATES = 64
MAX_TABLE_STATES = 256
"""Larger conflicts list only the equilibria, the status quo and the states on its paths."""


def _combination(options: dict[str, bool], ids: list[str]) -> str:
    on = [o for o in ids if options[o]]
    return " + ".join(on) if on else "none"


def states_table(scenario: Scenario, res: Any) -> Table:
    """One row per feasible state: the options (Y/N), each decision maker's stability, the
    equilibria by concept and the state's place relative to the status quo.

    Stability comes from ``res.stable`` (concept → decision makers × states), the status-quo
    column from ``res.status_quo_paths`` (the engine's status-quo analysis).
    """
    from accord.conflict.stability import CONCEPT_LABELS

    model = res.model
    dm_names = _dm_names(scenario, model.dm_ids)
    concepts = list(res.stable)
    labels = [CONCEPT_LABELS.get(c, c) for c in concepts]
    sq = model.status_quo
    paths = {p.target: p for p in res.status_quo_paths}
    columns = ["state"]
    columns += [f"{dm_names[model.option_owner[k]]}: {o}" for k, o in enumerate(model.option_ids)]
    columns += [f"stable for {n}" for n in dm_names]
    columns += ["equilibrium under", "from the status quo"]
    shown = list(range(model.n_states))
    title = "Conflict states: options taken (Y/N), stability by decision maker and concept"
    if model.n_states > MAX_TABLE_STATES:
        # A large model lists only the states a reader looks up: the equilibria, the status quo
        # and the states on its paths.
        keep = {x - 1 for eq in res.equilibria.values() for x in eq}
        keep |= {x - 1 for p in res.status_quo_paths for x in (p.states or ())}
        if sq is not None:
            keep.add(sq)
        shown = sorted(keep)
        title += (
            f" (the {len(shown):,} of {model.n_states:,} states that are an equilibrium, the "
            "status quo or on its paths)"
        )
    rows = []
    for i in shown:
        opts = model.state_options(i)
        row = [str(i + 1)]
        row += ["Y" if opts[o] else "N" for o in model.option_ids]
        for d in range(model.n_dms):
            ok = [lab for c, lab in zip(concepts, labels, strict=True) if res.stable[c][d, i]]
            row.append(", ".join(ok) or "none")
        eq = [lab for c, lab in zip(concepts, labels, strict=True) if res.stable[c][:, i].all()]
        row.append(", ".join(eq) or "-")
        if sq is not None and i == sq:
            where = "status quo"
        elif (p := paths.get(i + 1)) is not None:
            if p.states is None:
                where = f"not reached in {res.max_path_length} unilateral improvements or fewer"
            else:
                moves = ", ".join(dm_names[model.dm_index(m)] for m in p.movers or ())
                where = "reached: " + " → ".join(map(str, p.states)) + f" (moves: {moves})"
        else:
            where = "-"
        row.append(where)
        rows.append(tuple(row))
    return Table("states", title, tuple(columns), tuple(rows))


def _dm_names(scenario: Scenario, dm_ids: tuple[str, ...]) -> list[str]:
    names = _names(scenario)
    if scenario.conflict is not None:
        for d in scenario.conflict.decision_makers:
            if d.name:
                names[d.id] = d.name
    return [names.get(d, d) for d in dm_ids]


def _conflict_view(data: ReportData, er: EngineResult) -> SectionView:
    from accord.conflict.stability import CONCEPT_LABELS, all_moves

    res = er.result.result
    model = res.model
    s = data.scenario
    dm_names = _dm_names(s, model.dm_ids)
    palette = colours(s)
    sq = model.status_quo
    paths = [[x - 1 for x in p.states] for p in res.status_quo_paths if p.states is not None]
    figs: list[tuple[str, go.Figure]] = []
    if model.n_states <= MAX_GRAPH_STATES:
        first = [o for k, o in enumerate(model.option_ids) if model.option_owner[k] == 0]
        rest = [o for k, o in enumerate(model.option_ids) if model.option_owner[k] != 0]
        col_keys: list[str] = []
        row_keys: list[str] = []
        cells = []
        labels = []
        for i in range(model.n_states):
            opts = model.state_options(i)
            c, rw = _combination(opts, first), _combination(opts, rest)
            if c not in col_keys:
                col_keys.append(c)
            if rw not in row_keys:
                row_keys.append(rw)
            cells.append((col_keys.index(c), row_keys.index(rw)))
            on = [o for o, v in opts.items() if v]
            labels.append(f"state {i + 1}: " + (", ".join(on) if on else "no option taken"))
        others = ", ".join(dm_names[1:])
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
                    cells=cells,
                    columns=col_keys,
                    rows=row_keys,
                    column_title=f"options taken by {dm_names[0]}",
                    row_title=f"options taken by {others}",
                    equilibria={
                        CONCEPT_LABELS.get(c, c): [x - 1 for x in eq]
                        for c, eq in res.equilibria.items()
                    },
                    status_quo=sq,
                    paths=paths,
                    colours=[palette.get(d, figures.NEUTRAL) for d in model.dm_ids],
                    dm_ids=list(model.dm_ids),
                ),
            )
        )
    facts = [("feasible states", str(model.n_states))]
    if sq is not None:
        facts.append(("status quo", f"state {sq + 1}"))
    for concept in res.equilibria:
        eq = res.equilibria[concept]
        label = CONCEPT_LABELS.get(concept, concept)
        facts.append((f"{label} equilibria", ", ".join(map(str, eq)) or "none"))
    for concept, why in res.skipped.items():
        facts.append((f"{CONCEPT_LABELS.get(concept, concept)} not computed", str(why)))
    tables = (states_table(s, res),)
    return SectionView(er.key, er.title, tuple(figs), tuple(facts), _texts(er), tables)


def dimension_scale_note(dim: Any) -> str:
    """What the two ends of a stakeholder dimension's position scale mean."""
    lo, hi = dim.scale
    if dim.low or dim.high:
        return f"position: {lo:g} = {dim.low or 'low end'}, {hi:g} = {dim.high or 'high end'}"
    return f"position on a {lo:g} to {hi:g} scale"


def _forecast_view(data: ReportData, er: EngineResult) -> SectionView:
    fc: Any = er.result.result
    s = data.scenario
    section = s.stakeholders
    assert section is not None
    names = {a.id: a.label for a in section.actors}
    party_of = {a.id: a.party or a.id for a in section.actors}
    palette = colours(s)
    dims = []
    cols, ids, titles, scales = [], [], [], []
    facts = [("model", fc.model)]
    for d in fc.dimensions:
        dim = section.dimension(d.dimension)
        label = dim.label
        pos = np.array([r.positions for r in d.rounds])
        mean = np.array([r.mean for r in d.rounds])
        dims.append((label, [names.get(a, a) for a in d.actors], pos, mean))
        cols.append([palette.get(a, figures.NEUTRAL) for a in d.actors])
        ids.append([party_of.get(a, a) for a in d.actors])
        titles.append(dimension_scale_note(dim))
        scales.append((float(dim.scale[0]), float(dim.scale[1])))
        facts.append((f"{label}: forecast", f"{d.forecast:.1f}"))
    figs = (
        (
            (
                "forecast-trajectories",
                figures.forecast_trajectories(
                    dims, colours=cols, actor_ids=ids, scale_notes=titles, scales=scales
                ),
            ),
        )
        if dims
        else ()
    )
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
                figures.sequencing_gantt(
                    rows, sch.step_ids, sch.step_owner, names, colours(data.scenario)
                ),
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
    palette = colours(s)
    labels = ["leaders' zone"]
    sizes = [int(d["zone"]["international"])]
    bar_colours = [figures.NEUTRAL]
    owners: list[str | None] = [None]
    for pid, w in d["win_sets"].items():
        labels.append(f"win-set of {s.party(pid).name}")
        sizes.append(int(w["size"]))
        bar_colours.append(palette.get(pid, figures.NEUTRAL))
        owners.append(pid)
    labels.append("two-level zone")
    sizes.append(int(d["zone"]["two_level"]))
    bar_colours.append("#000000")
    owners.append(None)
    base = _generic_view(data, er)
    fig = figures.winset_bars(labels, sizes, bar_colours, owners)
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
