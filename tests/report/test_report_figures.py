"""Figures against independent references: brute-force Pareto sets and closed-form solutions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.report import compute_sections, section_views
from accord.report.figures import conflict_graph, utility_space
from accord.scenario.model import Scenario


def brute_force_pareto(u: np.ndarray) -> set[int]:
    """Definition: i is efficient iff no j is >= on both and > on one (O(n²) loops)."""
    out = set()
    for i in range(u.shape[0]):
        dominated = any(
            (u[j] >= u[i]).all() and (u[j] > u[i]).any() for j in range(u.shape[0]) if j != i
        )
        if not dominated:
            out.add(i)
    return out


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.just(2)), elements=st.floats(0, 1)))
def test_frontier_drawn_is_the_brute_force_pareto_set(u):
    from accord.bargaining import pareto_mask

    front = np.flatnonzero(pareto_mask(u))
    fig = utility_space(u, ("A", "B"), reservation=np.zeros(2), pareto=front)
    trace = next(t for t in fig.data if t.name == "Pareto frontier")
    drawn = {(float(x), float(y)) for x, y in zip(trace.x, trace.y, strict=True)}
    expected = {(float(u[i, 0]), float(u[i, 1])) for i in brute_force_pareto(u)}
    assert drawn == expected
    # Drawn left to right so the staircase line does not cross itself.
    assert list(trace.x) == sorted(trace.x)


def _split(r1: float, r2: float) -> Scenario:
    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "split",
            "title": "Split",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [{"id": "share", "range": [0, 1], "step": 0.01}],
            "preferences": {
                "a": {
                    "weights": {"share": 1},
                    "values": {"share": "increasing"},
                    "reservation": r1,
                },
                "b": {
                    "weights": {"share": 1},
                    "values": {"share": "decreasing"},
                    "reservation": r2,
                },
            },
        }
    )


def test_nash_marker_and_zone_match_the_closed_form():
    # Nash (1950): maximise (x - r1)(1 - x - r2) → x* = (1 + r1 - r2) / 2 = 0.4 here.
    data = compute_sections(_split(0.1, 0.3), only=("analyse",))
    fig = dict(section_views(data)[0].figures)["utility-space"]
    nash = next(t for t in fig.data if t.name == "Nash")
    assert np.isclose(nash.x[0], 0.4) and np.isclose(nash.y[0], 0.6)
    zone = fig.layout.shapes[0]
    assert (zone.x0, zone.y0) == (0.1, 0.3)
    # The zone holds x in [0.1, 0.7]: 61 grid points, as the finding says.
    assert "61 of 101 packages" in section_views(data)[0].findings[0]


def test_conflict_graph_of_the_prisoners_dilemma(pd_scenario):
    # Fang, Hipel & Kilgour (1993): in the prisoner's dilemma mutual defection (state 4) is the
    # only Nash equilibrium; mutual cooperation (state 1) is GMR/SEQ stable as well.
    data = compute_sections(pd_scenario, only=("stability",))
    view = section_views(data)[0]
    facts = dict(view.facts)
    assert facts["NASH equilibria"] == "4"
    assert facts["GMR equilibria"] == "1, 4"
    assert facts["SEQ equilibria"] == "1, 4"
    fig = dict(view.figures)["conflict-graph"]
    states = next(t for t in fig.data if t.name and t.name.startswith("states"))
    green = [i for i, c in enumerate(states.marker.color) if c != "#7f7f7f"]
    assert green == [3]
    assert list(states.marker.line.width).index(3) == 0  # status quo: nobody defects
    # Each prisoner has two unilateral improvements (defect against either choice).
    for name in ("improvement by a", "improvement by b"):
        trace = next(t for t in fig.data if t.name == name)
        assert sum(v is None for v in trace.x) == 2


def test_conflict_graph_draws_given_edges():
    src, dst = np.array([0, 1]), np.array([1, 2])
    fig = conflict_graph(
        ["s1", "s2", "s3"], [(src, dst)], ["dm"], equilibria=[2], paths=[[0, 1, 2]]
    )
    names = [t.name for t in fig.data]
    assert "improvement by dm" in names and "status-quo path" in names


def test_sequencing_section_shows_first_movers_and_the_gantt_chart():
    # One divisible step each, value 2 for cost 1, trust 0.9: the sequential exchange is
    # self-enforcing, so the report draws the schedule and names each round's first mover.
    from accord.scenario.model import Scenario

    s = Scenario.model_validate(
        {
            "accord": 1,
            "id": "exchange",
            "title": "One step each",
            "sequencing": {
                "max_rounds": 10,
                "parties": {
                    "a": {"patience": 1.0, "trust": 0.9, "completion_value": 0.5},
                    "b": {"patience": 1.0, "trust": 0.9, "completion_value": 0.5},
                },
                "steps": [
                    {"id": "step-a", "owner": "a", "cost": 1.0, "value": 2.0},
                    {"id": "step-b", "owner": "b", "cost": 1.0, "value": 2.0},
                ],
            },
        }
    )
    data = compute_sections(s, only=("sequence",))
    view = section_views(data)[0]
    sched = data.engine("sequence").result.analysis.schedule
    assert sched.feasible
    facts = dict(view.facts)
    movers = facts["first mover, round by round"].split("; ")
    assert len(movers) == sched.rounds and set(movers) <= {"a", "b"}
    assert "sequencing-gantt" in dict(view.figures)
