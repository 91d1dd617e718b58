"""From engine results to what an analyst sees: figures, a few key numbers and plain findings.

:func:`section_views` turns a :class:`~accord.report.sections.ReportData` into one
:class:`SectionView` per engine that produced a result. The HTML report and the web app both render
these views, so the two always show the same figures and the same findings. Findings are sentences
computed from the numbers (no conclusion is written in advance).

Example::

    >>> import accord
    >>> from accord.report.sections import compute_sections
    >>> views = section_views(compute_sections(accord.load("divide-the-dollar")))
    >>> views[0].key, len(views[0].figures) >= 1
    ('bargaining', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from accord.report import figures
from accord.report.sections import SECTION_TITLES, ReportData
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


def _bargaining_view(data: ReportData) -> SectionView:
    r: Any = data.bargaining
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
    findings = []
    if r.zone_size == 0:
        gaps = r.reservations - r.utilities.max(axis=0)
        findings.append(
            "No package gives every party at least its reservation value: the zone of possible "
            "agreement is empty."
        )
        if (gaps > 0).any():
            j = int(np.argmax(gaps))
            findings.append(f"{names[j]} cannot reach its reservation value with any package.")
    else:
        findings.append(
            f"{r.zone_size:,} of {r.n_outcomes:,} packages ({r.zone_size / r.n_outcomes:.0%}) give "
            f"every party at least its reservation value; {r.pareto_in_zone:,} of them are "
            "Pareto-efficient."
        )
        nash = sol.get("nash")
        if nash is not None:
            u = r.utilities[nash]
            findings.append(
                f"The Nash bargaining solution is {_outcome_text(r.space.decode(nash))} "
                "(utilities "
                + ", ".join(f"{n} {x:.2f}" for n, x in zip(names, u, strict=False))
                + ")."
            )
    for p in r.proposals:
        label = p.name or p.id
        if p.shortfalls:
            who = ", ".join(
                f"{_names(s).get(k, k)} (short by {v:.2f})" for k, v in p.shortfalls.items()
            )
            findings.append(f"'{label}' falls below the reservation value of {who}.")
        elif not p.on_frontier:
            findings.append(
                f"'{label}' is in the zone but not efficient: another package is better for all."
            )
        else:
            findings.append(f"'{label}' is in the zone and efficient.")
    return SectionView(
        "bargaining", SECTION_TITLES["bargaining"], tuple(figs), tuple(facts), tuple(findings[:4])
    )


def _simulation_view(data: ReportData) -> SectionView:
    sim: Any = data.simulation
    assert sim is not None
    s = data.scenario
    names = [p.name for p in s.parties]
    trace = sim.trace
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
                    reservation=np.array([s.preferences[p].reservation.point for p in s.party_ids]),
                ),
            )
        )
    if sim.agreement_rate is not None and sim.mean_utilities is not None:
        figs.append(
            (
                "strategy-matrix",
                figures.strategy_matrix(
                    sim.agreement_rate, sim.mean_utilities, sim.matrix_strategies, names[:2]
                ),
            )
        )
    end = trace.to_dict()["end"]
    facts = [
        ("strategies", " vs ".join(sim.strategies)),
        ("deadline (rounds)", str(sim.deadline)),
        ("ended", f"{end} in round {trace.round}"),
        ("seed", str(sim.seed)),
    ]
    findings = []
    if trace.agreement >= 0:
        from accord.scenario.outcomes import outcome_space

        outcome = outcome_space(s).decode(trace.agreement)
        findings.append(
            f"With {' vs '.join(sim.strategies)}, the parties agree in round {trace.round} on "
            f"{_outcome_text(outcome)}."
        )
    else:
        findings.append(
            f"With {' vs '.join(sim.strategies)}, there is no agreement ({end} in round "
            f"{trace.round})."
        )
    if sim.agreement_rate is not None:
        rate = sim.agreement_rate
        findings.append(
            f"{int((rate > 0).sum())} of {rate.size} strategy pairs reach an agreement at least "
            "once."
        )
        if sim.mean_utilities is not None and rate.size and (rate > 0).any():
            joint = sim.mean_utilities.sum(axis=2)
            i, j = np.unravel_index(int(np.argmax(joint)), joint.shape)
            findings.append(
                f"The highest joint payoff comes from {names[0]} playing "
                f"{sim.matrix_strategies[i]} against {names[1]} playing "
                f"{sim.matrix_strategies[j]}."
            )
    return SectionView(
        "simulation", SECTION_TITLES["simulation"], tuple(figs), tuple(facts), tuple(findings)
    )


MAX_GRAPH_STATES = 64


def _conflict_view(data: ReportData) -> SectionView:
    cd: Any = data.conflict
    assert cd is not None
    res = cd.result
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
                    labels, cd.improvements, dm_names, equilibria=nash, status_quo=sq, paths=paths
                ),
            )
        )
    facts = [("feasible states", str(model.n_states))]
    for concept in ("nash", "gmr", "smr", "seq"):
        eq = res.equilibria.get(concept)
        if eq is not None:
            facts.append((f"{concept.upper()} equilibria", ", ".join(map(str, eq)) or "none"))
    findings = []
    for n_state in res.equilibria.get("nash", [])[:2]:
        on = [o for o, v in model.state_options(n_state - 1).items() if v]
        findings.append(
            f"State {n_state} ({', '.join(on) or 'no option taken'}) is a Nash equilibrium: no "
            "decision maker gains by moving alone."
        )
    if not res.equilibria.get("nash"):
        findings.append("No state is Nash-stable: someone can always improve by moving alone.")
    reach = [p for p in res.status_quo_paths if p.states is not None]
    if sq is not None:
        findings.append(
            f"From the status quo (state {sq + 1}), {len(reach)} of {len(res.status_quo_paths)} "
            "equilibria (under any stability concept) can be reached by unilateral improvements."
        )
    return SectionView(
        "conflict", SECTION_TITLES["conflict"], tuple(figs), tuple(facts), tuple(findings[:4])
    )


def _forecast_view(data: ReportData) -> SectionView:
    fc: Any = data.forecast
    s = data.scenario
    section = s.stakeholders
    assert section is not None
    names = {a.id: a.label for a in section.actors}
    dims = []
    facts = [("model", fc.model)]
    findings = []
    for d in fc.dimensions:
        label = section.dimension(d.dimension).label
        pos = np.array([r.positions for r in d.rounds])
        mean = np.array([r.mean for r in d.rounds])
        dims.append((label, [names.get(a, a) for a in d.actors], pos, mean))
        facts.append((f"{label}: forecast", f"{d.forecast:.1f}"))
        start = d.rounds[0].mean
        findings.append(
            f"{label}: the forecast is {d.forecast:.1f}, against a weighted mean of the opening "
            f"positions of {start:.1f}; {len(d.movers())} of {len(d.actors)} actors move."
        )
    figs = (("forecast-trajectories", figures.forecast_trajectories(dims)),) if dims else ()
    return SectionView(
        "forecast", SECTION_TITLES["forecast"], figs, tuple(facts), tuple(findings[:4])
    )


def _sequencing_view(data: ReportData) -> SectionView:
    an: Any = data.sequencing
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
    findings = []
    if sch.feasible:
        movers = [names.get(p, p) for p in sch.first_movers()]
        findings.append(
            f"A self-enforcing schedule exists in {sch.rounds} round(s); "
            f"{' and '.join(movers) or 'nobody'} move(s) first."
        )
        if sch.min_slack is not None:
            findings.append(
                f"The tightest incentive constraint has a slack of {sch.min_slack:.3f}: the "
                "smaller, the closer a side is to defecting."
            )
    else:
        b = sch.blocking
        findings.append(
            "No schedule within the allowed rounds keeps both sides willing to continue"
            + (f"; {names.get(b.party, b.party)} blocks first, in round {b.round}." if b else ".")
        )
    for t in an.thresholds:
        if not t.met and t.needed is not None:
            findings.append(
                f"{names.get(t.party, t.party)}'s {t.lever.replace('_', ' ')} would have to rise "
                f"from {t.current:.2f} to {t.needed:.2f} for a schedule to exist."
            )
    return SectionView(
        "sequencing", SECTION_TITLES["sequencing"], tuple(figs), tuple(facts), tuple(findings[:4])
    )


def _sweep_view(data: ReportData) -> SectionView:
    sw: Any = data.sweep
    assert sw is not None
    margin = "deal margin (best smallest gain over reservation)"
    figs = (
        ("sweep-distribution", figures.outcome_distribution(sw.values, margin)),
        ("sweep-tornado", figures.tornado(sw.labels, sw.low, sw.high, sw.base)),
    )
    p_deal = float(np.mean(sw.deal_possible)) if sw.samples else 0.0
    widest = int(np.argmax(np.abs(sw.high - sw.low))) if len(sw.labels) else None
    facts = (
        ("samples (Latin hypercube)", f"{sw.samples:,}"),
        ("uncertain parameters", str(len(sw.labels))),
        ("seed", str(sw.seed)),
    )
    findings = [
        f"In {p_deal:.0%} of {sw.samples:,} samples of the uncertain parameters, some package "
        "clears every party's reservation value.",
        f"The deal margin ranges from {float(np.min(sw.values)):.3f} to "
        f"{float(np.max(sw.values)):.3f} (median {float(np.median(sw.values)):.3f}).",
    ]
    if widest is not None:
        label = sw.labels[widest][:1].upper() + sw.labels[widest][1:]
        findings.append(
            f"{label} moves the margin most: from {sw.low[widest]:.3f} at its low end "
            f"to {sw.high[widest]:.3f} at its high end."
        )
    return SectionView("sweep", SECTION_TITLES["sweep"], figs, facts, tuple(findings))


_VIEWS = {
    "bargaining": _bargaining_view,
    "simulation": _simulation_view,
    "conflict": _conflict_view,
    "forecast": _forecast_view,
    "sequencing": _sequencing_view,
    "sweep": _sweep_view,
}


def section_views(data: ReportData) -> list[SectionView]:
    """A view for each engine that produced a result, in the report's order."""
    out = []
    for key, make in _VIEWS.items():
        if getattr(data, key) is None:
            continue
        try:
            out.append(make(data))
        except Exception as exc:  # a result shape this module does not know yet: say so
            note = f"this section could not be drawn ({type(exc).__name__}: {exc})"
            out.append(SectionView(key, SECTION_TITLES[key], (), (), (note,)))
    return out
